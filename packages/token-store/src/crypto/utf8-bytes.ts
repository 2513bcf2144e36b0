// A record's plaintext becomes bytes once per encryption. Those bytes go through one buffer that
// is wiped after each use, rather than through Buffer.from: that takes a slice of Node's shared
// 8 KB pool, where the tokens stay until the whole pool is collected, and refilling the pool
// every few puts cost more than the rest of the store's own code on a put (0.9 of 11 µs on the
// memory backend, Node 20). A string handed to cipher.update costs more still.

import { ScratchBuffer } from './scratch-buffer.js';

const scratch = new ScratchBuffer();
let scratchInUse = false;

/**
 * Calls `use` with the UTF-8 bytes of `text`, and zeroes them when it returns or throws. The
 * bytes live only for the call: `use` must copy what it keeps (a cipher's output is a copy).
 */
export function withUtf8Bytes<T>(text: string, use: (bytes: Buffer) => T): T {
  // A nested call (none today) gets a buffer of its own rather than overwriting the outer one.
  const nested = scratchInUse;
  const bytes = (nested ? new ScratchBuffer(0) : scratch).utf8(text);
  if (!nested) scratchInUse = true;
  try {
    return use(bytes);
  } finally {
    bytes.fill(0);
    if (!nested) scratchInUse = false;
  }
}
