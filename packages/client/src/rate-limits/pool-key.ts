// The key of a rate-limit pool: who spends it (the auth identity), the method and the endpoint
// template. X counts limits per endpoint, not per URL, so `/2/tweets/123` and `/2/tweets/456`
// share `/2/tweets/:id`; and per identity, so the app's pool and each user's pool are separate
// (X: "requests made on behalf of users will not deplete from the rate limits available
// through app-only auth"). The host is not part of the key: api.x.com and api.twitter.com are
// the same API. Pure.

// Path segments that are names rather than ids, after which the next segment is a value.
const NAMED_PARAMETERS: Readonly<Record<string, string>> = {
  username: ':username',
  usernames: ':usernames',
};

/**
 * The endpoint template of a path: numeric segments after the version become `:id`, the value after
 * `by/username/` becomes `:username`; the query and a trailing slash are dropped.
 *
 * @example endpointTemplate('/2/tweets/1460323737035677698') // '/2/tweets/:id'
 */
export function endpointTemplate(path: string): string {
  const withoutQuery = path.split(/[?#]/, 1)[0] ?? '';
  const segments = withoutQuery.split('/');
  const out: string[] = [];
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index] ?? '';
    const previous = segments[index - 1];
    const named = previous === undefined ? undefined : NAMED_PARAMETERS[previous];
    if (named !== undefined && segments[index - 2] === 'by' && segment !== '') out.push(named);
    // The first segment is the API version (`/2/`), never an id.
    else if (index > 1 && /^\d+$/.test(segment)) out.push(':id');
    else out.push(segment);
  }
  const template = out.join('/');
  return template.length > 1 && template.endsWith('/') ? template.slice(0, -1) : template;
}

/**
 * `METHOD /template`, the name of an endpoint in errors, logs and pool keys.
 */
export function endpointName(method: string, path: string): string {
  return `${method.toUpperCase()} ${endpointTemplate(path)}`;
}

/** Which of X's rate-limit pools a key names. */
export type PoolKind = 'window' | 'app-24h' | 'user-24h';

/**
 * The key of a rate-limit pool: `identity METHOD /template`, plus `|app-24h` or `|user-24h`
 * for the daily caps. The app's daily cap is shared by every user of the app, so its identity
 * is `app:<appKey>` whatever identity made the request.
 *
 * @example poolKey('user:abc:42', 'get', 'https://api.x.com/2/tweets/7?x=1') // 'user:abc:42 GET /2/tweets/:id'
 */
export function poolKey(
  identity: string,
  method: string,
  pathOrUrl: string,
  kind: PoolKind = 'window',
): string {
  const path = /^https?:\/\//i.test(pathOrUrl) ? new URL(pathOrUrl).pathname : pathOrUrl;
  const base = `${identity} ${endpointName(method, path)}`;
  return kind === 'window' ? base : `${base}|${kind}`;
}
