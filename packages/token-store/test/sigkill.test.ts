// A writer killed with SIGKILL mid-loop, again and again, on every backend processes can
// share. After each kill: every row decrypts, no pair is torn (the access and the refresh
// token carry the same counter), and no version went backwards (neither below what an
// earlier check saw, nor below a write the dead worker had reported as done).
//
// X_OAUTH_SIGKILLS sets the kills per backend (default 100, the number).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, createTokenStore, type TokenStore } from '../src/index.js';
import {
  assertDistBuilt,
  randomKeyringConfig,
  type SharedBackend,
  type SharedBackendKind,
  setUpSharedBackend,
  WorkerProcess,
} from './workers/fixtures.js';

const KILLS = Number(process.env.X_OAUTH_SIGKILLS ?? 100);
const SHARED_KINDS: readonly SharedBackendKind[] = ['sqlite', 'postgres', 'redis'];
const APP_ID = 'sigkill-app';
const USER_IDS = ['u1', 'u2', 'u3', 'u4'];
// Workers started ahead of time, so the kills are not paced by Node's start-up.
const SPARE_WORKERS = 2;
// The writer runs this long (uniformly drawn) before its SIGKILL.
const RUN_MS = { min: 5, max: 120 };
const TOKEN_COUNTER = /^sigkill-(access|refresh)-(.+)-(\d+)$/;

const keyringConfig = randomKeyringConfig();

beforeAll(() => {
  expect(Number.isSafeInteger(KILLS) && KILLS > 0, 'X_OAUTH_SIGKILLS').toBe(true);
  assertDistBuilt();
});

interface Damage {
  kill: number;
  userId: string;
  problem: string;
}

function counterOf(token: string | undefined, kind: 'access' | 'refresh', userId: string) {
  const match = token === undefined ? null : TOKEN_COUNTER.exec(token);
  if (match === null || match[1] !== kind || match[2] !== userId) return undefined;
  return Number(match[3]);
}

for (const kind of SHARED_KINDS) {
  describe(`SIGKILL of a writer on ${kind}`, () => {
    let shared: SharedBackend;
    let store: TokenStore;

    beforeAll(async () => {
      shared = await setUpSharedBackend(kind, 'sigkill');
      // Holds both keys, so it reads rows under k1 (the writer's) and k2 (the rotator's).
      store = createTokenStore({ backend: shared.open(), keyring: createKeyring(keyringConfig) });
    });

    afterAll(async () => {
      await store?.close();
      await shared?.cleanup();
    });

    it(`${KILLS} kills: 0 undecryptable rows, 0 torn pairs, 0 version rollbacks`, async () => {
      const startedAt = performance.now();
      const damage: Damage[] = [];
      const seenVersion = new Map<string, number>();
      let acknowledgedWrites = 0;
      let rotationsStarted = 0;
      let rotations = 0;
      let rotatedRows = 0;
      const workerErrors = new Map<string, number>();

      const spawn = () => {
        const worker = new WorkerProcess('./cas-writer.mjs');
        const ready = worker.request('init', {
          backend: shared.config,
          keyring: keyringConfig,
          appId: APP_ID,
          userIds: USER_IDS,
          loops: 3,
          rotateEvery: 8,
        });
        // A rejection is awaited later; keep it from being reported as unhandled meanwhile.
        ready.catch(() => undefined);
        return { worker, ready };
      };
      const spares = Array.from({ length: SPARE_WORKERS }, spawn);

      try {
        for (let kill = 1; kill <= KILLS; kill++) {
          const next = spares.shift();
          if (next === undefined) throw new Error('no spare worker');
          spares.push(spawn());
          const { worker, ready } = next;
          await ready;
          // The highest version per owner the worker reported as written (committed).
          const acknowledged = new Map<string, number>();
          worker.onEvent((event) => {
            if (event.event === 'wrote' && typeof event.userId === 'string') {
              acknowledgedWrites++;
              const version = Number(event.version);
              acknowledged.set(
                event.userId,
                Math.max(acknowledged.get(event.userId) ?? 0, version),
              );
            } else if (event.event === 'rotating') {
              rotationsStarted++;
            } else if (event.event === 'rotated') {
              rotations++;
              rotatedRows += Number(event.rotated);
            } else if (event.event === 'error') {
              const code = String(event.code);
              workerErrors.set(code, (workerErrors.get(code) ?? 0) + 1);
            }
          });
          await worker.request('start');
          const runMs = RUN_MS.min + Math.random() * (RUN_MS.max - RUN_MS.min);
          await new Promise((resolve) => setTimeout(resolve, runMs));
          worker.child.kill('SIGKILL');
          const exit = await worker.exited;
          expect(exit.signal).toBe('SIGKILL');

          for (const userId of USER_IDS) {
            let record: Awaited<ReturnType<TokenStore['reader']['get']>>;
            try {
              record = await store.reader.get(APP_ID, userId);
            } catch (error) {
              const code = (error as { code?: string }).code ?? String(error);
              damage.push({ kill, userId, problem: `undecryptable: ${code}` });
              continue;
            }
            const before = Math.max(seenVersion.get(userId) ?? 0, acknowledged.get(userId) ?? 0);
            if (record === undefined) {
              if (before > 0)
                damage.push({ kill, userId, problem: `row vanished after v${before}` });
              continue;
            }
            if (record.version < before) {
              damage.push({ kill, userId, problem: `version ${record.version} < ${before}` });
            }
            seenVersion.set(userId, record.version);
            if (record.kind !== 'oauth2') {
              damage.push({ kill, userId, problem: `kind ${record.kind}` });
              continue;
            }
            const access = counterOf(record.tokenSet.accessToken, 'access', userId);
            const refresh = counterOf(record.tokenSet.refreshToken, 'refresh', userId);
            // Rotation re-encrypts without changing the tokens, so the counter may trail the
            // version; it can never lead it, and the two tokens always agree.
            if (access === undefined || access !== refresh || access > record.version) {
              damage.push({
                kill,
                userId,
                problem: `torn pair: access #${access}, refresh #${refresh}, version ${record.version}`,
              });
            }
          }
        }
      } finally {
        for (const { worker } of spares) worker.child.kill('SIGKILL');
        await Promise.all(spares.map(({ worker }) => worker.exited));
      }

      // No stray rows either: exactly the owners the writers wrote.
      const rows: string[] = [];
      const scanner = shared.open();
      try {
        for await (const row of scanner.scanRows()) rows.push(row.userId);
      } finally {
        await scanner.close();
      }
      console.info(
        `${kind}: ${KILLS} kills in ${((performance.now() - startedAt) / 1000).toFixed(1)} s, ` +
          `${acknowledgedWrites} acknowledged writes, ${rotationsStarted} rotations started, ${rotations} finished (${rotatedRows} rows re-encrypted), ` +
          `worker errors ${JSON.stringify(Object.fromEntries(workerErrors))}, versions ${JSON.stringify(Object.fromEntries(seenVersion))}`,
      );
      expect(damage).toEqual([]);
      // The writers themselves saw nothing but lost compare-and-swaps (which they retry).
      expect(Object.fromEntries(workerErrors)).toEqual({});
      expect(rows.sort()).toEqual(USER_IDS);
      // The kills hit a writer at work, not an idle process.
      expect(acknowledgedWrites).toBeGreaterThan(KILLS);
      expect(rotationsStarted).toBeGreaterThan(0);
    }, 300_000);
  });
}
