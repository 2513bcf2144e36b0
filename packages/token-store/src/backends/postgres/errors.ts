// Driver errors become TOKEN_STORE_BACKEND_ERROR. PostgreSQL's primary messages name tables,
// columns and constraints, but its DETAIL can quote a whole failing row (a ciphertext), so only
// the SQLSTATE and the primary message are kept, and the driver error is not attached.

import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';

/** SQLSTATE classes worth retrying: connection exceptions, serialization failures, resources, shutdown. */
const RETRYABLE_SQLSTATE_CLASSES = new Set(['08', '40', '53', '57']);
const RETRYABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The SQLSTATE or Node error code of a driver error, if it has one. */
export function postgresErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/** True when the same statement may succeed later (connection lost, server restarting...). */
export function isRetryablePostgresError(error: unknown): boolean {
  const code = postgresErrorCode(error);
  if (code === undefined) {
    // node-postgres reports a dropped connection with a plain Error and no code.
    return error instanceof Error && /Connection terminated|not queryable/i.test(error.message);
  }
  return RETRYABLE_NODE_CODES.has(code) || RETRYABLE_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/** Wraps a driver error (a `TokenStoreError` passes through unchanged). */
export function toPostgresBackendError(operation: string, error: unknown): TokenStoreError {
  if (error instanceof TokenStoreError) return error;
  const code = postgresErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  return new TokenStoreError(
    TokenStoreErrorCode.BackendError,
    `PostgreSQL ${operation} failed${code === undefined ? '' : ` (${code})`}: ${message}`,
    { causeCode: code, retryable: isRetryablePostgresError(error) },
  );
}
