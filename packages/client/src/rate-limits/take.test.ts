import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from './memory-store.js';
import { takeFromPool } from './take.js';

const pool = (remaining: number, resetAt: number) => ({
  key: 'k',
  kind: 'window' as const,
  limit: 3,
  remaining,
  resetAt,
});

describe('takeFromPool', () => {
  it('takes one request from an open window, and answers empty when none is left', () => {
    const first = takeFromPool({ pool: pool(1, 2000), probeUntil: 0 }, 1000, 500);
    expect(first.answer).toEqual({ kind: 'taken' });
    expect(first.state.pool?.remaining).toBe(0);
    const second = takeFromPool(first.state, 1000, 500);
    expect(second.answer).toEqual({ kind: 'empty', pool: pool(0, 2000) });
    expect(second.state).toBe(first.state);
  });

  it('lets one request learn an unknown or reset window, the others wait for it', () => {
    for (const known of [undefined, pool(0, 900)]) {
      const probe = takeFromPool({ pool: known, probeUntil: 0 }, 1000, 500);
      expect(probe.answer).toEqual({ kind: 'probe', until: 1500 });
      expect(takeFromPool(probe.state, 1200, 500).answer).toEqual({
        kind: 'probing',
        until: 1500,
      });
      // A lease past its end (a lost probe) goes to the next request.
      expect(takeFromPool(probe.state, 1500, 500).answer).toEqual({ kind: 'probe', until: 2000 });
    }
  });

  it('answers unknown, taking nothing, when no probe is asked for', () => {
    const state = { pool: pool(2, 900), probeUntil: 0 };
    expect(takeFromPool(state, 1000, 0)).toEqual({ answer: { kind: 'unknown' }, state });
  });
});

describe('the memory store takes', () => {
  it('gives concurrent takers exactly what is left, and one probe per reset window', async () => {
    const store = createMemoryRateLimitStore();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => store.take?.('k', 1000, 500)),
    );
    expect(answers.map((answer) => answer?.kind).sort()).toEqual([
      'probe',
      'probing',
      'probing',
      'probing',
    ]);
    await store.put(pool(2, 2000));
    const kinds = await Promise.all(
      Array.from({ length: 4 }, async () => (await store.take?.('k', 1100, 500))?.kind),
    );
    expect(kinds.sort()).toEqual(['empty', 'empty', 'taken', 'taken']);
    // A late answer of the same window with more left does not give back what was taken.
    await store.put(pool(2, 2000));
    expect((await store.get('k'))?.remaining).toBe(0);
  });

  it('ends a probe lease only with the lease it was given', async () => {
    const store = createMemoryRateLimitStore();
    const probe = await store.take?.('k', 1000, 500);
    if (probe?.kind !== 'probe') throw new Error('expected a probe');
    await store.endProbe?.('k', probe.until + 1);
    expect((await store.take?.('k', 1001, 500))?.kind).toBe('probing');
    await store.endProbe?.('k', probe.until);
    expect((await store.take?.('k', 1002, 500))?.kind).toBe('probe');
  });
});
