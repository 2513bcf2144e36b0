// Bytes that live only within one synchronous call (a cipher's input, a decoded ciphertext, an
// associated data) go through a buffer reused from call to call. Buffer.from and Buffer.concat
// take slices of Node's shared 8 KB pool, which every few calls needs a new ArrayBuffer outside
// the heap, and where a plaintext would stay until the whole pool is collected.

/** A buffer reused from call to call, grown when a call needs more. */
export class ScratchBuffer {
  #buffer: Buffer;

  constructor(initialBytes = 1024) {
    this.#buffer = Buffer.alloc(initialBytes);
  }

  /**
   * The buffer, at least `length` bytes long. It holds whatever the previous call left: the
   * caller writes before it reads, and copies what it keeps beyond its own call.
   */
  atLeast(length: number): Buffer {
    if (length > this.#buffer.length) {
      this.#buffer = Buffer.alloc(Math.max(length, this.#buffer.length * 2));
    }
    return this.#buffer;
  }

  /** The UTF-8 bytes of `text`, written at the start of the buffer. */
  utf8(text: string): Buffer {
    const buffer = this.atLeast(Buffer.byteLength(text, 'utf8'));
    return buffer.subarray(0, buffer.write(text, 0, 'utf8'));
  }
}
