// What to do after an attempt that did not succeed: a pure decision over what the attempt
// saw and what the request may still spend, so every rule can be read (and tested) in one
// place, apart from the network.
import { RateLimitError, type XApiError, XApiErrorCode } from './errors.js';

/** X accepts OAuth 1.0a timestamps within about five minutes of its clock. */
const CLOCK_SKEW_LIMIT_MS = 300_000;
/** X's rate-limit resets are whole seconds; a reset already past must not loop at once. */
const MIN_RESET_WAIT_MS = 1000;
/** X may answer 429 again right at the reset: at most this many rate-limit waits per request. */
const MAX_RATE_LIMIT_WAITS = 3;

/** What a failed attempt saw. */
export interface AttemptOutcome {
  /** The error the attempt would throw. */
  readonly error: XApiError;
  /** The HTTP status, `undefined` when no answer arrived (network error, timeout). */
  readonly status: number | undefined;
  /** Whether the request was signed with OAuth 1.0a (whose timestamps X checks). */
  readonly oauth1: boolean;
  /** The local time (corrected towards X's), ms since the epoch. */
  readonly now: number;
  /** X's time from its `Date` header, ms since the epoch, when the answer had one. */
  readonly serverNow: number | undefined;
  /** The wait `Retry-After` asked for, in ms, when the answer had one. */
  readonly retryAfterMs: number | undefined;
  /** Whether the answer carried X's `x-rate-limit-reset` (so X did not act on a 429). */
  readonly rateLimitResetKnown: boolean;
}

/** What the request may still spend, and what it has spent. */
export interface RetryBudget {
  /** Whether the method may be sent again after it may have reached X (idempotent or allowed). */
  readonly mayResend: boolean;
  readonly retries: number;
  readonly retryLimit: number;
  readonly waitedMs: number;
  readonly maxWaitMs: number;
  readonly rateLimitWaits: number;
  readonly onLimit: 'wait' | 'throw';
  readonly clockCorrected: boolean;
  readonly refreshed: boolean;
}

/** The decision of {@link nextStep}. */
export type NextStep =
  /** Learn X's clock from the `Date` header and sign again. */
  | { readonly kind: 'correct-clock' }
  /** Ask the auth strategy to refresh its credentials; send again if it says so. */
  | { readonly kind: 'refresh' }
  /** Wait out a rate limit, then send again. */
  | { readonly kind: 'wait'; readonly delayMs: number }
  /** Send again after `delayMs`, or after a jittered backoff when `undefined`. */
  | { readonly kind: 'retry'; readonly delayMs: number | undefined }
  /** Give up: throw the outcome's error. */
  | { readonly kind: 'throw' };

const THROW: NextStep = { kind: 'throw' };

function isClockSkew({ error, serverNow, now }: AttemptOutcome): boolean {
  // X's v2 endpoints answer a stale timestamp with a plain 401, so a 401 whose Date header is
  // more than five minutes off counts too, not only error 135.
  if (error.code === XApiErrorCode.TimestampOutOfBounds) return true;
  return (
    error.xCode === undefined &&
    serverNow !== undefined &&
    Math.abs(serverNow - now) > CLOCK_SKEW_LIMIT_MS
  );
}

function rateLimitStep(outcome: AttemptOutcome, budget: RetryBudget, retryAt: Date): NextStep {
  if (budget.onLimit !== 'wait' || budget.rateLimitWaits >= MAX_RATE_LIMIT_WAITS) return THROW;
  // With x-rate-limit-reset X did not act on the request, so even a POST may be sent again.
  // Without it (retryAt came from Retry-After, perhaps from a proxy in front of X), only the
  // requests that may be resent are, after exactly the wait asked for.
  const serverNow = outcome.serverNow ?? outcome.now;
  const waitMs = outcome.rateLimitResetKnown
    ? Math.max(MIN_RESET_WAIT_MS, retryAt.getTime() - serverNow)
    : budget.mayResend && outcome.status !== undefined
      ? outcome.retryAfterMs
      : undefined;
  if (waitMs === undefined || budget.waitedMs + waitMs > budget.maxWaitMs) return THROW;
  return { kind: 'wait', delayMs: waitMs };
}

function isTransient({ error, status }: AttemptOutcome): boolean {
  return (
    error.code === XApiErrorCode.NetworkError ||
    error.code === XApiErrorCode.Timeout ||
    error.code === XApiErrorCode.ServerError ||
    (error.code === XApiErrorCode.InvalidResponse && status !== undefined)
  );
}

/**
 * Decides what follows a failed attempt, in this order: correct the clock (OAuth 1.0a, once),
 * refresh the credentials (401, once), wait out a rate limit, retry a transient failure of a
 * request that may be resent, or throw.
 */
export function nextStep(outcome: AttemptOutcome, budget: RetryBudget): NextStep {
  const { error, status } = outcome;
  if (status === 401) {
    if (
      outcome.oauth1 &&
      !budget.clockCorrected &&
      outcome.serverNow !== undefined &&
      isClockSkew(outcome)
    ) {
      return { kind: 'correct-clock' };
    }
    return budget.refreshed ? THROW : { kind: 'refresh' };
  }
  if (error instanceof RateLimitError) {
    return error.retryAt === undefined ? THROW : rateLimitStep(outcome, budget, error.retryAt);
  }
  if (!isTransient(outcome) || !budget.mayResend || budget.retries >= budget.retryLimit) {
    return THROW;
  }
  // A 503 with Retry-After says when X can take the request again: wait exactly that (within
  // the request's total wait budget), or give up now rather than send it sooner than asked.
  if (status === 503 && outcome.retryAfterMs !== undefined) {
    return budget.waitedMs + outcome.retryAfterMs > budget.maxWaitMs
      ? THROW
      : { kind: 'retry', delayMs: outcome.retryAfterMs };
  }
  return { kind: 'retry', delayMs: undefined };
}

/** The budget after taking `step`. */
export function spend(budget: RetryBudget, step: NextStep): RetryBudget {
  switch (step.kind) {
    case 'correct-clock':
      return { ...budget, clockCorrected: true };
    case 'refresh':
      return { ...budget, refreshed: true };
    case 'wait':
      return {
        ...budget,
        waitedMs: budget.waitedMs + step.delayMs,
        rateLimitWaits: budget.rateLimitWaits + 1,
      };
    case 'retry':
      return {
        ...budget,
        retries: budget.retries + 1,
        waitedMs: budget.waitedMs + (step.delayMs ?? 0),
      };
    case 'throw':
      return budget;
  }
}
