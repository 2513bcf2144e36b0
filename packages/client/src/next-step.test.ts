import { describe, expect, it } from 'vitest';
import { RateLimitError, XApiError, XApiErrorCode } from './errors.js';
import { type AttemptOutcome, nextStep, type RetryBudget, spend } from './next-step.js';

const NOW = Date.UTC(2026, 0, 1);

function outcome(overrides: Partial<AttemptOutcome> = {}): AttemptOutcome {
  return {
    error: new XApiError(XApiErrorCode.ServerError, 'boom', { status: 500 }),
    status: 500,
    oauth1: false,
    now: NOW,
    serverNow: undefined,
    retryAfterMs: undefined,
    rateLimitResetKnown: false,
    ...overrides,
  };
}

const budget: RetryBudget = {
  mayResend: true,
  retries: 0,
  retryLimit: 2,
  waitedMs: 0,
  maxWaitMs: 60_000,
  rateLimitWaits: 0,
  onLimit: 'wait',
  clockCorrected: false,
  refreshed: false,
};

const unauthorized = (xCode?: number) =>
  new XApiError(
    xCode === 135 ? XApiErrorCode.TimestampOutOfBounds : XApiErrorCode.Unauthorized,
    'no',
    { status: 401, xCode },
  );
const rateLimited = (retryAt: Date | undefined) =>
  new RateLimitError('slow down', { status: 429, retryAt });

describe('nextStep on a 401', () => {
  it('corrects the clock on error 135 for OAuth 1.0a when X sent its Date', () => {
    const step = nextStep(
      outcome({ error: unauthorized(135), status: 401, oauth1: true, serverNow: NOW + 1000 }),
      budget,
    );
    expect(step).toEqual({ kind: 'correct-clock' });
  });

  it('corrects the clock on a plain 401 whose Date is more than five minutes off', () => {
    const skewed = outcome({
      error: unauthorized(),
      status: 401,
      oauth1: true,
      serverNow: NOW + 300_001,
    });
    expect(nextStep(skewed, budget)).toEqual({ kind: 'correct-clock' });
    // Within five minutes, the 401 is about the credentials: refresh.
    expect(nextStep({ ...skewed, serverNow: NOW - 300_000 }, budget)).toEqual({
      kind: 'refresh',
    });
  });

  it('does not correct the clock twice, without a Date header, or for OAuth 2.0', () => {
    const skewed = outcome({
      error: unauthorized(135),
      status: 401,
      oauth1: true,
      serverNow: NOW + 900_000,
    });
    expect(nextStep(skewed, { ...budget, clockCorrected: true })).toEqual({ kind: 'refresh' });
    expect(nextStep({ ...skewed, serverNow: undefined }, budget)).toEqual({ kind: 'refresh' });
    expect(nextStep({ ...skewed, oauth1: false }, budget)).toEqual({ kind: 'refresh' });
  });

  it('does not take a 401 with another X error code for a skewed clock', () => {
    const step = nextStep(
      outcome({ error: unauthorized(89), status: 401, oauth1: true, serverNow: NOW + 900_000 }),
      budget,
    );
    expect(step).toEqual({ kind: 'refresh' });
  });

  it('refreshes once, then throws', () => {
    const failed = outcome({ error: unauthorized(), status: 401 });
    expect(nextStep(failed, budget)).toEqual({ kind: 'refresh' });
    expect(nextStep(failed, { ...budget, refreshed: true })).toEqual({ kind: 'throw' });
  });
});

describe('nextStep on a rate limit', () => {
  const retryAt = new Date(NOW + 15_000);

  it('waits until the reset on X’s clock when x-rate-limit-reset came, even for a POST', () => {
    const limited = outcome({
      error: rateLimited(retryAt),
      status: 429,
      rateLimitResetKnown: true,
      serverNow: NOW + 5000,
    });
    expect(nextStep(limited, { ...budget, mayResend: false })).toEqual({
      kind: 'wait',
      delayMs: 10_000,
    });
  });

  it('waits at least a second for a reset already past', () => {
    const limited = outcome({
      error: rateLimited(new Date(NOW - 5000)),
      status: 429,
      rateLimitResetKnown: true,
    });
    expect(nextStep(limited, budget)).toEqual({ kind: 'wait', delayMs: 1000 });
  });

  it('waits exactly Retry-After without a reset header, only for requests that may be resent', () => {
    const limited = outcome({ error: rateLimited(retryAt), status: 429, retryAfterMs: 7000 });
    expect(nextStep(limited, budget)).toEqual({ kind: 'wait', delayMs: 7000 });
    expect(nextStep(limited, { ...budget, mayResend: false })).toEqual({ kind: 'throw' });
    expect(nextStep({ ...limited, retryAfterMs: undefined }, budget)).toEqual({ kind: 'throw' });
  });

  it('throws when told to, without a retry time, past the wait budget or after three waits', () => {
    const limited = outcome({
      error: rateLimited(retryAt),
      status: 429,
      rateLimitResetKnown: true,
    });
    expect(nextStep(limited, { ...budget, onLimit: 'throw' })).toEqual({ kind: 'throw' });
    expect(nextStep({ ...limited, error: rateLimited(undefined) }, budget)).toEqual({
      kind: 'throw',
    });
    expect(nextStep(limited, { ...budget, waitedMs: 50_000 })).toEqual({ kind: 'throw' });
    expect(nextStep(limited, { ...budget, waitedMs: 45_000 })).toEqual({
      kind: 'wait',
      delayMs: 15_000,
    });
    expect(nextStep(limited, { ...budget, rateLimitWaits: 3 })).toEqual({ kind: 'throw' });
  });
});

describe('nextStep on transient failures', () => {
  it('retries network errors, timeouts, 5xx and truncated bodies with backoff', () => {
    const transient = [
      outcome({ error: new XApiError(XApiErrorCode.NetworkError, 'x'), status: undefined }),
      outcome({ error: new XApiError(XApiErrorCode.Timeout, 'x'), status: undefined }),
      outcome(),
      outcome({ error: new XApiError(XApiErrorCode.InvalidResponse, 'x'), status: 200 }),
    ];
    for (const failed of transient) {
      expect(nextStep(failed, budget)).toEqual({ kind: 'retry', delayMs: undefined });
    }
  });

  it('throws once the retries are spent, or for a request that may not be resent', () => {
    expect(nextStep(outcome(), { ...budget, retries: 2 })).toEqual({ kind: 'throw' });
    expect(nextStep(outcome(), { ...budget, mayResend: false })).toEqual({ kind: 'throw' });
  });

  it('throws for errors that are not transient', () => {
    const notFound = new XApiError(XApiErrorCode.NotFound, 'x', { status: 404 });
    expect(nextStep(outcome({ error: notFound, status: 404 }), budget)).toEqual({
      kind: 'throw',
    });
    // An invalid response without an answer is not a truncated body.
    const invalid = new XApiError(XApiErrorCode.InvalidResponse, 'x');
    expect(nextStep(outcome({ error: invalid, status: undefined }), budget)).toEqual({
      kind: 'throw',
    });
  });

  it('waits exactly Retry-After on a 503, or throws when it exceeds the wait budget', () => {
    const unavailable = outcome({ status: 503, retryAfterMs: 3000 });
    expect(nextStep(unavailable, budget)).toEqual({ kind: 'retry', delayMs: 3000 });
    expect(nextStep(unavailable, { ...budget, waitedMs: 58_000 })).toEqual({ kind: 'throw' });
    // On a 500, Retry-After is not honoured: backoff.
    expect(nextStep({ ...unavailable, status: 500 }, budget)).toEqual({
      kind: 'retry',
      delayMs: undefined,
    });
  });
});

describe('spend', () => {
  it('counts each step against the budget', () => {
    expect(spend(budget, { kind: 'correct-clock' }).clockCorrected).toBe(true);
    expect(spend(budget, { kind: 'refresh' }).refreshed).toBe(true);
    expect(spend(budget, { kind: 'wait', delayMs: 500 })).toMatchObject({
      waitedMs: 500,
      rateLimitWaits: 1,
    });
    expect(spend(budget, { kind: 'retry', delayMs: undefined })).toMatchObject({
      retries: 1,
      waitedMs: 0,
    });
    expect(spend(budget, { kind: 'retry', delayMs: 3000 })).toMatchObject({
      retries: 1,
      waitedMs: 3000,
    });
    expect(spend(budget, { kind: 'throw' })).toBe(budget);
  });
});
