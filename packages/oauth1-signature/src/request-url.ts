import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { addFormEncodedParameters, type EncodedPair } from './form-decoding.js';
import { IS_UNRESERVED, percentEncode } from './percent-encode.js';

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

/** A request URL split for the base string: its base URI already percent-encoded. */
interface BaseStringUrl {
  /** `enc(base string URI)`, the second part of the base string. */
  readonly encodedBaseUri: string;
  /** Where the query starts in the URL (after `?`) and ends (before `#`); equal when none. */
  readonly queryStart: number;
  readonly queryEnd: number;
}

const IS_LOWER_HOST = new Uint8Array(128);
for (const character of 'abcdefghijklmnopqrstuvwxyz0123456789-') {
  IS_LOWER_HOST[character.charCodeAt(0)] = 1;
}

const isLetter = (code: number): boolean => code >= 0x61 && code <= 0x7a;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/**
 * The common shape of a request URL, read in one pass without building a URL object: a
 * lower-case `https://` or `http://` host name, an optional port, and a path of unreserved
 * characters and slashes (no dot segments). Anything else returns `undefined`.
 */
function splitPlainUrl(url: string): BaseStringUrl | undefined {
  let encodedScheme: string;
  let defaultPort: number;
  let index: number;
  if (url.startsWith('https://')) {
    encodedScheme = 'https%3A%2F%2F';
    defaultPort = 443;
    index = 8;
  } else if (url.startsWith('http://')) {
    encodedScheme = 'http%3A%2F%2F';
    defaultPort = 80;
    index = 7;
  } else return undefined;

  // Host: dot-separated labels of [a-z0-9-], the last one starting with a letter (so neither
  // an IP address, which the URL parser rewrites, nor an empty label).
  const hostStart = index;
  let labelStart = index;
  for (; index < url.length; index++) {
    const code = url.charCodeAt(index);
    if (code < 128 && IS_LOWER_HOST[code] === 1) continue;
    if (code !== 0x2e || index === labelStart) break;
    labelStart = index + 1;
  }
  if (index === labelStart || !isLetter(url.charCodeAt(labelStart))) return undefined;
  const host = url.slice(hostStart, index);
  // Punycode labels are validated and may be rewritten by the URL parser.
  if (host.startsWith('xn--') || host.includes('.xn--')) return undefined;

  let port = '';
  if (url.charCodeAt(index) === 0x3a) {
    const portStart = ++index;
    while (index < url.length && isDigit(url.charCodeAt(index))) index++;
    if (index === portStart || index - portStart > 5) return undefined;
    const portNumber = Number(url.slice(portStart, index));
    if (portNumber > 65535) return undefined;
    if (portNumber !== defaultPort) port = `%3A${portNumber}`;
  }

  // Path: unreserved characters and slashes; `/` encodes as %2F, the rest as itself.
  let encodedPath = '';
  if (url.charCodeAt(index) === 0x2f) {
    let segmentStart = index + 1;
    encodedPath = '%2F';
    for (index += 1; index < url.length; index++) {
      const code = url.charCodeAt(index);
      if (code < 128 && IS_UNRESERVED[code] === 1) {
        // A dot segment ("/." or "/..") is resolved by the URL parser: slow path.
        if (code === 0x2e && index === segmentStart) return undefined;
        continue;
      }
      if (code !== 0x2f) break;
      encodedPath += `${url.slice(segmentStart, index)}%2F`;
      segmentStart = index + 1;
    }
    encodedPath += url.slice(segmentStart, index);
  } else encodedPath = '%2F';

  let queryStart = index;
  let queryEnd = index;
  if (index < url.length) {
    const code = url.charCodeAt(index);
    if (code === 0x3f) {
      const fragment = url.indexOf('#', index + 1);
      queryStart = index + 1;
      queryEnd = fragment === -1 ? url.length : fragment;
    } else if (code !== 0x23) return undefined;
  }
  return { encodedBaseUri: `${encodedScheme}${host}${port}${encodedPath}`, queryStart, queryEnd };
}

/**
 * Reads an absolute URL for the base string (RFC 5849 §3.4.1.2 and §3.4.1.3.1): appends its
 * query parameters to `into`, encoded twice as the base string holds them, and returns
 * `enc(base string URI)`.
 * @throws {OAuth1Error} `OAUTH1_INVALID_URL` for relative URLs, other schemes and userinfo.
 */
export function readBaseStringUrl(url: string | URL, into: EncodedPair[]): string {
  const start = into.length;
  const plain = typeof url === 'string' ? splitPlainUrl(url) : undefined;
  // A space or control character in the query is escaped or dropped by the URL parser (what
  // fetch sends), so such a URL is read again the slow way.
  if (
    plain !== undefined &&
    !addFormEncodedParameters(url as string, into, '%25', plain.queryStart, plain.queryEnd)
  ) {
    return plain.encodedBaseUri;
  }
  into.length = start;
  const { baseUri, query } = toSignableUrl(url);
  addFormEncodedParameters(query, into, '%25');
  return percentEncode(baseUri);
}
