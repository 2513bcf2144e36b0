import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { addSearchParameters, type EncodedPair } from './form.js';

function invalidUrl(problem: string): OAuth1Error {
  return new OAuth1Error(OAuth1ErrorCode.InvalidUrl, `The request URL ${problem}.`);
}

function parseUrl(url: string | URL): URL {
  if (url instanceof URL) return url;
  try {
    // The WHATWG parser, as fetch uses it: the base string signs what fetch sends.
    return new URL(url);
  } catch {
    throw invalidUrl('is not an absolute URL string; pass https://host/path?query');
  }
}

/**
 * Reads an absolute URL for the base string: appends its query parameters to `into`
 * (RFC 5849 §3.4.1.3.1), decoded and percent-encoded again, and returns the base string URI
 * (§3.4.1.2): scheme and host lower-cased, default port dropped, path kept, no query.
 * @throws {OAuth1Error} `OAUTH1_INVALID_URL` for relative URLs, other schemes and userinfo.
 */
export function readRequestUrl(url: string | URL, into: EncodedPair[]): string {
  const parsed = parseUrl(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalidUrl(`has the scheme "${parsed.protocol}"; sign https: (or http:) URLs`);
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw invalidUrl('carries user:password@; remove it');
  }
  addSearchParameters(parsed.searchParams, into);
  // URL.host already omits the scheme's default port and lower-cases the host.
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}
