import { describe, expect, it } from 'vitest';
import { OAuth1Error } from './errors.js';
import { percentEncode } from './percent-encode.js';

describe('percentEncode (RFC 5849 §3.6)', () => {
  it('leaves only the unreserved characters as they are', () => {
    expect(percentEncode('AZaz09-._~')).toBe('AZaz09-._~');
  });

  it("encodes !*'() that encodeURIComponent leaves alone", () => {
    expect(percentEncode("!*'()")).toBe('%21%2A%27%28%29');
  });

  it('encodes a space as %20, never +, and + itself as %2B', () => {
    expect(percentEncode('a b+c')).toBe('a%20b%2Bc');
  });

  it('encodes every byte of non-ASCII text from UTF-8 with upper-case hex', () => {
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('☃')).toBe('%E2%98%83');
    expect(percentEncode('😀')).toBe('%F0%9F%98%80');
  });

  it('encodes the reserved characters of RFC 3986', () => {
    expect(percentEncode(':/?#[]@$&+,;=%')).toBe('%3A%2F%3F%23%5B%5D%40%24%26%2B%2C%3B%3D%25');
  });

  it('refuses a lone surrogate with a typed error', () => {
    expect(() => percentEncode('a\uD800b')).toThrowError(
      expect.objectContaining({ code: 'OAUTH1_INVALID_ENCODING' }),
    );
  });

  it('refuses values that are not strings', () => {
    const error = (() => {
      try {
        percentEncode(42 as unknown as string);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OAuth1Error);
    expect(error).toMatchObject({ code: 'OAUTH1_INVALID_PARAMETER' });
  });
});
