// The endpoint templates the emulator serves; they key rate limits, faults and the request log.

/** Every endpoint the emulator implements, as `METHOD /path` (the template, without query). */
export const ENDPOINTS = [
  'POST /oauth/request_token',
  'GET /oauth/authorize',
  'POST /oauth/authorize',
  'GET /oauth/authenticate',
  'POST /oauth/authenticate',
  'POST /oauth/access_token',
  'POST /1.1/oauth/invalidate_token',
  'POST /oauth2/token',
  'POST /oauth2/invalidate_token',
  'GET /i/oauth2/authorize',
  'POST /i/oauth2/authorize',
  'POST /2/oauth2/token',
  'POST /2/oauth2/revoke',
  'GET /2/users/me',
  'POST /2/tweets',
  'GET /2/tweets/search/recent',
  'GET /2/tweets',
  'GET /1.1/account/verify_credentials.json',
  'POST /1.1/statuses/update.json',
] as const;

/** One of {@link ENDPOINTS}. */
export type EndpointKey = (typeof ENDPOINTS)[number];

/** Narrows a string to an {@link EndpointKey}. */
export function isEndpointKey(value: string): value is EndpointKey {
  return (ENDPOINTS as readonly string[]).includes(value);
}
