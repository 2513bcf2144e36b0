import { assertRealm } from './authorization-header.js';
import {
  encodePairsAgain,
  joinBaseString,
  joinBaseStringAroundRun,
  normalizeMethod,
  sortEncodedPairs,
} from './base-string.js';
import type { CryptoBackend } from './crypto-backend.js';
import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { addFormParameters, serializeForm } from './form.js';
import type { EncodedPair } from './form-decoding.js';
import { encodeAgain, percentEncode } from './percent-encode.js';
import { readBaseStringUrl } from './request-url.js';
import { SignedOAuthRequest } from './signed-request.js';
import { createSigningCredentialsCache, type SigningCredentials } from './signing-credentials.js';
import type { SignedRequest, SignRequestOptions } from './types.js';

// Base64 holds only A-Z a-z 0-9 + / =, so percent-encoding it is three replacements.
function encodeBase64(base64: string): string {
  let out = '';
  let start = 0;
  for (let index = 0; index < base64.length; index++) {
    const code = base64.charCodeAt(index);
    if (code === 0x2b || code === 0x2f || code === 0x3d) {
      out += `${base64.slice(start, index)}${code === 0x2b ? '%2B' : code === 0x2f ? '%2F' : '%3D'}`;
      start = index + 1;
    }
  }
  return start === 0 ? base64 : out + base64.slice(start);
}

/** Signs one request; see {@link SignRequestOptions}. */
export type SignRequest = (options: SignRequestOptions) => Promise<SignedRequest>;

function optionalText(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidParameter,
      `\`${name}\` must be a non-empty string when given.`,
    );
  }
  return value;
}

function givenTimestamp(timestamp: number | string): string {
  const text =
    typeof timestamp === 'number' && Number.isSafeInteger(timestamp)
      ? String(timestamp)
      : timestamp;
  if (typeof text !== 'string' || !/^[0-9]{1,15}$/.test(text)) {
    throw new OAuth1Error(
      OAuth1ErrorCode.InvalidParameter,
      '`timestamp` must be whole seconds since the epoch (a non-negative integer or a string of digits).',
    );
  }
  return text;
}

// The current second as text, remade only when the second changes.
let currentSecond = -1;
let currentSecondText = '';
function timestampNow(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== currentSecond) {
    currentSecond = second;
    currentSecondText = String(second);
  }
  return currentSecondText;
}

/** The protocol parameters in name order, so they need no sorting (RFC 5849 §3.4.1.3.2). */
function protocolPairs(
  credentials: SigningCredentials<unknown>,
  callback: string | undefined,
  nonce: string,
  timestamp: string,
  verifier: string | undefined,
): EncodedPair[] {
  // The values come percent-encoded once, as in the header.
  const pairs: EncodedPair[] = [];
  if (callback !== undefined) pairs.push(['oauth_callback', encodeAgain(callback)]);
  pairs.push(
    ['oauth_consumer_key', credentials.consumerKey.baseString],
    ['oauth_nonce', nonce],
    ['oauth_signature_method', 'HMAC-SHA1'],
    ['oauth_timestamp', timestamp],
  );
  if (credentials.tokenKey !== undefined) {
    pairs.push(['oauth_token', credentials.tokenKey.baseString]);
  }
  if (verifier !== undefined) pairs.push(['oauth_verifier', encodeAgain(verifier)]);
  pairs.push(['oauth_version', '1.0']);
  return pairs;
}

/**
 * Makes `signRequest` over a crypto backend. The package entry points bind it to Web Crypto
 * or, on Node, to `node:crypto`.
 */
export function createRequestSigner<PreparedKey>(backend: CryptoBackend<PreparedKey>): SignRequest {
  const signingCredentials = createSigningCredentialsCache((key) => backend.prepareKey(key));

  return async function signRequest(options: SignRequestOptions): Promise<SignedRequest> {
    if (typeof options !== 'object' || options === null) {
      throw new OAuth1Error(
        OAuth1ErrorCode.InvalidParameter,
        'signRequest expects an options object.',
      );
    }
    const { token } = options;
    const credentials = signingCredentials(options.consumer, token);
    const method = normalizeMethod(options.method);
    // Request parameters, encoded twice as the base string holds them (same sort order).
    const requestPairs: EncodedPair[] = [];
    const encodedBaseUri = readBaseStringUrl(options.url, requestPairs);
    const realm = options.realm;
    if (realm !== undefined) assertRealm(realm);
    let body: string | undefined;
    if (options.form !== undefined) {
      const formStart = requestPairs.length;
      addFormParameters(options.form, requestPairs);
      body =
        typeof options.form === 'string' ? options.form : serializeForm(requestPairs, formStart);
      encodePairsAgain(requestPairs, formStart);
    }
    sortEncodedPairs(requestPairs);

    const callbackText = optionalText(options.callback, 'callback');
    const givenNonce = optionalText(options.nonce, 'nonce');
    const verifierText = optionalText(options.verifier, 'verifier');
    const callbackInHeader = callbackText === undefined ? undefined : percentEncode(callbackText);
    const verifierInHeader = verifierText === undefined ? undefined : percentEncode(verifierText);
    const nonceText = givenNonce ?? backend.createNonce();
    // A generated nonce is hex, which needs no encoding.
    const nonceInHeader = givenNonce === undefined ? nonceText : percentEncode(nonceText);
    const nonceInBaseString = encodeAgain(nonceInHeader);
    const timestamp =
      options.timestamp === undefined ? timestampNow() : givenTimestamp(options.timestamp);
    // Most requests carry neither callback nor verifier: their protocol parameters are one run
    // of text, most of it made once per credentials.
    const run =
      callbackText === undefined && verifierText === undefined
        ? credentials.protocolRun
        : undefined;
    const baseString =
      (run &&
        joinBaseStringAroundRun(
          method,
          encodedBaseUri,
          requestPairs,
          `${run.baseStringHead}${nonceInBaseString}%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D${timestamp}${run.baseStringTail}`,
        )) ??
      joinBaseString(
        method,
        encodedBaseUri,
        requestPairs,
        protocolPairs(
          credentials,
          callbackInHeader,
          nonceInBaseString,
          timestamp,
          verifierInHeader,
        ),
      );

    const computed =
      credentials.preparedKey === undefined
        ? backend.hmacSha1Base64(credentials.signingKey, baseString)
        : backend.hmacSha1Base64WithPreparedKey(credentials.preparedKey, baseString);
    // node:crypto answers synchronously: skip the extra microtask of awaiting a string.
    const signature = typeof computed === 'string' ? computed : await computed;

    // The header lists the same parameters in the same order, oauth_signature in its place.
    let authorization = realm === undefined ? 'OAuth ' : `OAuth realm="${realm}", `;
    const signatureAndTimestamp = `", oauth_signature="${encodeBase64(signature)}", oauth_signature_method="HMAC-SHA1", oauth_timestamp="${timestamp}"`;
    if (run !== undefined) {
      authorization += `${run.headerHead}${nonceInHeader}${signatureAndTimestamp}${run.headerTail}`;
    } else {
      const { consumerKey, tokenKey } = credentials;
      if (callbackInHeader !== undefined) authorization += `oauth_callback="${callbackInHeader}", `;
      authorization += `oauth_consumer_key="${consumerKey.header}", oauth_nonce="${nonceInHeader}${signatureAndTimestamp}`;
      if (tokenKey !== undefined) authorization += `, oauth_token="${tokenKey.header}"`;
      if (verifierInHeader !== undefined) authorization += `, oauth_verifier="${verifierInHeader}"`;
      authorization += ', oauth_version="1.0"';
    }

    const params: Record<string, string> = {};
    if (callbackText !== undefined) params.oauth_callback = callbackText;
    params.oauth_consumer_key = options.consumer.key;
    params.oauth_nonce = nonceText;
    params.oauth_signature = signature;
    params.oauth_signature_method = 'HMAC-SHA1';
    params.oauth_timestamp = timestamp;
    if (token !== undefined) params.oauth_token = token.key;
    if (verifierText !== undefined) params.oauth_verifier = verifierText;
    params.oauth_version = '1.0';

    return new SignedOAuthRequest({ authorization, signature, baseString, params, body });
  };
}
