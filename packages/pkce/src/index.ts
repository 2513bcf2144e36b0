export { constantTimeEqual } from '@x-oauth/internal';
export {
  type Authorization,
  type CreateAuthorizationOptions,
  createAuthorization,
} from './authorization.js';
export { handleCallback, isTransactionConsumed } from './callback.js';
export {
  type CodeChallengeMethod,
  computeCodeChallenge,
  generateCodeVerifier,
  isValidCodeVerifier,
} from './code-challenge.js';
export { endpointsFromBaseUrl, type OAuth2Endpoints, X_ENDPOINTS } from './endpoints.js';
export {
  isDeadGrant,
  isPkceError,
  isRetryable,
  PkceError,
  PkceErrorCode,
  type PkceErrorDetails,
} from './errors.js';
export {
  type AuthorizationCodeGrantRequestOptions,
  authorizationCodeGrantRequest,
  type ExchangeCodeOptions,
  exchangeCode,
} from './exchange-code.js';
export {
  type RefreshTokenGrantRequestOptions,
  type RefreshTokenOptions,
  refreshToken,
  refreshTokenGrantRequest,
} from './refresh-token.js';
export {
  processRevocationResponse,
  type RevokeTokenOptions,
  revocationRequest,
  revokeToken,
  type TokenTypeHint,
} from './revoke-token.js';
export {
  type GrantedScope,
  isXScope,
  parseScopeString,
  validateScopes,
  X_SCOPES,
  type XScope,
} from './scopes.js';
export {
  importSealingKey,
  type OpenOptions,
  openValue,
  type SealingKey,
  type SealOptions,
  sealValue,
} from './seal.js';
export { openTransaction, sealTransaction } from './seal-transaction.js';
export { type ProcessTokenResponseOptions, processTokenResponse } from './token-response.js';
export {
  canRefresh,
  isExpired,
  type StorableTokenSet,
  TokenSet,
  type TokenSetFields,
  tokenSetFromStorable,
  tokenSetToStorable,
} from './token-set.js';
export {
  type StorableTransaction,
  transactionFromStorable,
  transactionToStorable,
} from './transaction.js';
export type {
  Clock,
  OAuth2Client,
  PendingTransaction,
  RandomSource,
  RequestOptions,
} from './types.js';
