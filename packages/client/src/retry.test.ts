import { describe, expect, it } from 'vitest';
import { backoffDelay, isIdempotent, mayRetry, retryPolicy, timerSleep } from './retry.js';

describe('retry policy', () => {
  it('treats only RFC 9110 idempotent methods as idempotent', () => {
    for (const method of ['GET', 'head', 'PUT', 'DELETE', 'OPTIONS'])
      expect(isIdempotent(method)).toBe(true);
    for (const method of ['POST', 'PATCH']) expect(isIdempotent(method)).toBe(false);
    expect(mayRetry('POST', retryPolicy({}))).toBe(false);
    expect(mayRetry('POST', retryPolicy({ retryNonIdempotent: true }))).toBe(true);
  });

  it('draws full-jitter delays under an exponential cap', () => {
    const policy = retryPolicy({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999 });
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy))).toEqual([
      99, 199, 399, 799, 999, 999,
    ]);
    expect(backoffDelay(3, { ...policy, random: () => 0 })).toBe(0);
  });

  it('defaults and validates the limit', () => {
    expect(retryPolicy(undefined).limit).toBe(2);
    expect(retryPolicy(0).limit).toBe(0);
    expect(() => retryPolicy(-1)).toThrow(RangeError);
    expect(() => retryPolicy({ limit: 1.5 })).toThrow(RangeError);
  });

  it('sleeps, and rejects with the reason on abort', async () => {
    await timerSleep(1);
    const controller = new AbortController();
    const sleeping = timerSleep(10_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    await expect(timerSleep(1, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });
});
