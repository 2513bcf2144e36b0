import { assertRealm } from './authorization-header.js';
import { joinBaseString, normalizeMethod, sortEncodedPairs } from './base-string.js';
import type { CryptoBackend } from './crypto-backend.js';
import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { addFormParameters, serializeForm } from './form.js';
import { addFormEncodedParameters, type EncodedPair } from './form-decoding.js';
import { percentEncode } from './percent-encode.js';
import { toSignableUrl } from './request-url.js';
import { SignedOAuthRequest } from './signed-request.js';
import type { Credentials, SignedRequest, SignRequestOptions } from './types.js';

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

function invalidCredentials(problem: string): OAuth1Error {
  return new OAuth1Error(OAuth1ErrorCode.InvalidCredentials, problem);
}

function checkCredentials(credentials: Credentials | undefined, which: 'consumer' | 'token'): void {
  const hint =
    which === 'consumer'
      ? "the app's API Key and Secret from the developer portal"
      : "the user's access token and secret (or the request token and its secret)";
  if (typeof credentials !== 'object' || credentials === null) {
    throw invalidCredentials(`\`${which}\` must be { key, secret }: ${hint}.`);
  }
  if (typeof credentials.key !== 'string' || credentials.key.length === 0) {
    throw invalidCredentials(`\`${which}.key\` is missing or not a string; pass ${hint}.`);
  }
  if (
    typeof credentials.secret !== 'string' ||
    (which === 'consumer' && credentials.secret.length === 0)
  ) {
    throw invalidCredentials(`\`${which}.secret\` is missing or not a string; pass ${hint}.`);
  }
}

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

function timestampText(timestamp: number | string | undefined): string {
  if (timestamp === undefined) return String(Math.floor(Date.now() / 1000));
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

/** The signing key of RFC 5849 §3.4.2: both secrets encoded and joined by `&`. */
function signingKey(consumer: Credentials, token: Credentials | undefined): string {
  return `${percentEncode(consumer.secret)}&${token === undefined ? '' : percentEncode(token.secret)}`;
}

/**
 * Makes `signRequest` over a crypto backend. The package entry points bind it to Web Crypto
 * or, on Node, to `node:crypto`.
 */
export function createRequestSigner(backend: CryptoBackend): SignRequest {
  return async function signRequest(options: SignRequestOptions): Promise<SignedRequest> {
    if (typeof options !== 'object' || options === null) {
      throw new OAuth1Error(
        OAuth1ErrorCode.InvalidParameter,
        'signRequest expects an options object.',
      );
    }
    const { consumer, token } = options;
    checkCredentials(consumer, 'consumer');
    if (token !== undefined) checkCredentials(token, 'token');
    const method = normalizeMethod(options.method);
    const { baseUri, query } = toSignableUrl(options.url);
    const realm = options.realm;
    if (realm !== undefined) assertRealm(realm);

    const requestPairs: EncodedPair[] = [];
    addFormEncodedParameters(query, requestPairs);
    let body: string | undefined;
    if (options.form !== undefined) {
      const formStart = requestPairs.length;
      addFormParameters(options.form, requestPairs);
      body =
        typeof options.form === 'string' ? options.form : serializeForm(requestPairs, formStart);
    }
    sortEncodedPairs(requestPairs);

    // Protocol parameters, built in name order so they need no sorting (RFC 5849 §3.4.1.3.2).
    const callback = optionalText(options.callback, 'callback');
    const givenNonce = optionalText(options.nonce, 'nonce');
    const nonce = givenNonce ?? backend.createNonce();
    const timestamp = timestampText(options.timestamp);
    const verifier = optionalText(options.verifier, 'verifier');
    const protocolPairs: EncodedPair[] = [];
    if (callback !== undefined) protocolPairs.push(['oauth_callback', percentEncode(callback)]);
    protocolPairs.push(['oauth_consumer_key', percentEncode(consumer.key)]);
    // A generated nonce is hex, which needs no encoding.
    protocolPairs.push(['oauth_nonce', givenNonce === undefined ? nonce : percentEncode(nonce)]);
    protocolPairs.push(['oauth_signature_method', 'HMAC-SHA1']);
    protocolPairs.push(['oauth_timestamp', timestamp]);
    if (token !== undefined) protocolPairs.push(['oauth_token', percentEncode(token.key)]);
    if (verifier !== undefined) protocolPairs.push(['oauth_verifier', percentEncode(verifier)]);
    protocolPairs.push(['oauth_version', '1.0']);

    const baseString = joinBaseString(method, baseUri, requestPairs, protocolPairs);
    const computed = backend.hmacSha1Base64(signingKey(consumer, token), baseString);
    // node:crypto answers synchronously: skip the extra microtask of awaiting a string.
    const signature = typeof computed === 'string' ? computed : await computed;
    const encodedSignature = encodeBase64(signature);

    // The header lists the same pairs in the same order, oauth_signature in its sorted place.
    let authorization = realm === undefined ? 'OAuth ' : `OAuth realm="${realm}", `;
    const params: Record<string, string> = {};
    if (callback !== undefined) params.oauth_callback = callback;
    params.oauth_consumer_key = consumer.key;
    params.oauth_nonce = nonce;
    params.oauth_signature = signature;
    params.oauth_signature_method = 'HMAC-SHA1';
    params.oauth_timestamp = timestamp;
    if (token !== undefined) params.oauth_token = token.key;
    if (verifier !== undefined) params.oauth_verifier = verifier;
    params.oauth_version = '1.0';
    for (let index = 0; index < protocolPairs.length; index++) {
      const [name, value] = protocolPairs[index] as EncodedPair;
      if (name === 'oauth_signature_method')
        authorization += `oauth_signature="${encodedSignature}", `;
      authorization += `${name}="${value}"${index === protocolPairs.length - 1 ? '' : ', '}`;
    }

    return new SignedOAuthRequest({ authorization, signature, baseString, params, body });
  };
}
