import { describe, expect, it } from 'vitest';
import { consumeRateLimit, type RateLimitPools, resolveRateLimits } from './rate-limits.js';

const rule = { limit: 2, appLimit: 3, windowSeconds: 60, userDaily: 5 };

describe('consumeRateLimit', () => {
  it('spends nothing once a pool is exhausted and opens a new window after windowSeconds', () => {
    const pools: RateLimitPools = new Map();
    const alice = { kind: 'user', appId: 'a', userId: 'alice' } as const;
    expect(consumeRateLimit(pools, 'E', rule, alice, 0).allowed).toBe(true);
    expect(consumeRateLimit(pools, 'E', rule, alice, 1).allowed).toBe(true);
    const refused = consumeRateLimit(pools, 'E', rule, alice, 2);
    expect(refused.allowed).toBe(false);
    expect(refused.headers['x-rate-limit-remaining']).toBe('0');
    expect(refused.headers['x-rate-limit-reset']).toBe('60');
    // The refused request did not spend the daily budget.
    expect(refused.headers['x-user-limit-24hour-remaining']).toBe('3');
    const next = consumeRateLimit(pools, 'E', rule, alice, 60_000);
    expect(next.allowed).toBe(true);
    expect(next.headers['x-rate-limit-remaining']).toBe('1');
  });

  it('keeps the app-only pool apart from user pools', () => {
    const pools: RateLimitPools = new Map();
    consumeRateLimit(pools, 'E', rule, { kind: 'user', appId: 'a', userId: 'alice' }, 0);
    const app = consumeRateLimit(pools, 'E', rule, { kind: 'app', appId: 'a' }, 0);
    expect(app.headers['x-rate-limit-limit']).toBe('3');
    expect(app.headers['x-rate-limit-remaining']).toBe('2');
    expect(app.headers['x-user-limit-24hour-limit']).toBeUndefined();
  });

  it('merges overrides into the defaults', () => {
    const table = resolveRateLimits({ 'GET /2/users/me': { limit: 1 } });
    expect(table['GET /2/users/me']).toEqual({ limit: 1, windowSeconds: 900 });
    expect(table['POST /2/tweets'].userDaily).toBe(100);
  });
});
