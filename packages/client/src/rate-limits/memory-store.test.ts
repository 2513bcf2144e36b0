import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './memory-store.js';
import { mergePool } from './store.js';

const pool = (remaining: number, resetAt: number) => ({
  key: 'k',
  kind: 'window' as const,
  limit: 10,
  remaining,
  resetAt,
});

describe('mergePool', () => {
  it('keeps the lower remaining in the same window, and the later window', () => {
    expect(mergePool(pool(5, 1000), pool(7, 1000)).remaining).toBe(5);
    expect(mergePool(pool(5, 1000), pool(3, 1000)).remaining).toBe(3);
    expect(mergePool(pool(0, 1000), pool(9, 2000)).remaining).toBe(9);
    expect(mergePool(pool(4, 2000), pool(1, 1000)).remaining).toBe(4);
    expect(mergePool(undefined, pool(1, 1)).remaining).toBe(1);
  });
});

describe('createMemoryRateLimitStore', () => {
  it('stores, merges and lists pools that have not reset', async () => {
    const store = createMemoryRateLimitStore();
    await store.put(pool(5, 1000));
    await store.put(pool(6, 1000));
    expect((await store.get('k'))?.remaining).toBe(5);
    await store.put({ ...pool(1, 500), key: 'old' });
    expect((await store.list(800)).map((p) => p.key)).toEqual(['k']);
    expect(await store.get('missing')).toBeUndefined();
  });
});
