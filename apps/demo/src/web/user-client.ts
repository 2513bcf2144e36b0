// An XClient for the signed-in user, whichever way they signed in: OAuth 2.0 through the
// token store (which refreshes safely), or OAuth 1.0a with the stored token and secret.
import { type AuthStrategy, oauth1Auth, oauth2Auth, XClient } from '@x-oauth/client';
import type { TokenRecord } from '@x-oauth/token-store';
import { recordedAuth, wireHooks, xErrorFetch } from '../wire/recorder.js';
import type { WebContext } from './context.js';

/**
 * A client that spends the run's shared rate-limit pools, and reports every request to the
 * wire inspector (through its hooks, and its auth strategy's header, masked).
 */
export function clientFor(web: WebContext, auth: AuthStrategy): XClient {
  return new XClient({
    auth: recordedAuth(auth),
    baseUrl: web.config.apiBaseUrl,
    rateLimit: { store: web.rateLimits },
    hooks: wireHooks,
    // Global fetch rather than the default node:http transport: the panel shows X's words
    // about an error answer, which the client's typed errors leave out.
    fetch: xErrorFetch(),
  });
}

/** The auth strategy of a stored record. */
export function authFor(web: WebContext, record: TokenRecord): AuthStrategy {
  if (record.kind === 'oauth1') {
    return oauth1Auth({
      consumer: web.config.consumer,
      token: record.oauth1,
      userId: record.userId,
    });
  }
  return oauth2Auth({
    store: web.store.writer,
    appId: record.appId,
    userId: record.userId,
    client: web.config.oauth2Client,
    endpoints: web.config.pkceEndpoints,
  });
}

/** The user's record and a client for it, or undefined when nothing is stored. */
export async function userClient(
  web: WebContext,
  userId: string,
): Promise<{ record: TokenRecord; client: XClient } | undefined> {
  const record = await web.store.writer.get(web.config.appId, userId);
  if (record === undefined) return undefined;
  return { record, client: clientFor(web, authFor(web, record)) };
}
