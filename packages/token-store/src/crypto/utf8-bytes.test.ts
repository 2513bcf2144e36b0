import { describe, expect, it } from 'vitest';
import { withUtf8Bytes } from './utf8-bytes.js';

const isWiped = (bytes: Buffer) => bytes.every((byte) => byte === 0);

describe('withUtf8Bytes', () => {
  it('hands over the UTF-8 bytes of the text and zeroes them afterwards', () => {
    const text = '{"accessToken":"ä-token-€-𝕏"}';
    let seen: Buffer | undefined;
    const result = withUtf8Bytes(text, (bytes) => {
      seen = bytes;
      return bytes.toString('utf8');
    });
    expect(result).toBe(text);
    expect(seen?.length).toBe(Buffer.byteLength(text, 'utf8'));
    expect(seen !== undefined && isWiped(seen)).toBe(true);
  });

  it('zeroes the bytes when the callback throws, and lets the error through', () => {
    let seen: Buffer | undefined;
    expect(() =>
      withUtf8Bytes('secret-token', (bytes) => {
        seen = bytes;
        throw new Error('cipher failed');
      }),
    ).toThrow('cipher failed');
    expect(seen !== undefined && seen.length > 0 && isWiped(seen)).toBe(true);
  });

  it('takes a text longer than its buffer, whole', () => {
    const text = 'x'.repeat(5_000);
    let seen: Buffer | undefined;
    const copied = withUtf8Bytes(text, (bytes) => {
      seen = bytes;
      return bytes.toString('latin1');
    });
    expect(copied).toBe(text);
    expect(seen !== undefined && isWiped(seen)).toBe(true);
    expect(withUtf8Bytes('short', (bytes) => bytes.toString('utf8'))).toBe('short');
  });

  it('gives a nested call bytes of its own, leaving the outer ones intact', () => {
    const outer = withUtf8Bytes('outer-token', (outerBytes) => {
      const inner = withUtf8Bytes('inner-token', (innerBytes) => innerBytes.toString('utf8'));
      return [inner, outerBytes.toString('utf8')];
    });
    expect(outer).toEqual(['inner-token', 'outer-token']);
  });
});
