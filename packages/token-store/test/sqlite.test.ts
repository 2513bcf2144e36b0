import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TokenSet } from '@x-oauth/pkce';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createKeyring, createTokenStore, TokenStoreErrorCode } from '../src/index.js';
import { createSqliteBackend } from '../src/sqlite.js';
import { describeBackendConformance } from './conformance.js';

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, '..');
const directory = mkdtempSync(join(tmpdir(), 'x-oauth-token-store-sqlite-'));
let fileCounter = 0;

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

function freshPath(): string {
  fileCounter += 1;
  return join(directory, `tokens-${fileCounter}.sqlite`);
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function keyring() {
  return createKeyring({
    currentKeyId: 'k1',
    keys: { k1: randomBytes(32).toString('base64') },
  });
}

function tokenSet(tag: string): TokenSet {
  return new TokenSet({
    accessToken: `access-${tag}-${randomBytes(12).toString('hex')}`,
    refreshToken: `refresh-${tag}-${randomBytes(12).toString('hex')}`,
    expiresAt: Date.now() + 7_200_000,
    scopes: ['tweet.read', 'users.read', 'offline.access'],
    tokenType: 'bearer',
  });
}

function rawBytes(path: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${path}${suffix}`)
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString('latin1'))
    .join('\n');
}

describeBackendConformance('sqlite', async () => {
  const path = freshPath();
  const backend = createSqliteBackend({ path });
  return {
    backend,
    cleanup: async () => {
      await backend.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    },
    // The database file and its WAL and shared-memory files, byte for byte.
    dumpRaw: async () => rawBytes(path),
  };
});

describe('sqlite backend: files', () => {
  it('creates the database, -wal and -shm files with mode 0600', async () => {
    const path = freshPath();
    const backend = createSqliteBackend({ path });
    const store = createTokenStore({ backend, keyring: keyring() });
    await store.writer.putOAuth2('app', 'user-1', tokenSet('a'));
    await store.writer.putOAuth2('app', 'user-2', tokenSet('b'));
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(existsSync(`${path}-shm`)).toBe(true);
    expect(mode(path)).toBe(0o600);
    expect(mode(`${path}-wal`)).toBe(0o600);
    expect(mode(`${path}-shm`)).toBe(0o600);
    await store.close();
  });

  it('tightens an existing 0644 database file to 0600', async () => {
    const path = freshPath();
    writeFileSync(path, '', { mode: 0o644 });
    expect(mode(path)).toBe(0o644);
    const backend = createSqliteBackend({ path });
    expect(mode(path)).toBe(0o600);
    await backend.close();
  });

  it('uses WAL, synchronous=FULL by default, and records the schema version', async () => {
    const path = freshPath();
    const backend = createSqliteBackend({ path });
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    raw.close();
    await backend.close();
  });

  it('refuses a database written by a newer schema version', async () => {
    const path = freshPath();
    const raw = new Database(path);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => createSqliteBackend({ path })).toThrow(
      expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
    );
  });

  it('rejects malformed options with TOKEN_STORE_INVALID_CONFIG', () => {
    expect(() => createSqliteBackend({ path: '' })).toThrow(
      expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
    );
    expect(() =>
      createSqliteBackend({ path: freshPath(), synchronous: 'OFF' as unknown as 'FULL' }),
    ).toThrow(expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }));
  });

  it('keeps no token, secret or refresh token in the file or its WAL', async () => {
    const path = freshPath();
    const backend = createSqliteBackend({ path });
    const store = createTokenStore({ backend, keyring: keyring() });
    const secrets: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      const set = tokenSet(`u${index}`);
      secrets.push(set.accessToken, set.refreshToken ?? '');
      await store.writer.putOAuth2('app', `user-${index}`, set);
    }
    const oauth1 = {
      key: `oauth1-token-${randomBytes(12).toString('hex')}`,
      secret: `oauth1-secret-${randomBytes(12).toString('hex')}`,
      xUserId: '12345',
      screenName: 'someone',
      accessLevel: 'read-write' as const,
    };
    secrets.push(oauth1.key, oauth1.secret);
    await store.writer.putOAuth1('app', 'oauth1-user', oauth1);
    // Overwrite a few rows: the old versions must not linger either.
    for (let index = 0; index < 5; index += 1) {
      const current = await store.writer.get('app', `user-${index}`);
      const set = tokenSet(`again${index}`);
      secrets.push(set.accessToken, set.refreshToken ?? '');
      await store.writer.putOAuth2('app', `user-${index}`, set, {
        expectedVersion: current?.version ?? 0,
      });
    }
    const bytes = rawBytes(path);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes).toContain('xts1.'); // the envelopes are there...
    for (const secret of secrets) expect(bytes.includes(secret)).toBe(false); // ...never a token
    await store.close();
  });

  it('fails with TOKEN_STORE_DECRYPTION_FAILED on a row copied to another owner by raw SQL', async () => {
    const path = freshPath();
    const backend = createSqliteBackend({ path });
    const store = createTokenStore({ backend, keyring: keyring() });
    await store.writer.putOAuth2('app', 'alice', tokenSet('alice'));
    await store.writer.putOAuth2('app', 'mallory', tokenSet('mallory'));
    const raw = new Database(path);
    raw
      .prepare(
        `UPDATE tokens SET ciphertext = (SELECT ciphertext FROM tokens WHERE user_id = 'alice')
         WHERE user_id = 'mallory'`,
      )
      .run();
    raw
      .prepare(
        `INSERT INTO tokens (app_id, user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at)
         SELECT 'other-app', user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at
         FROM tokens WHERE user_id = 'alice'`,
      )
      .run();
    raw.close();
    await expect(store.reader.get('app', 'mallory')).rejects.toMatchObject({
      code: TokenStoreErrorCode.DecryptionFailed,
    });
    await expect(store.reader.get('other-app', 'alice')).rejects.toMatchObject({
      code: TokenStoreErrorCode.DecryptionFailed,
    });
    expect((await store.reader.get('app', 'alice'))?.kind).toBe('oauth2');
    await store.close();
  });
});

describe('sqlite backend: compare-and-swap and scan', () => {
  it('inserts once, updates only from the expected version, and never rolls back', async () => {
    const backend = createSqliteBackend({ path: freshPath() });
    const owner = { appId: 'app', userId: 'u' };
    const row = {
      ...owner,
      kind: 'oauth2' as const,
      status: 'active' as const,
      keyId: 'k1',
      ciphertext: 'xts1.k1.aaa.bbb',
      expiresAt: 1_000,
      updatedAt: 1,
    };
    expect(await backend.compareAndSwap({ ...row, version: 1 }, 0)).toBe(true);
    expect(await backend.compareAndSwap({ ...row, version: 1 }, 0)).toBe(false);
    expect(await backend.compareAndSwap({ ...row, version: 2, ciphertext: 'x2' }, 1)).toBe(true);
    expect(await backend.compareAndSwap({ ...row, version: 2, ciphertext: 'x3' }, 1)).toBe(false);
    expect((await backend.read(owner))?.ciphertext).toBe('x2');
    expect(await backend.delete(owner, 1)).toBe(false);
    expect(await backend.delete(owner, 2)).toBe(true);
    expect(await backend.read(owner)).toBeUndefined();
    await backend.close();
  });

  it('scans every row in primary-key pages', async () => {
    const backend = createSqliteBackend({ path: freshPath() });
    for (let index = 0; index < 25; index += 1) {
      await backend.compareAndSwap(
        {
          appId: index % 2 === 0 ? 'a' : 'b',
          userId: `u${String(index).padStart(2, '0')}`,
          kind: 'oauth1',
          version: 1,
          status: 'active',
          keyId: 'k1',
          ciphertext: `c${index}`,
          expiresAt: null,
          updatedAt: index,
        },
        0,
      );
    }
    const seen: string[] = [];
    for await (const row of backend.scanRows({ pageSize: 4 }))
      seen.push(`${row.appId}/${row.userId}`);
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toEqual([...seen].sort());
    await backend.close();
  });
});

describe('sqlite backend: the refresh lease', () => {
  const owner = { appId: 'app', userId: 'lease-user' };

  it('is exclusive across two connections to the same file, and waits without blocking', async () => {
    const path = freshPath();
    const first = createSqliteBackend({ path });
    const second = createSqliteBackend({ path });
    const held = await first.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 0 });
    // While the second connection waits, timers still fire: the event loop is not blocked.
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 10);
    const started = performance.now();
    await expect(
      second.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 200 }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout, retryable: true });
    clearInterval(ticker);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(ticks).toBeGreaterThanOrEqual(5);
    // A waiter gets it soon after the holder releases.
    const waiting = second.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 2_000 });
    setTimeout(() => void held.release(), 50);
    const taken = await waiting;
    await taken.release();
    await first.close();
    await second.close();
  });

  it('frees itself after the TTL, and a late release does not free the next holder', async () => {
    const path = freshPath();
    const first = createSqliteBackend({ path });
    const second = createSqliteBackend({ path });
    const stale = await first.acquireRefreshLock(owner, { ttlMs: 100, waitMs: 0 });
    const started = performance.now();
    const current = await second.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 2_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    await stale.release(); // the holder token differs: deletes nothing
    await expect(
      first.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 50 }),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout });
    await current.release();
    await current.release(); // idempotent
    const again = await first.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 0 });
    await again.release();
    await first.close();
    await second.close();
  });

  it('does not lock other owners', async () => {
    const backend = createSqliteBackend({ path: freshPath() });
    const a = await backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 0 });
    const b = await backend.acquireRefreshLock(
      { appId: 'app', userId: 'someone-else' },
      { ttlMs: 10_000, waitMs: 0 },
    );
    await a.release();
    await b.release();
    await backend.close();
  });

  describe('across processes', () => {
    const children: ChildProcess[] = [];
    afterAll(() => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    });

    // The child runs the real backend code as built (turbo builds before testing):
    // dist/sqlite.js, which resolves better-sqlite3 from this package.
    function childScript(): string {
      const script = join(directory, 'lease-child.mjs');
      if (existsSync(script)) return script;
      writeFileSync(
        script,
        `import { createSqliteBackend } from ${JSON.stringify(pathToFileURL(join(packageRoot, 'dist', 'sqlite.js')).href)};
const [path, ttl, wait] = process.argv.slice(2);
const backend = createSqliteBackend({ path });
backend.acquireRefreshLock({ appId: 'app', userId: 'lease-user' }, { ttlMs: Number(ttl), waitMs: Number(wait) }).then(
  (held) => {
    process.stdout.write('locked\\n');
    process.stdin.on('data', async () => { await held.release(); process.stdout.write('released\\n'); });
  },
  (error) => {
    process.stdout.write('failed ' + error.code + '\\n');
    backend.close();
    process.stdin.destroy();
  },
);
`,
      );
      return script;
    }

    function spawnChild(path: string, ttlMs: number, waitMs: number): ChildProcess {
      const child = spawn(process.execPath, [childScript(), path, String(ttlMs), String(waitMs)], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.push(child);
      return child;
    }

    function startChild(path: string, ttlMs: number): Promise<ChildProcess> {
      const child = spawn(process.execPath, [childScript(), path, String(ttlMs), '5000'], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      children.push(child);
      return new Promise((resolveChild, rejectChild) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('locked')) resolveChild(child);
        });
        child.on('exit', (code) => rejectChild(new Error(`child exited with ${code}`)));
      });
    }

    it('excludes another process until it releases', async () => {
      const path = freshPath();
      createSqliteBackend({ path }).close();
      const child = await startChild(path, 30_000);
      const backend = createSqliteBackend({ path });
      await expect(
        backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 200 }),
      ).rejects.toMatchObject({ code: TokenStoreErrorCode.LockTimeout });
      const waiting = backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 5_000 });
      child.stdin?.write('release\n');
      const held = await waiting;
      await held.release();
      child.kill('SIGKILL');
      await backend.close();
    });

    it('keeps a waiting process alive until it has the lock or a typed timeout', async () => {
      // The poll's timers are not unref'd: a script with nothing else to do must not exit
      // silently in the middle of waiting for the lease.
      const path = freshPath();
      const backend = createSqliteBackend({ path });
      const held = await backend.acquireRefreshLock(owner, { ttlMs: 30_000, waitMs: 0 });
      const child = spawnChild(path, 30_000, 300);
      child.stdin?.end();
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      const exitCode = await new Promise<number | null>((resolveExit) =>
        child.on('exit', (code) => resolveExit(code)),
      );
      expect(output.trim()).toBe(`failed ${TokenStoreErrorCode.LockTimeout}`);
      expect(exitCode).toBe(0);
      await held.release();
      await backend.close();
    });

    it('frees the lease of a SIGKILLed holder once its TTL has passed', async () => {
      const path = freshPath();
      createSqliteBackend({ path }).close();
      const child = await startChild(path, 400);
      child.kill('SIGKILL');
      const backend = createSqliteBackend({ path });
      const started = performance.now();
      const held = await backend.acquireRefreshLock(owner, { ttlMs: 10_000, waitMs: 5_000 });
      // Not before the dead holder's TTL (400 ms from its acquisition), and not much after.
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
      expect(performance.now() - started).toBeLessThan(3_000);
      await held.release();
      await backend.close();
    });
  });
});
