import { describe, expect, it } from 'vitest';
import { parseRateLimitReset, parseRetryAfter, readRetryAt } from './retry-at.js';

const now = Date.parse('Wed, 21 Oct 2015 07:27:30 GMT');

describe('parseRetryAfter', () => {
  it('reads delay-seconds from now', () => {
    expect(parseRetryAfter('120', now)).toEqual(new Date(now + 120_000));
    expect(parseRetryAfter(' 0 ', now)).toEqual(new Date(now));
  });

  it('reads the three HTTP-date forms, never earlier than now', () => {
    const at = new Date(now + 30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', now)).toEqual(at);
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:00 GMT', now)).toEqual(at);
    expect(parseRetryAfter('Wed Oct 21 07:28:00 2015', now)).toEqual(at);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toEqual(new Date(now));
  });

  it('ignores absent and malformed values', () => {
    for (const value of [
      null,
      undefined,
      '',
      '-1',
      '1.5',
      'soon 5',
      '2015-10-21',
      '2026-11-23T09:00:00Z',
      '12345678901',
      'Wed, 21 Oct 2015 07:28:00',
      'Xyz, 99 Foo 2015 99:99:99 GMT',
    ]) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
    expect(parseRetryAfter('5', Number.NaN)).toBeUndefined();
  });
});

describe('parseRateLimitReset', () => {
  it('reads epoch seconds', () => {
    expect(parseRateLimitReset('1700000000')).toEqual(new Date(1_700_000_000_000));
    expect(parseRateLimitReset('x')).toBeUndefined();
    expect(parseRateLimitReset(null)).toBeUndefined();
  });
});

describe('readRetryAt', () => {
  it('prefers Retry-After over the rate-limit reset', () => {
    const headers = new Headers({ 'retry-after': '5', 'x-rate-limit-reset': '1700000000' });
    expect(readRetryAt(headers, now)).toEqual(new Date(now + 5000));
    headers.delete('retry-after');
    expect(readRetryAt(headers, now)).toEqual(new Date(1_700_000_000_000));
    headers.delete('x-rate-limit-reset');
    expect(readRetryAt(headers, now)).toBeUndefined();
  });
});
