// The OAuth 2.0 PKCE flow and app-only token calls from the layers below, re-exported so an
// app needs only `@x-oauth/client`.
export {
  BearerTokenProvider,
  type BearerTokenProviderOptions,
  invalidateBearerToken,
  obtainBearerToken,
} from '@x-oauth/bearer';
export {
  type Authorization as PkceAuthorization,
  type CreateAuthorizationOptions,
  canRefresh,
  createAuthorization,
  endpointsFromBaseUrl,
  exchangeCode,
  handleCallback,
  isDeadGrant,
  isExpired,
  type OAuth2Client,
  type OAuth2Endpoints,
  openTransaction,
  type PendingTransaction,
  PkceError,
  refreshToken,
  revokeToken,
  type SealingKey,
  type StorableTokenSet,
  sealTransaction,
  TokenSet,
  tokenSetFromStorable,
  tokenSetToStorable,
  X_SCOPES,
  type XScope,
} from '@x-oauth/pkce';
