// Public API of @x-oauth/emulator.
export {
  type ConsentChoice,
  type ConsentOutcome,
  completeConsent,
  submitConsent,
} from './consent.js';
export { ENDPOINTS, type EndpointKey } from './endpoints.js';
export { DEFAULT_RATE_LIMITS } from './rate-limits.js';
export { startEmulator } from './start-emulator.js';
export { SEEDED_CALLBACK_URLS } from './state.js';
export { EmulatorCertificateError } from './tls/certificates.js';
export { X_HOST_NAMES } from './tls/hosts.js';
export type {
  AddAppInput,
  AddUserInput,
  AppPermission,
  AuthKind,
  ClientType,
  Emulator,
  EmulatorApp,
  EmulatorOptions,
  EmulatorTlsOptions,
  EmulatorUser,
  FaultKind,
  FaultSpec,
  IssuedOAuth1Token,
  IssuedOAuth2Token,
  RateLimitPoolState,
  RateLimitRule,
  RequestLogEntry,
} from './types.js';
