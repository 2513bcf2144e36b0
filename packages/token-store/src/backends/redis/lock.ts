// The owner's refresh lock on Redis: `SET key token NX PX ttl`, waited for by polling with a
// growing, jittered delay (the event loop stays free), and released only by its holder through
// a token-checked script. If the holder dies, the lock frees itself after `ttl`.
import type { Cluster, Redis } from 'ioredis';
import type { HeldLock } from '../../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';
import { RELEASE_LOCK, runScript } from './scripts.js';

/** How a waiter polls a taken lock. */
export interface LockPolling {
  /** First delay between attempts, in ms. */
  readonly minDelayMs: number;
  /** Largest delay between attempts, in ms (the delay doubles up to it). */
  readonly maxDelayMs: number;
}

/** What {@link acquireRedisLock} needs besides the client. */
export interface AcquireRedisLockOptions {
  readonly key: string;
  readonly ttlMs: number;
  readonly waitMs: number;
  readonly polling: LockPolling;
  /** A fresh, unguessable holder token (128 random bits by default). */
  readonly token: string;
  /** A number in [0, 1) for the jitter of the delays. */
  readonly random: () => number;
  /** Wraps a driver error in a typed backend error. */
  readonly backendError: (cause: unknown, doing: string) => TokenStoreError;
  /**
   * Replicas that must hold the lock before it counts as taken (`WAIT`), or undefined. A lock
   * only its primary knew would vanish with it in a failover, letting a second process spend
   * the same refresh token.
   */
  readonly ack?: { readonly replicas: number; readonly timeoutMs: number } | undefined;
}

/**
 * Takes the lock at `key`, waiting up to `waitMs`; rejects with `TOKEN_STORE_LOCK_TIMEOUT`
 * (retryable) when it stays taken, or `TOKEN_STORE_BACKEND_ERROR` when Redis fails.
 */
export async function acquireRedisLock(
  client: Redis | Cluster,
  options: AcquireRedisLockOptions,
): Promise<HeldLock> {
  const { key, token, polling } = options;
  const ttlMs = Math.ceil(options.ttlMs);
  // The wait is measured on the monotonic clock; the lock's TTL is the server's business.
  const deadline = performance.now() + options.waitMs;
  let delayMs = polling.minDelayMs;
  for (;;) {
    let answer: string | null;
    try {
      answer = await setLock(client, key, token, ttlMs, options.ack);
    } catch (error) {
      throw options.backendError(error, 'take the refresh lock');
    }
    if (answer === 'OK') return heldLock(client, key, token);
    const remainingMs = deadline - performance.now();
    if (remainingMs <= 0) {
      throw new TokenStoreError(
        TokenStoreErrorCode.LockTimeout,
        `The refresh lock stayed taken for more than ${options.waitMs} ms; retry later.`,
        { retryable: true },
      );
    }
    // Jitter keeps the waiters of many processes from polling in step.
    const jittered = delayMs / 2 + (options.random() * delayMs) / 2;
    await sleep(Math.min(jittered, remainingMs));
    delayMs = Math.min(delayMs * 2, polling.maxDelayMs);
  }
}

/**
 * `SET key token PX ttl NX`, and with `ack` a `WAIT` in the same pipeline (so on a Cluster it
 * reaches the key's primary). A lock no replica acknowledged is released again and reported as
 * a retryable failure rather than trusted.
 */
async function setLock(
  client: Redis | Cluster,
  key: string,
  token: string,
  ttlMs: number,
  ack: AcquireRedisLockOptions['ack'],
): Promise<string | null> {
  if (ack === undefined) return client.set(key, token, 'PX', ttlMs, 'NX');
  const replies = await client
    .pipeline()
    .set(key, token, 'PX', ttlMs, 'NX')
    .call('wait', String(ack.replicas), String(ack.timeoutMs))
    .exec();
  const [set, wait] = replies ?? [];
  if (set === undefined || wait === undefined) throw new Error('no reply');
  if (set[0] !== null) {
    // A pipeline does not follow MOVED: learn the slot's new owner before the caller retries.
    if ('refreshSlotsCache' in client && /^(MOVED|ASK) /.test(String(set[0].message))) {
      client.refreshSlotsCache();
    }
    throw set[0];
  }
  if (set[1] !== 'OK') return null;
  if (wait[0] === null && Number(wait[1]) >= ack.replicas) return 'OK';
  await runScript(client, RELEASE_LOCK, key, [token]).catch(() => undefined);
  throw wait[0] ?? new Error(`the lock reached ${String(wait[1])} replicas, not ${ack.replicas}`);
}

function heldLock(client: Redis | Cluster, key: string, token: string): HeldLock {
  let released: Promise<void> | undefined;
  return Object.freeze({
    release(): Promise<void> {
      released ??= runScript(client, RELEASE_LOCK, key, [token]).then(
        () => undefined,
        // The lock frees itself after its TTL anyway; a failed release must not turn a
        // successful refresh (already written) into an error for the caller.
        () => undefined,
      );
      return released;
    },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
