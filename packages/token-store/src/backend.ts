// The contract between the store (encryption, owner scoping, safe refresh) and a storage
// backend (memory, SQLite, PostgreSQL, Redis). Backends see only ciphertext and the few plain
// fields the algorithms need; they never see a token.

/** What a record holds: an OAuth 1.0a pair or an OAuth 2.0 token set. Bound into the AAD. */
export type RecordKind = 'oauth1' | 'oauth2';

/** `needs_reauth`: the grant is dead (refresh token spent or revoked); the row is kept. */
export type RecordStatus = 'active' | 'needs_reauth';

/** Identifies one record: one per (app, user). `appId` and `userId` are never secret. */
export interface RecordOwner {
  readonly appId: string;
  readonly userId: string;
}

/** One row as a backend stores it. */
export interface StoredRow extends RecordOwner {
  readonly kind: RecordKind;
  /** Grows by one on every write (1 for the first); compare-and-swap guards on it. */
  readonly version: number;
  readonly status: RecordStatus;
  /** Id of the key that encrypted `ciphertext` (also inside the ciphertext's header). */
  readonly keyId: string;
  /** The versioned AES-256-GCM envelope (see crypto/envelope.ts); text, safe for any store. */
  readonly ciphertext: string;
  /** OAuth 2.0 access-token expiry in ms since the epoch (not secret), or null for OAuth 1.0a. */
  readonly expiresAt: number | null;
  /** When the row was written, in ms since the epoch (the store's clock). */
  readonly updatedAt: number;
}

/** A held cross-process lock; `release` is idempotent and only releases this holder's lock. */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * A storage backend. Every method is scoped to one owner, except the two maintenance ones
 * (`scanRows` for key rotation and `close`). Implementations must be safe to use from many
 * processes at once.
 */
export interface TokenBackend {
  /** A short name for errors and benchmarks: 'memory', 'sqlite', 'postgres', 'redis'. */
  readonly name: string;

  /** The owner's row, or undefined. */
  read(owner: RecordOwner): Promise<StoredRow | undefined>;

  /**
   * Writes `row` only if the stored version is still `expectedVersion` (0 = no row yet, so
   * insert), in one atomic statement, so a row is never torn and never rolled back. `row.version`
   * is `expectedVersion + 1`. Resolves false (and writes nothing) when the version moved.
   */
  compareAndSwap(row: StoredRow, expectedVersion: number): Promise<boolean>;

  /** Deletes the owner's row if its version is still `expectedVersion`; false otherwise. */
  delete(owner: RecordOwner, expectedVersion: number): Promise<boolean>;

  /**
   * Takes the owner's refresh lock, waiting up to `waitMs` for it (then rejects with a typed
   * timeout error). The lock frees itself after `ttlMs` if its holder dies (PostgreSQL: with
   * the session; Redis: `SET NX PX` released by a token-checked script; SQLite: a lease row
   * taken by compare-and-swap, never a busy wait that blocks the event loop).
   */
  acquireRefreshLock(
    owner: RecordOwner,
    options: { ttlMs: number; waitMs: number },
  ): Promise<HeldLock>;

  /** Every row, in pages, for key rotation (a maintenance path that is not owner-scoped). */
  scanRows(options?: { pageSize?: number }): AsyncIterable<StoredRow>;

  /** Adds `count` to the number of encryptions made under `keyId`, and returns the new total. */
  addKeyUsage(keyId: string, count: number): Promise<number>;

  /** Releases connections, file handles and timers. */
  close(): Promise<void>;
}
