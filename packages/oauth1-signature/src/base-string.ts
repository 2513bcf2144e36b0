import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { addFormParameters } from './form.js';
import type { EncodedPair } from './form-decoding.js';
import { encodeAgain, percentEncode } from './percent-encode.js';
import { readBaseStringUrl } from './request-url.js';
import type { FormInput } from './types.js';

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Upper-cases and checks an HTTP method. */
export function normalizeMethod(method: string): string {
  // The usual methods, already upper-case, need neither the check nor the copy.
  if (method === 'GET' || method === 'POST' || method === 'DELETE' || method === 'PUT') {
    return method;
  }
  if (typeof method !== 'string' || !HTTP_TOKEN.test(method)) {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidMethod,
      'The HTTP method must be a token such as "GET" or "POST".',
    );
  }
  return method.toUpperCase();
}

function precedes(a: EncodedPair, b: EncodedPair): boolean {
  return a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
}

function comparePairs(a: EncodedPair, b: EncodedPair): number {
  if (precedes(a, b)) return -1;
  return precedes(b, a) ? 1 : 0;
}

const INSERTION_SORT_LIMIT = 24;

/**
 * Sorts encoded pairs in place by name, then value, in byte order (RFC 5849 §3.4.1.3.2;
 * encoded text is ASCII, so code-unit order is byte order). Insertion sort for the handful of
 * parameters a request usually carries, where it beats a comparator-driven Array#sort.
 */
export function sortEncodedPairs(pairs: EncodedPair[]): EncodedPair[] {
  if (pairs.length > INSERTION_SORT_LIMIT) return pairs.sort(comparePairs);
  for (let index = 1; index < pairs.length; index++) {
    const current = pairs[index] as EncodedPair;
    let position = index - 1;
    while (position >= 0 && precedes(current, pairs[position] as EncodedPair)) {
      pairs[position + 1] = pairs[position] as EncodedPair;
      position--;
    }
    pairs[position + 1] = current;
  }
  return pairs;
}

/** Encodes pairs from `start` on a second time, in place, as the base string holds them. */
export function encodePairsAgain(pairs: EncodedPair[], start: number): void {
  for (let index = start; index < pairs.length; index++) {
    const [name, value] = pairs[index] as EncodedPair;
    pairs[index] = [encodeAgain(name), encodeAgain(value)];
  }
}

/**
 * Normalizes decoded parameters (RFC 5849 §3.4.1.3.2): encode each name and value, sort by
 * name then value in byte order, join as `name=value` with `&`.
 */
export function normalizeParameters(pairs: ReadonlyArray<readonly [string, string]>): string {
  const encoded = pairs.map(
    ([name, value]): EncodedPair => [percentEncode(name), percentEncode(value)],
  );
  return sortEncodedPairs(encoded)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * Builds `METHOD&enc(baseUri)&enc(normalized parameters)` (RFC 5849 §3.4.1.1) in one pass
 * from two lists of pairs, each already sorted and encoded twice (as the base string holds
 * them): the request's own parameters and the protocol parameters. They are merged, not
 * re-sorted.
 */
export function joinBaseString(
  method: string,
  encodedBaseUri: string,
  requestPairs: readonly EncodedPair[],
  protocolPairs: readonly EncodedPair[],
): string {
  let baseString = `${method}&${encodedBaseUri}&`;
  let left = 0;
  let right = 0;
  while (left < requestPairs.length || right < protocolPairs.length) {
    const fromLeft =
      right >= protocolPairs.length ||
      (left < requestPairs.length &&
        !precedes(protocolPairs[right] as EncodedPair, requestPairs[left] as EncodedPair));
    const [name, value] = (fromLeft ? requestPairs[left++] : protocolPairs[right++]) as EncodedPair;
    // Appending piece by piece makes a flatter rope than nested templates: the HMAC reads the
    // whole string right after, and flattening it is then cheaper.
    if (left + right > 1) baseString += '%26';
    baseString += name;
    baseString += '%3D';
    baseString += value;
  }
  return baseString;
}

// The names that open and close the protocol parameters when there is neither oauth_callback
// nor oauth_verifier.
const FIRST_PROTOCOL_NAME = 'oauth_consumer_key';
const LAST_PROTOCOL_NAME = 'oauth_version';

/**
 * {@link joinBaseString} for protocol parameters given as one run of text, from
 * `oauth_consumer_key` to `oauth_version`, already joined: the request's parameters go before
 * or after it. Returns `undefined` when one of them sorts inside the run (a request parameter
 * named `oauth_…`), which needs the pair-by-pair merge.
 */
export function joinBaseStringAroundRun(
  method: string,
  encodedBaseUri: string,
  requestPairs: readonly EncodedPair[],
  protocolRun: string,
): string | undefined {
  let baseString = `${method}&${encodedBaseUri}&`;
  let index = 0;
  for (; index < requestPairs.length; index++) {
    const [name, value] = requestPairs[index] as EncodedPair;
    if (name >= FIRST_PROTOCOL_NAME) break;
    baseString += name;
    baseString += '%3D';
    baseString += value;
    baseString += '%26';
  }
  if (
    index < requestPairs.length &&
    (requestPairs[index] as EncodedPair)[0] <= LAST_PROTOCOL_NAME
  ) {
    return undefined;
  }
  baseString += protocolRun;
  for (; index < requestPairs.length; index++) {
    const [name, value] = requestPairs[index] as EncodedPair;
    baseString += '%26';
    baseString += name;
    baseString += '%3D';
    baseString += value;
  }
  return baseString;
}

/**
 * The base string of a request whose protocol parameters are given as a record (the server
 * side, and {@link buildBaseString}): `oauth_signature` and `realm` are left out.
 */
export function baseStringFromRecord(
  method: string,
  url: string | URL,
  form: FormInput | undefined,
  oauthParams: Readonly<Record<string, string>>,
): string {
  const normalizedMethod = normalizeMethod(method);
  const requestPairs: EncodedPair[] = [];
  const encodedBaseUri = readBaseStringUrl(url, requestPairs);
  if (form !== undefined) {
    const formStart = requestPairs.length;
    addFormParameters(form, requestPairs);
    encodePairsAgain(requestPairs, formStart);
  }
  const protocolPairs: EncodedPair[] = [];
  for (const name of Object.keys(oauthParams)) {
    if (name === 'oauth_signature' || name === 'realm') continue;
    const value = oauthParams[name];
    if (typeof value !== 'string') {
      throw new OAuth1Error(
        OAuth1ErrorCode.InvalidParameter,
        `Protocol parameter "${name}" must be a string.`,
      );
    }
    protocolPairs.push([encodeAgain(percentEncode(name)), encodeAgain(percentEncode(value))]);
  }
  return joinBaseString(
    normalizedMethod,
    encodedBaseUri,
    sortEncodedPairs(requestPairs),
    sortEncodedPairs(protocolPairs),
  );
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
  return baseStringFromRecord(input.method, input.url, input.form, input.oauthParams);
}
