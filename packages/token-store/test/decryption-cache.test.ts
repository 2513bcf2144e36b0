// The store's decryption cache: an unchanged row is served from it, and no other row ever is
// (a new version, other bytes, another owner, a changed byte, key id or kind). A hit returns
// the very TokenSet object remembered, a decryption a new one, which is how these tests tell
// the two apart.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { TokenSet } from '@x-oauth/pkce';
import { describe, expect, it } from 'vitest';
import type { StoredRow, TokenBackend } from '../src/backend.js';
import {
  createKeyring,
  createMemoryBackend,
  createTokenStore,
  TokenStoreErrorCode,
  type TokenStoreOptions,
} from '../src/index.js';
import { codeOf } from './error-code.js';

const keys = { k1: randomBytes(32).toString('base64'), k2: randomBytes(32).toString('base64') };
const keyring = createKeyring({ currentKeyId: 'k1', keys });
const APP = 'cache-app';
let counter = 0;

function tokenSet(): TokenSet {
  counter++;
  return new TokenSet({
    accessToken: `ACCESS-SECRET-${counter}`,
    refreshToken: `REFRESH-SECRET-${counter}`,
    expiresAt: Date.now() + 3_600_000,
    scopes: ['tweet.read', 'offline.access'],
    tokenType: 'bearer',
  });
}

// The cache is off unless asked for: these stores ask for it, unless a test says otherwise.
function newStore(overrides: Partial<TokenStoreOptions> = {}) {
  const backend: TokenBackend = overrides.backend ?? createMemoryBackend();
  return {
    backend,
    store: createTokenStore({ backend, keyring, decryptionCacheSize: 100, ...overrides }),
  };
}

async function tokenSetOf(
  store: ReturnType<typeof createTokenStore>,
  userId: string,
): Promise<TokenSet> {
  const record = await store.reader.get(APP, userId);
  if (record?.kind !== 'oauth2') throw new Error('expected an OAuth 2.0 record');
  return record.tokenSet;
}

/** Writes `row` over whatever the backend holds for its owner, outside the store. */
async function overwrite(backend: TokenBackend, row: StoredRow): Promise<void> {
  const current = await backend.read(row);
  const version = current?.version ?? 0;
  expect(await backend.compareAndSwap({ ...row, version: version + 1 }, version)).toBe(true);
}

/** The same envelope with one character of its ciphertext changed (still valid base64url). */
function flipOneCharacter(envelope: string): string {
  const at = envelope.length - 30;
  const replacement = envelope[at] === 'A' ? 'B' : 'A';
  return `${envelope.slice(0, at)}${replacement}${envelope.slice(at + 1)}`;
}

describe('decryption cache', () => {
  it('serves an unchanged row from the cache, and the same content either way', async () => {
    const { store } = newStore();
    const set = tokenSet();
    await store.writer.putOAuth2(APP, 'alice', set);
    const first = await tokenSetOf(store, 'alice');
    const second = await tokenSetOf(store, 'alice');
    expect(second).toBe(first);
    expect({ ...first }).toEqual({ ...set });
    expect(await store.writer.get(APP, 'alice')).toMatchObject({ version: 1, status: 'active' });
  });

  it('decrypts every read by default, and when decryptionCacheSize is 0', async () => {
    for (const store of [
      createTokenStore({ backend: createMemoryBackend(), keyring }),
      newStore({ decryptionCacheSize: 0 }).store,
    ]) {
      await store.writer.putOAuth2(APP, 'alice', tokenSet());
      const first = await tokenSetOf(store, 'alice');
      const second = await tokenSetOf(store, 'alice');
      expect(second).not.toBe(first);
      expect({ ...second }).toEqual({ ...first });
    }
  });

  it('never serves a new version written through the store', async () => {
    const { store } = newStore();
    const { version } = await store.writer.putOAuth2(APP, 'alice', tokenSet());
    await tokenSetOf(store, 'alice');
    const next = tokenSet();
    await store.writer.putOAuth2(APP, 'alice', next, { expectedVersion: version });
    const read = await tokenSetOf(store, 'alice');
    expect(read.accessToken).toBe(next.accessToken);
    expect(await store.reader.get(APP, 'alice')).toMatchObject({ version: version + 1 });
  });

  it('never serves a row another process wrote (other bytes), and shows each new version', async () => {
    const { backend, store } = newStore();
    const writer = createTokenStore({ backend, keyring });
    await store.writer.putOAuth2(APP, 'alice', tokenSet());
    const cached = await tokenSetOf(store, 'alice');
    const next = tokenSet();
    await writer.writer.putOAuth2(APP, 'alice', next);
    const read = await tokenSetOf(store, 'alice');
    expect(read).not.toBe(cached);
    expect(read.accessToken).toBe(next.accessToken);
  });

  it('takes the plain columns from the row: a status change shows at once', async () => {
    const { store } = newStore();
    const { version } = await store.writer.putOAuth2(APP, 'alice', tokenSet());
    const cached = await tokenSetOf(store, 'alice');
    await store.writer.markNeedsReauth(APP, 'alice', version);
    const record = await store.reader.get(APP, 'alice');
    expect(record).toMatchObject({ version: version + 1, status: 'needs_reauth' });
    expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).toBe(cached.accessToken);
  });

  it('refuses a cached row copied to another user, app or kind', async () => {
    const { backend, store } = newStore();
    await store.writer.putOAuth2(APP, 'alice', tokenSet());
    await tokenSetOf(store, 'alice');
    const row = await backend.read({ appId: APP, userId: 'alice' });
    if (row === undefined) throw new Error('no row');
    await overwrite(backend, { ...row, userId: 'bob' });
    expect(await codeOf(store.reader.get(APP, 'bob'))).toBe(TokenStoreErrorCode.DecryptionFailed);
    await overwrite(backend, { ...row, appId: 'other-app' });
    expect(await codeOf(store.reader.get('other-app', 'alice'))).toBe(
      TokenStoreErrorCode.DecryptionFailed,
    );
    // The same bytes under the same owner, claiming another kind: not the cached payload.
    await overwrite(backend, { ...row, kind: 'oauth1', expiresAt: null });
    expect(await codeOf(store.reader.get(APP, 'alice'))).toBe(TokenStoreErrorCode.DecryptionFailed);
  });

  it('refuses a cached row with a changed byte, or a key id column that disagrees', async () => {
    const { backend, store } = newStore();
    await store.writer.putOAuth2(APP, 'alice', tokenSet());
    await tokenSetOf(store, 'alice');
    const row = await backend.read({ appId: APP, userId: 'alice' });
    if (row === undefined) throw new Error('no row');
    await overwrite(backend, { ...row, ciphertext: flipOneCharacter(row.ciphertext) });
    expect(await codeOf(store.reader.get(APP, 'alice'))).toBe(TokenStoreErrorCode.DecryptionFailed);
    await overwrite(backend, { ...row, keyId: 'k2' });
    expect(await codeOf(store.reader.get(APP, 'alice'))).toBe(TokenStoreErrorCode.CorruptRow);
    await overwrite(backend, { ...row, expiresAt: (row.expiresAt ?? 0) + 1 });
    expect(await codeOf(store.reader.get(APP, 'alice'))).toBe(TokenStoreErrorCode.CorruptRow);
    // Put back exactly as it was: the same bytes read as before.
    await overwrite(backend, row);
    expect((await tokenSetOf(store, 'alice')).accessToken).toMatch(/^ACCESS-SECRET-/);
  });

  it('forgets a deleted record', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2(APP, 'alice', tokenSet());
    await tokenSetOf(store, 'alice');
    expect(await store.writer.delete(APP, 'alice')).toBe(true);
    expect(await store.reader.get(APP, 'alice')).toBeUndefined();
  });

  it('reads rotated rows under the new key, not what it remembered', async () => {
    const { backend, store } = newStore();
    await store.writer.putOAuth2(APP, 'alice', tokenSet());
    const cached = await tokenSetOf(store, 'alice');
    const rotatedKeyring = createKeyring({ currentKeyId: 'k2', keys });
    const rotating = createTokenStore({ backend, keyring: rotatedKeyring });
    expect(await rotating.rotate()).toMatchObject({ rotated: 1, failed: 0 });
    const row = await backend.read({ appId: APP, userId: 'alice' });
    expect(row?.keyId).toBe('k2');
    const read = await tokenSetOf(store, 'alice');
    expect(read).not.toBe(cached);
    expect({ ...read }).toEqual({ ...cached });
    // A store's own rotate starts from an empty cache.
    const again = await tokenSetOf(rotating, 'alice');
    expect(await rotating.rotate()).toMatchObject({ rotated: 0, unchanged: 1 });
    expect(await tokenSetOf(rotating, 'alice')).not.toBe(again);
  });

  it('keeps at most decryptionCacheSize owners, and still reads the others', async () => {
    const { store } = newStore({ decryptionCacheSize: 2 });
    for (const userId of ['u1', 'u2', 'u3']) await store.writer.putOAuth2(APP, userId, tokenSet());
    const u1 = await tokenSetOf(store, 'u1');
    await tokenSetOf(store, 'u2');
    await tokenSetOf(store, 'u3');
    // u1 was evicted for u3: decrypted again, same content.
    const again = await tokenSetOf(store, 'u1');
    expect(again).not.toBe(u1);
    expect({ ...again }).toEqual({ ...u1 });
  });

  it('shows no cached token in inspect or JSON of the store and its handles', async () => {
    const { store } = newStore();
    await store.writer.putOAuth2(APP, 'alice', tokenSet());
    await tokenSetOf(store, 'alice');
    for (const output of [
      inspect(store, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      inspect(store.reader, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      JSON.stringify(store),
      JSON.stringify(store.writer),
    ]) {
      expect(output).not.toContain('SECRET');
    }
  });

  it('refuses a malformed decryptionCacheSize', () => {
    for (const decryptionCacheSize of [-1, 1.5, Number.NaN, '10' as unknown as number]) {
      expect(() => newStore({ decryptionCacheSize })).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
      );
    }
  });
});
