// Turns `client.request(method, path, options)` into what is sent: the absolute URL with its
// query, and one body (JSON, form or raw). Form bodies are serialized once, here, with RFC 3986
// encoding, and exactly that string is both signed (OAuth 1.0a) and sent. Pure.
import { percentEncode } from '@x-oauth/oauth1-signature';
import { XApiError, XApiErrorCode } from './errors.js';

/** A query or form value: repeated names as arrays. */
export type ParameterValue = string | number | boolean | readonly (string | number | boolean)[];

/**
 * Query or form parameters: a record (arrays repeat a name; `undefined` values are skipped)
 * or `URLSearchParams`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3
 */
export type Parameters = URLSearchParams | Readonly<Record<string, ParameterValue | undefined>>;

/**
 * Options of `client.request`.
 *
 * @see https://docs.x.com/x-api/introduction
 */
export interface RequestOptions {
  /** Query parameters, added to any already in `path`; signed by OAuth 1.0a. */
  readonly query?: Parameters | undefined;
  /** A JSON body (`POST /2/tweets`); never signed by OAuth 1.0a, as X specifies. */
  readonly json?: unknown;
  /** An `application/x-www-form-urlencoded` body (`POST /1.1/statuses/update.json`); signed by OAuth 1.0a. */
  readonly form?: Parameters | undefined;
  /** Any other body (multipart `FormData`, bytes); sent as is, never signed. */
  readonly body?: BodyInit | undefined;
  /** Aborts the request (and any wait or retry); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Extra headers. `Authorization` is the auth strategy's and cannot be set here. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** Overrides the client's `timeoutMs` for this request (each attempt). */
  readonly timeoutMs?: number | undefined;
}

/**
 * A request ready to be authorized and sent.
 */
export interface PreparedRequest {
  readonly method: string;
  readonly url: URL;
  /** The serialized form body, when there is one (signed by OAuth 1.0a). */
  readonly form: string | undefined;
  readonly body: BodyInit | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly bodyKind: 'none' | 'json' | 'form' | 'raw';
}

const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

// The origin and the path prefix (without a trailing "/") of a base URL, by its href: a client
// keeps one base URL, and reading a URL's parts builds new strings every time.
const baseCache = new WeakMap<URL, { href: string; origin: string; prefix: string }>();

function baseParts(baseUrl: URL): { origin: string; prefix: string } {
  const cached = baseCache.get(baseUrl);
  // Keyed by href too: a URL object can be changed in place.
  if (cached !== undefined && cached.href === baseUrl.href) return cached;
  const origin = baseUrl.origin;
  const parts = {
    href: baseUrl.href,
    origin,
    prefix: `${origin}${baseUrl.pathname.replace(/\/+$/, '')}`,
  };
  baseCache.set(baseUrl, parts);
  return parts;
}

function encodePair(name: string, value: string | number | boolean): string {
  return `${percentEncode(name)}=${percentEncode(String(value))}`;
}

/**
 * `name=value&…` with RFC 3986 percent-encoding (space as `%20`): the form OAuth 1.0a signs.
 */
export function serializeParameters(parameters: Parameters): string {
  // Built as one string, without arrays of pairs: a query is serialized on every request.
  let out = '';
  if (parameters instanceof URLSearchParams) {
    for (const [name, value] of parameters)
      out += `${out === '' ? '' : '&'}${encodePair(name, value)}`;
    return out;
  }
  for (const name in parameters) {
    if (!Object.hasOwn(parameters, name)) continue;
    const value = parameters[name];
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) out += `${out === '' ? '' : '&'}${encodePair(name, item)}`;
    } else {
      out += `${out === '' ? '' : '&'}${encodePair(name, value as string | number | boolean)}`;
    }
  }
  return out;
}

function invalid(message: string): XApiError {
  return new XApiError(XApiErrorCode.InvalidArgument, `${message} Nothing was sent.`);
}

/**
 * Builds the URL and body of a request. Throws `X_INVALID_ARGUMENT` for a bad method, a path
 * that is not a path, more than one body, or an `Authorization` header.
 */
export function prepareRequest(
  baseUrl: URL,
  method: string,
  path: string,
  options: RequestOptions = {},
): PreparedRequest {
  if (typeof method !== 'string' || !METHOD.test(method)) {
    throw invalid('The method must be an HTTP method such as GET or POST.');
  }
  if (typeof path !== 'string' || !path.startsWith('/') || path.startsWith('//')) {
    throw invalid(
      'The path must start with a single "/" (for example "/2/users/me"); the host comes from baseUrl.',
    );
  }
  const bodies =
    Number(options.json !== undefined) +
    Number(options.form !== undefined) +
    Number(options.body !== undefined);
  if (bodies > 1) throw invalid('Give one of json, form and body.');
  const headers: Record<string, string> = {};
  if (options.headers !== undefined) {
    for (const [name, value] of Object.entries(options.headers)) {
      if (/^authorization$/i.test(name)) {
        throw invalid('The Authorization header belongs to the auth strategy; do not set it.');
      }
      headers[name.toLowerCase()] = value;
    }
  }
  // One string, parsed once: the URL setters re-parse, and this runs on every request.
  const { origin, prefix } = baseParts(baseUrl);
  const hash = path.indexOf('#');
  let href = `${prefix}${hash === -1 ? path : path.slice(0, hash)}`;
  if (options.query !== undefined) {
    const extra = serializeParameters(options.query);
    if (extra !== '') href += href.includes('?') ? `&${extra}` : `?${extra}`;
  }
  const url = new URL(href);
  if (url.origin !== origin) throw invalid('The path must stay on the base URL.');
  const upper = method.toUpperCase();
  if (options.json !== undefined) {
    const text = JSON.stringify(options.json);
    if (text === undefined) throw invalid('json must be JSON-serializable.');
    headers['content-type'] ??= 'application/json';
    return { method: upper, url, form: undefined, body: text, headers, bodyKind: 'json' };
  }
  if (options.form !== undefined) {
    const form = serializeParameters(options.form);
    headers['content-type'] = 'application/x-www-form-urlencoded';
    return { method: upper, url, form, body: form, headers, bodyKind: 'form' };
  }
  if (options.body !== undefined) {
    return { method: upper, url, form: undefined, body: options.body, headers, bodyKind: 'raw' };
  }
  return { method: upper, url, form: undefined, body: undefined, headers, bodyKind: 'none' };
}
