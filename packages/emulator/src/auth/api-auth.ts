// Who is calling an API endpoint: OAuth 1.0a user context, OAuth 2.0 user context, or
// app-only (bearer). Endpoints then apply X's rules for each kind.
import type { VerifyFailureReason } from '@x-oauth/oauth1-signature';
import type { EmulatorRequest } from '../http/request.js';
import type { EmulatorRuntime } from '../runtime.js';
import type { AppRecord } from '../state.js';
import { liveBearerToken } from '../tokens/bearer.js';
import { liveOAuth2AccessToken } from '../tokens/oauth2.js';
import type { AppPermission, EmulatorUser } from '../types.js';
import { authenticateOAuth1 } from './oauth1.js';

/** An authenticated API caller. */
export type ApiCaller =
  | {
      readonly kind: 'oauth1';
      readonly app: AppRecord;
      readonly user: EmulatorUser;
      readonly accessLevel: AppPermission;
    }
  | {
      readonly kind: 'oauth2-user';
      readonly app: AppRecord;
      readonly user: EmulatorUser;
      readonly scopes: readonly string[];
    }
  | { readonly kind: 'app-only'; readonly app: AppRecord };

/** Why an API request could not be authenticated. */
export type ApiAuthFailure =
  | { readonly failure: 'missing' }
  | { readonly failure: 'invalid-bearer' }
  | { readonly failure: 'oauth1'; readonly reason: VerifyFailureReason };

/** Authenticates an API request by its Authorization header. */
export async function authenticateApiRequest(
  request: EmulatorRequest,
  runtime: EmulatorRuntime,
): Promise<ApiCaller | ApiAuthFailure> {
  const header = request.headers.authorization;
  if (header === undefined || header.trim() === '') return { failure: 'missing' };
  if (/^OAuth\s/i.test(header)) {
    const result = await authenticateOAuth1(request, runtime, 'access');
    if (!result.ok) return { failure: 'oauth1', reason: result.reason };
    const token = result.accessToken;
    const user = token === undefined ? undefined : runtime.state.users.get(token.userId);
    if (token === undefined || user === undefined)
      return { failure: 'oauth1', reason: 'unknown_token' };
    return { kind: 'oauth1', app: result.app, user, accessLevel: token.accessLevel };
  }
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer === null) return { failure: 'missing' };
  const value = bearer[1] as string;
  const { state } = runtime;
  const appOnly = liveBearerToken(state, value);
  if (appOnly !== undefined) {
    const app = state.apps.get(appOnly.appId);
    return app === undefined ? { failure: 'invalid-bearer' } : { kind: 'app-only', app };
  }
  const userToken = liveOAuth2AccessToken(state, value, runtime.clock.now());
  if (userToken !== undefined) {
    const app = state.apps.get(userToken.appId);
    const user = state.users.get(userToken.userId);
    if (app !== undefined && user !== undefined) {
      return { kind: 'oauth2-user', app, user, scopes: userToken.scopes };
    }
  }
  return { failure: 'invalid-bearer' };
}

/** Whether a value is an {@link ApiAuthFailure}. */
export function isAuthFailure(value: ApiCaller | ApiAuthFailure): value is ApiAuthFailure {
  return 'failure' in value;
}
