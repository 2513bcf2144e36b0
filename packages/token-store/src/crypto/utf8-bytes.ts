// A record's plaintext becomes bytes once per encryption. Those bytes go through one buffer that
// is wiped after each use, rather than through Buffer.from: that takes a slice of Node's shared
// 8 KB pool, where the tokens stay until the whole pool is collected, and refilling the pool
// every few puts cost more than the rest of the store's own code on a put (0.9 of 11 µs on the
// memory backend, Node 20). A string handed to cipher.update costs more still.

let scratch = Buffer.alloc(1024);
let scratchInUse = false;

/**
 * Calls `use` with the UTF-8 bytes of `text`, and zeroes them when it returns or throws. The
 * bytes live only for the call: `use` must copy what it keeps (a cipher's output is a copy).
 */
export function withUtf8Bytes<T>(text: string, use: (bytes: Buffer) => T): T {
  const length = Buffer.byteLength(text, 'utf8');
  // A nested call (none today) gets a buffer of its own rather than overwriting the outer one.
  const nested = scratchInUse;
  if (!nested && length > scratch.length) {
    scratch = Buffer.alloc(Math.max(length, scratch.length * 2));
  }
  const buffer = nested ? Buffer.alloc(length) : scratch;
  const bytes = buffer.subarray(0, buffer.write(text, 0, 'utf8'));
  if (!nested) scratchInUse = true;
  try {
    return use(bytes);
  } finally {
    bytes.fill(0);
    if (!nested) scratchInUse = false;
  }
}
