// The one place rows meet plaintext: encrypt a payload into a row, decrypt a row into a
// record, and call the backend with its failures typed. The store's handles, the safe refresh
// and rotation all go through here, so each of them writes by compare-and-swap only.

import type { RecordOwner, RecordStatus, StoredRow, TokenBackend } from './backend.js';
import type { StoreConfig } from './config.js';
import { openEnvelope, parseEnvelope, sealEnvelope } from './crypto/envelope.js';
import { TokenStoreError, TokenStoreErrorCode } from './errors.js';
import type { KeyUsageCounter } from './key-usage.js';
import { decodeRecordPayload, encodeRecordPayload, type RecordPayload } from './record-codec.js';
import type { TokenRecord } from './types.js';

/** A row and what it decrypts to. */
export interface OpenedRow {
  readonly row: StoredRow;
  readonly record: TokenRecord;
}

/** Encrypts, decrypts and writes records by compare-and-swap. */
export class SealedRecords {
  readonly #config: StoreConfig;
  readonly #usage: KeyUsageCounter;

  constructor(config: StoreConfig, usage: KeyUsageCounter) {
    this.#config = config;
    this.#usage = usage;
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
   * Decrypts a row. The AAD is built from `owner` (what the caller asked for), not from the
   * row's claims, so a row copied under another owner fails authentication.
   */
  open(row: StoredRow, owner: RecordOwner = row): TokenRecord {
    checkRowShape(row, owner);
    const plaintext = openEnvelope(row.ciphertext, this.#config.keyring, {
      appId: owner.appId,
      userId: owner.userId,
      kind: row.kind,
    });
    const payload = decodeRecordPayload(plaintext, row.kind);
    const base = {
      appId: owner.appId,
      userId: owner.userId,
      version: row.version,
      status: row.status,
      updatedAt: row.updatedAt,
    };
    if (payload.kind === 'oauth1') {
      if (row.expiresAt !== null) throw corrupt('an OAuth 1.0a row has an expiry');
      return Object.freeze({ ...base, kind: 'oauth1', oauth1: payload.oauth1 });
    }
    if (row.expiresAt !== payload.tokenSet.expiresAt) {
      throw corrupt('the expiry column differs from the encrypted token set');
    }
    return Object.freeze({ ...base, kind: 'oauth2', tokenSet: payload.tokenSet });
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
    this.#usage.record(keyId);
    return Object.freeze({
      appId: owner.appId,
      userId: owner.userId,
      kind: payload.kind,
      version: expectedVersion + 1,
      status,
      keyId,
      ciphertext: envelope,
      expiresAt: payload.kind === 'oauth2' ? payload.tokenSet.expiresAt : null,
      updatedAt: this.#config.now(),
    });
  }

  /** Writes `row` if the stored version is still `expectedVersion`; false when it moved. */
  compareAndSwap(row: StoredRow, expectedVersion: number): Promise<boolean> {
    return backendCall(() => this.#config.backend.compareAndSwap(row, expectedVersion));
  }

  /** Deletes the owner's row if its version is still `expectedVersion`. */
  delete(owner: RecordOwner, expectedVersion: number): Promise<boolean> {
    return backendCall(() => this.#config.backend.delete(owner, expectedVersion));
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
    if (error instanceof TokenStoreError) throw error;
    throw new TokenStoreError(
      TokenStoreErrorCode.BackendError,
      'The token backend failed; see cause. Retry later.',
      { retryable: true, cause: error },
    );
  }
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
  if (parseEnvelope(row.ciphertext).keyId !== row.keyId) {
    throw corrupt('the key id column differs from the ciphertext header');
  }
}

function corrupt(what: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.CorruptRow, `A stored row is corrupt: ${what}.`);
}
