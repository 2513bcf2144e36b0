// Public API of @x-oauth/bearer: exports only.

export type { FetchLike, KeyAndSecret } from '@x-oauth/internal';
export { checkAppOnlyResponse, parseAppOnlyError } from './app-only-response.js';
export { bearerAuthorization } from './bearer-authorization.js';
export { DEFAULT_BASE_URL } from './endpoints.js';
export {
  BearerError,
  BearerErrorCode,
  type BearerErrorDetails,
  isBearerError,
} from './errors.js';
export {
  type InvalidateBearerTokenOptions,
  type InvalidationAuthentication,
  invalidateBearerToken,
  invalidateBearerTokenRequest,
  processInvalidateBearerTokenResponse,
} from './invalidate-token.js';
export {
  BearerTokenProvider,
  type BearerTokenProviderOptions,
  type InvalidateOptions,
} from './token-provider.js';
export {
  type BearerTokenRequestOptions,
  bearerTokenRequest,
  obtainBearerToken,
  processBearerTokenResponse,
} from './token-request.js';
export type { CallOptions, TransportOptions } from './types.js';
