// The safe refresh. X rotates refresh tokens: a refresh token works once, and (with theft
// detection) reusing a spent one revokes the whole grant. So two workers that refresh the
// same set at once lose a token at best and the grant at worst. The steps below make sure
// one worker refreshes per expiry, writes the new pair in one compare-and-swap, and never
// calls a grant dead because of a network failure or a sibling's win.
import { codeOf } from '@x-oauth/internal';

import { isDeadGrant, isExpired, isRetryable, type TokenSet } from '@x-oauth/pkce';
import type { HeldLock, RecordOwner, StoredRow } from './backend.js';
import type { StoreConfig } from './config.js';
import { isTokenStoreError, TokenStoreError, TokenStoreErrorCode } from './errors.js';
import { ownerKey } from './owner.js';
import { parseTokenSet } from './record-codec.js';
import { backendCall, type OpenedRow, type SealedRecords } from './sealed-records.js';
import {
  RefreshTelemetry,
  recordOutcome,
  type StoreInstruments,
  storeInstruments,
} from './telemetry.js';
import type { OAuth2Record, RefreshCallback } from './types.js';

const WRITE_RETRY_DELAY_MS = 50;

// A refresh running in this process, and the refused access token it was started for (if
// any): its result is never that token.
interface Flight {
  readonly result: Promise<TokenSet>;
  readonly rejected: string | undefined;
}

/**
 * Runs the safe refresh (`TokenWriter.getFreshTokenSet`) with in-process single-flight: concurrent callers for the same
 * (app, user) share one refresh, so a process sends at most one token request per expiry.
 */
export class FreshTokenSets {
  readonly #config: StoreConfig;
  readonly #records: SealedRecords;
  readonly #inFlight = new Map<string, Flight>();
  readonly #instruments: Promise<StoreInstruments | undefined>;

  constructor(config: StoreConfig, records: SealedRecords) {
    this.#config = config;
    this.#records = records;
    this.#instruments = storeInstruments(config.telemetry);
  }

  /**
   * A valid token set for `owner`, refreshed through `refresh` when needed. `rejected` is an
   * access token the API refused (401): a stored set that still holds it is unusable however
   * far it is from expiry.
   */
  async get(
    owner: RecordOwner,
    refresh: RefreshCallback,
    rejected: string | undefined,
  ): Promise<TokenSet> {
    const instruments = await this.#instruments;
    try {
      // Step 1: the common case costs one read and no lock.
      const fresh = this.#usable(await this.#records.read(owner), rejected);
      if (fresh !== undefined) {
        recordOutcome(instruments, 'fresh');
        return fresh;
      }
      const refreshed = await this.#refreshOnce(owner, refresh, rejected, instruments);
      recordOutcome(instruments, 'refreshed');
      return refreshed;
    } catch (error) {
      const dead = isTokenStoreError(error, TokenStoreErrorCode.NeedsReauth);
      recordOutcome(instruments, dead ? 'needs_reauth' : 'failed', error);
      throw error;
    }
  }

  async #refreshOnce(
    owner: RecordOwner,
    refresh: RefreshCallback,
    rejected: string | undefined,
    instruments: StoreInstruments | undefined,
  ): Promise<TokenSet> {
    // Step 2: single-flight in this process, keyed by owner. Callers that arrive while a
    // refresh runs share its result (and its refresh callback), unless that result could be
    // the very token this caller was refused: a flight started without `rejected` (or for
    // another rejected token) re-checks nothing for it. Such a caller waits for the flight,
    // which serializes it behind the running refresh, then checks the result; only if the
    // result is still the refused token does it start (or join) a flight of its own.
    const key = ownerKey(owner);
    for (;;) {
      const running = this.#inFlight.get(key);
      if (running === undefined) break;
      if (rejected === undefined || running.rejected === rejected) return running.result;
      const result = await running.result;
      if (result.accessToken !== rejected) return result;
    }
    const result = RefreshTelemetry.within(instruments, (telemetry) =>
      this.#tracedRefresh(owner, refresh, rejected, telemetry),
    ).finally(() => {
      if (this.#inFlight.get(key)?.result === result) this.#inFlight.delete(key);
    });
    this.#inFlight.set(key, { result, rejected });
    return result;
  }

  // The token set of `opened` when it can be used as is; undefined when it needs a refresh
  // (near expiry, or holding the access token the API refused); throws when there is nothing
  // to refresh (no row, OAuth 1.0a row, dead grant).
  #usable(opened: OpenedRow | undefined, rejected: string | undefined): TokenSet | undefined {
    const record = oauth2Record(opened);
    if (isExpired(record.tokenSet, this.#config.refreshSkewMs, this.#config.now)) return undefined;
    if (rejected !== undefined && record.tokenSet.accessToken === rejected) return undefined;
    return record.tokenSet;
  }

  // The refresh under the lock, in its span; `refreshed` when the set it returns is the one its
  // own token request obtained, `fresh` when a sibling's was found instead.
  async #tracedRefresh(
    owner: RecordOwner,
    refresh: RefreshCallback,
    rejected: string | undefined,
    telemetry: RefreshTelemetry,
  ): Promise<TokenSet> {
    let obtained: string | undefined;
    const observed: RefreshCallback = async (current, signal) => {
      try {
        const next = await refresh(current, signal);
        telemetry.tokenRequest(true);
        obtained = (next as { accessToken?: string } | undefined)?.accessToken;
        return next;
      } catch (error) {
        telemetry.tokenRequest(false);
        throw error;
      }
    };
    try {
      const tokenSet = await this.#refreshUnderLock(owner, observed, rejected, telemetry);
      telemetry.end(tokenSet.accessToken === obtained ? 'refreshed' : 'fresh');
      return tokenSet;
    } catch (error) {
      telemetry.end(undefined, error);
      throw error;
    }
  }

  async #refreshUnderLock(
    owner: RecordOwner,
    refresh: RefreshCallback,
    rejected: string | undefined,
    telemetry: RefreshTelemetry,
  ): Promise<TokenSet> {
    const config = this.#config;
    // Step 3: the cross-process lock, so one worker of all machines refreshes.
    let lock: HeldLock;
    const waitStarted = performance.now();
    try {
      lock = await backendCall(() =>
        config.backend.acquireRefreshLock(owner, {
          ttlMs: config.lockTtlMs,
          waitMs: config.lockWaitMs,
        }),
      );
      telemetry.lockWaited(performance.now() - waitStarted, 'acquired');
    } catch (error) {
      const timedOut = isTokenStoreError(error, TokenStoreErrorCode.LockTimeout);
      telemetry.lockWaited(performance.now() - waitStarted, timedOut ? 'timeout' : 'error');
      // The holder may have refreshed meanwhile: its token is as good as ours.
      if (timedOut) {
        const fresh = this.#usable(await this.#records.read(owner), rejected);
        if (fresh !== undefined) return fresh;
      }
      throw error;
    }
    const lockedAt = performance.now();
    try {
      // Step 4: re-read under the lock. If another worker refreshed while we waited, the row
      // is valid now and holds the only live refresh token: use it, send nothing. With a
      // refused token, "valid" also means "no longer that token": a sibling that refreshed
      // after the same 401 has replaced it already.
      const current = await this.#records.read(owner);
      const fresh = this.#usable(current, rejected);
      if (fresh !== undefined) return fresh;
      const record = oauth2Record(current);

      // Step 5: the token request, bounded so that it ends (and the write after it) before the
      // lock's TTL can free the lock for a second worker.
      const budget = config.lockTtlMs - config.writeTimeoutMs - (performance.now() - lockedAt);
      const timeoutMs = Math.min(config.tokenRequestTimeoutMs, Math.floor(budget));
      if (timeoutMs <= 0) {
        throw new TokenStoreError(
          TokenStoreErrorCode.LockTimeout,
          'The refresh lock would expire before a token request could finish; try again.',
          { retryable: true },
        );
      }
      let refreshed: TokenSet;
      try {
        refreshed = parseTokenSet(await callWithTimeout(refresh, record.tokenSet, timeoutMs));
      } catch (error) {
        return await this.#onRefreshError(owner, record, error, rejected);
      }

      // Step 6: access and refresh token together, version + 1, in one compare-and-swap.
      const row = this.#records.seal(
        owner,
        { kind: 'oauth2', tokenSet: refreshed },
        record.version,
        'active',
      );
      if (await this.#writeRefreshed(row, record.version)) return refreshed;
      const latest = await this.#records.read(owner);
      // An attempt whose answer was lost (a dropped connection) may have written after all.
      if (latest?.row.ciphertext === row.ciphertext) return refreshed;
      // Someone wrote without the lock (a new authorization, a put): the stored row wins.
      const after = oauth2Record(latest);
      if (after.version > record.version && !isExpired(after.tokenSet, 0, config.now)) {
        return after.tokenSet;
      }
      throw new TokenStoreError(
        TokenStoreErrorCode.VersionConflict,
        'The record changed during the refresh and the new tokens could not be stored; try again.',
        { retryable: true },
      );
    } finally {
      // Always release; a failed release is harmless (the TTL frees the lock).
      await lock.release().catch(() => undefined);
    }
  }

  // The refreshed pair is the only live grant once the token endpoint answered: a transient
  // backend failure is retried until `writeTimeoutMs`, which the lock's TTL leaves room for.
  async #writeRefreshed(row: StoredRow, expectedVersion: number): Promise<boolean> {
    const deadline = performance.now() + this.#config.writeTimeoutMs;
    for (;;) {
      const remaining = Math.floor(deadline - performance.now());
      try {
        return await withTimeout(this.#records.compareAndSwap(row, expectedVersion), remaining);
      } catch (error) {
        const retryable = error instanceof TokenStoreError && error.retryable;
        if (!retryable || deadline - performance.now() <= WRITE_RETRY_DELAY_MS) throw error;
        await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_DELAY_MS));
      }
    }
  }

  // Step 7: only a dead grant may mark the row, and only after ruling out a sibling's win.
  async #onRefreshError(
    owner: RecordOwner,
    record: OAuth2Record,
    error: unknown,
    rejected: string | undefined,
  ): Promise<TokenSet> {
    if (!isDeadGrantError(error)) {
      const retryable = isRetryableError(error) || isTimeout(error);
      throw new TokenStoreError(
        TokenStoreErrorCode.RefreshFailed,
        retryable
          ? 'The token refresh failed (network, server error, rate limit or timeout); the stored tokens are kept. Retry later.'
          : 'The token refresh failed; the stored tokens are kept. See cause.',
        { retryable, cause: error, causeCode: isTimeout(error) ? 'TIMEOUT' : codeOf(error) },
      );
    }
    // A newer version means a sibling refreshed with this same refresh token first (a lock
    // that expired, a writer outside the lock): its set is the live one.
    const latest = await this.#records.read(owner);
    if (latest !== undefined && latest.row.version > record.version) {
      const sibling = this.#usable(latest, rejected);
      if (sibling !== undefined) return sibling;
      throw new TokenStoreError(
        TokenStoreErrorCode.RefreshFailed,
        'The record changed during the refresh; try again.',
        { retryable: true, cause: error },
      );
    }
    if (latest === undefined) throw notFound();
    const marked = this.#records.withStatus(latest.row, 'needs_reauth');
    if (!(await this.#records.compareAndSwap(marked, latest.row.version))) {
      // Written meanwhile: the same question again, on the newer row.
      const newer = await this.#records.read(owner);
      const sibling = this.#usable(newer, rejected);
      if (sibling !== undefined) return sibling;
    }
    throw needsReauth(error);
  }
}

// pkce's guards recognise a PkceError from any copy of @x-oauth/pkce (an ESM and a CJS copy
// in one process) by its brand. Only a dead-grant PkceError proves a grant dead; anything
// else, including any error that merely carries such a code, is not trusted.
const isDeadGrantError = isDeadGrant;
const isRetryableError = isRetryable;

function oauth2Record(opened: OpenedRow | undefined): OAuth2Record {
  if (opened === undefined) throw notFound();
  const { record } = opened;
  if (record.kind !== 'oauth2') {
    throw new TokenStoreError(
      TokenStoreErrorCode.WrongKind,
      'This record holds OAuth 1.0a credentials, which never expire: read them with get().',
    );
  }
  if (record.status === 'needs_reauth') throw needsReauth();
  return record;
}

function notFound(): TokenStoreError {
  return new TokenStoreError(
    TokenStoreErrorCode.NotFound,
    'No tokens are stored for this user: send them through authorization.',
  );
}

function needsReauth(cause?: unknown): TokenStoreError {
  return new TokenStoreError(
    TokenStoreErrorCode.NeedsReauth,
    "The user's grant is dead (refresh token spent or revoked): send them through authorization again.",
    cause === undefined ? {} : { cause },
  );
}

class RefreshTimeout extends Error {
  constructor() {
    super('The refresh callback did not finish in time.');
    this.name = 'TimeoutError';
  }
}

function isTimeout(error: unknown): boolean {
  return (
    error instanceof RefreshTimeout ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  );
}

// Calls `refresh` with a signal that aborts after `timeoutMs`, and stops waiting then even if
// the callback ignores its signal: past that point the lock may expire, so its result could
// not be written safely anyway.
async function callWithTimeout(
  refresh: RefreshCallback,
  current: TokenSet,
  timeoutMs: number,
): Promise<unknown> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = new RefreshTimeout();
      controller.abort(reason);
      reject(reason);
    }, timeoutMs);
  });
  const calling = Promise.resolve().then(() => refresh(current, controller.signal));
  // A callback that settles after the timeout must not surface as an unhandled rejection.
  calling.catch(() => undefined);
  try {
    return await Promise.race([calling, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new TokenStoreError(
            TokenStoreErrorCode.BackendError,
            `Writing the refreshed tokens took longer than ${timeoutMs} ms.`,
            { retryable: true },
          ),
        ),
      timeoutMs,
    );
  });
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
