// Ending a stored token at X: OAuth 2.0 sets are revoked (access and refresh token), OAuth
// 1.0a tokens invalidated. Used by the Revoke buttons, and when a sign-in of the other kind
// replaces a stored token, so the replaced one is not left alive at X.
import { invalidateOAuth1Token, revokeToken } from '@x-oauth/client';
import type { TokenRecord } from '@x-oauth/token-store';
import { recordingFetch } from '../wire/recorder.js';
import type { WebContext } from './context.js';

/** What a record is, in words. */
export function kindName(kind: TokenRecord['kind']): string {
  return kind === 'oauth1' ? 'OAuth 1.0a access token' : 'OAuth 2.0 token set';
}

/** Revokes (OAuth 2.0) or invalidates (OAuth 1.0a) the record's tokens at X. */
export async function revokeAtX(web: WebContext, record: TokenRecord): Promise<void> {
  const fetch = recordingFetch();
  if (record.kind === 'oauth1') {
    await invalidateOAuth1Token({
      consumer: web.config.consumer,
      token: record.oauth1,
      baseUrl: web.config.apiBaseUrl,
      fetch,
    });
    return;
  }
  const { tokenSet } = record;
  const options = { client: web.config.oauth2Client, endpoints: web.config.pkceEndpoints, fetch };
  await revokeToken({ ...options, token: tokenSet.accessToken, tokenTypeHint: 'access_token' });
  if (tokenSet.refreshToken !== undefined) {
    await revokeToken({ ...options, token: tokenSet.refreshToken, tokenTypeHint: 'refresh_token' });
  }
}

/**
 * Before storing a sign-in of kind `incoming` for `userId`: when a token of the other kind is
 * stored, ends it at X (it would otherwise stay valid with nobody holding it) and says so.
 * Undefined when nothing of the other kind was stored.
 */
export async function replaceOtherKind(
  web: WebContext,
  userId: string,
  incoming: TokenRecord['kind'],
): Promise<string | undefined> {
  const existing = await web.store.writer.get(web.config.appId, userId);
  if (existing === undefined || existing.kind === incoming) return undefined;
  const verb = existing.kind === 'oauth1' ? 'invalidated' : 'revoked';
  try {
    await revokeAtX(web, existing);
    return `It replaces your stored ${kindName(existing.kind)}, which was ${verb} at X.`;
  } catch {
    return `It replaces your stored ${kindName(existing.kind)}; X refused to end it (see the requests below), so it may stay valid until it expires or you revoke the app at X.`;
  }
}
