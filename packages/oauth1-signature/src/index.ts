// Default entry: Web Crypto, for browsers, workers, Deno and Bun. Node resolves ./node.ts.
import { webCryptoBackend } from './crypto-web.js';
import { createRequestSigner, type SignRequest } from './sign.js';
import { createRequestVerifier, type VerifyRequest } from './verify.js';

export * from './public.js';

/**
 * Signs a request with OAuth 1.0a HMAC-SHA1 (RFC 5849 §3.4 and X's "Creating a signature"):
 * query and `application/x-www-form-urlencoded` body parameters are signed, JSON and multipart
 * bodies are not. Resolves to the `Authorization` header value, the signature, the base string,
 * the `oauth_*` parameters and the serialized form body.
 *
 * @example
 * const signed = await signRequest({ method: 'GET', url, consumer, token });
 * await fetch(url, { headers: { authorization: signed.authorization } });
 * @throws {OAuth1Error} with a stable `code` for bad input; its message holds no secret.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.4
 */
export const signRequest: SignRequest = /* @__PURE__ */ createRequestSigner(webCryptoBackend);

/**
 * Server side: verifies an OAuth 1.0a signed request and reports why it fails (bad signature,
 * stale timestamp, reused nonce, unknown consumer or token, malformed header). The signature
 * is compared in constant time.
 * @see https://www.rfc-editor.org/rfc/rfc5849#section-3.2
 */
export const verifyRequest: VerifyRequest = /* @__PURE__ */ createRequestVerifier(webCryptoBackend);
