import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import type { EncodedPair } from './form.js';
import { formParameters } from './form.js';
import { encodeAgain, percentEncode } from './percent-encode.js';
import { readRequestUrl } from './request-url.js';
import type { FormInput } from './types.js';

const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Upper-cases and checks an HTTP method (RFC 5849 §3.4.1.1, item 1). */
export function normalizeMethod(method: string): string {
  if (typeof method !== 'string' || !HTTP_TOKEN.test(method)) {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidMethod,
      'The HTTP method must be a token such as "GET" or "POST".',
    );
  }
  return method.toUpperCase();
}

// Encoded text is ASCII, so comparing code units is comparing bytes.
function byNameThenValue([nameA, valueA]: EncodedPair, [nameB, valueB]: EncodedPair): number {
  if (nameA !== nameB) return nameA < nameB ? -1 : 1;
  if (valueA !== valueB) return valueA < valueB ? -1 : 1;
  return 0;
}

/**
 * RFC 5849 §3.4.1.3.2 on pairs already percent-encoded: sort by name, then value, in byte
 * order, and join as `name=value` with `&`.
 */
function joinNormalized(pairs: EncodedPair[]): string {
  return pairs
    .sort(byNameThenValue)
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

/**
 * Normalizes decoded parameters (RFC 5849 §3.4.1.3.2): encode each name and value, sort by
 * name then value in byte order, join as `name=value` with `&`.
 */
export function normalizeParameters(pairs: ReadonlyArray<readonly [string, string]>): string {
  return joinNormalized(
    pairs.map(([name, value]): EncodedPair => [percentEncode(name), percentEncode(value)]),
  );
}

/**
 * The protocol parameters (RFC 5849 §3.1) as the base string and the header carry them: each
 * name and value percent-encoded (§3.6), `oauth_signature` and `realm` left out (§3.4.1.3.1).
 * Signing encodes them once and uses the pairs for both.
 */
export function encodeProtocolParameters(
  oauthParams: Readonly<Record<string, string>>,
): EncodedPair[] {
  const pairs: EncodedPair[] = [];
  for (const name of Object.keys(oauthParams)) {
    if (name === 'oauth_signature' || name === 'realm') continue;
    const value = oauthParams[name];
    if (typeof value !== 'string') {
      throw new OAuth1Error(
        OAuth1ErrorCode.InvalidParameter,
        `Protocol parameter "${name}" must be a string.`,
      );
    }
    pairs.push([percentEncode(name), percentEncode(value)]);
  }
  return pairs;
}

/**
 * The signature base string of RFC 5849 §3.4.1, the one code path signing and verifying share:
 * 1. the method, upper-cased (§3.4.1.1);
 * 2. the base string URI: scheme and host lower-cased, default port dropped (§3.4.1.2);
 * 3. the parameters (§3.4.1.3): the query's, then the form body's and the protocol ones
 *    (from {@link formParameters} and {@link encodeProtocolParameters}), each
 *    percent-encoded, sorted and joined (§3.4.1.3.2);
 * each part percent-encoded and the three joined with `&`.
 */
export function signatureBaseString(
  method: string,
  url: string | URL,
  bodyAndProtocolParameters: readonly EncodedPair[],
): string {
  const normalizedMethod = normalizeMethod(method);
  const pairs: EncodedPair[] = [];
  const baseUri = readRequestUrl(url, pairs);
  pairs.push(...bodyAndProtocolParameters);
  // §3.4.1.1: each part percent-encoded once more. The parameters already are, so encoding
  // them again turns only their `%` into `%25`, and the `=` and `&` that join them.
  const parameters = pairs
    .sort(byNameThenValue)
    .map(([name, value]) => `${encodeAgain(name)}%3D${encodeAgain(value)}`)
    .join('%26');
  return `${normalizedMethod}&${percentEncode(baseUri)}&${parameters}`;
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
  return signatureBaseString(input.method, input.url, [
    ...formParameters(input.form),
    ...encodeProtocolParameters(input.oauthParams),
  ]);
}
