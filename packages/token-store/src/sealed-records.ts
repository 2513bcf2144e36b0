// The one place rows meet plaintext: encrypt a payload into a row, decrypt a row into a
// record, and call the backend with its failures typed. The store's handles, the safe refresh
// and rotation all go through here, so each of them writes by compare-and-swap only.

import type { RecordOwner, RecordStatus, StoredRow, TokenBackend } from './backend.js';
import type { StoreConfig } from './config.js';
import { decryptEnvelope, parseEnvelope, sealEnvelope } from './crypto/envelope.js';
import { DecryptionCache } from './decryption-cache.js';
import { TokenStoreError, TokenStoreErrorCode } from './errors.js';
import type { KeyUsageCounter } from './key-usage.js';
import { decodeRecordPayload, encodeRecordPayload, type RecordPayload } from './record-codec.js';
import type { OAuth1Record, OAuth2Record, TokenRecord } from './types.js';

/** A row and what it decrypts to. */
export interface OpenedRow {
  readonly row: StoredRow;
  readonly record: TokenRecord;
}

/** Encrypts, decrypts and writes records by compare-and-swap. */
export class SealedRecords {
  readonly #config: StoreConfig;
  readonly #usage: KeyUsageCounter;
  // Entries are found by their exact ciphertext, so a key retired from a changing keyring
  // serves only envelopes read while it was there (rotate has rewritten those rows since).
  readonly #decrypted: DecryptionCache;

  constructor(config: StoreConfig, usage: KeyUsageCounter) {
    this.#config = config;
    this.#usage = usage;
    this.#decrypted = new DecryptionCache(config.decryptionCacheSize);
  }

  /** The backend, for the lock and maintenance scans. */
  get backend(): TokenBackend {
    return this.#config.backend;
  }

  /** The stored row of `owner`, decrypted, or undefined. */
  async read(owner: RecordOwner): Promise<OpenedRow | undefined> {
    const row = await backendCall(() => this.#config.backend.read(owner));
    return row === undefined ? undefined : { row, record: this.open(row, owner) };
  }

  /**
   * The stored record of `owner`, decrypted, or undefined: `read` for the handles' `get`, the
   * hottest call, so without backendCall's closure and extra await.
   */
  async readRecord(owner: RecordOwner): Promise<TokenRecord | undefined> {
    let row: StoredRow | undefined;
    try {
      row = await this.#config.backend.read(owner);
    } catch (error) {
      throw asBackendError(error);
    }
    return row === undefined ? undefined : this.open(row, owner);
  }

  /**
   * Decrypts a row (or takes what the same envelope decrypted to before, see
   * decryption-cache.ts). The AAD is built from `owner` (what the caller asked for), not from
   * the row's claims, so a row copied under another owner fails authentication.
   */
  open(row: StoredRow, owner: RecordOwner = row): TokenRecord {
    checkRowShape(row, owner);
    const remembered = this.#decrypted.lookup(owner, row.ciphertext, row.keyId, row.kind);
    const payload = remembered ?? this.#decrypt(row, owner);
    const record = recordOf(row, owner, payload);
    if (remembered === undefined) {
      this.#decrypted.remember(owner, row.ciphertext, row.keyId, row.kind, payload);
    }
    return record;
  }

  /** Forgets every remembered decryption (before a key rotation, and on close). */
  forgetDecrypted(): void {
    this.#decrypted.clear();
  }

  #decrypt(row: StoredRow, owner: RecordOwner): RecordPayload {
    const envelope = parseEnvelope(row.ciphertext);
    if (envelope.keyId !== row.keyId) {
      throw corrupt('the key id column differs from the ciphertext header');
    }
    const aad = { appId: owner.appId, userId: owner.userId, kind: row.kind };
    let keyring = this.#config.keyring;
    // Another instance already writes with a key this one has not loaded yet: re-read now.
    const source = this.#config.keyringSource;
    if (source !== undefined && !keyring.has(envelope.keyId) && source.reload()) {
      keyring = source.current();
    }
    const plaintext = decryptEnvelope(envelope, keyring, aad);
    return decodeRecordPayload(plaintext, row.kind);
  }

  /** Encrypts `payload` for `owner` into the row that would follow `expectedVersion`. */
  seal(
    owner: RecordOwner,
    payload: RecordPayload,
    expectedVersion: number,
    status: RecordStatus,
  ): StoredRow {
    const { keyId, envelope } = sealEnvelope(
      encodeRecordPayload(payload),
      this.#config.keyring,
      { appId: owner.appId, userId: owner.userId, kind: payload.kind },
      { random: this.#config.random },
    );
    // One clock read for the row's time and the key-usage counter's.
    const now = this.#config.now();
    this.#usage.record(keyId, now);
    return Object.freeze({
      appId: owner.appId,
      userId: owner.userId,
      kind: payload.kind,
      version: expectedVersion + 1,
      status,
      keyId,
      ciphertext: envelope,
      expiresAt: payload.kind === 'oauth2' ? payload.tokenSet.expiresAt : null,
      updatedAt: now,
    });
  }

  /** Writes `row` if the stored version is still `expectedVersion`; false when it moved. */
  async compareAndSwap(row: StoredRow, expectedVersion: number): Promise<boolean> {
    // As readRecord: every put runs it, so without backendCall's closure and extra await.
    let written: boolean;
    try {
      written = await this.#config.backend.compareAndSwap(row, expectedVersion);
    } catch (error) {
      throw asBackendError(error);
    }
    if (written) this.#decrypted.forget(row);
    return written;
  }

  /**
   * Adds the encryption counts that are due to the backend (see key-usage.ts): awaited by a
   * write once its row is written, outside any timeout on that write. Never throws.
   */
  addDueKeyUsage(): Promise<void> {
    return this.#usage.addDueCounts();
  }

  /** Deletes the owner's row if its version is still `expectedVersion`. */
  async delete(owner: RecordOwner, expectedVersion: number): Promise<boolean> {
    const deleted = await backendCall(() => this.#config.backend.delete(owner, expectedVersion));
    if (deleted) this.#decrypted.forget(owner);
    return deleted;
  }

  /** The same row with another status, one version later (no re-encryption needed). */
  withStatus(row: StoredRow, status: RecordStatus): StoredRow {
    return Object.freeze({
      ...row,
      version: row.version + 1,
      status,
      updatedAt: this.#config.now(),
    });
  }
}

/**
 * Runs a backend call, turning an untyped failure (a driver's error) into
 * `TOKEN_STORE_BACKEND_ERROR` (retryable, with the driver's error as `cause`).
 */
export async function backendCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asBackendError(error);
  }
}

function asBackendError(error: unknown): TokenStoreError {
  if (error instanceof TokenStoreError) return error;
  return new TokenStoreError(
    TokenStoreErrorCode.BackendError,
    'The token backend failed; see cause. Retry later.',
    { retryable: true, cause: error },
  );
}

function checkRowShape(row: StoredRow, owner: RecordOwner): void {
  if (typeof row !== 'object' || row === null) throw corrupt('the backend returned no row');
  // A backend that returned someone else's row is broken; the AAD would refuse it anyway,
  // but say so precisely.
  if (row.appId !== owner.appId || row.userId !== owner.userId) {
    throw corrupt('the backend returned a row of another owner');
  }
  if (row.kind !== 'oauth1' && row.kind !== 'oauth2') throw corrupt('unknown kind');
  if (row.status !== 'active' && row.status !== 'needs_reauth') throw corrupt('unknown status');
  if (!Number.isSafeInteger(row.version) || row.version < 1) throw corrupt('invalid version');
}

/**
 * The record a row and its payload make, frozen; the plain columns come from the row, so a
 * status change (same envelope, next version) shows even when the payload was remembered.
 * Built as literals: V8 builds object spreads on a slow path, and this runs on every get and put.
 */
export function recordOf(
  row: StoredRow,
  owner: RecordOwner,
  payload: Extract<RecordPayload, { kind: 'oauth1' }>,
): OAuth1Record;
export function recordOf(
  row: StoredRow,
  owner: RecordOwner,
  payload: Extract<RecordPayload, { kind: 'oauth2' }>,
): OAuth2Record;
export function recordOf(row: StoredRow, owner: RecordOwner, payload: RecordPayload): TokenRecord;
export function recordOf(row: StoredRow, owner: RecordOwner, payload: RecordPayload): TokenRecord {
  if (payload.kind === 'oauth1') {
    if (row.expiresAt !== null) throw corrupt('an OAuth 1.0a row has an expiry');
    return Object.freeze({
      appId: owner.appId,
      userId: owner.userId,
      version: row.version,
      status: row.status,
      updatedAt: row.updatedAt,
      kind: 'oauth1',
      oauth1: payload.oauth1,
    });
  }
  if (row.expiresAt !== payload.tokenSet.expiresAt) {
    throw corrupt('the expiry column differs from the encrypted token set');
  }
  return Object.freeze({
    appId: owner.appId,
    userId: owner.userId,
    version: row.version,
    status: row.status,
    updatedAt: row.updatedAt,
    kind: 'oauth2',
    tokenSet: payload.tokenSet,
  });
}

function corrupt(what: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.CorruptRow, `A stored row is corrupt: ${what}.`);
}
