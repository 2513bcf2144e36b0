// A SQLite file written by the token-store before the OAuth 1.0a record became
// `{ key, secret, xUserId, … }` (test/fixtures/before-key-secret-rename.sqlite, made with the
// 0.0.0 build: key k1 is 32 bytes of 7, clock 1_700_000_000_000). This version must read it.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyring, createTokenStore, OAuth1Credentials } from '../src/index.js';
import { createSqliteBackend } from '../src/sqlite.js';

const fixture = new URL('./fixtures/before-key-secret-rename.sqlite', import.meta.url).pathname;
let directory: string | undefined;

afterEach(() => {
  if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
});

function openCopy() {
  directory = mkdtempSync(join(tmpdir(), 'token-store-old-'));
  const path = join(directory, 'tokens.sqlite');
  copyFileSync(fixture, path);
  const keyring = createKeyring({
    currentKeyId: 'k1',
    keys: { k1: Buffer.alloc(32, 7).toString('base64') },
  });
  return createTokenStore({ backend: createSqliteBackend({ path }), keyring });
}

describe('rows written before the { key, secret } rename', () => {
  it('decrypt into the new shape', async () => {
    const store = openCopy();
    try {
      const oauth1 = await store.reader.get('fixture-app', 'user-1');
      expect(oauth1?.kind).toBe('oauth1');
      if (oauth1?.kind !== 'oauth1') return;
      expect(oauth1.oauth1).toBeInstanceOf(OAuth1Credentials);
      expect({ ...oauth1.oauth1 }).toEqual({
        key: '1234-oauth1-access-token',
        secret: 'oauth1-token-secret',
        xUserId: '1234',
        screenName: 'fixture_user',
        accessLevel: 'read-write',
      });
      expect(oauth1).toMatchObject({ version: 1, status: 'active', updatedAt: 1_700_000_000_000 });

      const oauth2 = await store.reader.get('fixture-app', 'user-2');
      expect(oauth2?.kind === 'oauth2' && { ...oauth2.tokenSet }).toEqual({
        accessToken: 'oauth2-access-token',
        refreshToken: 'oauth2-refresh-token',
        expiresAt: 1_700_007_200_000,
        scopes: ['tweet.read', 'users.read', 'offline.access'],
        tokenType: 'bearer',
      });
    } finally {
      await store.close();
    }
  });

  it('can be rewritten and read back by this version', async () => {
    const store = openCopy();
    try {
      const record = await store.writer.get('fixture-app', 'user-1');
      if (record?.kind !== 'oauth1') throw new Error('expected the OAuth 1.0a fixture row');
      const written = await store.writer.putOAuth1(
        'fixture-app',
        'user-1',
        { ...record.oauth1, screenName: 'renamed_user' },
        { expectedVersion: record.version },
      );
      expect(written.version).toBe(2);
      const again = await store.reader.get('fixture-app', 'user-1');
      expect(again?.kind === 'oauth1' && again.oauth1).toMatchObject({
        key: '1234-oauth1-access-token',
        secret: 'oauth1-token-secret',
        screenName: 'renamed_user',
      });
    } finally {
      await store.close();
    }
  });
});
