// A backend in this process's memory: for tests and single-process tools. It honours the
// whole contract (compare-and-swap, lock TTL and wait, release of one's own lock only), so the
// conformance suite and the store's tests run on it as on a real database.

import { randomUUID } from 'node:crypto';
import type { HeldLock, RecordOwner, StoredRow, TokenBackend } from '../../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';
import { ownerKey } from '../../owner.js';
import type { Clock } from '../../types.js';

/** Options of {@link createMemoryBackend}. */
export interface MemoryBackendOptions {
  /** Clock for lock expiry; `Date.now` by default. */
  now?: Clock | undefined;
  /** How often a waiter re-checks a lock whose TTL may have run out; 10 ms by default. */
  lockPollMs?: number | undefined;
}

interface LockEntry {
  readonly holder: string;
  readonly expiresAt: number;
}

/**
 * A {@link TokenBackend} in memory. Rows are copied in and out, so nothing a caller holds can
 * change what is stored. Not shared between processes: use SQLite, PostgreSQL or Redis there.
 *
 * @example const store = createTokenStore({ backend: createMemoryBackend(), keyring });
 */
export function createMemoryBackend(options: MemoryBackendOptions = {}): TokenBackend {
  const now = options.now ?? Date.now;
  const lockPollMs = options.lockPollMs ?? 10;
  const rows = new Map<string, StoredRow>();
  const locks = new Map<string, LockEntry>();
  const keyUsage = new Map<string, number>();
  // Woken on every release, so a waiter does not sleep through a free lock.
  let releaseWaiters: Array<() => void> = [];
  let closed = false;

  const ensureOpen = () => {
    if (closed) {
      throw new TokenStoreError(TokenStoreErrorCode.BackendError, 'The memory backend is closed.');
    }
  };

  const wakeWaiters = () => {
    const waiters = releaseWaiters;
    releaseWaiters = [];
    for (const wake of waiters) wake();
  };

  const tryTake = (key: string, ttlMs: number): string | undefined => {
    const current = locks.get(key);
    if (current !== undefined && current.expiresAt > now()) return undefined;
    const holder = randomUUID();
    locks.set(key, { holder, expiresAt: now() + ttlMs });
    return holder;
  };

  return {
    name: 'memory',

    async read(owner: RecordOwner): Promise<StoredRow | undefined> {
      ensureOpen();
      const row = rows.get(ownerKey(owner));
      return row === undefined ? undefined : copyRow(row);
    },

    async compareAndSwap(row: StoredRow, expectedVersion: number): Promise<boolean> {
      ensureOpen();
      checkVersion(expectedVersion);
      if (row.version !== expectedVersion + 1) {
        throw new TokenStoreError(
          TokenStoreErrorCode.InvalidArgument,
          'compareAndSwap: row.version must be expectedVersion + 1.',
        );
      }
      const key = ownerKey(row);
      const stored = rows.get(key);
      const storedVersion = stored?.version ?? 0;
      if (storedVersion !== expectedVersion) return false;
      rows.set(key, copyRow(row));
      return true;
    },

    async delete(owner: RecordOwner, expectedVersion: number): Promise<boolean> {
      ensureOpen();
      checkVersion(expectedVersion);
      const key = ownerKey(owner);
      const stored = rows.get(key);
      if (stored === undefined || stored.version !== expectedVersion) return false;
      rows.delete(key);
      return true;
    },

    async acquireRefreshLock(
      owner: RecordOwner,
      lockOptions: { ttlMs: number; waitMs: number },
    ): Promise<HeldLock> {
      ensureOpen();
      const key = ownerKey(owner);
      // The wait is measured on the monotonic clock: a test's fake `now` that never moves
      // must not make a waiter wait forever.
      const deadline = performance.now() + lockOptions.waitMs;
      for (;;) {
        const holder = tryTake(key, lockOptions.ttlMs);
        if (holder !== undefined) return heldLock(key, holder);
        const remaining = deadline - performance.now();
        if (remaining <= 0) {
          throw new TokenStoreError(
            TokenStoreErrorCode.LockTimeout,
            `The refresh lock stayed taken for ${lockOptions.waitMs} ms; try again.`,
            { retryable: true },
          );
        }
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            releaseWaiters = releaseWaiters.filter((waiter) => waiter !== done);
            resolve();
          };
          const timer = setTimeout(done, Math.min(remaining, lockPollMs));
          releaseWaiters.push(done);
        });
        ensureOpen();
      }
    },

    async *scanRows(): AsyncIterable<StoredRow> {
      ensureOpen();
      // A snapshot: rows written during the scan are not visited, as with a database cursor.
      const snapshot = [...rows.values()];
      for (const row of snapshot) yield copyRow(row);
    },

    async addKeyUsage(keyId: string, count: number): Promise<number> {
      ensureOpen();
      if (!Number.isSafeInteger(count) || count < 0) {
        throw new TokenStoreError(
          TokenStoreErrorCode.InvalidArgument,
          'addKeyUsage: count must be a non-negative integer.',
        );
      }
      const total = (keyUsage.get(keyId) ?? 0) + count;
      keyUsage.set(keyId, total);
      return total;
    },

    async close(): Promise<void> {
      closed = true;
      wakeWaiters();
    },
  };

  function heldLock(key: string, holder: string): HeldLock {
    return {
      async release() {
        // Only this holder's lock: after our TTL ran out, someone else may hold it now.
        if (locks.get(key)?.holder === holder) {
          locks.delete(key);
          wakeWaiters();
        }
      },
    };
  }
}

function checkVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidArgument,
      'expectedVersion must be a non-negative integer.',
    );
  }
}

function copyRow(row: StoredRow): StoredRow {
  return Object.freeze({
    appId: row.appId,
    userId: row.userId,
    kind: row.kind,
    version: row.version,
    status: row.status,
    keyId: row.keyId,
    ciphertext: row.ciphertext,
    expiresAt: row.expiresAt,
    updatedAt: row.updatedAt,
  });
}
