// Several real processes, each with its own XClient, share one Redis rate-limit pool with
// holdWhenEmpty against the emulator: no 429, every request succeeds in the end, and the
// emulator never counts more than the limit in one window. The processes import the built
// package (dist), as apps do; the fleet itself is bench/fleet.mjs, which the benchmark uses too.
import { existsSync } from 'node:fs';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLEET_ENDPOINT, runFleet } from '../bench/fleet.mjs';

// A real Redis (scripts/services.sh starts one); the test fails, never skips, without it.
const REDIS_URL = process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390';
const LIMIT = 5;
const WINDOW_SECONDS = 1;
let x: Emulator;

beforeAll(async () => {
  for (const entry of ['index.js', 'redis.js']) {
    if (!existsSync(new URL(`../dist/${entry}`, import.meta.url))) {
      throw new Error(
        `dist/${entry} is missing: run \`pnpm exec turbo run build --filter=@x-oauth/client\` first (the test task depends on build).`,
      );
    }
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  try {
    await redis.ping();
  } finally {
    redis.disconnect();
  }
  x = await startEmulator({
    port: 0,
    rateLimits: { [FLEET_ENDPOINT]: { limit: LIMIT, windowSeconds: WINDOW_SECONDS } },
  });
});
afterAll(async () => {
  await x?.close();
});

describe('a fleet sharing one Redis rate-limit pool', () => {
  it('4 processes × 3 callers, holdWhenEmpty: 0 429s, all succeed, ≤ limit per window', async () => {
    const run = await runFleet(x, {
      processes: 4,
      callers: 3,
      windows: 3,
      limit: LIMIT,
      windowSeconds: WINDOW_SECONDS,
      redisUrl: REDIS_URL,
    });
    expect(run.answered429).toBe(0);
    expect(run.rateLimitedSeen).toBe(0);
    expect(run.errors).toEqual([]);
    // Every request a caller made was sent once and answered 200.
    expect(run.succeeded).toBe(run.answered200);
    expect(run.sent).toBe(run.answered200);
    // The pool was really contended: more windows than one were spent, each to the limit at
    // most, and every process got requests through.
    expect(run.emulatorWindows.length).toBeGreaterThanOrEqual(3);
    expect(run.maxPerWindow).toBeLessThanOrEqual(LIMIT);
    expect(run.maxPerWindow).toBe(LIMIT);
    expect(run.perProcess.every((count) => count > 0)).toBe(true);
  }, 30_000);
});
