// The conformance suite every backend runs: the contract of src/backend.ts (compare-and-swap,
// locks, scans, key usage), then the store over the backend (round trips, tamper and copied-row
// detection, rotation, safe refresh), and a scan of every byte the backend holds for secrets.
//
// `setup` is called before each test and `cleanup` after it. A setup may return an empty
// backend or a shared one: every test uses its own random app id and key ids, and looks only
// at its own rows.

import { randomBytes, randomUUID } from 'node:crypto';
import { PkceError, PkceErrorCode, TokenSet } from '@x-oauth/pkce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeldLock, RecordOwner, StoredRow, TokenBackend } from '../src/backend.js';
import {
  createKeyring,
  createTokenStore,
  type Keyring,
  type TokenStore,
  TokenStoreError,
  TokenStoreErrorCode,
} from '../src/index.js';

/** What a backend's test file gives the suite. */
export interface ConformanceSetup {
  /** A working backend (a fresh file, schema or prefix, or a shared one). */
  backend: TokenBackend;
  /** Closes the backend and removes what the test left (files, schema, keys). */
  cleanup(): Promise<void>;
  /** Every byte the backend holds, as text: the file, a dump, every key and value. */
  dumpRaw(): Promise<string>;
}

const SCOPES = ['tweet.read', 'users.read', 'offline.access'] as const;

/** A distinctive secret, easy to find in a dump. */
function secret(label: string): string {
  return `${label}-SECRET-${randomBytes(12).toString('hex')}`;
}

function newKey(): string {
  return randomBytes(32).toString('base64');
}

function tokenSet(expiresAt: number, label = 'set'): TokenSet {
  return new TokenSet({
    accessToken: secret(`${label}-access`),
    refreshToken: secret(`${label}-refresh`),
    expiresAt,
    scopes: [...SCOPES],
    tokenType: 'bearer',
  });
}

function rowFor(
  owner: RecordOwner,
  version: number,
  overrides: Partial<Omit<StoredRow, 'appId' | 'userId' | 'version'>> = {},
): StoredRow {
  return {
    appId: owner.appId,
    userId: owner.userId,
    kind: 'oauth2',
    version,
    status: 'active',
    keyId: 'k1',
    ciphertext: `xts1.k1.AAAAAAAAAAAAAAAA.opaque-${version}-${randomUUID()}`,
    expiresAt: 1_900_000_000_123,
    updatedAt: 1_800_000_000_456 + version,
    ...overrides,
  };
}

async function expectCode(promise: Promise<unknown>, code: TokenStoreErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(TokenStoreError);
  expect((error as TokenStoreError).code).toBe(code);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Declares the conformance suite for one backend: a vitest `describe` block named after it.
 *
 * @example
 * describeBackendConformance('sqlite', async () => {
 *   const dir = await mkdtemp(join(tmpdir(), 'token-store-'));
 *   const backend = createSqliteBackend({ path: join(dir, 'tokens.db') });
 *   return { backend, cleanup: async () => { await backend.close(); await rm(dir, { recursive: true }); },
 *            dumpRaw: async () => readAllFiles(dir) };
 * });
 */
export function describeBackendConformance(
  name: string,
  setup: () => Promise<ConformanceSetup>,
): void {
  describe(`${name}: backend conformance`, () => {
    let context: ConformanceSetup;
    let backend: TokenBackend;
    let appId: string;
    const owner = (userId: string): RecordOwner => ({ appId, userId });

    beforeEach(async () => {
      context = await setup();
      backend = context.backend;
      appId = `app-${randomUUID()}`;
    });

    afterEach(async () => {
      await context.cleanup();
    });

    describe('rows and compare-and-swap', () => {
      it('reads nothing for an owner without a row', async () => {
        expect(await backend.read(owner('nobody'))).toBeUndefined();
        expect(typeof backend.name).toBe('string');
        expect(backend.name.length).toBeGreaterThan(0);
      });

      it('inserts with expectedVersion 0 and returns every field as written', async () => {
        const row = rowFor(owner('u1'), 1);
        expect(await backend.compareAndSwap(row, 0)).toBe(true);
        expect(await backend.read(owner('u1'))).toEqual(row);
        const oauth1 = rowFor(owner('u2'), 1, {
          kind: 'oauth1',
          expiresAt: null,
          status: 'needs_reauth',
        });
        expect(await backend.compareAndSwap(oauth1, 0)).toBe(true);
        expect(await backend.read(owner('u2'))).toEqual(oauth1);
      });

      it('refuses a second insert and keeps the first row', async () => {
        const first = rowFor(owner('u1'), 1);
        expect(await backend.compareAndSwap(first, 0)).toBe(true);
        expect(await backend.compareAndSwap(rowFor(owner('u1'), 1), 0)).toBe(false);
        expect(await backend.read(owner('u1'))).toEqual(first);
      });

      it('updates on the expected version and never rolls back to an older one', async () => {
        const v1 = rowFor(owner('u1'), 1);
        const v2 = rowFor(owner('u1'), 2);
        const v3 = rowFor(owner('u1'), 3);
        expect(await backend.compareAndSwap(v1, 0)).toBe(true);
        expect(await backend.compareAndSwap(v2, 1)).toBe(true);
        expect(await backend.read(owner('u1'))).toEqual(v2);
        // A stale writer that read version 1 loses, and so does an insert.
        expect(await backend.compareAndSwap(rowFor(owner('u1'), 2), 1)).toBe(false);
        expect(await backend.compareAndSwap(rowFor(owner('u1'), 1), 0)).toBe(false);
        // A writer from the future does not skip versions either.
        expect(await backend.compareAndSwap(rowFor(owner('u1'), 4), 3)).toBe(false);
        expect(await backend.read(owner('u1'))).toEqual(v2);
        expect(await backend.compareAndSwap(v3, 2)).toBe(true);
        expect((await backend.read(owner('u1')))?.version).toBe(3);
      });

      it('lets exactly one of many concurrent writers of the same version win', async () => {
        expect(await backend.compareAndSwap(rowFor(owner('u1'), 1), 0)).toBe(true);
        const candidates = Array.from({ length: 20 }, () => rowFor(owner('u1'), 2));
        const results = await Promise.all(candidates.map((row) => backend.compareAndSwap(row, 1)));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = candidates[results.indexOf(true)];
        expect(await backend.read(owner('u1'))).toEqual(winner);
      });

      it('lets exactly one of many concurrent inserts win', async () => {
        const candidates = Array.from({ length: 20 }, () => rowFor(owner('u1'), 1));
        const results = await Promise.all(candidates.map((row) => backend.compareAndSwap(row, 0)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await backend.read(owner('u1'))).toEqual(candidates[results.indexOf(true)]);
      });

      it('deletes only on the expected version', async () => {
        const v1 = rowFor(owner('u1'), 1);
        const v2 = rowFor(owner('u1'), 2);
        await backend.compareAndSwap(v1, 0);
        await backend.compareAndSwap(v2, 1);
        expect(await backend.delete(owner('u1'), 1)).toBe(false);
        expect(await backend.read(owner('u1'))).toEqual(v2);
        expect(await backend.delete(owner('u1'), 2)).toBe(true);
        expect(await backend.read(owner('u1'))).toBeUndefined();
        expect(await backend.delete(owner('u1'), 2)).toBe(false);
        expect(await backend.delete(owner('never'), 0)).toBe(false);
        // After a delete, the owner starts again at version 1.
        expect(await backend.compareAndSwap(rowFor(owner('u1'), 1), 0)).toBe(true);
      });

      it('keeps owners apart, whatever characters their ids hold', async () => {
        const ids = [
          'u1',
          'U1',
          'u1 ',
          'user:with:colons',
          'star*and?glob[chars]',
          'quote\'"back\\slash',
          'percent%_under',
          'émoji-🔑-ユーザー',
          'x'.repeat(256),
        ];
        const rows = ids.map((userId) => rowFor(owner(userId), 1));
        for (const row of rows) expect(await backend.compareAndSwap(row, 0)).toBe(true);
        const otherApp = { appId: `${appId}-other`, userId: 'u1' };
        const otherRow = rowFor(otherApp, 1);
        expect(await backend.compareAndSwap(otherRow, 0)).toBe(true);
        for (const row of rows) expect(await backend.read(owner(row.userId))).toEqual(row);
        expect(await backend.read(otherApp)).toEqual(otherRow);
        expect(await backend.delete(otherApp, 1)).toBe(true);
        expect(await backend.read(owner('u1'))).toEqual(rows[0]);
      });

      it('hands out copies: changing a returned row changes nothing stored', async () => {
        const row = rowFor(owner('u1'), 1);
        const written = { ...row };
        await backend.compareAndSwap(written, 0);
        const read = await backend.read(owner('u1'));
        try {
          (read as { status: string }).status = 'needs_reauth';
          (written as { status: string }).status = 'needs_reauth';
        } catch {
          // A frozen row is fine too.
        }
        expect(await backend.read(owner('u1'))).toEqual(row);
      });
    });

    describe('refresh lock', () => {
      it('excludes a second holder until released, and times out waiting', async () => {
        const first = await backend.acquireRefreshLock(owner('u1'), { ttlMs: 10_000, waitMs: 0 });
        const started = performance.now();
        await expectCode(
          backend.acquireRefreshLock(owner('u1'), { ttlMs: 10_000, waitMs: 300 }),
          TokenStoreErrorCode.LockTimeout,
        );
        const waited = performance.now() - started;
        expect(waited).toBeGreaterThanOrEqual(250);
        expect(waited).toBeLessThan(3_000);
        await first.release();
        const second = await backend.acquireRefreshLock(owner('u1'), {
          ttlMs: 10_000,
          waitMs: 0,
        });
        await second.release();
      });

      it('gives the lock to a waiter as soon as it is released', async () => {
        const first = await backend.acquireRefreshLock(owner('u1'), { ttlMs: 10_000, waitMs: 0 });
        const waiting = backend.acquireRefreshLock(owner('u1'), { ttlMs: 10_000, waitMs: 5_000 });
        await sleep(150);
        const releasedAt = performance.now();
        await first.release();
        const second = await waiting;
        expect(performance.now() - releasedAt).toBeLessThan(2_000);
        await second.release();
      });

      it('keeps locks of different owners independent', async () => {
        const a = await backend.acquireRefreshLock(owner('u1'), { ttlMs: 10_000, waitMs: 0 });
        const b = await backend.acquireRefreshLock(owner('u2'), { ttlMs: 10_000, waitMs: 0 });
        const c = await backend.acquireRefreshLock(
          { appId: `${appId}-other`, userId: 'u1' },
          { ttlMs: 10_000, waitMs: 0 },
        );
        await Promise.all([a.release(), b.release(), c.release()]);
      });

      it('admits one holder at a time among many contenders', async () => {
        let holders = 0;
        let maxHolders = 0;
        let done = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            const lock = await backend.acquireRefreshLock(owner('u1'), {
              ttlMs: 10_000,
              waitMs: 20_000,
            });
            holders++;
            maxHolders = Math.max(maxHolders, holders);
            await sleep(20);
            holders--;
            done++;
            await lock.release();
          }),
        );
        expect(done).toBe(8);
        expect(maxHolders).toBe(1);
      }, 30_000);

      it('frees itself after its TTL, and a late release does not free the next holder', async () => {
        const stale: HeldLock = await backend.acquireRefreshLock(owner('u1'), {
          ttlMs: 500,
          waitMs: 0,
        });
        const started = performance.now();
        const next = await backend.acquireRefreshLock(owner('u1'), {
          ttlMs: 10_000,
          waitMs: 8_000,
        });
        expect(performance.now() - started).toBeGreaterThanOrEqual(300);
        // The first holder wakes up and releases: it must not release the new holder's lock.
        await stale.release();
        await expectCode(
          backend.acquireRefreshLock(owner('u1'), { ttlMs: 10_000, waitMs: 200 }),
          TokenStoreErrorCode.LockTimeout,
        );
        await next.release();
        await next.release(); // idempotent
        const again = await backend.acquireRefreshLock(owner('u1'), { ttlMs: 10_000, waitMs: 0 });
        await again.release();
      }, 20_000);
    });

    describe('maintenance', () => {
      it('scans every row once, in pages', async () => {
        const written = new Map<string, StoredRow>();
        for (let index = 0; index < 25; index++) {
          const row = rowFor(owner(`u${index}`), 1);
          await backend.compareAndSwap(row, 0);
          written.set(row.userId, row);
        }
        // A second version of one row: the scan sees the latest only.
        const latest = rowFor(owner('u3'), 2);
        await backend.compareAndSwap(latest, 1);
        written.set('u3', latest);
        for (const pageSize of [7, 1000]) {
          const seen = new Map<string, StoredRow>();
          for await (const row of backend.scanRows({ pageSize })) {
            if (row.appId !== appId) continue;
            expect(seen.has(row.userId), `row ${row.userId} seen twice`).toBe(false);
            seen.set(row.userId, row);
          }
          expect(seen).toEqual(written);
        }
      });

      it('adds key usage and reads the total with a count of 0', async () => {
        const keyId = `k${randomBytes(6).toString('hex')}`;
        expect(await backend.addKeyUsage(keyId, 0)).toBe(0);
        expect(await backend.addKeyUsage(keyId, 5)).toBe(5);
        expect(await backend.addKeyUsage(keyId, 0)).toBe(5);
        await Promise.all(Array.from({ length: 20 }, () => backend.addKeyUsage(keyId, 1)));
        expect(await backend.addKeyUsage(keyId, 100)).toBe(125);
        const otherKey = `k${randomBytes(6).toString('hex')}`;
        expect(await backend.addKeyUsage(otherKey, 1)).toBe(1);
      });
    });

    describe('the store over this backend', () => {
      let keyring: Keyring;
      let store: TokenStore;
      const keys = { k1: newKey(), k2: newKey() };
      const makeStore = (ring: Keyring) =>
        createTokenStore({ backend, keyring: ring, keyUsageBatchSize: 1 });

      beforeEach(() => {
        keyring = createKeyring({ currentKeyId: 'k1', keys: { k1: keys.k1 } });
        store = makeStore(keyring);
      });

      it('round-trips OAuth 1.0a and OAuth 2.0 records, versions growing', async () => {
        const credentials = {
          key: secret('oauth1-token'),
          secret: secret('oauth1-secret'),
          xUserId: '12345',
          screenName: 'alice',
          accessLevel: 'read-write' as const,
        };
        const put1 = await store.writer.putOAuth1(appId, 'u1', credentials);
        expect(put1.version).toBe(1);
        const got1 = await store.reader.get(appId, 'u1');
        expect(got1?.kind).toBe('oauth1');
        expect(got1?.kind === 'oauth1' && { ...got1.oauth1 }).toEqual(credentials);

        const set = tokenSet(Date.now() + 3_600_000);
        const put2 = await store.writer.putOAuth2(appId, 'u2', set);
        expect(put2.version).toBe(1);
        const again = await store.writer.putOAuth2(appId, 'u2', set, { expectedVersion: 1 });
        expect(again.version).toBe(2);
        const got2 = await store.reader.get(appId, 'u2');
        expect(got2?.kind === 'oauth2' && got2.tokenSet.accessToken).toBe(set.accessToken);
        expect(got2?.kind === 'oauth2' && got2.tokenSet.refreshToken).toBe(set.refreshToken);
        expect(got2?.version).toBe(2);
        const raw = await backend.read(owner('u2'));
        expect(raw?.expiresAt).toBe(set.expiresAt);
        expect(raw?.ciphertext.startsWith('xts1.k1.')).toBe(true);
      });

      it('refuses a stale expectedVersion and keeps the stored value', async () => {
        const first = tokenSet(Date.now() + 3_600_000, 'first');
        await store.writer.putOAuth2(appId, 'u1', first);
        await expectCode(
          store.writer.putOAuth2(appId, 'u1', tokenSet(Date.now(), 'stale'), {
            expectedVersion: 0,
          }),
          TokenStoreErrorCode.VersionConflict,
        );
        const got = await store.reader.get(appId, 'u1');
        expect(got?.kind === 'oauth2' && got.tokenSet.accessToken).toBe(first.accessToken);
        expect(got?.version).toBe(1);
      });

      it('detects a tampered row and a row copied to another user or kind', async () => {
        await store.writer.putOAuth2(appId, 'victim', tokenSet(Date.now() + 3_600_000));
        const stored = await backend.read(owner('victim'));
        if (stored === undefined) throw new Error('row missing');

        // Copied to another user (an attacker with write access to the table).
        await backend.compareAndSwap({ ...stored, userId: 'attacker', version: 1 }, 0);
        await expectCode(store.reader.get(appId, 'attacker'), TokenStoreErrorCode.DecryptionFailed);
        // Copied to another app.
        await backend.compareAndSwap({ ...stored, appId: `${appId}-x`, version: 1 }, 0);
        await expectCode(
          store.reader.get(`${appId}-x`, 'victim'),
          TokenStoreErrorCode.DecryptionFailed,
        );
        await backend.delete({ appId: `${appId}-x`, userId: 'victim' }, 1);
        // Relabelled as the other kind.
        await backend.compareAndSwap(
          { ...stored, kind: 'oauth1', expiresAt: null, version: stored.version + 1 },
          stored.version,
        );
        await expectCode(store.reader.get(appId, 'victim'), TokenStoreErrorCode.DecryptionFailed);
        // One character of the ciphertext changed.
        const last = stored.ciphertext.at(-2) === 'A' ? 'B' : 'A';
        const tampered = `${stored.ciphertext.slice(0, -2)}${last}${stored.ciphertext.slice(-1)}`;
        await backend.compareAndSwap(
          { ...stored, ciphertext: tampered, version: stored.version + 2 },
          stored.version + 1,
        );
        await expectCode(store.reader.get(appId, 'victim'), TokenStoreErrorCode.DecryptionFailed);
      });

      it('rotates every row to the current key while old rows stay readable', async () => {
        const sets = new Map<string, TokenSet>();
        for (let index = 0; index < 12; index++) {
          const set = tokenSet(Date.now() + 3_600_000, `rot${index}`);
          sets.set(`u${index}`, set);
          await store.writer.putOAuth2(appId, `u${index}`, set);
        }
        await store.writer.putOAuth1(appId, 'oauth1-user', {
          key: secret('rot-oauth1'),
          secret: secret('rot-oauth1-secret'),
          xUserId: '1',
          screenName: 'bob',
          accessLevel: 'read',
        });
        const both = createKeyring({ currentKeyId: 'k2', keys });
        const rotating = makeStore(both);
        // Reads of old rows work through the new keyring before and during rotation.
        const read = await rotating.reader.get(appId, 'u0');
        expect(read?.kind === 'oauth2' && read.tokenSet.accessToken).toBe(
          sets.get('u0')?.accessToken,
        );
        const result = await rotating.rotate({ pageSize: 5 });
        expect(result.rotated).toBeGreaterThanOrEqual(13);
        expect(result.failures.filter((failure) => failure.appId === appId)).toEqual([]);
        const onlyK2 = makeStore(createKeyring({ currentKeyId: 'k2', keys: { k2: keys.k2 } }));
        for (const [userId, set] of sets) {
          const row = await backend.read(owner(userId));
          expect(row?.keyId).toBe('k2');
          expect(row?.version).toBe(2);
          const record = await onlyK2.reader.get(appId, userId);
          expect(record?.kind === 'oauth2' && record.tokenSet.refreshToken).toBe(set.refreshToken);
        }
        expect((await onlyK2.reader.get(appId, 'oauth1-user'))?.kind).toBe('oauth1');
        // The old store, without k2, now gets a typed error, not garbage.
        await expectCode(store.reader.get(appId, 'u0'), TokenStoreErrorCode.UnknownKeyId);
        const second = await rotating.rotate();
        expect(second.rotated).toBe(0);
      });

      it('refreshes once for many concurrent callers, across two stores', async () => {
        await store.writer.putOAuth2(appId, 'u1', tokenSet(Date.now() - 1_000, 'expired'));
        const other = makeStore(keyring);
        let calls = 0;
        const refresh = async (current: TokenSet) => {
          calls++;
          await sleep(50);
          return new TokenSet({
            accessToken: secret('refreshed-access'),
            refreshToken: secret('refreshed-refresh'),
            expiresAt: Date.now() + 7_200_000,
            scopes: current.scopes,
            tokenType: 'bearer',
          });
        };
        const results = await Promise.all(
          Array.from({ length: 40 }, (_, index) =>
            (index % 2 === 0 ? store : other).writer.getFreshTokenSet(appId, 'u1', refresh),
          ),
        );
        expect(calls).toBe(1);
        expect(new Set(results.map((set) => set.accessToken)).size).toBe(1);
        const record = await store.reader.get(appId, 'u1');
        expect(record?.version).toBe(2);
        expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).toBe(
          results[0]?.accessToken,
        );
      });

      it('keeps a dead grant as needs_reauth', async () => {
        await store.writer.putOAuth2(appId, 'u1', tokenSet(Date.now() - 1_000));
        const dead = new PkceError(PkceErrorCode.RefreshTokenDead, 'dead', {
          status: 400,
          oauthError: 'invalid_request',
        });
        await expectCode(
          store.writer.getFreshTokenSet(appId, 'u1', async () => {
            throw dead;
          }),
          TokenStoreErrorCode.NeedsReauth,
        );
        const row = await backend.read(owner('u1'));
        expect(row?.status).toBe('needs_reauth');
        expect(row?.version).toBe(2);
        expect((await store.reader.get(appId, 'u1'))?.status).toBe('needs_reauth');
      });

      it('counts encryptions per key in the backend', async () => {
        const keyId = `k${randomBytes(4).toString('hex')}`;
        const counted = makeStore(
          createKeyring({ currentKeyId: keyId, keys: { [keyId]: newKey() } }),
        );
        for (let index = 0; index < 3; index++) {
          await counted.writer.putOAuth2(appId, `u${index}`, tokenSet(Date.now() + 60_000));
        }
        expect(await counted.keyUsage()).toEqual({ [keyId]: 3 });
        expect(await backend.addKeyUsage(keyId, 0)).toBe(3);
      });

      it('holds no token or secret in anything it stores', async () => {
        const secrets: string[] = [];
        for (let index = 0; index < 5; index++) {
          const set = tokenSet(Date.now() + 3_600_000, `dump${index}`);
          secrets.push(set.accessToken, set.refreshToken ?? '');
          await store.writer.putOAuth2(appId, `u${index}`, set);
        }
        const credentials = {
          key: secret('dump-oauth1'),
          secret: secret('dump-oauth1-secret'),
          xUserId: '42',
          screenName: 'carol',
          accessLevel: 'read-write-dm' as const,
        };
        secrets.push(credentials.key, credentials.secret);
        await store.writer.putOAuth1(appId, 'oauth1', credentials);
        await store.writer.getFreshTokenSet(appId, 'u0', async () => {
          throw new Error('not expired: no refresh');
        });
        const dump = await context.dumpRaw();
        // The dump holds the rows (so it really is a dump of the data)...
        expect(dump).toContain('xts1.k1.');
        // ...and none of the secrets, not even a fragment.
        for (const value of secrets) {
          expect(dump).not.toContain(value);
          expect(dump).not.toContain(value.slice(-24));
        }
        expect(dump).not.toContain(keys.k1);
        expect(dump).not.toContain(Buffer.from(keys.k1, 'base64').toString('hex'));
      });
    });
  });
}
