// A worker process of test/rolling-rotation.test.ts: one store on the shared backend whose
// keyring is a file re-read every `reloadIntervalMs`. `work` writes, reads and refreshes its
// own owners and reads the other workers' owners until `until`; `rotate` runs the documented
// rolling key rotation (add the key, make it primary, rotate, retire the old key).
import { renameSync, writeFileSync } from 'node:fs';
import { TokenSet } from '@x-oauth/pkce';
import { createTokenStore, keyringFromFile } from '@x-oauth/token-store';
import { openBackend, serveParent } from './open-backend.mjs';

/** @type {import('@x-oauth/token-store').TokenStore | undefined} */
let store;
let keyringPath = '';
let intervalMs = 0;
const SCOPES = ['tweet.read', 'users.read', 'offline.access'];

function tokenSet(tag) {
  return new TokenSet({
    accessToken: `access-${tag}-${Math.random().toString(36).slice(2)}`,
    refreshToken: `refresh-${tag}-${Math.random().toString(36).slice(2)}`,
    // Inside the refresh skew: every getFreshTokenSet refreshes (and writes).
    expiresAt: Date.now() + 1_000,
    scopes: SCOPES,
    tokenType: 'bearer',
  });
}

function writeKeyring(config) {
  const temp = `${keyringPath}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(config), { mode: 0o600 });
  renameSync(temp, keyringPath);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

serveParent({
  async init(message) {
    keyringPath = message.keyringPath;
    intervalMs = message.reloadIntervalMs;
    const backend = await openBackend(message.backend);
    store = createTokenStore({
      backend,
      keyring: keyringFromFile(keyringPath, { reloadIntervalMs: intervalMs }),
    });
    return { pid: process.pid };
  },

  async work({ appId, own, others, until }) {
    if (store === undefined) throw new Error('work before init');
    const errors = [];
    let operations = 0;
    const note = (error) =>
      errors.push({ code: error?.code, message: String(error?.message ?? error) });
    const refresh = async (current) => tokenSet(`r-${current.accessToken.slice(0, 12)}`);
    while (Date.now() < until) {
      for (const userId of own) {
        try {
          const current = await store.writer.get(appId, userId);
          await store.writer.putOAuth2(appId, userId, tokenSet(userId), {
            expectedVersion: current?.version ?? 0,
          });
          await store.writer.getFreshTokenSet(appId, userId, refresh);
          operations += 3;
        } catch (error) {
          note(error);
        }
      }
      for (const userId of others) {
        try {
          await store.reader.get(appId, userId);
          operations++;
        } catch (error) {
          note(error);
        }
      }
    }
    return { operations, errors: errors.slice(0, 5), errorCount: errors.length };
  },

  async rotate({ k1, k2 }) {
    if (store === undefined) throw new Error('rotate before init');
    // Each step waits until every instance has re-read the file (three intervals, to spare).
    const settle = () => sleep(intervalMs * 3);
    writeKeyring({ currentKeyId: 'k1', keys: { k1, k2 } }); // 1. add the new key everywhere
    await settle();
    writeKeyring({ currentKeyId: 'k2', keys: { k1, k2 } }); // 2. make it primary
    await settle();
    const first = await store.rotate(); // 3. re-encrypt every row under k2
    await settle();
    writeKeyring({ currentKeyId: 'k2', keys: { k2 } }); // 4. retire the old key
    await settle();
    const second = await store.rotate();
    return { first, second };
  },

  async close() {
    await store?.close();
    return {};
  },
});
