import { describe, expect, it } from 'vitest';
import { IV_BYTES, nextIv } from './random-ivs.js';

describe('nextIv', () => {
  it('hands out 12-byte IVs that never repeat, across many blocks', () => {
    const seen = new Set<string>();
    const ivs: Uint8Array[] = [];
    for (let index = 0; index < 2_000; index++) {
      const iv = nextIv(undefined);
      expect(iv.length).toBe(IV_BYTES);
      seen.add(Buffer.from(iv).toString('hex'));
      ivs.push(iv);
    }
    expect(seen.size).toBe(2_000);
    // An IV handed out is never overwritten by a later refill.
    expect([...seen]).toEqual(ivs.map((iv) => Buffer.from(iv).toString('hex')));
  });

  it('calls an injected random source once per IV', () => {
    let calls = 0;
    const iv = nextIv((bytes) => {
      calls++;
      bytes.fill(9);
    });
    expect(calls).toBe(1);
    expect([...iv]).toEqual(new Array(IV_BYTES).fill(9));
  });
});
