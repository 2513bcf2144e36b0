import { describe, expect, it } from 'vitest';
import { ScratchBuffer } from './scratch-buffer.js';

describe('ScratchBuffer', () => {
  it('hands back the same buffer while it is long enough, and a longer one when not', () => {
    const scratch = new ScratchBuffer(8);
    const first = scratch.atLeast(8);
    expect(first.length).toBe(8);
    expect(scratch.atLeast(3)).toBe(first);
    const grown = scratch.atLeast(9);
    expect(grown).not.toBe(first);
    // Doubled: a run of slowly growing texts does not allocate on every call.
    expect(grown.length).toBe(16);
    expect(scratch.atLeast(100).length).toBe(100);
    expect(scratch.atLeast(50)).toBe(scratch.atLeast(100));
  });

  it('writes the UTF-8 bytes of a text at its start, whatever was there before', () => {
    const scratch = new ScratchBuffer(4);
    expect(scratch.utf8('a longer text').toString('utf8')).toBe('a longer text');
    const bytes = scratch.utf8('é😀');
    expect(bytes.length).toBe(Buffer.byteLength('é😀'));
    expect(bytes.toString('utf8')).toBe('é😀');
    expect(scratch.utf8('').length).toBe(0);
  });
});
