// XClient: sends one request through an auth strategy, with the rules of every layer below:
// HTTPS only, fail closed without certificate checks, scopes checked before sending, rate-limit
// pools read on every answer, 429 waited out or thrown, 5xx and network errors retried for
// idempotent methods, the clock corrected on error 135, one refresh-and-retry on 401.
import { resolveTelemetry, type TelemetryOptions } from '@x-oauth/internal';
import type { AuthContext, Authorization, AuthStrategy, FetchLike } from './auth/strategy.js';
import { inspectSymbol } from './auth/strategy.js';
import { CorrectedClock, parseHttpDate } from './clock.js';
import { RateLimitError, XApiError, XApiErrorCode } from './errors.js';
import { type AttemptOutcome, nextStep, type RetryBudget, spend } from './next-step.js';
import { parseXError, rateLimitReset } from './parse-error.js';
import { parseRateLimitHeaders, type RateLimitHeaders } from './rate-limits/headers.js';
import {
  canTake,
  emptyPool,
  type RequestPools,
  recordRateLimits,
  requestPools,
  type TakingStore,
  takeRequest,
} from './rate-limits/limiter.js';
import { createMemoryRateLimitStore } from './rate-limits/memory-store.js';
import { endpointName } from './rate-limits/pool-key.js';
import type { RateLimitPool, RateLimitStore } from './rate-limits/store.js';
import { redactHeaders, redactUrl } from './redact.js';
import { type PreparedRequest, prepareRequest, type RequestOptions } from './request.js';
import {
  backoffDelay,
  mayRetry,
  type RetryOptions,
  type RetryPolicy,
  retryPolicy,
} from './retry.js';
import { parseRetryAfter } from './retry-after.js';
import { missingScopes } from './scopes.js';
import { assertSecureEndpoint, assertTlsVerified } from './security.js';
import {
  CLIENT_SCOPE,
  type ClientInstruments,
  clientInstruments,
  RequestTelemetry,
} from './telemetry.js';
import { fetchTransport } from './transport/fetch-transport.js';
import { nodeTransport } from './transport/node-transport.js';
import type { Transport, TransportResponse } from './transport/transport.js';
import { transportError } from './transport/transport-error.js';

/**
 * Rate-limit behaviour of {@link XClient}.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export interface RateLimitOptions {
  /** Where pool states live; in memory by default. `@x-oauth/client/redis` shares them. */
  readonly store?: RateLimitStore | undefined;
  /** On 429 (or a held request): wait for the reset (`'wait'`) or throw `RateLimitError` (default). */
  readonly onLimit?: 'wait' | 'throw' | undefined;
  /**
   * The longest total wait per request, in ms, rate-limit resets and `Retry-After` waits
   * together; a later reset (or a longer `Retry-After`) throws at once. Default 60 000.
   */
  readonly maxWaitMs?: number | undefined;
  /** Before sending, hold (wait or throw) a request whose pool is known to be empty. Default false. */
  readonly holdWhenEmpty?: boolean | undefined;
}

/**
 * What `onRequest` receives: no Authorization or Cookie header, credential-like query values
 * redacted, no body.
 *
 * @see https://docs.x.com/x-api/introduction
 */
export interface RequestEvent {
  readonly method: string;
  /** The URL with `oauth_token`, `code`, `*_token`, `*verifier`, … values `[redacted]`. */
  readonly url: string;
  /** `METHOD /template`. */
  readonly endpoint: string;
  /** The rate-limit identity (`user:<appKey>:<userId>` or `app:<appKey>`). */
  readonly identity: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly bodyKind: 'none' | 'json' | 'form' | 'raw';
  /** The headers sent, without Authorization and Cookie. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * What `onResponse` receives: the request's event plus the outcome.
 *
 * @see https://docs.x.com/x-api/introduction
 */
export interface ResponseEvent extends RequestEvent {
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  readonly durationMs: number;
  readonly rateLimit: RateLimitHeaders | undefined;
  /** The error code, when the attempt failed. */
  readonly errorCode: XApiErrorCode | undefined;
}

/**
 * Logging and metrics hooks. They receive redacted data only; an exception thrown by a hook
 * is ignored, so a broken logger cannot break requests.
 *
 * @see https://docs.x.com/x-api/introduction
 */
export interface ClientHooks {
  readonly onRequest?: ((event: RequestEvent) => void) | undefined;
  readonly onResponse?: ((event: ResponseEvent) => void) | undefined;
}

/**
 * Options of {@link XClient}.
 *
 * @see https://docs.x.com/x-api/introduction
 */
export interface XClientOptions {
  /** `oauth1Auth(...)`, `oauth2Auth(...)` or `appOnlyAuth(...)`. */
  readonly auth: AuthStrategy;
  /** `https://api.x.com` by default; `http:` only to loopback (an emulator). */
  readonly baseUrl?: string | URL | undefined;
  /**
   * The `fetch` to send requests with (a proxy's dispatcher, a mock, another runtime). By
   * default, on Node.js 20.16 and later requests go through `node:http`/`node:https` with
   * keep-alive connections (about a quarter of fetch's CPU per request); elsewhere through the
   * global `fetch`. Token requests of auth strategies use this `fetch`, or the global one.
   */
  readonly fetch?: FetchLike | undefined;
  /** Per-attempt timeout in ms, body included. Default 30 000. */
  readonly timeoutMs?: number | undefined;
  /** Retries of network errors, timeouts and 5xx (idempotent methods only): a number or options. Default 2. */
  readonly retries?: number | RetryOptions | undefined;
  readonly rateLimit?: RateLimitOptions | undefined;
  readonly hooks?: ClientHooks | undefined;
  /**
   * Send even when `NODE_TLS_REJECT_UNAUTHORIZED=0` has switched certificate checks off for
   * the whole process. Off by default: the client then refuses to send (`X_INSECURE_TLS`).
   */
  readonly allowInsecureTls?: boolean | undefined;
  /** The local clock, ms since the epoch; `Date.now` by default. */
  readonly now?: (() => number) | undefined;
  /**
   * OpenTelemetry: a span per request and the client's metrics. By default the global
   * providers of `@opentelemetry/api` when that package is installed (no-ops until the app
   * registers an SDK); `false` turns telemetry off.
   */
  readonly telemetry?: TelemetryOptions | false | undefined;
}

/**
 * One answer of X, its body parsed.
 *
 * @see https://docs.x.com/x-api/introduction
 */
export interface XResponse<T> {
  readonly status: number;
  /** Every header of the answer. */
  readonly headers: Headers;
  /** The parsed JSON body; the text for a non-JSON body; `undefined` for an empty one. */
  readonly data: T;
  /** The rate-limit headers of this answer. */
  readonly rateLimit: RateLimitHeaders;
}

const DEFAULT_BASE_URL = 'https://api.x.com';
/** A probe's lease outlasts its attempt's timeout by this much, so only a lost probe expires. */
const PROBE_LEASE_MARGIN_MS = 1000;
/** Requests waiting for a probe's answer ask again after 5 ms, then 10, 20, up to 50 ms. */
const PROBE_POLL_FIRST_MS = 5;
const PROBE_POLL_MAX_MS = 50;

// The caller's view of an answer; the Headers object is built only if it is read.
function xResponse<T>(
  response: TransportResponse,
  data: T,
  rateLimit: RateLimitHeaders,
): XResponse<T> {
  return {
    status: response.status,
    get headers() {
      return response.allHeaders();
    },
    data,
    rateLimit,
  };
}

function parseBaseUrl(value: string | URL | undefined): URL {
  try {
    return new URL(String(value ?? DEFAULT_BASE_URL));
  } catch {
    throw new XApiError(
      XApiErrorCode.InvalidArgument,
      'baseUrl must be an absolute URL such as https://api.x.com.',
    );
  }
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

// When a `Retry-After` header asks to send again, on X's clock (its `Date` header) when known.
function retryAfterAt(response: TransportResponse, localNow: number): Date | undefined {
  const header = response.headers.get('retry-after');
  if (header === null) return undefined;
  const serverNow = parseHttpDate(response.headers.get('date')) ?? localNow;
  const waitMs = parseRetryAfter(header, serverNow);
  return waitMs === undefined ? undefined : new Date(serverNow + waitMs);
}

/** One request's attempts: what they send, and the attempt number (1 for the first). */
interface Attempt {
  readonly prepared: PreparedRequest;
  readonly endpoint: string;
  readonly pools: RequestPools;
  readonly signal: AbortSignal | undefined;
  readonly timeoutMs: number;
  number: number;
  readonly telemetry: RequestTelemetry;
  /** The lease this attempt holds while it learns its window (see `RateLimitStore.take`). */
  probeUntil: number | undefined;
}

type AttemptResult<T> =
  | { readonly ok: true; readonly response: XResponse<T> }
  | {
      readonly ok: false;
      readonly outcome: AttemptOutcome;
      readonly dateHeader: string | undefined;
    };

function isJsonType(contentType: string | null): boolean {
  return contentType !== null && /[/+]json\b/i.test(contentType);
}

/**
 * A client of the X API for one auth identity (a user, or the app).
 *
 * @example
 * const client = new XClient({ auth: oauth2Auth({ tokenSet, client: { clientId } }) });
 * const { data } = await client.get<{ data: { id: string } }>('/2/users/me');
 * @see https://docs.x.com/x-api/introduction
 */
export class XClient {
  readonly #auth: AuthStrategy;
  readonly #baseUrl: URL;
  readonly #transport: Transport;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #store: RateLimitStore;
  readonly #onLimit: 'wait' | 'throw';
  readonly #maxWaitMs: number;
  readonly #holdWhenEmpty: boolean;
  readonly #hooks: ClientHooks;
  readonly #allowInsecureTls: boolean;
  readonly #clock: CorrectedClock;
  readonly #instruments: Promise<ClientInstruments | undefined>;
  // What auth strategies get for a request without a signal: the same every time.
  readonly #context: AuthContext;
  // Endpoint names and pool keys by `METHOD path`: computing them is pure, and a client calls
  // the same few endpoints over and over. Bounded, so unbounded distinct paths cannot grow it.
  readonly #routes = new Map<string, { endpoint: string; pools: RequestPools }>();

  /**
   * @throws {XApiError} `X_INVALID_ARGUMENT` for bad options, `X_INSECURE_ENDPOINT` for an
   * `http:` base URL that is not loopback.
   */
  constructor(options: XClientOptions) {
    const auth = options?.auth;
    if (
      typeof auth !== 'object' ||
      auth === null ||
      typeof auth.authorize !== 'function' ||
      typeof auth.onUnauthorized !== 'function'
    ) {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'XClient needs auth: oauth1Auth(...), oauth2Auth(...) or appOnlyAuth(...).',
      );
    }
    this.#auth = auth;
    this.#baseUrl = parseBaseUrl(options.baseUrl);
    assertSecureEndpoint(this.#baseUrl);
    const fetchImpl = options.fetch ?? globalThis.fetch?.bind(globalThis);
    if (typeof fetchImpl !== 'function') {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'No fetch: pass options.fetch on a runtime without a global fetch.',
      );
    }
    this.#transport =
      (options.fetch === undefined ? nodeTransport() : undefined) ?? fetchTransport(fetchImpl);
    const timeoutMs = options.timeoutMs ?? 30_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'timeoutMs must be a positive number of milliseconds.',
      );
    }
    this.#timeoutMs = timeoutMs;
    try {
      this.#retry = retryPolicy(options.retries);
    } catch {
      throw new XApiError(
        XApiErrorCode.InvalidArgument,
        'retries must be a non-negative integer or { limit, baseDelayMs, maxDelayMs, ... }.',
      );
    }
    const rateLimit = options.rateLimit ?? {};
    this.#store = rateLimit.store ?? createMemoryRateLimitStore();
    this.#onLimit = rateLimit.onLimit ?? 'throw';
    this.#maxWaitMs = rateLimit.maxWaitMs ?? 60_000;
    this.#holdWhenEmpty = rateLimit.holdWhenEmpty ?? false;
    this.#hooks = options.hooks ?? {};
    this.#allowInsecureTls = options.allowInsecureTls === true;
    this.#clock = new CorrectedClock(options.now ?? Date.now);
    // Telemetry must never fail a request: a provider that throws means no telemetry.
    this.#instruments = resolveTelemetry(options.telemetry, CLIENT_SCOPE)
      .then((telemetry) => (telemetry === undefined ? undefined : clientInstruments(telemetry)))
      .catch(() => undefined);
    this.#context = {
      baseUrl: this.#baseUrl,
      fetch: fetchImpl,
      now: () => this.#clock.now(),
      signal: undefined,
    };
  }

  /** The auth identity whose pools this client spends. */
  get identity(): string {
    return this.#auth.identity;
  }

  /** The correction learned from X's `Date` header after error 135, in ms (0 until then). */
  get clockOffsetMs(): number {
    return this.#clock.offsetMs;
  }

  /**
   * The rate-limit pools known right now (from the store, so with Redis every process's view),
   * those whose window has not reset yet.
   *
   * @see https://docs.x.com/x-api/fundamentals/rate-limits
   */
  rateLimits(): Promise<RateLimitPool[]> {
    return this.#store.list(this.#clock.now());
  }

  /** `GET path`, resolving to the parsed JSON body. */
  async get<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('GET', path, options)).data;
  }

  /** `POST path`, resolving to the parsed JSON body. Never retried after it may have reached X. */
  async post<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('POST', path, options)).data;
  }

  /** `PUT path`, resolving to the parsed JSON body. */
  async put<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('PUT', path, options)).data;
  }

  /** `DELETE path`, resolving to the parsed JSON body. */
  async delete<T = unknown>(path: string, options?: RequestOptions): Promise<T> {
    return (await this.request<T>('DELETE', path, options)).data;
  }

  /**
   * Sends `method path` to X and resolves to the answer with its body parsed; any status but
   * 2xx rejects with an {@link XApiError}.
   *
   * @throws {XApiError} see {@link XApiErrorCode}; `RateLimitError` for 429. An aborted
   * `signal` rejects with its reason.
   * @see https://docs.x.com/x-api/introduction
   */
  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<XResponse<T>> {
    const prepared = prepareRequest(this.#baseUrl, method, path, options);
    const { endpoint, pools } = this.#route(prepared.method, prepared.url.pathname);
    assertSecureEndpoint(prepared.url);
    // Scopes known now (a token set in memory) are checked before anything happens; scopes
    // learned when authorizing (a set read from a token store) right after, still before sending.
    const scopesKnown = this.#checkScopes(endpoint);
    const signal = options.signal;
    const context = signal === undefined ? this.#context : { ...this.#context, signal };
    const description = {
      method: prepared.method,
      endpoint,
      url: prepared.url,
      authKind: this.#auth.kind,
    };
    return RequestTelemetry.within(await this.#instruments, description, (telemetry) =>
      this.#sendUntilDone<T>(
        {
          prepared,
          endpoint,
          pools,
          signal,
          timeoutMs: options.timeoutMs ?? this.#timeoutMs,
          number: 1,
          telemetry,
          probeUntil: undefined,
        },
        context,
        scopesKnown,
      ),
    );
  }

  // Sends the request until X answers 2xx or `nextStep` says to throw: authorizes and sends
  // each attempt, then retries, waits, refreshes or corrects the clock as it decides.
  async #sendUntilDone<T>(
    attempt: Attempt,
    context: AuthContext,
    scopesKnown: boolean,
  ): Promise<XResponse<T>> {
    const { prepared, endpoint, signal, telemetry } = attempt;
    let budget: RetryBudget = {
      mayResend: mayRetry(prepared.method, this.#retry),
      retries: 0,
      retryLimit: this.#retry.limit,
      waitedMs: 0,
      maxWaitMs: this.#maxWaitMs,
      rateLimitWaits: 0,
      onLimit: this.#onLimit,
      clockCorrected: false,
      refreshed: false,
    };

    let lastStatus: number | undefined;
    try {
      for (; ; attempt.number += 1) {
        signal?.throwIfAborted();
        assertTlsVerified(this.#allowInsecureTls);
        if (this.#holdWhenEmpty) budget = await this.#holdIfEmpty(attempt, budget);
        let authorization: Authorization;
        let result: AttemptResult<T>;
        try {
          authorization = await this.#auth.authorize({
            method: prepared.method,
            url: prepared.url,
            form: prepared.form,
            context,
          });
          if (!scopesKnown && attempt.number === 1) this.#checkScopes(endpoint);
          result = await this.#send<T>(attempt, authorization);
        } finally {
          // After its answer's headers are recorded (or none came): others may go now.
          if (attempt.probeUntil !== undefined) await this.#endProbe(attempt);
        }
        if (result.ok) {
          telemetry.end(result.response.status);
          return result.response;
        }

        const { outcome, dateHeader } = result;
        lastStatus = outcome.status;
        const step = nextStep(outcome, budget);
        // Backoff counts the retries before this one.
        const backoffMs = backoffDelay(budget.retries, this.#retry);
        budget = spend(budget, step);
        switch (step.kind) {
          case 'correct-clock':
            this.#clock.learn(dateHeader);
            telemetry.clockCorrected(this.#clock.offsetMs);
            continue;
          case 'refresh': {
            const error = outcome.error;
            if ((await this.#auth.onUnauthorized({ error, authorization, context })) === 'retry') {
              telemetry.refreshed();
              continue;
            }
            throw error;
          }
          case 'wait':
            telemetry.wait('rate_limit', step.delayMs);
            await this.#retry.sleep(step.delayMs, signal);
            continue;
          case 'retry': {
            const delayMs = step.delayMs ?? backoffMs;
            telemetry.retry(outcome.error.code, delayMs);
            await this.#retry.sleep(delayMs, signal);
            continue;
          }
          case 'throw':
            throw outcome.error;
        }
      }
    } catch (error) {
      telemetry.end(lastStatus, error);
      throw error;
    }
  }

  // Before sending: takes the request from its pools when the store can (so concurrent
  // senders, in this process or in any sharing the store, never send more than a pool has
  // left), and holds (waits or throws) a request whose pool is known to be empty.
  async #holdIfEmpty(attempt: Attempt, budget: RetryBudget): Promise<RetryBudget> {
    const store = this.#store;
    if (!canTake(store)) return this.#holdForKnownEmpty(attempt, budget);
    const leaseMs = attempt.timeoutMs + PROBE_LEASE_MARGIN_MS;
    let pollMs = PROBE_POLL_FIRST_MS;
    let probingWaitedMs = 0;
    for (;;) {
      const now = this.#clock.now();
      // Bookkeeping must not take the API down: an unreachable store holds nothing back.
      const taken = await takeRequest(store, attempt.pools, now, leaseMs).catch(() => undefined);
      if (taken === undefined) return budget;
      if (taken.kind === 'send') {
        attempt.probeUntil = taken.probeUntil;
        return budget;
      }
      if (taken.kind === 'empty') {
        budget = await this.#waitOrThrow(taken.pool, attempt, budget);
        continue;
      }
      // Another request is learning the window. Probes that keep hanging (X not answering)
      // would make the waiters queue one lease each: after one lease, send anyway.
      if (probingWaitedMs >= leaseMs) return budget;
      const waitMs = Math.max(1, Math.min(pollMs, taken.until - now));
      await this.#retry.sleep(waitMs, attempt.signal);
      probingWaitedMs += waitMs;
      pollMs = Math.min(pollMs * 2, PROBE_POLL_MAX_MS);
    }
  }

  async #endProbe(attempt: Attempt): Promise<void> {
    const until = attempt.probeUntil as number;
    attempt.probeUntil = undefined;
    await (this.#store as TakingStore).endProbe(attempt.pools.window, until).catch(() => undefined);
  }

  // For a store without `take`: holds a request whose pool is known to be empty.
  async #holdForKnownEmpty(attempt: Attempt, budget: RetryBudget): Promise<RetryBudget> {
    const empty = await emptyPool(this.#store, attempt.pools, this.#clock.now()).catch(
      () => undefined,
    );
    return empty === undefined ? budget : this.#waitOrThrow(empty, attempt, budget);
  }

  // Waits for an empty pool's reset within the budget (`onLimit: 'wait'`), or throws.
  async #waitOrThrow(
    empty: RateLimitPool,
    attempt: Attempt,
    budget: RetryBudget,
  ): Promise<RetryBudget> {
    const waitMs = empty.resetAt - this.#clock.now();
    if (this.#onLimit === 'wait' && budget.waitedMs + waitMs <= this.#maxWaitMs) {
      attempt.telemetry.wait('pool_empty', waitMs);
      await this.#retry.sleep(waitMs, attempt.signal);
      return { ...budget, waitedMs: budget.waitedMs + waitMs };
    }
    throw new RateLimitError(
      `${attempt.endpoint} was not sent: its rate-limit pool is known to be empty until ${new Date(empty.resetAt).toISOString()}.`,
      {
        endpoint: attempt.endpoint,
        retryAt: new Date(empty.resetAt),
        limit: empty.limit,
        pool: empty.key,
      },
    );
  }

  // One attempt over the network: send, record the rate-limit headers, and read the answer
  // into a response or into what nextStep decides on.
  async #send<T>(attempt: Attempt, authorization: Authorization): Promise<AttemptResult<T>> {
    const { prepared, endpoint, pools, signal, timeoutMs } = attempt;
    // Built only for hooks: redaction parses the URL again, which the hot path can skip.
    const event: RequestEvent | undefined = this.#hasHooks
      ? {
          method: prepared.method,
          url: redactUrl(prepared.url),
          endpoint,
          identity: this.#auth.identity,
          attempt: attempt.number,
          bodyKind: prepared.bodyKind,
          headers: redactHeaders(prepared.headers),
        }
      : undefined;
    if (event !== undefined) this.#emit('onRequest', event);

    const started = performance.now();
    let response: TransportResponse | undefined;
    let failure: XApiError | undefined;
    try {
      response = await this.#transport.send({
        method: prepared.method,
        url: prepared.url,
        headers: { ...prepared.headers, ...authorization.headers },
        body: prepared.body,
        signal,
        timeoutMs,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      failure = transportError(error, endpoint, timeoutMs);
    }
    const rateLimit = response === undefined ? undefined : parseRateLimitHeaders(response.headers);
    if (rateLimit !== undefined) {
      try {
        await recordRateLimits(this.#store, pools, rateLimit);
      } catch {
        // X's answer matters more than the bookkeeping: a store failure (Redis down) is ignored.
      }
    }

    if (response !== undefined) {
      const text = response.text;
      if (response.status >= 200 && response.status < 300) {
        const data = this.#parseBody(response, text, endpoint);
        if (data.ok) {
          attempt.telemetry.attempt(response.status, performance.now() - started, undefined);
          this.#emitResponse(event, response.status, started, rateLimit, undefined);
          return {
            ok: true,
            response: xResponse(
              response,
              data.value as T,
              rateLimit ?? parseRateLimitHeaders(response.headers),
            ),
          };
        }
        failure = data.error;
      } else {
        const parsed = tryJson(text);
        failure = parseXError(response.status, parsed.ok ? parsed.value : text, {
          endpoint,
          rateLimit,
          pool: pools.window,
          retryAfterAt: retryAfterAt(response, this.#clock.now()),
        });
      }
    }
    const error = failure as XApiError;
    attempt.telemetry.attempt(response?.status ?? 0, performance.now() - started, error.code);
    this.#emitResponse(event, response?.status ?? 0, started, rateLimit, error.code);

    const now = this.#clock.now();
    const dateHeader = response?.headers.get('date') ?? undefined;
    const serverNow = parseHttpDate(dateHeader);
    return {
      ok: false,
      dateHeader,
      outcome: {
        error,
        status: response?.status,
        oauth1: this.#auth.kind === 'oauth1',
        now,
        serverNow,
        retryAfterMs:
          response === undefined
            ? undefined
            : parseRetryAfter(response.headers.get('retry-after'), serverNow ?? now),
        rateLimitResetKnown: rateLimit !== undefined && rateLimitReset(rateLimit) !== undefined,
      },
    };
  }

  #parseBody(
    response: TransportResponse,
    text: string,
    endpoint: string,
  ): { ok: true; value: unknown } | { ok: false; error: XApiError } {
    if (text === '') return { ok: true, value: undefined };
    const parsed = tryJson(text);
    if (parsed.ok) return parsed;
    if (isJsonType(response.headers.get('content-type'))) {
      return {
        ok: false,
        error: new XApiError(
          XApiErrorCode.InvalidResponse,
          `${endpoint} answered ${response.status} with a body that is not valid JSON (truncated?).`,
          { endpoint, status: response.status, retryable: true },
        ),
      };
    }
    return { ok: true, value: text };
  }

  #emit<K extends keyof ClientHooks>(
    name: K,
    event: Parameters<NonNullable<ClientHooks[K]>>[0],
  ): void {
    const hook = this.#hooks[name] as ((event: unknown) => void) | undefined;
    if (hook === undefined) return;
    try {
      hook(event);
    } catch {
      // A hook is for logging and metrics; its failure must not change the request's outcome.
    }
  }

  // Throws X_INSUFFICIENT_SCOPE when the granted scopes lack what `endpoint` needs; returns
  // whether the scopes were known at all.
  #checkScopes(endpoint: string): boolean {
    const granted = this.#auth.grantedScopes();
    if (granted === undefined) return false;
    const missing = missingScopes(endpoint, granted);
    if (missing.length > 0) {
      throw new XApiError(
        XApiErrorCode.InsufficientScope,
        `${endpoint} needs the OAuth 2.0 scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the token set was not granted. Authorize the user again asking for ${missing.length > 1 ? 'them' : 'it'}. Nothing was sent.`,
        { endpoint },
      );
    }
    return true;
  }

  get #hasHooks(): boolean {
    return this.#hooks.onRequest !== undefined || this.#hooks.onResponse !== undefined;
  }

  #route(method: string, pathname: string): { endpoint: string; pools: RequestPools } {
    const key = `${method} ${pathname}`;
    let route = this.#routes.get(key);
    if (route === undefined) {
      route = {
        endpoint: endpointName(method, pathname),
        pools: requestPools(this.#auth, method, pathname),
      };
      if (this.#routes.size >= 512) this.#routes.clear();
      this.#routes.set(key, route);
    }
    return route;
  }

  #emitResponse(
    event: RequestEvent | undefined,
    status: number,
    started: number,
    rateLimit: RateLimitHeaders | undefined,
    errorCode: XApiErrorCode | undefined,
  ): void {
    if (event === undefined || this.#hooks.onResponse === undefined) return;
    this.#emit('onResponse', {
      ...event,
      status,
      durationMs: performance.now() - started,
      rateLimit,
      errorCode,
    });
  }

  /** A loggable description: base URL, identity and auth kind, nothing secret. */
  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.#baseUrl.origin,
      auth: this.#auth.kind,
      identity: this.#auth.identity,
      clockOffsetMs: this.#clock.offsetMs,
    };
  }

  [inspectSymbol](): string {
    return `XClient ${JSON.stringify(this.toJSON())}`;
  }
}
