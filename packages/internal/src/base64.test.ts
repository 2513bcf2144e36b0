import { describe, expect, it } from 'vitest';
import {
  decodeBase64,
  decodeBase64Loose,
  decodeBase64Url,
  encodeBase64,
  encodeBase64Url,
} from './base64.js';

const text = (value: string) => new TextEncoder().encode(value);

describe('base64', () => {
  // RFC 4648 §10 test vectors.
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ];

  it.each(vectors)('encodes %j as %s (RFC 4648 §10) and back', (plain, encoded) => {
    expect(encodeBase64(text(plain))).toBe(encoded);
    expect(decodeBase64(encoded)).toEqual(text(plain));
    expect(encodeBase64Url(text(plain))).toBe(encoded.replace(/=+$/, ''));
  });

  it('uses the URL-safe alphabet without padding for base64url', () => {
    const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
    expect(encodeBase64(bytes)).toBe('+/+/');
    expect(encodeBase64Url(bytes)).toBe('-_-_');
    expect(decodeBase64Url('-_-_')).toEqual(bytes);
  });

  it('matches Node on every byte value and on large inputs', () => {
    const bytes = new Uint8Array(100_000).map((_, index) => (index * 7919) % 256);
    expect(encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(encodeBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
    expect(decodeBase64Loose(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
  });

  it('refuses other alphabets, bad lengths and non-canonical trailing bits', () => {
    expect(decodeBase64Url('Zg==')).toBeUndefined();
    expect(decodeBase64Url('+/+/')).toBeUndefined();
    expect(decodeBase64('-_-_')).toBeUndefined();
    expect(decodeBase64Loose('Z')).toBeUndefined();
    expect(decodeBase64Loose('Zm9v!')).toBeUndefined();
    expect(decodeBase64Loose('Zh')).toBeUndefined(); // 'Zg' is the canonical form of 'f'
    expect(decodeBase64Loose('Zg=')).toBeUndefined(); // padding must complete a quantum
    expect(decodeBase64Loose('Zg==')).toEqual(text('f'));
    expect(decodeBase64Loose('Zg')).toEqual(text('f'));
  });
});
