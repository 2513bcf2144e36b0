import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appOnlyAuth,
  oauth1Auth,
  RateLimitError,
  type RateLimitOptions,
  XApiErrorCode,
  XClient,
} from '../src/index.js';
import { logOf, user } from './helpers.js';

let x: Emulator;
let consumer: { key: string; secret: string };

beforeAll(async () => {
  x = await startEmulator({
    port: 0,
    rateLimits: {
      'GET /2/users/me': { limit: 2, windowSeconds: 60 },
      'GET /2/tweets': { limit: 50, appLimit: 3, windowSeconds: 60 },
      'POST /1.1/statuses/update.json': { limit: 1, windowSeconds: 60 },
    },
  });
  consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
  // A fresh window for every test.
  x.advanceClock(120_000);
});

function userClient(
  name: string,
  rateLimit: RateLimitOptions = {},
  sleep?: (ms: number) => Promise<void>,
) {
  const issued = x.issueOAuth1Token(x.app.id, user(x, name).id);
  return new XClient({
    auth: oauth1Auth({ consumer, token: issued }),
    baseUrl: x.url,
    rateLimit,
    // The emulator's windows follow its own clock: tests "sleep" by moving it.
    ...(sleep === undefined ? {} : { retries: { sleep } }),
    now: () => x.now(),
  });
}

describe('rate limits', () => {
  it('reads the headers of every answer into per-identity pools', async () => {
    const alice = userClient('alice');
    const bob = userClient('bob');
    await alice.get('/2/users/me');
    await bob.get('/2/users/me');
    await alice.get('/2/users/me');
    const pools = await alice.rateLimits();
    const aliceKey = `user:${consumer.key}:${user(x, 'alice').id} GET /2/users/me`;
    const bobKey = `user:${consumer.key}:${user(x, 'bob').id} GET /2/users/me`;
    expect(pools.find((pool) => pool.key === aliceKey)).toMatchObject({
      limit: 2,
      remaining: 0,
      kind: 'window',
    });
    // Separate clients have separate memory stores; bob's pool is his own.
    expect((await bob.rateLimits()).find((pool) => pool.key === bobKey)).toMatchObject({
      remaining: 1,
    });
  });

  it("keeps the app's pool apart from the user's (X's rule) and keys /2/tweets?ids by template", async () => {
    const app = new XClient({ auth: appOnlyAuth({ consumer }), baseUrl: x.url });
    const alice = userClient('alice');
    await app.get('/2/tweets', { query: { ids: '1' } });
    await alice.get('/2/tweets', { query: { ids: '1' } });
    const appPool = (await app.rateLimits()).find(
      (pool) => pool.key === `app:${consumer.key} GET /2/tweets`,
    );
    const userPool = (await alice.rateLimits()).find((pool) => pool.key.endsWith(' GET /2/tweets'));
    expect(appPool).toMatchObject({ limit: 3, remaining: 2 });
    expect(userPool).toMatchObject({ limit: 50, remaining: 49 });
  });

  it('records the 24-hour pools of POST /2/tweets (x-user-limit-24hour-*, x-app-limit-24hour-*)', async () => {
    const alice = userClient('alice');
    await alice.post('/2/tweets', { json: { text: `daily ${Date.now()}` } });
    const kinds = (await alice.rateLimits())
      .filter((pool) => pool.key.includes('POST /2/tweets'))
      .map((p) => p.kind);
    expect(kinds.sort()).toEqual(['app-24h', 'user-24h', 'window']);
    const appDaily = (await alice.rateLimits()).find((pool) => pool.kind === 'app-24h');
    expect(appDaily?.key).toBe(`app:${consumer.key} POST /2/tweets|app-24h`);
  });

  it('throws RateLimitError with retryAt on 429 by default', async () => {
    const alice = userClient('alice');
    await alice.get('/2/users/me');
    await alice.get('/2/users/me');
    const error = await alice.get('/2/users/me').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: XApiErrorCode.RateLimited, status: 429, limit: 2 });
    const resetAt = (error as RateLimitError).retryAt?.getTime() ?? 0;
    expect(resetAt).toBeGreaterThan(x.now());
    expect(resetAt).toBeLessThanOrEqual(x.now() + 61_000);
  });

  it("waits for the reset with onLimit: 'wait', then sends again (even a POST: X did not act on it)", async () => {
    const slept: number[] = [];
    const alice = userClient('alice', { onLimit: 'wait', maxWaitMs: 120_000 }, async (ms) => {
      slept.push(ms);
      x.advanceClock(ms);
    });
    await alice.get('/2/users/me');
    await alice.get('/2/users/me');
    expect((await alice.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
      'alice',
    );
    expect(logOf(x, 'GET /2/users/me').map((entry) => entry.status)).toEqual([200, 200, 429, 200]);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(0);
    // X's reset is in whole seconds and its Date header too: at most one second over.
    expect(slept[0]).toBeLessThanOrEqual(61_000);
  });

  it('sends a POST again after waiting out a 429: X did not act on it', async () => {
    const alice = userClient('alice', { onLimit: 'wait', maxWaitMs: 120_000 }, async (ms) => {
      x.advanceClock(ms);
    });
    await alice.post('/1.1/statuses/update.json', { form: { status: `one ${Date.now()}` } });
    await alice.post('/1.1/statuses/update.json', { form: { status: `two ${Date.now()}` } });
    expect(logOf(x, 'POST /1.1/statuses/update.json').map((entry) => entry.status)).toEqual([
      200, 429, 200,
    ]);
  });

  it('throws at once when the reset is beyond maxWaitMs', async () => {
    const alice = userClient('alice', { onLimit: 'wait', maxWaitMs: 1000 }, async () => {
      throw new Error('must not sleep');
    });
    await alice.get('/2/users/me');
    await alice.get('/2/users/me');
    await expect(alice.get('/2/users/me')).rejects.toBeInstanceOf(RateLimitError);
  });

  it('a wait is abortable by the signal', async () => {
    const alice = userClient('alice', { onLimit: 'wait', maxWaitMs: 120_000 });
    await alice.get('/2/users/me');
    await alice.get('/2/users/me');
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('gave up waiting')), 50);
    const started = Date.now();
    await expect(alice.get('/2/users/me', { signal: controller.signal })).rejects.toThrow(
      'gave up waiting',
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('holdWhenEmpty: holds a request for a known-empty pool without sending it', async () => {
    const alice = userClient('alice', { holdWhenEmpty: true });
    await alice.get('/2/users/me');
    await alice.get('/2/users/me');
    x.clearRequestLog();
    await expect(alice.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.RateLimited,
    });
    expect(x.requestLog()).toHaveLength(0);
  });

  it('holdWhenEmpty: concurrent callers send no more than the pool allows, none gets a 429', async () => {
    const alice = userClient('alice', { holdWhenEmpty: true });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => alice.get('/2/users/me')),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(RateLimitError);
    }
    // The four held back were never sent: X saw two requests, both answered 200.
    expect(logOf(x, 'GET /2/users/me').map((entry) => entry.status)).toEqual([200, 200]);
  });

  it("holdWhenEmpty with 'wait': waits for the refill, then sends once", async () => {
    const alice = userClient(
      'alice',
      { holdWhenEmpty: true, onLimit: 'wait', maxWaitMs: 120_000 },
      async (ms) => {
        x.advanceClock(ms);
      },
    );
    await alice.get('/2/users/me');
    await alice.get('/2/users/me');
    x.clearRequestLog();
    await alice.get('/2/users/me');
    expect(x.requestLog().map((entry) => entry.status)).toEqual([200]);
  });
});
