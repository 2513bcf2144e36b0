import { describe, expect, it } from 'vitest';
import { parseHttpDate } from './http-date.js';

describe('parseHttpDate', () => {
  it('reads the three forms of RFC 9110 §5.6.7', () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(expected);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(expected);
    expect(parseHttpDate(' Sun, 06 Nov 1994 08:49:37 GMT ')).toBe(expected);
    expect(parseHttpDate(new Date(expected).toUTCString())).toBe(expected);
  });

  it('refuses anything else', () => {
    for (const value of [
      null,
      undefined,
      '',
      '2',
      'soon 5',
      'yesterday-ish',
      '1994-11-06T08:49:37Z',
      'Sun, 06 Nov 1994 08:49:37',
      'Sun, 06 Nov 1994 08:49:37 +0000',
      'Xyz, 99 Foo 1994 99:99:99 GMT',
    ]) {
      expect(parseHttpDate(value)).toBeUndefined();
    }
  });
});
