// Rolling key rotation across three real processes sharing one Redis: their keyring is a file
// each re-reads. One process runs the documented four steps (add the key, make it primary,
// rotate, retire the old key) while the other two keep writing, reading each other's rows and
// refreshing. Expected: 0 errors, 0 undecryptable rows, every row under the new key at the end.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, createTokenStore } from '../src/index.js';
import {
  assertDistBuilt,
  type SharedBackend,
  setUpSharedBackend,
  WorkerProcess,
} from './workers/fixtures.js';

const RELOAD_MS = 100;
const APP = 'app-rolling';
let shared: SharedBackend;
let directory: string;

beforeAll(async () => {
  assertDistBuilt();
  shared = await setUpSharedBackend('redis', 'rolling');
  directory = await mkdtemp(join(tmpdir(), 'x-oauth-rolling-'));
});

afterAll(async () => {
  await shared?.cleanup();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('rolling key rotation across processes', () => {
  it('3 processes (1 rotates, 2 write, read and refresh): 0 errors, every row under the new key', async () => {
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    const keyringPath = join(directory, 'keyring.json');
    await writeFile(keyringPath, JSON.stringify({ currentKeyId: 'k1', keys: { k1 } }), {
      mode: 0o600,
    });
    const workers = Array.from({ length: 3 }, () => new WorkerProcess('./rolling-worker.mjs'));
    try {
      await Promise.all(
        workers.map((worker) =>
          worker.request('init', {
            backend: shared.config,
            keyringPath,
            reloadIntervalMs: RELOAD_MS,
          }),
        ),
      );
      const owners = (index: number) => Array.from({ length: 8 }, (_, i) => `w${index}-u${i}`);
      const [rotator, a, b] = workers as [WorkerProcess, WorkerProcess, WorkerProcess];
      const until = Date.now() + RELOAD_MS * 3 * 4 + 3_000;
      const [rotation, workA, workB] = await Promise.all([
        rotator.request<{ first: { rotated: number }; second: { rotated: number } }>('rotate', {
          k1,
          k2,
        }),
        a.request<{ operations: number; errorCount: number; errors: unknown[] }>('work', {
          appId: APP,
          own: owners(1),
          others: owners(2),
          until,
        }),
        b.request<{ operations: number; errorCount: number; errors: unknown[] }>('work', {
          appId: APP,
          own: owners(2),
          others: owners(1),
          until,
        }),
      ]);
      expect(workA.errors).toEqual([]);
      expect(workB.errors).toEqual([]);
      expect(workA.errorCount + workB.errorCount).toBe(0);
      expect(workA.operations).toBeGreaterThan(50);
      expect(workB.operations).toBeGreaterThan(50);
      // The second rotate (after the old key was retired) found nothing left to do.
      expect(rotation.second.rotated).toBe(0);

      // Only the new key is needed: every row decrypts with k2 alone and names k2.
      const backend = shared.open();
      const onlyNew = createTokenStore({
        backend,
        keyring: createKeyring({ currentKeyId: 'k2', keys: { k2 } }),
      });
      const keyIds = new Set<string>();
      let rows = 0;
      for await (const row of backend.scanRows()) {
        rows++;
        keyIds.add(row.keyId);
        expect((await onlyNew.reader.get(row.appId, row.userId))?.kind).toBe('oauth2');
      }
      expect(rows).toBe(16);
      expect([...keyIds]).toEqual(['k2']);
      await onlyNew.close();
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
  }, 60_000);
});
