// better-sqlite3 is synchronous: while SQLite's busy handler waits for another process's write
// lock, the whole event loop waits with it. So the busy timeout stays small (a few ms covers
// one short write by another process), and longer contention is waited out here, with timers,
// so other requests keep running. The refresh lock never relies on either: it is a lease row.

import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';

/** How long, in total, a statement is retried on SQLITE_BUSY before failing. */
export const DEFAULT_BUSY_RETRY_MS = 5_000;

/** True for SQLite's "another connection holds the lock" errors, which are worth retrying. */
export function isSqliteBusy(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = error.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code === 'SQLITE_LOCKED');
}

/**
 * Resolves after `ms` milliseconds. The timer is not unref'd: a script waiting for a lock or a
 * busy database must stay alive until it has its answer.
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `statement` and retries it on SQLITE_BUSY with an async, jittered backoff until
 * `retryMs` has passed; any other error is turned into a `TOKEN_STORE_BACKEND_ERROR`.
 *
 * The first attempt runs at once: its result comes back as it is, and any error but busy is
 * thrown at once, so the common case costs no promise. Only the retries are a promise. Call it
 * from an async function, where `await` takes either and a throw becomes a rejection.
 * `beforeRetry` runs before each retry (not the first attempt): it may throw to stop them,
 * for example when the database was closed while a retry waited.
 */
export function withBusyRetry<T>(
  operation: string,
  retryMs: number,
  statement: () => T,
  beforeRetry?: () => void,
): T | Promise<T> {
  try {
    return statement();
  } catch (error) {
    if (!isSqliteBusy(error)) throw toSqliteBackendError(operation, error);
    return retryWhileBusy(operation, retryMs, statement, error, beforeRetry);
  }
}

// After a first attempt failed with `busyError`: waits, then retries `statement` with a
// jittered backoff until `retryMs` has passed.
async function retryWhileBusy<T>(
  operation: string,
  retryMs: number,
  statement: () => T,
  busyError: unknown,
  beforeRetry: (() => void) | undefined,
): Promise<T> {
  const deadline = performance.now() + retryMs;
  let delay = 2;
  let lastError = busyError;
  for (;;) {
    const remaining = deadline - performance.now();
    if (remaining <= 0) throw toSqliteBackendError(operation, lastError);
    await sleep(Math.min(remaining, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 2, 50);
    beforeRetry?.();
    try {
      return statement();
    } catch (error) {
      if (!isSqliteBusy(error)) throw toSqliteBackendError(operation, error);
      lastError = error;
    }
  }
}

/**
 * Wraps a driver error in a `TOKEN_STORE_BACKEND_ERROR`. SQLite's messages name tables and
 * constraints, never values, so the message is kept; a `TokenStoreError` passes through.
 */
export function toSqliteBackendError(operation: string, error: unknown): TokenStoreError {
  if (error instanceof TokenStoreError) return error;
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return new TokenStoreError(
    TokenStoreErrorCode.BackendError,
    `SQLite ${operation} failed${code === undefined ? '' : ` (${code})`}: ${detail}`,
    { cause: error, causeCode: code, retryable: isSqliteBusy(error) || code === 'SQLITE_IOERR' },
  );
}
