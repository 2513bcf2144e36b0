import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

const NOW = Date.parse('Sun, 06 Nov 1994 08:49:00 GMT');

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter('0', NOW)).toBe(0);
    expect(parseRetryAfter(' 3 ', NOW)).toBe(3000);
  });

  it('reads the three HTTP-date forms against the given clock (RFC 9110 §5.6.7)', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(37_000);
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', NOW)).toBe(37_000);
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', NOW)).toBe(37_000);
  });

  it('gives 0 for a date already past', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:48:00 GMT', NOW)).toBe(0);
  });

  it('ignores absent and malformed values', () => {
    for (const value of [
      undefined,
      null,
      '',
      '-5',
      '1.5',
      '12345678901',
      'soon 5',
      'tomorrow',
      '2026-11-23T09:00:00Z',
      'Sun, 06 Nov 1994 08:49:37',
      'Xyz, 99 Foo 1994 99:99:99 GMT',
    ]) {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    }
  });
});
