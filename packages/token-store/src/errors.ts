import { codeOf, XOAuthError, type XOAuthErrorDetails } from '@x-oauth/internal';

// Modules of this package that read an underlying error's code import it from here.
export { codeOf };

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

/** What a {@link TokenStoreError} may carry besides its code and message. */
export interface TokenStoreErrorDetails extends XOAuthErrorDetails {
  /** The `code` of the underlying error when it had one (e.g. `PKCE_RATE_LIMITED`). */
  readonly causeCode?: string | undefined;
  /** The key id concerned, for `TOKEN_STORE_UNKNOWN_KEY_ID` (key ids are not secret). */
  readonly keyId?: string | undefined;
}

function retryAtOf(cause: unknown): Date | undefined {
  if (typeof cause !== 'object' || cause === null) return undefined;
  const retryAt: unknown = Reflect.get(cause, 'retryAt');
  return retryAt instanceof Date ? retryAt : undefined;
}

/**
 * The one error class of this package, with a stable {@link TokenStoreErrorCode},
 * `retryable`, and `retryAt` when the cause (a `PkceError` from the refresh callback, a 429)
 * said when to try again. Its message says what was wrong and what to do; it never contains a
 * token, a secret, a key or a ciphertext, so it can be logged as is. `instanceof` and
 * {@link isTokenStoreError} recognise it across the package's separately bundled entries
 * (the SQLite, PostgreSQL and Redis entries carry their own copy of this class).
 */
export class TokenStoreError extends XOAuthError<TokenStoreErrorCode> {
  static override readonly brand: string = '@x-oauth/token-store/TokenStoreError';

  /** The `code` of the underlying error, when it had a string one. */
  readonly causeCode: string | undefined;
  /** The key id concerned, when there is one. */
  readonly keyId: string | undefined;

  constructor(code: TokenStoreErrorCode, message: string, details: TokenStoreErrorDetails = {}) {
    const retryAt = details.retryAt ?? retryAtOf(details.cause);
    super(code, message, { ...details, retryAt, retryable: details.retryable ?? false });
    this.causeCode = details.causeCode ?? codeOf(details.cause);
    this.keyId = details.keyId;
  }

  /** A plain copy for structured logs: code, message, retry, cause code and key id. */
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), causeCode: this.causeCode, keyId: this.keyId };
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
