// The store on the memory backend: handles, compare-and-swap, rotation, key usage, config,
// and the safe refresh with fake refresh callbacks (the emulator test drives a real one).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { PkceError, PkceErrorCode, TokenSet } from '@x-oauth/pkce';
import { describe, expect, it } from 'vitest';
import type { TokenBackend } from '../src/backend.js';
import {
  createKeyring,
  createMemoryBackend,
  createTokenStore,
  type RefreshCallback,
  type TokenStoreError,
  TokenStoreErrorCode,
  type TokenStoreOptions,
} from '../src/index.js';
import { codeOf } from './error-code.js';

const keys = { k1: randomBytes(32).toString('base64'), k2: randomBytes(32).toString('base64') };
const keyring = createKeyring({ currentKeyId: 'k1', keys: { k1: keys.k1 } });
const SCOPES = ['tweet.read', 'users.read', 'offline.access'];
let counter = 0;

function tokenSet(expiresAt: number, label = 'set'): TokenSet {
  counter++;
  return new TokenSet({
    accessToken: `${label}-access-${counter}`,
    refreshToken: `${label}-refresh-${counter}`,
    expiresAt,
    scopes: SCOPES,
    tokenType: 'bearer',
  });
}

function newStore(overrides: Partial<TokenStoreOptions> = {}) {
  const backend = overrides.backend ?? createMemoryBackend();
  return { backend, store: createTokenStore({ backend, keyring, ...overrides }) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A refresh callback that counts calls and returns a new set valid for two hours. */
function countingRefresh(delayMs = 20) {
  const state = { calls: 0 };
  const refresh: RefreshCallback = async (current) => {
    state.calls++;
    await sleep(delayMs);
    return new TokenSet({
      accessToken: `refreshed-access-${state.calls}-${current.accessToken}`,
      refreshToken: `refreshed-refresh-${state.calls}`,
      expiresAt: Date.now() + 7_200_000,
      scopes: current.scopes,
      tokenType: 'bearer',
    });
  };
  return { state, refresh };
}

/** Wraps a backend, letting a test make one method fail or pause. */
function faultyBackend(inner: TokenBackend) {
  const faults: { compareAndSwap?: () => Promise<boolean>; addKeyUsage?: () => Promise<number> } =
    {};
  const usageCalls: Array<[string, number]> = [];
  const backend: TokenBackend = {
    name: 'faulty',
    read: (owner) => inner.read(owner),
    compareAndSwap: (row, expected) =>
      faults.compareAndSwap ? faults.compareAndSwap() : inner.compareAndSwap(row, expected),
    delete: (owner, expected) => inner.delete(owner, expected),
    acquireRefreshLock: (owner, options) => inner.acquireRefreshLock(owner, options),
    scanRows: (options) => inner.scanRows(options),
    addKeyUsage: (keyId, count) => {
      usageCalls.push([keyId, count]);
      return faults.addKeyUsage ? faults.addKeyUsage() : inner.addKeyUsage(keyId, count);
    },
    close: () => inner.close(),
  };
  return { backend, faults, usageCalls };
}

describe('handles', () => {
  it('gives the reader no way to write, by type and at run time', async () => {
    const { store } = newStore();
    expect(Object.keys(Object.getPrototypeOf(store.reader))).toEqual([]);
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(store.reader));
    expect(methods.sort()).toEqual(['constructor', 'get', 'toJSON'].sort());
    expect('putOAuth2' in store.reader).toBe(false);
    expect('delete' in store.reader).toBe(false);
    expect(Object.isFrozen(store.reader)).toBe(true);
    // @ts-expect-error the reader type has no write method
    expect(store.reader.putOAuth2).toBeUndefined();
    expect(typeof store.writer.putOAuth2).toBe('function');
  });

  it('scopes every call by owner and validates the ids', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2('app', 'alice', tokenSet(Date.now() + 60_000_000));
    expect(await store.reader.get('app', 'bob')).toBeUndefined();
    expect(await store.reader.get('other-app', 'alice')).toBeUndefined();
    expect((await store.reader.get('app', 'alice'))?.userId).toBe('alice');
    expect(await codeOf(store.reader.get('app', ''))).toBe(TokenStoreErrorCode.InvalidArgument);
    expect(await codeOf(store.writer.putOAuth2('a\u0000b', 'u', tokenSet(1)))).toBe(
      TokenStoreErrorCode.InvalidArgument,
    );
    expect(await codeOf(store.writer.putOAuth2('app', 'u', { accessToken: 'x' } as never))).toBe(
      TokenStoreErrorCode.InvalidArgument,
    );
  });
});

describe('writes', () => {
  it('grows the version on every write, kind changes included', async () => {
    const { store } = newStore();
    const versions = [
      (await store.writer.putOAuth2('app', 'u', tokenSet(Date.now()))).version,
      (await store.writer.putOAuth2('app', 'u', tokenSet(Date.now()))).version,
      (
        await store.writer.putOAuth1('app', 'u', {
          key: 't',
          secret: 's',
          xUserId: '1',
          screenName: 'alice',
          accessLevel: 'read',
        })
      ).version,
      (await store.writer.markNeedsReauth('app', 'u', 3)).version,
    ];
    expect(versions).toEqual([1, 2, 3, 4]);
    const record = await store.reader.get('app', 'u');
    expect(record).toMatchObject({ kind: 'oauth1', version: 4, status: 'needs_reauth' });
    // A new authorization makes it active again.
    const put = await store.writer.putOAuth2('app', 'u', tokenSet(Date.now()), {
      expectedVersion: 4,
    });
    expect(put).toMatchObject({ version: 5, status: 'active', kind: 'oauth2' });
  });

  it('refuses stale expected versions and leaves the stored value', async () => {
    const { store } = newStore();
    const first = tokenSet(Date.now() + 60_000, 'first');
    await store.writer.putOAuth2('app', 'u', first);
    await store.writer.putOAuth2('app', 'u', first, { expectedVersion: 1 });
    const stale = tokenSet(Date.now(), 'stale');
    const conflict = TokenStoreErrorCode.VersionConflict;
    expect(await codeOf(store.writer.putOAuth2('app', 'u', stale, { expectedVersion: 1 }))).toBe(
      conflict,
    );
    expect(await codeOf(store.writer.putOAuth2('app', 'u', stale, { expectedVersion: 0 }))).toBe(
      conflict,
    );
    expect(await codeOf(store.writer.delete('app', 'u', { expectedVersion: 1 }))).toBe(conflict);
    expect(await codeOf(store.writer.markNeedsReauth('app', 'u', 1))).toBe(conflict);
    const record = await store.reader.get('app', 'u');
    expect(record).toMatchObject({ version: 2, status: 'active' });
    expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).toBe(first.accessToken);
    expect(await codeOf(store.writer.putOAuth2('app', 'u', stale, { expectedVersion: -1 }))).toBe(
      TokenStoreErrorCode.InvalidArgument,
    );
  });

  it('deletes by version, and reports whether there was a record', async () => {
    const { store } = newStore();
    expect(await store.writer.delete('app', 'u')).toBe(false);
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now()));
    expect(await store.writer.delete('app', 'u', { expectedVersion: 1 })).toBe(true);
    expect(await store.reader.get('app', 'u')).toBeUndefined();
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now()));
    expect(await store.writer.delete('app', 'u')).toBe(true);
    expect(await store.writer.delete('app', 'u', { expectedVersion: 1 })).toBe(false);
    expect(await codeOf(store.writer.markNeedsReauth('app', 'u', 1))).toBe(
      TokenStoreErrorCode.NotFound,
    );
  });

  it('leaves the old value when a write fails in the backend', async () => {
    const { backend, faults } = faultyBackend(createMemoryBackend());
    const store = createTokenStore({ backend, keyring });
    const first = tokenSet(Date.now() + 60_000, 'kept');
    await store.writer.putOAuth2('app', 'u', first);
    faults.compareAndSwap = () => Promise.reject(new Error('disk full'));
    const error = await store.writer.putOAuth2('app', 'u', tokenSet(Date.now())).catch((e) => e);
    expect(error).toMatchObject({ code: TokenStoreErrorCode.BackendError, retryable: true });
    expect(error.cause).toBeInstanceOf(Error);
    const record = await store.reader.get('app', 'u');
    expect(record?.version).toBe(1);
    expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).toBe(first.accessToken);
  });

  it('replaces under contention by compare-and-swap, never rolling back', async () => {
    const { store } = newStore();
    const writes = Array.from({ length: 30 }, (_, index) =>
      store.writer.putOAuth2('app', 'u', tokenSet(Date.now() + index)).then(
        (record) => record.version,
        (error: TokenStoreError) => error.code,
      ),
    );
    const results = await Promise.all(writes);
    const versions = results.filter((result): result is number => typeof result === 'number');
    // Every successful write got its own version; a write that kept losing says so.
    expect(new Set(versions).size).toBe(versions.length);
    for (const result of results) {
      if (typeof result !== 'number') expect(result).toBe(TokenStoreErrorCode.VersionConflict);
    }
    expect((await store.reader.get('app', 'u'))?.version).toBe(Math.max(...versions));
  });
});

describe('rotation and key usage', () => {
  it('re-encrypts under the current key while old rows stay readable', async () => {
    const backend = createMemoryBackend();
    const old = createTokenStore({ backend, keyring });
    for (let index = 0; index < 10; index++) {
      await old.writer.putOAuth2('app', `u${index}`, tokenSet(Date.now() + 60_000));
    }
    const rotated = createTokenStore({
      backend,
      keyring: createKeyring({ currentKeyId: 'k2', keys }),
    });
    // A write through the new store already uses k2; the rows of the old one stay readable.
    await rotated.writer.putOAuth2('app', 'new', tokenSet(Date.now() + 60_000));
    expect((await backend.read({ appId: 'app', userId: 'new' }))?.keyId).toBe('k2');
    expect((await rotated.reader.get('app', 'u3'))?.version).toBe(1);
    const result = await rotated.rotate({ pageSize: 3 });
    expect(result).toMatchObject({ rotated: 10, unchanged: 1, retried: 0, failed: 0 });
    for await (const row of backend.scanRows()) expect(row.keyId).toBe('k2');
    expect((await rotated.reader.get('app', 'u3'))?.version).toBe(2);
    expect(await codeOf(old.reader.get('app', 'u3'))).toBe(TokenStoreErrorCode.UnknownKeyId);
  });

  it('retries a row written by someone else during its rotation', async () => {
    const inner = createMemoryBackend();
    const { backend } = faultyBackend(inner);
    const old = createTokenStore({ backend: inner, keyring });
    await old.writer.putOAuth2('app', 'u', tokenSet(Date.now() + 60_000));
    const newer = tokenSet(Date.now() + 60_000, 'newer');
    let interfered = false;
    backend.compareAndSwap = async (row, expected) => {
      if (!interfered) {
        interfered = true;
        // A put (which takes no lock) lands between rotation's read and its write.
        await old.writer.putOAuth2('app', 'u', newer);
      }
      return inner.compareAndSwap(row, expected);
    };
    const rotating = createTokenStore({
      backend,
      keyring: createKeyring({ currentKeyId: 'k2', keys }),
    });
    expect(await rotating.rotate()).toMatchObject({ rotated: 1, retried: 1, failed: 0 });
    const record = await rotating.reader.get('app', 'u');
    expect(record).toMatchObject({ version: 3 });
    expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).toBe(newer.accessToken);
    expect((await inner.read({ appId: 'app', userId: 'u' }))?.keyId).toBe('k2');
  });

  it('reports rows it cannot re-encrypt and leaves them', async () => {
    const backend = createMemoryBackend();
    const lost = createTokenStore({
      backend,
      keyring: createKeyring({ currentKeyId: 'lost', keys: { lost: randomBytes(32) } }),
    });
    await lost.writer.putOAuth2('app', 'orphan', tokenSet(Date.now()));
    const { store } = newStore({ backend });
    await store.writer.putOAuth2('app', 'fine', tokenSet(Date.now()));
    const result = await createTokenStore({
      backend,
      keyring: createKeyring({ currentKeyId: 'k2', keys }),
    }).rotate();
    expect(result).toMatchObject({ rotated: 1, failed: 1 });
    expect(result.failures).toEqual([
      { appId: 'app', userId: 'orphan', code: TokenStoreErrorCode.UnknownKeyId },
    ]);
    expect((await backend.read({ appId: 'app', userId: 'orphan' }))?.keyId).toBe('lost');
  });

  it('waits for a running refresh instead of racing it', async () => {
    const backend = createMemoryBackend();
    const { store } = newStore({ backend });
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    const { state, refresh } = countingRefresh(150);
    const refreshing = store.writer.getFreshTokenSet('app', 'u', refresh);
    await sleep(30);
    const rotation = createTokenStore({
      backend,
      keyring: createKeyring({ currentKeyId: 'k2', keys }),
    }).rotate();
    const [fresh, result] = await Promise.all([refreshing, rotation]);
    expect(state.calls).toBe(1);
    expect(result).toMatchObject({ rotated: 1, retried: 0, failed: 0 });
    const record = await createTokenStore({
      backend,
      keyring: createKeyring({ currentKeyId: 'k2', keys }),
    }).reader.get('app', 'u');
    expect(record?.version).toBe(3);
    expect(record?.kind === 'oauth2' && record.tokenSet.refreshToken).toBe(fresh.refreshToken);
  });

  it('counts encryptions per key, in batches, and flushes on keyUsage and close', async () => {
    const { backend, usageCalls } = faultyBackend(createMemoryBackend());
    const store = createTokenStore({ backend, keyring, keyUsageBatchSize: 10 });
    for (let index = 0; index < 25; index++) {
      await store.writer.putOAuth2('app', `u${index}`, tokenSet(Date.now()));
    }
    await sleep(0);
    expect(usageCalls).toEqual([
      ['k1', 10],
      ['k1', 10],
    ]);
    expect(await store.keyUsage()).toEqual({ k1: 25 });
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now()));
    // markNeedsReauth re-uses the ciphertext: no encryption.
    await store.writer.markNeedsReauth('app', 'u', 1);
    await store.close();
    expect(usageCalls.filter(([, count]) => count > 0).map(([, count]) => count)).toEqual([
      10, 10, 5, 1,
    ]);
    expect(await codeOf(store.reader.get('app', 'u'))).toBe(TokenStoreErrorCode.BackendError);
    await store.close();
  });

  it('adds a full batch before the write that completed it returns, never beside the next', async () => {
    const { backend, faults } = faultyBackend(createMemoryBackend());
    let added = 0;
    let adding = 0;
    let writesWhileAdding = 0;
    const compareAndSwap = backend.compareAndSwap;
    backend.compareAndSwap = (row, expected) => {
      if (adding > 0) writesWhileAdding++;
      return compareAndSwap(row, expected);
    };
    faults.addKeyUsage = async () => {
      adding++;
      await sleep(20);
      adding--;
      added++;
      return 0;
    };
    const store = createTokenStore({ backend, keyring, keyUsageBatchSize: 3 });
    for (let index = 0; index < 3; index++) {
      await store.writer.putOAuth2('app', `u${index}`, tokenSet(Date.now()));
    }
    // The third put returned only once its batch was added, and no write ran beside it.
    expect(added).toBe(1);
    await store.writer.putOAuth2('app', 'u3', tokenSet(Date.now()));
    expect(writesWhileAdding).toBe(0);
    delete faults.addKeyUsage;
    await store.close();
  });

  it('tries a batch that failed to add again at the next write, encrypting or not', async () => {
    const { backend, faults, usageCalls } = faultyBackend(createMemoryBackend());
    const store = createTokenStore({ backend, keyring, keyUsageBatchSize: 2 });
    faults.addKeyUsage = () => Promise.reject(new Error('down'));
    for (let index = 0; index < 2; index++) {
      await store.writer.putOAuth2('app', `u${index}`, tokenSet(Date.now() + 3_600_000));
    }
    expect(usageCalls).toEqual([['k1', 2]]);
    delete faults.addKeyUsage;
    // A valid token: no refresh, no encryption, but the batch still waiting is added.
    await store.writer.getFreshTokenSet('app', 'u0', () => Promise.reject(new Error('unused')));
    expect(usageCalls).toEqual([
      ['k1', 2],
      ['k1', 2],
    ]);
    expect(await store.keyUsage()).toEqual({ k1: 2 });
    await store.close();
  });

  it('keeps counts that failed to flush for the next flush', async () => {
    const { backend, faults } = faultyBackend(createMemoryBackend());
    const store = createTokenStore({ backend, keyring, keyUsageBatchSize: 2 });
    faults.addKeyUsage = () => Promise.reject(new Error('down'));
    for (let index = 0; index < 3; index++) {
      await store.writer.putOAuth2('app', `u${index}`, tokenSet(Date.now()));
    }
    expect(await codeOf(store.keyUsage())).toBe(TokenStoreErrorCode.BackendError);
    delete faults.addKeyUsage;
    expect(await store.keyUsage()).toEqual({ k1: 3 });
  });

  it('adds counts in batches of 1,000 by default', async () => {
    const { backend, usageCalls } = faultyBackend(createMemoryBackend());
    const store = createTokenStore({ backend, keyring });
    const set = tokenSet(Date.now() + 3_600_000);
    for (let index = 0; index < 999; index++) await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([]);
    await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([['k1', 1_000]]);
    await store.close();
  });

  it('adds every count at the first write a minute after the last addition by age', async () => {
    const { backend, usageCalls } = faultyBackend(createMemoryBackend());
    let now = 1_000_000;
    const store = createTokenStore({ backend, keyring, now: () => now });
    const set = tokenSet(now + 3_600_000);
    await store.writer.putOAuth2('app', 'u', set);
    now += 59_999;
    await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([]);
    now += 1;
    await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([['k1', 3]]);
    // The minute starts again at that addition.
    now += 59_999;
    await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([['k1', 3]]);
    now += 1;
    await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([
      ['k1', 3],
      ['k1', 2],
    ]);
    await store.close();
  });

  it('tries a count below a batch that failed to add again at the next write', async () => {
    const { backend, faults, usageCalls } = faultyBackend(createMemoryBackend());
    let now = 1_000_000;
    const store = createTokenStore({ backend, keyring, now: () => now });
    const set = tokenSet(now + 3_600_000);
    await store.writer.putOAuth2('app', 'u', set);
    faults.addKeyUsage = () => Promise.reject(new Error('down'));
    now += 60_000;
    await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([['k1', 2]]);
    delete faults.addKeyUsage;
    now += 1;
    await store.writer.putOAuth2('app', 'u', set);
    expect(usageCalls).toEqual([
      ['k1', 2],
      ['k1', 3],
    ]);
    expect(await store.keyUsage()).toEqual({ k1: 3 });
    await store.close();
  });
});

describe('configuration', () => {
  it('refuses a lock TTL not longer than the token request timeout plus the write', () => {
    const backend = createMemoryBackend();
    const invalid = { code: TokenStoreErrorCode.InvalidConfig };
    expect(() =>
      createTokenStore({
        backend,
        keyring,
        tokenRequestTimeoutMs: 10_000,
        writeTimeoutMs: 5_000,
        lockTtlMs: 15_000,
      }),
    ).toThrow(expect.objectContaining(invalid));
    expect(() => createTokenStore({ backend, keyring, lockTtlMs: 1_000 })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() =>
      createTokenStore({ backend, keyring, tokenRequestTimeoutMs: 60_000, lockTtlMs: 30_000 }),
    ).toThrow(expect.objectContaining(invalid));
    expect(() =>
      createTokenStore({
        backend,
        keyring,
        tokenRequestTimeoutMs: 10_000,
        writeTimeoutMs: 5_000,
        lockTtlMs: 15_001,
      }),
    ).not.toThrow();
  });

  it('refuses malformed options', () => {
    const backend = createMemoryBackend();
    const cases: unknown[] = [
      undefined,
      { keyring },
      { backend: {}, keyring },
      { backend, keyring: { currentKeyId: 'k1', keys } },
      { backend, keyring, refreshSkewMs: -1 },
      { backend, keyring, tokenRequestTimeoutMs: 0 },
      { backend, keyring, writeTimeoutMs: Number.NaN },
      { backend, keyring, now: 5 },
      { backend, keyring, keyUsageBatchSize: 0 },
    ];
    for (const options of cases) {
      expect(() => createTokenStore(options as TokenStoreOptions)).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
      );
    }
  });
});

describe('getFreshTokenSet', () => {
  it('returns a valid token without calling refresh', async () => {
    const { store } = newStore();
    const set = tokenSet(Date.now() + 3_600_000);
    await store.writer.putOAuth2('app', 'u', set);
    const { state, refresh } = countingRefresh();
    const fresh = await store.writer.getFreshTokenSet('app', 'u', refresh);
    expect(fresh.accessToken).toBe(set.accessToken);
    expect(state.calls).toBe(0);
  });

  it('refreshes within the skew of expiry, on the injected clock', async () => {
    let now = 1_000_000;
    const { store } = newStore({ now: () => now, refreshSkewMs: 60_000 });
    await store.writer.putOAuth2('app', 'u', tokenSet(now + 90_000));
    const { state, refresh } = countingRefresh(0);
    await store.writer.getFreshTokenSet('app', 'u', refresh);
    expect(state.calls).toBe(0);
    now += 31_000; // 59 s before expiry: inside the skew
    const fresh = await store.writer.getFreshTokenSet('app', 'u', refresh);
    expect(state.calls).toBe(1);
    const record = await store.reader.get('app', 'u');
    expect(record).toMatchObject({ version: 2, updatedAt: now });
    expect(record?.kind === 'oauth2' && record.tokenSet.refreshToken).toBe(fresh.refreshToken);
  });

  it('refreshes an expired set once for 50 concurrent callers', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    const { state, refresh } = countingRefresh(30);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => store.writer.getFreshTokenSet('app', 'u', refresh)),
    );
    expect(state.calls).toBe(1);
    expect(new Set(results.map((set) => set.accessToken)).size).toBe(1);
    expect((await store.reader.get('app', 'u'))?.version).toBe(2);
    // Single-flight is per owner: two users refresh independently.
    await store.writer.putOAuth2('app', 'v', tokenSet(Date.now() - 1));
    await store.writer.putOAuth2('app', 'w', tokenSet(Date.now() - 1));
    const second = countingRefresh(30);
    await Promise.all([
      store.writer.getFreshTokenSet('app', 'v', second.refresh),
      store.writer.getFreshTokenSet('app', 'w', second.refresh),
      store.writer.getFreshTokenSet('app', 'v', second.refresh),
    ]);
    expect(second.state.calls).toBe(2);
  });

  it('forces a refresh of a refused, valid token once for 50 concurrent callers', async () => {
    const backend = createMemoryBackend();
    const { store } = newStore({ backend });
    // A second store on the same backend: another process, sharing only the backend's lock.
    const sibling = createTokenStore({ backend, keyring });
    const valid = tokenSet(Date.now() + 3_600_000, 'refused');
    await store.writer.putOAuth2('app', 'u', valid);
    const { state, refresh } = countingRefresh(30);
    const forced = { rejectedAccessToken: valid.accessToken };
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        (index % 2 === 0 ? store : sibling).writer.getFreshTokenSet('app', 'u', refresh, forced),
      ),
    );
    expect(state.calls).toBe(1);
    const tokens = new Set(results.map((set) => set.accessToken));
    expect(tokens.size).toBe(1);
    expect(tokens.has(valid.accessToken)).toBe(false);
    const record = await store.reader.get('app', 'u');
    expect(record?.version).toBe(2);
    expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).toBe(results[0]?.accessToken);
    // The same 401 reported late (a request that was in flight with the old token): the stored
    // token is another one already, so nothing is refreshed again.
    await store.writer.getFreshTokenSet('app', 'u', refresh, forced);
    await sibling.writer.getFreshTokenSet('app', 'u', refresh, forced);
    expect(state.calls).toBe(1);
  });

  it('does not call refresh when the refused token was already replaced', async () => {
    const backend = createMemoryBackend();
    const { store } = newStore({ backend });
    const refused = tokenSet(Date.now() + 3_600_000, 'old');
    await store.writer.putOAuth2('app', 'u', refused);
    const replaced = tokenSet(Date.now() + 3_600_000, 'new');
    await store.writer.putOAuth2('app', 'u', replaced, { expectedVersion: 1 });
    const { state, refresh } = countingRefresh(0);
    const fresh = await store.writer.getFreshTokenSet('app', 'u', refresh, {
      rejectedAccessToken: refused.accessToken,
    });
    expect(fresh.accessToken).toBe(replaced.accessToken);
    expect(state.calls).toBe(0);

    // The same when the replacement lands while this caller waits for the lock: the re-read
    // under the lock sees it and sends nothing.
    const lock = await backend.acquireRefreshLock(
      { appId: 'app', userId: 'u' },
      { ttlMs: 30_000, waitMs: 0 },
    );
    const waiting = store.writer.getFreshTokenSet('app', 'u', refresh, {
      rejectedAccessToken: replaced.accessToken,
    });
    await sleep(50);
    const theirs = tokenSet(Date.now() + 3_600_000, 'theirs');
    await store.writer.putOAuth2('app', 'u', theirs, { expectedVersion: 2 });
    await lock.release();
    expect((await waiting).accessToken).toBe(theirs.accessToken);
    expect(state.calls).toBe(0);
  });

  it('still returns a valid token without refreshing when no token was refused', async () => {
    const { store } = newStore();
    const valid = tokenSet(Date.now() + 3_600_000);
    await store.writer.putOAuth2('app', 'u', valid);
    const { state, refresh } = countingRefresh(0);
    for (const options of [undefined, {}, { rejectedAccessToken: undefined }]) {
      const fresh = await store.writer.getFreshTokenSet('app', 'u', refresh, options);
      expect(fresh.accessToken).toBe(valid.accessToken);
    }
    expect(state.calls).toBe(0);
    for (const options of [{ rejectedAccessToken: '' }, { rejectedAccessToken: 5 }, null]) {
      expect(
        await codeOf(store.writer.getFreshTokenSet('app', 'u', refresh, options as never)),
      ).toBe(TokenStoreErrorCode.InvalidArgument);
    }
    expect(state.calls).toBe(0);
  });

  it('does not merge a forced call into a running refresh that may return the refused token', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1, 'expired'));
    const { state, refresh } = countingRefresh(50);
    // An expiry refresh starts; a caller refused its result (say the token was revoked right
    // after it was issued) arrives while it runs.
    const expiry = store.writer.getFreshTokenSet('app', 'u', refresh);
    await sleep(10);
    const joined = store.writer.getFreshTokenSet('app', 'u', refresh);
    const first = await expiry;
    expect((await joined).accessToken).toBe(first.accessToken);
    expect(state.calls).toBe(1);

    // A forced call finding a flight started without a refused token waits for it, then
    // re-checks: here the flight's result is the refused token, so it refreshes once more.
    const expiredAgain = tokenSet(Date.now() - 1, 'expired-again');
    await store.writer.putOAuth2('app', 'u', expiredAgain);
    // What the running refresh will return (countingRefresh names its results).
    const refusedResult = `refreshed-access-2-${expiredAgain.accessToken}`;
    const second = store.writer.getFreshTokenSet('app', 'u', refresh);
    await sleep(10);
    const forced = Array.from({ length: 5 }, () =>
      store.writer.getFreshTokenSet('app', 'u', refresh, { rejectedAccessToken: refusedResult }),
    );
    expect((await second).accessToken).toBe(refusedResult);
    const forcedSets = await Promise.all(forced);
    expect(state.calls).toBe(3);
    for (const set of forcedSets) {
      expect(set.accessToken).toBe(`refreshed-access-3-${refusedResult}`);
    }
    // And a forced call whose refused token differs from the flight's result just takes it.
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1, 'third'));
    const third = store.writer.getFreshTokenSet('app', 'u', refresh);
    await sleep(10);
    const other = store.writer.getFreshTokenSet('app', 'u', refresh, {
      rejectedAccessToken: 'some-older-token',
    });
    expect((await other).accessToken).toBe((await third).accessToken);
    expect(state.calls).toBe(4);
  });

  it('uses the token another worker refreshed while it waited for the lock', async () => {
    const backend = createMemoryBackend();
    const { store } = newStore({ backend });
    const sibling = createTokenStore({ backend, keyring });
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    // The other worker holds the lock, refreshes, writes and releases.
    const lock = await backend.acquireRefreshLock(
      { appId: 'app', userId: 'u' },
      { ttlMs: 30_000, waitMs: 0 },
    );
    const { state, refresh } = countingRefresh();
    const waiting = store.writer.getFreshTokenSet('app', 'u', refresh);
    await sleep(50);
    const theirs = tokenSet(Date.now() + 3_600_000, 'theirs');
    await sibling.writer.putOAuth2('app', 'u', theirs, { expectedVersion: 1 });
    await lock.release();
    expect((await waiting).accessToken).toBe(theirs.accessToken);
    expect(state.calls).toBe(0);
  });

  it('returns the sibling token when the lock wait times out after a sibling refreshed', async () => {
    const backend = createMemoryBackend();
    const { store } = newStore({ backend, lockWaitMs: 100 });
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    const lock = await backend.acquireRefreshLock(
      { appId: 'app', userId: 'u' },
      { ttlMs: 30_000, waitMs: 0 },
    );
    const { refresh } = countingRefresh();
    expect(await codeOf(store.writer.getFreshTokenSet('app', 'u', refresh))).toBe(
      TokenStoreErrorCode.LockTimeout,
    );
    const theirs = tokenSet(Date.now() + 3_600_000, 'theirs');
    await store.writer.putOAuth2('app', 'u', theirs, { expectedVersion: 1 });
    // Still locked, but the row is valid now: no lock needed at all.
    expect((await store.writer.getFreshTokenSet('app', 'u', refresh)).accessToken).toBe(
      theirs.accessToken,
    );
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1), { expectedVersion: 2 });
    const pending = store.writer.getFreshTokenSet('app', 'u', refresh);
    await sleep(20);
    const later = tokenSet(Date.now() + 3_600_000, 'later');
    await store.writer.putOAuth2('app', 'u', later, { expectedVersion: 3 });
    expect((await pending).accessToken).toBe(later.accessToken);
    await lock.release();
  });

  it('on a dead grant, returns the token of a sibling that won with the same refresh token', async () => {
    const backend = createMemoryBackend();
    const { store } = newStore({ backend });
    const sibling = createTokenStore({ backend, keyring });
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    const theirs = tokenSet(Date.now() + 3_600_000, 'sibling');
    const fresh = await store.writer.getFreshTokenSet('app', 'u', async () => {
      // A worker whose lock had expired refreshed first and wrote; ours is now spent.
      await sibling.writer.putOAuth2('app', 'u', theirs, { expectedVersion: 1 });
      throw new PkceError(
        PkceErrorCode.RefreshTokenDead,
        'Value passed for the token was invalid.',
        {
          status: 400,
          oauthError: 'invalid_request',
        },
      );
    });
    expect(fresh.accessToken).toBe(theirs.accessToken);
    expect(await store.reader.get('app', 'u')).toMatchObject({ status: 'active', version: 2 });
  });

  it('on a dead grant without a sibling, marks needs_reauth and keeps the row', async () => {
    const { store } = newStore();
    const spent = tokenSet(Date.now() - 1, 'spent');
    await store.writer.putOAuth2('app', 'u', spent);
    for (const code of [PkceErrorCode.RefreshTokenDead, PkceErrorCode.InvalidGrant]) {
      await store.writer.putOAuth2('app', 'u', spent);
      const error = await store.writer
        .getFreshTokenSet('app', 'u', async () => {
          throw new PkceError(code, 'dead', { status: 400, oauthError: 'invalid_grant' });
        })
        .catch((caught) => caught);
      expect(error).toMatchObject({ code: TokenStoreErrorCode.NeedsReauth, retryable: false });
      expect(error.cause).toBeInstanceOf(PkceError);
      const record = await store.reader.get('app', 'u');
      expect(record?.status).toBe('needs_reauth');
      expect(record?.kind === 'oauth2' && record.tokenSet.refreshToken).toBe(spent.refreshToken);
    }
    // From now on: no call to the token endpoint, just the typed error.
    const { state, refresh } = countingRefresh();
    expect(await codeOf(store.writer.getFreshTokenSet('app', 'u', refresh))).toBe(
      TokenStoreErrorCode.NeedsReauth,
    );
    expect(state.calls).toBe(0);
  });

  it('never marks a grant dead on network errors, 5xx, 429 or other failures', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    const cases: Array<[unknown, boolean, string | undefined]> = [
      [
        new PkceError(PkceErrorCode.NetworkError, 'fetch failed', { retryable: true }),
        true,
        PkceErrorCode.NetworkError,
      ],
      [
        new PkceError(PkceErrorCode.ServerError, '503', { status: 503, retryable: true }),
        true,
        PkceErrorCode.ServerError,
      ],
      [
        new PkceError(PkceErrorCode.RateLimited, '429', { status: 429, retryable: true }),
        true,
        PkceErrorCode.RateLimited,
      ],
      [
        new PkceError(PkceErrorCode.InvalidClient, 'bad client', { status: 401 }),
        false,
        PkceErrorCode.InvalidClient,
      ],
      [new TypeError('boom'), false, undefined],
      ['a string', false, undefined],
    ];
    for (const [thrown, retryable, causeCode] of cases) {
      const error = await store.writer
        .getFreshTokenSet('app', 'u', async () => {
          throw thrown;
        })
        .catch((caught) => caught);
      expect(error).toMatchObject({
        code: TokenStoreErrorCode.RefreshFailed,
        retryable,
        causeCode,
      });
    }
    // A callback returning something that is not a token set fails the same way.
    expect(
      await codeOf(store.writer.getFreshTokenSet('app', 'u', async () => ({}) as TokenSet)),
    ).toBe(TokenStoreErrorCode.RefreshFailed);
    expect(await store.reader.get('app', 'u')).toMatchObject({ status: 'active', version: 1 });
  });

  it('recognises a PkceError from another copy of @x-oauth/pkce (its CJS build)', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    // The store imports pkce's ESM build; `require` loads the CJS build, a separate copy.
    const otherCopy = createRequire(import.meta.url)(
      '@x-oauth/pkce',
    ) as typeof import('@x-oauth/pkce');
    expect(otherCopy.PkceError).not.toBe(PkceError);
    const foreign = (code: PkceErrorCode, retryable: boolean) =>
      new otherCopy.PkceError(code, 'from another copy', { retryable });
    const retry = await store.writer
      .getFreshTokenSet('app', 'u', async () => {
        throw foreign(PkceErrorCode.NetworkError, true);
      })
      .catch((caught) => caught);
    expect(retry).toMatchObject({ code: TokenStoreErrorCode.RefreshFailed, retryable: true });
    // Any other error that merely carries a dead-grant code is not trusted.
    for (const impostor of [
      Object.assign(new Error('x'), { code: PkceErrorCode.RefreshTokenDead }),
      Object.assign(new Error('x'), { name: 'PkceError', code: PkceErrorCode.RefreshTokenDead }),
    ]) {
      expect(
        await codeOf(
          store.writer.getFreshTokenSet('app', 'u', async () => {
            throw impostor;
          }),
        ),
      ).toBe(TokenStoreErrorCode.RefreshFailed);
    }
    expect((await store.reader.get('app', 'u'))?.status).toBe('active');
    expect(
      await codeOf(
        store.writer.getFreshTokenSet('app', 'u', async () => {
          throw foreign(PkceErrorCode.RefreshTokenDead, false);
        }),
      ),
    ).toBe(TokenStoreErrorCode.NeedsReauth);
    expect((await store.reader.get('app', 'u'))?.status).toBe('needs_reauth');
  });

  it("aborts the callback's signal after tokenRequestTimeoutMs", async () => {
    const { store } = newStore({ tokenRequestTimeoutMs: 150, writeTimeoutMs: 100 });
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    let abortedAfter: number | undefined;
    const started = performance.now();
    const error = await store.writer
      .getFreshTokenSet(
        'app',
        'u',
        (_current, signal) =>
          new Promise<TokenSet>((_, reject) => {
            signal.addEventListener('abort', () => {
              abortedAfter = performance.now() - started;
              reject(signal.reason);
            });
          }),
      )
      .catch((caught) => caught);
    expect(abortedAfter).toBeGreaterThanOrEqual(140);
    expect(abortedAfter).toBeLessThan(1_000);
    expect(error).toMatchObject({
      code: TokenStoreErrorCode.RefreshFailed,
      retryable: true,
      causeCode: 'TIMEOUT',
    });
    // A callback that ignores its signal is not waited for either.
    const ignoring = await store.writer
      .getFreshTokenSet('app', 'u', () => new Promise<TokenSet>(() => undefined))
      .catch((caught) => caught);
    expect(ignoring).toMatchObject({ code: TokenStoreErrorCode.RefreshFailed, retryable: true });
    expect(await store.reader.get('app', 'u')).toMatchObject({ status: 'active', version: 1 });
    // And the lock was released: the next refresh goes through at once.
    const { state, refresh } = countingRefresh(0);
    await store.writer.getFreshTokenSet('app', 'u', refresh);
    expect(state.calls).toBe(1);
  });

  it('retries a failing write of the refreshed pair, and sees a write whose answer was lost', async () => {
    const inner = createMemoryBackend();
    const { backend } = faultyBackend(inner);
    const store = createTokenStore({ backend, keyring });
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    // The first two attempts fail like a dropped connection; the third goes through.
    let attempts = 0;
    backend.compareAndSwap = (row, expected) => {
      attempts++;
      return attempts <= 2
        ? Promise.reject(new Error('connection reset'))
        : inner.compareAndSwap(row, expected);
    };
    const { state, refresh } = countingRefresh(0);
    const fresh = await store.writer.getFreshTokenSet('app', 'u', refresh);
    expect(state.calls).toBe(1);
    expect(attempts).toBe(3);
    const record = await store.reader.get('app', 'u');
    expect(record?.kind === 'oauth2' && record.tokenSet.refreshToken).toBe(fresh.refreshToken);

    // The write lands, but its answer is lost: the store recognises its own row.
    backend.compareAndSwap = (row, expected) => inner.compareAndSwap(row, expected);
    await store.writer.delete('app', 'u');
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    let lost = false;
    backend.compareAndSwap = async (row, expected) => {
      const written = await inner.compareAndSwap(row, expected);
      if (lost) return written;
      lost = true;
      throw new Error('connection reset after commit');
    };
    const again = await store.writer.getFreshTokenSet('app', 'u', refresh);
    expect(state.calls).toBe(2);
    expect((await inner.read({ appId: 'app', userId: 'u' }))?.version).toBe(2);
    const reread = await store.reader.get('app', 'u');
    expect(reread?.kind === 'oauth2' && reread.tokenSet.refreshToken).toBe(again.refreshToken);
  });

  it('keeps a record written meanwhile by a writer outside the lock', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2('app', 'u', tokenSet(Date.now() - 1));
    const reauthorized = tokenSet(Date.now() + 3_600_000, 'reauthorized');
    const fresh = await store.writer.getFreshTokenSet('app', 'u', async (current) => {
      // The user authorized again while the refresh was in flight.
      await store.writer.putOAuth2('app', 'u', reauthorized);
      return new TokenSet({ ...current, accessToken: 'ours', expiresAt: Date.now() + 3_600_000 });
    });
    expect(fresh.accessToken).toBe(reauthorized.accessToken);
    expect((await store.reader.get('app', 'u'))?.version).toBe(2);
  });

  it('gives typed errors for a missing record, an OAuth 1.0a record, and a slow write', async () => {
    const { backend, faults } = faultyBackend(createMemoryBackend());
    const store = createTokenStore({
      backend,
      keyring,
      writeTimeoutMs: 50,
      tokenRequestTimeoutMs: 1_000,
    });
    const { refresh } = countingRefresh(0);
    expect(await codeOf(store.writer.getFreshTokenSet('app', 'none', refresh))).toBe(
      TokenStoreErrorCode.NotFound,
    );
    await store.writer.putOAuth1('app', 'o1', {
      key: 't',
      secret: 's',
      xUserId: '1',
      screenName: 'a',
      accessLevel: 'read',
    });
    expect(await codeOf(store.writer.getFreshTokenSet('app', 'o1', refresh))).toBe(
      TokenStoreErrorCode.WrongKind,
    );
    expect(await codeOf(store.writer.getFreshTokenSet('app', 'o1', 'nope' as never))).toBe(
      TokenStoreErrorCode.InvalidArgument,
    );
    await store.writer.putOAuth2('app', 'slow', tokenSet(Date.now() - 1));
    faults.compareAndSwap = () => new Promise<boolean>(() => undefined);
    const error = await store.writer.getFreshTokenSet('app', 'slow', refresh).catch((e) => e);
    expect(error).toMatchObject({ code: TokenStoreErrorCode.BackendError, retryable: true });
  });
});
