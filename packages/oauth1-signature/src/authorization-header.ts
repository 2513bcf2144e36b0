import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import type { EncodedPair } from './form.js';
import { percentEncode } from './percent-encode.js';
import type { ParsedAuthorizationHeader } from './types.js';

// realm is a quoted-string (RFC 5849 §3.5.1 defers to RFC 2617); we refuse characters that
// would need escaping rather than escape them, since no server X runs needs them.
const SAFE_REALM = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Checks a realm value before it goes into a header. */
export function assertRealm(realm: string): void {
  if (typeof realm !== 'string' || !SAFE_REALM.test(realm)) {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidParameter,
      '`realm` must be printable ASCII without `"` or `\\`.',
    );
  }
}

/**
 * The header from parameters already percent-encoded: realm first, then the parameters in
 * name order.
 */
export function authorizationHeaderFromEncoded(
  encodedParams: readonly EncodedPair[],
  realm: string | undefined,
): string {
  const parameters = [...encodedParams]
    .sort(([nameA], [nameB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : 0))
    .map(([name, value]) => `${name}="${value}"`);
  if (realm !== undefined) {
    assertRealm(realm);
    parameters.unshift(`realm="${realm}"`);
  }
  return `OAuth ${parameters.join(', ')}`;
}

/**
 * Formats `OAuth realm="…", name="value", …` (RFC 5849 §3.5.1): realm first, then the
 * parameters sorted by name, names and values percent-encoded.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.5.1
 */
export function formatAuthorizationHeader(
  params: Readonly<Record<string, string>>,
  realm?: string,
): string {
  return authorizationHeaderFromEncoded(
    Object.keys(params).map(
      (name): EncodedPair => [percentEncode(name), percentEncode(params[name] as string)],
    ),
    realm,
  );
}

function malformed(problem: string): OAuth1Error {
  return new OAuth1Error(
    OAuth1ErrorCode.InvalidAuthorizationHeader,
    `The Authorization header is not a valid OAuth header: ${problem}. Expected OAuth name="value", name="value".`,
  );
}

const SCHEME = /^\s*OAuth(?:\s+|$)/i;
const PARAMETER = /\s*([A-Za-z0-9_\-.~%]+)\s*=\s*"([^"]*)"\s*(,|$)/y;

function strictDecode(text: string, name: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw malformed(`parameter "${name}" has a malformed percent-encoding`);
  }
}

/**
 * Parses an `Authorization: OAuth …` header value into its realm and percent-decoded
 * parameters. Parameter values are never echoed in errors.
 *
 * @throws {OAuth1Error} `OAUTH1_INVALID_AUTHORIZATION_HEADER` when the scheme is not OAuth,
 *   the syntax is off, or a parameter appears twice.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.5.1
 */
export function parseAuthorizationHeader(header: string): ParsedAuthorizationHeader {
  if (typeof header !== 'string') throw malformed('it is missing');
  const scheme = SCHEME.exec(header);
  if (scheme === null) throw malformed('the scheme is not "OAuth"');
  const params: Record<string, string> = Object.create(null);
  let realm: string | undefined;
  let position = scheme[0].length;
  const seen = new Set<string>();
  while (position < header.length) {
    PARAMETER.lastIndex = position;
    const match = PARAMETER.exec(header);
    if (match === null) throw malformed(`unexpected text at character ${position}`);
    const [whole, rawName, rawValue, separator] = match as unknown as [
      string,
      string,
      string,
      string,
    ];
    position += whole.length;
    const name = strictDecode(rawName, rawName.replace(/[^A-Za-z0-9_]/g, '?'));
    if (seen.has(name)) throw malformed(`parameter "${name}" appears twice`);
    seen.add(name);
    if (name === 'realm') realm = rawValue;
    else params[name] = strictDecode(rawValue, name);
    if (separator === '' && position < header.length)
      throw malformed('parameters must be separated by commas');
  }
  return { realm, params: { ...params } };
}
