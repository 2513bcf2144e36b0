import { afterAll, describe, expect, it, vi } from 'vitest';

type Codec = typeof import('./base64.js');

const NodeBuffer = Buffer;
const text = (value: string) => new TextEncoder().encode(value);

// The same suite for both paths: Node's native codec, and the portable one browsers and
// workers run (loaded here with Buffer hidden, as it is there).
async function loadPortable(): Promise<Codec> {
  vi.stubGlobal('Buffer', undefined);
  vi.resetModules();
  try {
    return await import('./base64.js');
  } finally {
    vi.unstubAllGlobals();
  }
}

const codecs: [string, Codec][] = [
  ['native', await import('./base64.js')],
  ['portable', await loadPortable()],
];

afterAll(() => {
  vi.unstubAllGlobals();
});

describe.each(codecs)('base64 (%s)', (_, codec) => {
  const { decodeBase64, decodeBase64Loose, decodeBase64Url, encodeBase64, encodeBase64Url } = codec;

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

  it('encodes a view into a larger buffer by its own bytes only', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6]);
    expect(encodeBase64(whole.subarray(2, 5))).toBe(NodeBuffer.from([3, 4, 5]).toString('base64'));
  });

  it('matches Node on every byte value and on large inputs', () => {
    const bytes = new Uint8Array(100_000).map((_, index) => (index * 7919) % 256);
    expect(encodeBase64(bytes)).toBe(NodeBuffer.from(bytes).toString('base64'));
    expect(encodeBase64Url(bytes)).toBe(NodeBuffer.from(bytes).toString('base64url'));
    const decoded = decodeBase64Loose(NodeBuffer.from(bytes).toString('base64'));
    expect(decoded).toBeInstanceOf(Uint8Array);
    expect(NodeBuffer.from(decoded ?? []).equals(NodeBuffer.from(bytes))).toBe(true);
  });

  it('refuses other alphabets, bad lengths and non-canonical trailing bits', () => {
    expect(decodeBase64Url('Zg==')).toBeUndefined();
    expect(decodeBase64Url('+/+/')).toBeUndefined();
    expect(decodeBase64('-_-_')).toBeUndefined();
    expect(decodeBase64Loose('Z')).toBeUndefined();
    expect(decodeBase64Loose('Zm9v!')).toBeUndefined();
    expect(decodeBase64Loose('Zh')).toBeUndefined(); // 'Zg' is the canonical form of 'f'
    expect(decodeBase64Loose('Zg=')).toBeUndefined(); // padding must complete a quantum
    expect(decodeBase64Loose('Zm9v=')).toBeUndefined();
    expect(decodeBase64Loose('Zg==')).toEqual(text('f'));
    expect(decodeBase64Loose('Zg')).toEqual(text('f'));
    expect(decodeBase64Loose('')).toEqual(new Uint8Array(0));
  });
});
