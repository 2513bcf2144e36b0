import { OAuth1Error, OAuth1ErrorCode } from './errors.js';

/** The parts of a request URL that RFC 5849 §3.4.1.2 and §3.4.1.3.1 sign. */
export interface SignableUrl {
  /** `scheme://host[:port]/path`: scheme and host lower-cased, default port dropped. */
  readonly baseUri: string;
  /** The raw query, without `?` (empty when there is none). */
  readonly query: string;
}

// A plain absolute URL whose every part the WHATWG parser would keep as written (bar case and a
// default port). Anything else (IP addresses, IDNs, dot segments, odd characters) goes through
// `new URL`, which is what fetch sends, so both paths give the same base string.
const PLAIN_URL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: URLs with control characters must take the slow path, where the URL parser strips or escapes them.
  /^(https?):\/\/((?:[A-Za-z0-9-]+\.)*[A-Za-z][A-Za-z0-9-]*)(?::([0-9]{1,5}))?(\/[A-Za-z0-9\-_~!$&'()*+,;=:@%/.]*)?(?:\?([^#\x00-\x20\x7f]*))?(?:#.*)?$/;
const DOT_SEGMENT_OR_ENCODED_DOT = /\/\.|%2e/i;
const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443 };

function invalidUrl(problem: string): OAuth1Error {
  return new OAuth1Error(OAuth1ErrorCode.InvalidUrl, `The request URL ${problem}.`);
}

function fromWhatwgUrl(url: URL): SignableUrl {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidUrl(
      `has the scheme "${url.protocol}"; only https: (and http: for loopback) can be signed`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw invalidUrl(
      'carries user:password@ credentials; remove them (OAuth 1.0a authenticates in the header)',
    );
  }
  const query = url.search.length > 1 ? url.search.slice(1) : '';
  // URL.host already omits the scheme's default port and lower-cases the host.
  return { baseUri: `${url.protocol}//${url.host}${url.pathname}`, query };
}

/**
 * Splits an absolute URL into the signed base URI and its query.
 * @throws {OAuth1Error} `OAUTH1_INVALID_URL` for relative URLs, other schemes and userinfo.
 */
export function toSignableUrl(url: string | URL): SignableUrl {
  if (url instanceof URL) return fromWhatwgUrl(url);
  if (typeof url !== 'string') {
    throw invalidUrl(`must be a string or URL, got ${url === null ? 'null' : typeof url}`);
  }
  const match = PLAIN_URL.exec(url);
  if (match !== null) {
    const [, scheme, host, portText, path, query] = match as unknown as [
      string,
      string,
      string,
      string | undefined,
      string | undefined,
      string | undefined,
    ];
    const port = portText === undefined ? undefined : Number(portText);
    const lowerHost = host.toLowerCase();
    if (
      !lowerHost.startsWith('xn--') &&
      !lowerHost.includes('.xn--') &&
      (port === undefined || port <= 65535) &&
      (path === undefined || !DOT_SEGMENT_OR_ENCODED_DOT.test(path))
    ) {
      const lowerScheme = scheme.toLowerCase();
      const portPart = port === undefined || port === DEFAULT_PORTS[lowerScheme] ? '' : `:${port}`;
      return {
        baseUri: `${lowerScheme}://${lowerHost}${portPart}${path ?? '/'}`,
        query: query ?? '',
      };
    }
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl('is not an absolute URL; pass the full https://host/path?query');
  }
  return fromWhatwgUrl(parsed);
}
