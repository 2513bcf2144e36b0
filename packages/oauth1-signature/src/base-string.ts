import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { collectFormPairs } from './form.js';
import { percentEncode } from './percent-encode.js';
import { toSignableUrl } from './request-url.js';
import type { FormInput } from './types.js';

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Upper-cases and checks an HTTP method. */
export function normalizeMethod(method: string): string {
  if (typeof method !== 'string' || !HTTP_TOKEN.test(method)) {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidMethod,
      'The HTTP method must be a token such as "GET" or "POST".',
    );
  }
  return method.toUpperCase();
}

function compareEncodedPairs(a: readonly [string, string], b: readonly [string, string]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] === b[1]) return 0;
  return a[1] < b[1] ? -1 : 1;
}

/**
 * Normalizes decoded parameters (RFC 5849 §3.4.1.3.2): encode each name and value, sort by
 * name then value in byte order (encoded text is ASCII, so code-unit order is byte order),
 * join as `name=value` with `&`.
 */
export function normalizeParameters(pairs: ReadonlyArray<readonly [string, string]>): string {
  const encoded = new Array<[string, string]>(pairs.length);
  for (let index = 0; index < pairs.length; index++) {
    const [name, value] = pairs[index] as readonly [string, string];
    encoded[index] = [percentEncode(name), percentEncode(value)];
  }
  encoded.sort(compareEncodedPairs);
  let normalized = '';
  for (let index = 0; index < encoded.length; index++) {
    const [name, value] = encoded[index] as [string, string];
    normalized += `${index === 0 ? '' : '&'}${name}=${value}`;
  }
  return normalized;
}

/** Joins the three parts of a base string; `allParameters` are decoded pairs. */
export function joinBaseString(
  method: string,
  baseUri: string,
  allParameters: ReadonlyArray<readonly [string, string]>,
): string {
  return `${method}&${percentEncode(baseUri)}&${percentEncode(normalizeParameters(allParameters))}`;
}

/** What {@link buildBaseString} signs. */
export interface BaseStringInput {
  readonly method: string;
  /** Absolute URL; its query parameters are included. */
  readonly url: string | URL;
  /** Form body parameters, when the body is `application/x-www-form-urlencoded`. */
  readonly form?: FormInput | undefined;
  /** The `oauth_*` parameters (without `oauth_signature` and `realm`). */
  readonly oauthParams: Readonly<Record<string, string>>;
}

/**
 * Builds the signature base string of RFC 5849 §3.4.1: the upper-case method, the base string
 * URI (scheme and host lower-cased, default port dropped, path kept) and the normalized query,
 * form and protocol parameters, each percent-encoded and joined with `&`.
 *
 * `oauth_signature` and `realm` are left out even if present in `oauthParams`.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1
 */
export function buildBaseString(input: BaseStringInput): string {
  const method = normalizeMethod(input.method);
  const { baseUri, query } = toSignableUrl(input.url);
  const pairs = query;
  if (input.form !== undefined) collectFormPairs(input.form, pairs);
  for (const name of Object.keys(input.oauthParams)) {
    if (name === 'oauth_signature' || name === 'realm') continue;
    const value = input.oauthParams[name];
    if (typeof value !== 'string') {
      throw new OAuth1Error(
        OAuth1ErrorCode.InvalidParameter,
        `Protocol parameter "${name}" must be a string.`,
      );
    }
    pairs.push([name, value]);
  }
  return joinBaseString(method, baseUri, pairs);
}
