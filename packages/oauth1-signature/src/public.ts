// Everything that does not depend on the crypto backend; both entry points re-export it.

export { constantTimeEqual, type KeyAndSecret } from '@x-oauth/internal';
export { formatAuthorizationHeader, parseAuthorizationHeader } from './authorization-header.js';
export { type BaseStringInput, buildBaseString, normalizeParameters } from './base-string.js';
export { isOAuth1Error, OAuth1Error, OAuth1ErrorCode } from './errors.js';
export { createMemoryNonceCache, type MemoryNonceCacheOptions } from './memory-nonce-cache.js';
export { percentEncode } from './percent-encode.js';
export type { SignRequest } from './sign.js';
export { SignedOAuthRequest } from './signed-request.js';
export type {
  FormInput,
  NonceCache,
  ParsedAuthorizationHeader,
  RejectedRequest,
  SecretLookup,
  SignedRequest,
  SignRequestOptions,
  VerifiedRequest,
  VerifyFailureReason,
  VerifyRequestOptions,
  VerifyResult,
} from './types.js';
export type { VerifyRequest } from './verify.js';
