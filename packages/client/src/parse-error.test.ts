import { describe, expect, it } from 'vitest';
import { RateLimitError, XApiErrorCode } from './errors.js';
import { parseXError, rateLimitReset } from './parse-error.js';

const v1 = (code: number, message = 'x') => ({ errors: [{ code, message }] });

describe('parseXError', () => {
  it.each([
    [401, 32, XApiErrorCode.AuthenticationFailed],
    [401, 89, XApiErrorCode.InvalidToken],
    [403, 99, XApiErrorCode.BadCredentials],
    [401, 135, XApiErrorCode.TimestampOutOfBounds],
    [403, 220, XApiErrorCode.UserContextRequired],
    [400, 215, XApiErrorCode.AuthenticationRequired],
    [403, 187, XApiErrorCode.DuplicateContent],
    [403, 415, XApiErrorCode.CallbackNotApproved],
    [503, 130, XApiErrorCode.ServerError],
  ])('maps v1.1 %i error %i to %s', (status, code, expected) => {
    const error = parseXError(status, v1(code), { endpoint: 'GET /1.1/x.json' });
    expect(error.code).toBe(expected);
    expect(error.xCode).toBe(code);
    expect(error.status).toBe(status);
    expect(error.endpoint).toBe('GET /1.1/x.json');
  });

  it('matches v2 problem types on the last path segment, under api.twitter.com and api.x.com', () => {
    for (const host of ['https://api.twitter.com', 'https://api.x.com']) {
      const error = parseXError(403, {
        title: 'Unsupported Authentication',
        type: `${host}/2/problems/unsupported-authentication`,
        status: 403,
      });
      expect(error.code).toBe(XApiErrorCode.UserContextRequired);
      expect(error.problemType).toBe(`${host}/2/problems/unsupported-authentication`);
    }
    expect(parseXError(403, { type: 'https://api.x.com/2/problems/oauth1-permissions' }).code).toBe(
      XApiErrorCode.InsufficientPermission,
    );
  });

  it('falls back on the status for about:blank problems and non-JSON bodies', () => {
    expect(parseXError(401, { type: 'about:blank', title: 'Unauthorized' }).code).toBe(
      XApiErrorCode.Unauthorized,
    );
    expect(parseXError(403, 'Forbidden').code).toBe(XApiErrorCode.Forbidden);
    expect(parseXError(404, undefined).code).toBe(XApiErrorCode.NotFound);
    expect(parseXError(500, '<html>').code).toBe(XApiErrorCode.ServerError);
    expect(parseXError(418, {}).code).toBe(XApiErrorCode.UnexpectedStatus);
  });

  it('makes a RateLimitError with retryAt for 429, from the latest empty pool', () => {
    const error = parseXError(
      429,
      { title: 'Too Many Requests', type: 'about:blank', status: 429 },
      {
        rateLimit: {
          window: { limit: 200, remaining: 150, resetAt: 1_000_000 },
          appDaily: undefined,
          userDaily: { limit: 100, remaining: 0, resetAt: 9_000_000 },
        },
        pool: 'user:a:1 POST /2/tweets',
      },
    );
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe(XApiErrorCode.RateLimited);
    expect(error.retryAt?.getTime()).toBe(9_000_000);
    expect((error as RateLimitError).pool).toBe('user:a:1 POST /2/tweets');
    expect(error.retryable).toBe(true);
    expect(parseXError(429, v1(88)).code).toBe(XApiErrorCode.RateLimited);
  });

  it("gives a 5xx the Retry-After's retryAt, and a 429 without reset headers too", () => {
    const at = new Date(1_700_000_000_000);
    const busy = parseXError(503, v1(130), { retryAfterAt: at });
    expect(busy).toMatchObject({ code: XApiErrorCode.ServerError, retryable: true, retryAt: at });
    expect(parseXError(429, v1(88), { retryAfterAt: at }).retryAt).toBe(at);
    expect(parseXError(401, v1(89), { retryAfterAt: at }).retryAt).toBeUndefined();
  });

  it("recognizes v1.1's read-only answer (401 without an errors array)", () => {
    const error = parseXError(401, {
      request: '/1.1/statuses/update.json',
      error: 'Read-only application cannot POST.',
    });
    expect(error.code).toBe(XApiErrorCode.InsufficientPermission);
    expect(error.message).not.toContain('cannot POST');
  });

  it("never copies X's free text into the message", () => {
    const error = parseXError(401, v1(89, 'secret-token-echo ABC'));
    expect(error.message).not.toContain('secret-token-echo');
    const problem = parseXError(403, { detail: 'echo: hunter2', title: 'echo: hunter2' });
    expect(problem.message).not.toContain('hunter2');
  });
});

describe('rateLimitReset', () => {
  it('uses the window reset when no pool is empty', () => {
    expect(
      rateLimitReset({
        window: { limit: 1, remaining: 1, resetAt: 5000 },
        appDaily: undefined,
        userDaily: undefined,
      })?.getTime(),
    ).toBe(5000);
    expect(rateLimitReset(undefined)).toBeUndefined();
  });
});
