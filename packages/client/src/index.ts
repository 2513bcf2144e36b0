// Public API of @x-oauth/client: exports only.

export type {
  KeyAndSecret,
  MeterProviderLike,
  TelemetryOptions,
  TracerProviderLike,
} from '@x-oauth/internal';
export { isXOAuthError } from '@x-oauth/internal';
export { type AppOnlyAuthOptions, appOnlyAuth } from './auth/app-only.js';
export { type OAuth1AuthOptions, oauth1Auth } from './auth/oauth1.js';
export { type OAuth2AuthOptions, oauth2Auth, type TokenSetWriter } from './auth/oauth2.js';
export type {
  AuthContext,
  Authorization,
  AuthorizeRequest,
  AuthStrategy,
  FetchLike,
  UnauthorizedEvent,
} from './auth/strategy.js';
export {
  type ClientHooks,
  type RateLimitOptions,
  type RequestEvent,
  type ResponseEvent,
  XClient,
  type XClientOptions,
  type XResponse,
} from './client.js';
export {
  isXApiError,
  RateLimitError,
  type RateLimitErrorDetails,
  XApiError,
  XApiErrorCode,
  type XApiErrorDetails,
} from './errors.js';
export {
  type AuthorizeUrlOptions,
  authenticateUrl,
  authorizeUrl,
  type GetAccessTokenOptions,
  type GetRequestTokenOptions,
  getAccessToken,
  getRequestToken,
  handleOAuth1Callback,
  type InvalidateOAuth1TokenOptions,
  invalidateOAuth1Token,
  type OAuth1FlowOptions,
} from './flows/oauth1.js';
export { AccessToken, RequestToken } from './flows/oauth1-tokens.js';
export * from './flows/pkce.js';
export { type OpenRequestTokenOptions, openRequestToken, sealRequestToken } from './flows/seal.js';
export { type ParseErrorContext, parseXError } from './parse-error.js';
// For apps that log requests they send themselves (a wire inspector, say) as the hooks do.
export type { HeaderSource, RateLimitHeaders, RateLimitWindow } from './rate-limits/headers.js';
export { parseRateLimitHeaders } from './rate-limits/headers.js';
export {
  createMemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
} from './rate-limits/memory-store.js';
export type { RateLimitPool, RateLimitStore } from './rate-limits/store.js';
export type { RateLimitTake } from './rate-limits/take.js';
export { redactUrl } from './redact.js';
export type { Parameters, ParameterValue, RequestOptions } from './request.js';
export type { RetryOptions, Sleep } from './retry.js';
export { ENDPOINT_SCOPES } from './scopes.js';
