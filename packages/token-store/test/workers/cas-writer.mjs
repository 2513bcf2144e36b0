// A worker process of test/sigkill.test.ts: a writer that never stops until it is killed.
// Several concurrent loops read a record and write it back by compare-and-swap with a new
// token set whose access and refresh tokens carry the same counter (the version it writes),
// and one loop now and then re-encrypts every row under the other key (`rotate`). Every
// acknowledged write is reported to the parent, which then kills this process with SIGKILL at
// a random moment and checks that the rows survived whole.
import { TokenSet } from '@x-oauth/pkce';
import { createKeyring, createTokenStore } from '@x-oauth/token-store';
import { openBackend, serveParent } from './open-backend.mjs';

const SCOPES = ['tweet.read', 'users.read', 'offline.access'];
// Short lock timings: a rotation killed while holding an owner's lock must not stall the next
// worker's rotation for the default 20 s.
const TIMINGS = {
  tokenRequestTimeoutMs: 300,
  writeTimeoutMs: 300,
  lockTtlMs: 1_000,
  lockWaitMs: 100,
};

let writes = 0;
/** @type {(() => void) | undefined} */
let run;

serveParent({
  async init({ backend: backendConfig, keyring, appId, userIds, loops, rotateEvery }) {
    const backend = await openBackend(backendConfig);
    // Two stores over one backend: `writer` encrypts under k1, `rotator` re-encrypts under k2,
    // so rotation always has work and rows alternate between the keys.
    const writer = createTokenStore({
      backend,
      keyring: createKeyring({ ...keyring, currentKeyId: 'k1' }),
      ...TIMINGS,
    });
    const rotator = createTokenStore({
      backend,
      keyring: createKeyring({ ...keyring, currentKeyId: 'k2' }),
      ...TIMINGS,
    });
    // Warm a connection per loop, and the rotation's (scan, lock), before the parent's clock
    // starts: the kill should land in the writing, not in connecting.
    await Promise.all(Array.from({ length: loops }, () => writer.reader.get(appId, userIds[0])));
    for await (const _row of backend.scanRows()) break;
    // An owner of its own: spare workers start together, and one waiting 100 ms for another's
    // warm-up lock on a busy machine would fail its start.
    const lock = await backend.acquireRefreshLock(
      { appId, userId: `warm-up-${process.pid}` },
      { ttlMs: TIMINGS.lockTtlMs, waitMs: TIMINGS.lockWaitMs },
    );
    await lock.release();
    run = () => {
      for (let index = 0; index < loops; index++) {
        void writeLoop(writer, appId, userIds, index === 0 ? rotator : undefined, rotateEvery);
      }
    };
    return { pid: process.pid };
  },

  async start() {
    if (run === undefined) throw new Error('start before init');
    run();
    return {};
  },
});

async function writeLoop(store, appId, userIds, rotator, rotateEvery) {
  for (let round = 1; ; round++) {
    try {
      // The rotating loop starts with a rotation (the previous worker left rows under k1), so
      // even a short-lived worker is often killed mid-rotation.
      if (rotator !== undefined && (round === 1 || round % rotateEvery === 0)) {
        process.send?.({ event: 'rotating' });
        const result = await rotator.rotate();
        process.send?.({ event: 'rotated', rotated: result.rotated, failed: result.failed });
        continue;
      }
      const userId = userIds[Math.floor(Math.random() * userIds.length)];
      const current = await store.writer.get(appId, userId);
      const version = current?.version ?? 0;
      const counter = version + 1;
      const tokenSet = new TokenSet({
        accessToken: `sigkill-access-${userId}-${counter}`,
        refreshToken: `sigkill-refresh-${userId}-${counter}`,
        expiresAt: Date.now() + 3_600_000,
        scopes: SCOPES,
        tokenType: 'bearer',
      });
      const record = await store.writer.putOAuth2(appId, userId, tokenSet, {
        expectedVersion: version,
      });
      writes++;
      process.send?.({ event: 'wrote', userId, version: record.version, writes });
    } catch (error) {
      // Losing a compare-and-swap to a sibling loop is expected; anything else is reported.
      if (error?.code !== 'TOKEN_STORE_VERSION_CONFLICT') {
        process.send?.({ event: 'error', code: error?.code, message: String(error?.message) });
      }
    }
  }
}
