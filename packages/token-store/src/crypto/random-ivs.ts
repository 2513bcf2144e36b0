// Random 96-bit IVs for AES-GCM (NIST SP 800-38D §8.2.2). One `randomFillSync` call costs
// about as much as one AES-GCM encryption on Node 20, whatever its size, so the default source
// fills a block of IVs at once and hands them out in order. IVs are public (they sit in the
// envelope); what matters is that each comes from the CSPRNG and is used once. Each block is a
// new buffer that is never refilled, so an IV handed out is never overwritten or handed out again.

import { randomFillSync } from 'node:crypto';
import type { RandomSource } from '../types.js';

/** GCM's recommended IV size. */
export const IV_BYTES = 12;

const IVS_PER_BLOCK = 256;

let block: Buffer = Buffer.alloc(0);
let offset = 0;

/**
 * A fresh random IV: from `random` when one is injected (one call per IV, as tests expect),
 * else the next unused IV of the current CSPRNG block.
 */
export function nextIv(random: RandomSource | undefined): Uint8Array {
  if (random !== undefined) {
    const iv = new Uint8Array(IV_BYTES);
    random(iv);
    return iv;
  }
  if (offset + IV_BYTES > block.length) {
    block = randomFillSync(Buffer.allocUnsafeSlow(IV_BYTES * IVS_PER_BLOCK));
    offset = 0;
  }
  const iv = block.subarray(offset, offset + IV_BYTES);
  offset += IV_BYTES;
  return iv;
}
