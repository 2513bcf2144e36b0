/**
 * Stable codes of {@link TokenStoreError}. Switch on these, never on messages.
 */
export const TokenStoreErrorCode = {
  /** The store, keyring or backend configuration is missing or malformed. */
  InvalidConfig: 'TOKEN_STORE_INVALID_CONFIG',
  /** An argument is malformed: an app or user id, a token set, credentials, a version. */
  InvalidArgument: 'TOKEN_STORE_INVALID_ARGUMENT',
  /** A row was encrypted under a key id the keyring does not hold (add the old key back). */
  UnknownKeyId: 'TOKEN_STORE_UNKNOWN_KEY_ID',
  /** Authentication failed: wrong key, tampered ciphertext, or a row copied to another owner or kind. */
  DecryptionFailed: 'TOKEN_STORE_DECRYPTION_FAILED',
  /** A row is not in the store's format (bad envelope, bad JSON inside, mismatched fields). */
  CorruptRow: 'TOKEN_STORE_CORRUPT_ROW',
  /** The row's version moved since it was read (compare-and-swap lost): read again. */
  VersionConflict: 'TOKEN_STORE_VERSION_CONFLICT',
  /** The owner has no record. */
  NotFound: 'TOKEN_STORE_NOT_FOUND',
  /** The record holds the other kind (OAuth 1.0a where OAuth 2.0 was expected, or the reverse). */
  WrongKind: 'TOKEN_STORE_WRONG_KIND',
  /** The grant is dead (refresh token spent or revoked): send the user through authorization. */
  NeedsReauth: 'TOKEN_STORE_NEEDS_REAUTH',
  /** The owner's refresh lock stayed taken longer than the wait allowed. Retryable. */
  LockTimeout: 'TOKEN_STORE_LOCK_TIMEOUT',
  /** The backend failed (connection, I/O, closed). Usually retryable. */
  BackendError: 'TOKEN_STORE_BACKEND_ERROR',
  /** The refresh callback failed without proving the grant dead (network, 5xx, 429, timeout...). */
  RefreshFailed: 'TOKEN_STORE_REFRESH_FAILED',
} as const;

/** One of the values of {@link TokenStoreErrorCode}. */
export type TokenStoreErrorCode = (typeof TokenStoreErrorCode)[keyof typeof TokenStoreErrorCode];

// Symbol.for: the same symbol in every copy of this module.
const BRAND = Symbol.for('@x-oauth/token-store/TokenStoreError');

/** What a {@link TokenStoreError} may carry besides its code and message. */
export interface TokenStoreErrorDetails {
  /** True when the same call may succeed later (lock timeout, backend outage, network). */
  retryable?: boolean | undefined;
  /** The underlying error (a driver error, a `PkceError` from the refresh callback). */
  cause?: unknown;
  /** The `code` of the underlying error when it had one (e.g. `PKCE_RATE_LIMITED`). */
  causeCode?: string | undefined;
  /** The key id concerned, for `TOKEN_STORE_UNKNOWN_KEY_ID` (key ids are not secret). */
  keyId?: string | undefined;
}

/**
 * The one error class of this package. Its message says what was wrong and what to do; it
 * never contains a token, a secret, a key or a ciphertext, so it can be logged as is.
 */
export class TokenStoreError extends Error {
  /**
   * `instanceof` by brand, not by prototype: tsup bundles each entry point on its own, so the
   * SQLite, PostgreSQL and Redis entries carry their own copy of this class, and their errors
   * must still be `instanceof` the one the main entry exports (and the store checks).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && Reflect.get(value, BRAND) === true;
  }

  /** Stable, machine-readable reason; see {@link TokenStoreErrorCode}. */
  readonly code: TokenStoreErrorCode;
  /** True when retrying the same call later may succeed. */
  readonly retryable: boolean;
  /** The `code` of the underlying error, when it had a string one. */
  readonly causeCode: string | undefined;
  /** The key id concerned, when there is one. */
  readonly keyId: string | undefined;

  constructor(code: TokenStoreErrorCode, message: string, details: TokenStoreErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TokenStoreError';
    this.code = code;
    this.retryable = details.retryable ?? false;
    this.causeCode = details.causeCode ?? codeOf(details.cause);
    this.keyId = details.keyId;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * True when `error` is a {@link TokenStoreError}, with the given code when one is given.
 *
 * @example if (isTokenStoreError(error, TokenStoreErrorCode.NeedsReauth)) redirectToLogin();
 */
export function isTokenStoreError(
  error: unknown,
  code?: TokenStoreErrorCode,
): error is TokenStoreError {
  return error instanceof TokenStoreError && (code === undefined || error.code === code);
}

/** The string `code` of an error-like value (driver errors, PkceError), if any. */
export function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
