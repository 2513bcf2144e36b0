import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from './headers.js';

describe('parseRateLimitHeaders', () => {
  it('reads the window and both 24-hour families', () => {
    const headers = new Headers({
      'x-rate-limit-limit': '200',
      'x-rate-limit-remaining': '199',
      'x-rate-limit-reset': '1700000900',
      'x-app-limit-24hour-limit': '1667',
      'x-app-limit-24hour-remaining': '1666',
      'x-app-limit-24hour-reset': '1700086400',
      'x-user-limit-24hour-limit': '100',
      'x-user-limit-24hour-remaining': '0',
      'x-user-limit-24hour-reset': '1700086401',
    });
    expect(parseRateLimitHeaders(headers)).toEqual({
      window: { limit: 200, remaining: 199, resetAt: 1_700_000_900_000 },
      appDaily: { limit: 1667, remaining: 1666, resetAt: 1_700_086_400_000 },
      userDaily: { limit: 100, remaining: 0, resetAt: 1_700_086_401_000 },
    });
  });

  it('ignores incomplete or malformed families', () => {
    const headers = new Headers({
      'x-rate-limit-limit': '15',
      'x-rate-limit-remaining': '-1',
      'x-rate-limit-reset': '1700000900',
      'x-app-limit-24hour-limit': '10',
    });
    expect(parseRateLimitHeaders(headers)).toEqual({
      window: undefined,
      appDaily: undefined,
      userDaily: undefined,
    });
    expect(
      parseRateLimitHeaders(
        new Headers({
          'x-rate-limit-limit': '1e3',
          'x-rate-limit-remaining': '1',
          'x-rate-limit-reset': '2',
        }),
      ).window,
    ).toBeUndefined();
  });
});
