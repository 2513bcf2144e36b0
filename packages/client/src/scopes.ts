// OAuth 2.0 scopes of the endpoints whose needs X documents, so a request that is bound to be
// refused (403) is stopped before it is sent. Endpoints not listed are sent as they are.

/**
 * Scopes each known endpoint needs, by `METHOD /template`.
 *
 * @see https://docs.x.com/fundamentals/authentication/guides/v2-authentication-mapping
 */
export const ENDPOINT_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'GET /2/users/me': ['tweet.read', 'users.read'],
  'GET /2/users/:id': ['tweet.read', 'users.read'],
  'GET /2/users/by/username/:username': ['tweet.read', 'users.read'],
  'POST /2/tweets': ['tweet.read', 'tweet.write', 'users.read'],
  'DELETE /2/tweets/:id': ['tweet.read', 'tweet.write', 'users.read'],
  'GET /2/tweets': ['tweet.read', 'users.read'],
  'GET /2/tweets/:id': ['tweet.read', 'users.read'],
  'GET /2/tweets/search/recent': ['tweet.read', 'users.read'],
  'GET /2/users/:id/tweets': ['tweet.read', 'users.read'],
  'GET /2/users/:id/mentions': ['tweet.read', 'users.read'],
  'GET /2/users/:id/followers': ['follows.read', 'tweet.read', 'users.read'],
  'GET /2/users/:id/following': ['follows.read', 'tweet.read', 'users.read'],
  'POST /2/users/:id/following': ['follows.read', 'follows.write', 'tweet.read', 'users.read'],
  'POST /2/users/:id/likes': ['like.write', 'tweet.read', 'users.read'],
  'GET /2/users/:id/liked_tweets': ['like.read', 'tweet.read', 'users.read'],
  'GET /2/users/:id/bookmarks': ['bookmark.read', 'tweet.read', 'users.read'],
  'POST /2/users/:id/bookmarks': ['bookmark.write', 'tweet.read', 'users.read'],
  'GET /2/dm_events': ['dm.read', 'tweet.read', 'users.read'],
};

/**
 * The scopes `endpoint` needs that `granted` lacks; empty when it has them all or when the
 * endpoint's needs are not known. Pure.
 *
 * @example missingScopes('POST /2/tweets', ['tweet.read', 'users.read']) // ['tweet.write']
 */
export function missingScopes(endpoint: string, granted: readonly string[]): string[] {
  const needed = ENDPOINT_SCOPES[endpoint];
  if (needed === undefined) return [];
  return needed.filter((scope) => !granted.includes(scope));
}
