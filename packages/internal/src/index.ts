export {
  decodeBase64,
  decodeBase64Loose,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Url,
} from './base64.js';
export { encodeBasicCredentials } from './basic-credentials.js';
export { constantTimeEqual } from './constant-time.js';
export { codeOf, isXOAuthError, XOAuthError, type XOAuthErrorDetails } from './error.js';
export { parseHttpDate } from './http-date.js';
export { describeRedacted, hideSecrets, inspectSymbol, REDACTED } from './redact.js';
export {
  type HeaderSource,
  parseRateLimitReset,
  parseRetryAfter,
  readRetryAt,
} from './retry-at.js';
export { isLoopbackHost, isSecureEndpoint } from './secure-endpoint.js';
export { sendOnce, unlessAborted } from './send-once.js';
export { systemErrorCodes } from './system-error.js';
export {
  type CounterLike,
  errorTypeOf,
  type HistogramLike,
  type InstrumentOptions,
  type MeterLike,
  type MeterProviderLike,
  resolveTelemetry,
  SPAN_KIND_CLIENT,
  SPAN_KIND_INTERNAL,
  SPAN_STATUS_ERROR,
  type SpanLike,
  type SpanStartOptions,
  type Telemetry,
  type TelemetryAttributes,
  type TelemetryOptions,
  type TracerLike,
  type TracerProviderLike,
} from './telemetry.js';
export type { FetchLike, KeyAndSecret } from './types.js';
export { problemName, readXErrorBody, type XErrorBody } from './x-error-body.js';
