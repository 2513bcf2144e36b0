// The conformance suite on the memory backend, plus what is specific to it (an injectable
// clock for lock expiry, copies in and out, closing).
import { describe, expect, it } from 'vitest';
import type { StoredRow, TokenBackend } from '../src/backend.js';
import { createMemoryBackend, TokenStoreError, TokenStoreErrorCode } from '../src/index.js';
import { describeBackendConformance } from './conformance.js';

describeBackendConformance('memory', async () => {
  const backend = createMemoryBackend();
  return {
    backend,
    cleanup: () => backend.close(),
    dumpRaw: () => dumpMemory(backend),
  };
});

/** Everything the memory backend holds, through its own scan (it has no file to read). */
async function dumpMemory(backend: TokenBackend): Promise<string> {
  const rows: StoredRow[] = [];
  for await (const row of backend.scanRows()) rows.push(row);
  return JSON.stringify(rows);
}

const owner = { appId: 'app', userId: 'user' };

describe('memory backend specifics', () => {
  it('expires a lock on the injected clock', async () => {
    let now = 1_000;
    const backend = createMemoryBackend({ now: () => now, lockPollMs: 5 });
    const first = await backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 0 });
    const waiting = backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 5_000 });
    now += 10_000;
    const second = await waiting;
    await first.release();
    await expect(
      backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 30 }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout, retryable: true });
    await second.release();
  });

  it('refuses a row whose version is not expectedVersion + 1', async () => {
    const backend = createMemoryBackend();
    const row: StoredRow = {
      ...owner,
      kind: 'oauth1',
      version: 3,
      status: 'active',
      keyId: 'k1',
      ciphertext: 'xts1.k1.x.y',
      expiresAt: null,
      updatedAt: 0,
    };
    await expect(backend.compareAndSwap(row, 0)).rejects.toBeInstanceOf(TokenStoreError);
    await expect(backend.addKeyUsage('k1', -1)).rejects.toMatchObject({
      code: TokenStoreErrorCode.InvalidArgument,
    });
  });

  it('fails every call once closed', async () => {
    const backend = createMemoryBackend();
    await backend.close();
    await expect(backend.read(owner)).rejects.toMatchObject({
      code: TokenStoreErrorCode.BackendError,
    });
  });
});
