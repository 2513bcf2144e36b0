// OAuth 2.0 client authentication at the token and revoke endpoints: confidential clients use
// HTTP Basic (client id and secret), public clients send client_id in the body.
import { constantTimeEqual } from '@x-oauth/internal';
import { parseBasicAuthorization } from '../http/basic-auth.js';
import type { EmulatorRequest } from '../http/request.js';
import type { EmulatorResponse } from '../http/response.js';
import type { RouteContext } from '../runtime.js';
import { type AppRecord, findAppByClientId } from '../state.js';
import { oauth2Error } from '../x-errors.js';

/** The authenticated client, or the error response to send. */
export type ClientAuthentication =
  | { readonly ok: true; readonly app: AppRecord }
  | { readonly ok: false; readonly response: EmulatorResponse };

/** Authenticates the OAuth 2.0 client of a token or revoke request. */
export function authenticateClient(
  request: EmulatorRequest,
  context: RouteContext,
): ClientAuthentication {
  const { state } = context.runtime;
  const header = request.headers.authorization;
  const bodyClientId = request.form?.get('client_id') ?? undefined;
  if (header !== undefined && /^Basic\s/i.test(header)) {
    context.meta.auth = 'basic';
    const credentials = parseBasicAuthorization(header);
    const app =
      credentials === undefined ? undefined : findAppByClientId(state, credentials.username);
    if (credentials === undefined || app === undefined) {
      return { ok: false, response: oauth2Error('missingAuthorizationHeader') };
    }
    // X answers a wrong secret as if the header were missing.
    if (
      app.clientType === 'confidential' &&
      (app.clientSecret === undefined || !constantTimeEqual(credentials.password, app.clientSecret))
    ) {
      return { ok: false, response: oauth2Error('missingAuthorizationHeader') };
    }
    if (bodyClientId !== undefined && bodyClientId !== app.clientId) {
      return { ok: false, response: oauth2Error('invalidClient') };
    }
    return { ok: true, app };
  }
  if (bodyClientId === undefined || bodyClientId === '') {
    return { ok: false, response: oauth2Error('missingAuthorizationHeader') };
  }
  const app = findAppByClientId(state, bodyClientId);
  if (app === undefined) return { ok: false, response: oauth2Error('invalidClient') };
  if (app.clientType === 'confidential') {
    return { ok: false, response: oauth2Error('missingAuthorizationHeader') };
  }
  return { ok: true, app };
}
