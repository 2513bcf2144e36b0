// Retries with jittered exponential backoff ("full jitter": a uniform delay between 0 and the
// exponential cap), so many clients that failed together do not retry together. Only
// idempotent methods are retried after a network error or a 5xx: a POST that reached X may
// have taken effect (a Tweet posted) even when the answer was lost.

/**
 * Sleeps `ms`, or rejects with the signal's reason when it aborts first.
 *
 * @see https://dom.spec.whatwg.org/#abortsignal-reason
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * How requests are retried.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-9.2.2
 */
export interface RetryOptions {
  /** Retries after the first attempt (network errors, timeouts, 5xx, truncated bodies). Default 2. */
  readonly limit?: number | undefined;
  /** First backoff cap in ms; doubles each retry. Default 200. */
  readonly baseDelayMs?: number | undefined;
  /** Largest backoff in ms. Default 5000. */
  readonly maxDelayMs?: number | undefined;
  /**
   * Retry non-idempotent requests (POST, PATCH) too. Off by default: a `POST /2/tweets` whose
   * answer was lost may have posted the Tweet, and a retry would post it twice.
   */
  readonly retryNonIdempotent?: boolean | undefined;
  /** Random source in [0, 1); `Math.random` by default. Tests inject it. */
  readonly random?: (() => number) | undefined;
  /** The sleep; a timer by default. Tests inject it. */
  readonly sleep?: Sleep | undefined;
}

/** {@link RetryOptions} with the defaults filled in. */
export interface RetryPolicy {
  readonly limit: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly retryNonIdempotent: boolean;
  readonly random: () => number;
  readonly sleep: Sleep;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * True for the methods RFC 9110 defines as idempotent.
 */
export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/**
 * The delay before retry number `retry` (0 for the first): uniform in
 * `[0, min(maxDelayMs, baseDelayMs * 2^retry))`. Pure given `random`.
 */
export function backoffDelay(
  retry: number,
  policy: Omit<RetryPolicy, 'sleep' | 'retryNonIdempotent' | 'limit'>,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(policy.random() * cap);
}

/**
 * A timer-based {@link Sleep} that rejects with the signal's reason on abort.
 */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Fills in the defaults of {@link RetryOptions}; a number is the `limit`.
 */
export function retryPolicy(options: number | RetryOptions | undefined): RetryPolicy {
  const given: RetryOptions = typeof options === 'number' ? { limit: options } : (options ?? {});
  const limit = given.limit ?? 2;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError('retries.limit must be a non-negative integer.');
  }
  return {
    limit,
    baseDelayMs: given.baseDelayMs ?? 200,
    maxDelayMs: given.maxDelayMs ?? 5000,
    retryNonIdempotent: given.retryNonIdempotent ?? false,
    random: given.random ?? Math.random,
    sleep: given.sleep ?? timerSleep,
  };
}

/**
 * Whether a request of `method` may be sent again after a failure that may have reached X.
 */
export function mayRetry(method: string, policy: RetryPolicy): boolean {
  return policy.retryNonIdempotent || isIdempotent(method);
}
