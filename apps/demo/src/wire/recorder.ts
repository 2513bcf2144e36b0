// The wire inspector's recorder. Requests are seen at two places, both through public APIs:
// XClient's hooks (method, redacted URL, endpoint, pool, status, rate limit, error code, time)
// joined with the `Authorization` header its auth strategy made (wrapped here, masked at once),
// and a `fetch` wrapper for token and flow requests (request token, access token, PKCE
// exchange, refresh, revoke, bearer token). The current recorder is found through
// AsyncLocalStorage: each web request, or the CLI's one command, runs inside its own.
import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type AuthStrategy,
  type ClientHooks,
  parseRateLimitHeaders,
  type RateLimitHeaders,
  type RateLimitWindow,
  type RequestEvent,
  type ResponseEvent,
  redactUrl,
} from '@x-oauth/client';
import { maskToken } from '../mask.js';
import { describeAuthorization, maskedBaseString } from './authorization.js';
import type { WireAuthorization, WireEntry, WireRateLimit } from './entry.js';
import { xErrorOfResponse } from './x-error.js';

/** What an auth strategy produced for the attempt about to be sent. */
interface PendingAuthorization {
  readonly authorization: WireAuthorization;
  readonly baseString: string | undefined;
}

/** What X said in its last error answer. */
export interface XErrorNote {
  readonly status: number;
  readonly text: string;
}

interface OpenRequest {
  readonly event: RequestEvent;
  readonly at: number;
  readonly pending: PendingAuthorization | undefined;
}

/** Collects the entries of one unit of work (a page request, a CLI command). */
export class WireRecorder {
  readonly #entries: WireEntry[] = [];
  readonly #open: OpenRequest[] = [];
  readonly #onEntry: ((entry: WireEntry) => void) | undefined;
  readonly #now: () => number;
  #pending: PendingAuthorization | undefined;
  #lastXError: XErrorNote | undefined;
  #unclaimedXError: XErrorNote | undefined;
  #seq = 0;

  constructor(options: { onEntry?: (entry: WireEntry) => void; now?: () => number } = {}) {
    this.#onEntry = options.onEntry;
    this.#now = options.now ?? Date.now;
  }

  /** Every entry so far, oldest first. */
  get entries(): readonly WireEntry[] {
    return this.#entries;
  }

  /** Adds a finished entry (its `seq` is assigned here). */
  add(entry: Omit<WireEntry, 'seq'>): WireEntry {
    this.#seq += 1;
    const full: WireEntry = { ...entry, seq: this.#seq };
    this.#entries.push(full);
    try {
      this.#onEntry?.(full);
    } catch {
      // A broken printer must not break the request.
    }
    return full;
  }

  /** The last error answer's status and X's words about it (see {@link xErrorFetch}). */
  get lastXError(): XErrorNote | undefined {
    return this.#lastXError;
  }

  /** Notes what X said in an error answer. */
  noteXError(note: XErrorNote): void {
    this.#lastXError = note;
    this.#unclaimedXError = note;
  }

  /** Called by the wrapped auth strategy with the header it made. */
  notePendingAuthorization(pending: PendingAuthorization): void {
    this.#pending = pending;
  }

  /** `onRequest`: the attempt leaves now, with the header the strategy just made. */
  opened(event: RequestEvent): void {
    this.#open.push({ event, at: this.#now(), pending: this.#pending });
    this.#pending = undefined;
    this.#unclaimedXError = undefined;
  }

  /** `onResponse`: joins the answer with its request. */
  closed(event: ResponseEvent): void {
    const index = this.#open.findIndex(
      (open) =>
        open.event.url === event.url &&
        open.event.method === event.method &&
        open.event.attempt === event.attempt &&
        open.event.identity === event.identity,
    );
    const open = index === -1 ? undefined : this.#open.splice(index, 1)[0];
    // X's words about this answer, when the client's fetch noted them (see xErrorFetch).
    const said =
      this.#unclaimedXError?.status === event.status ? this.#unclaimedXError.text : undefined;
    this.#unclaimedXError = undefined;
    const error =
      event.errorCode === undefined
        ? undefined
        : said === undefined
          ? event.errorCode
          : `${event.errorCode} (X: ${said})`;
    this.add({
      at: open?.at ?? this.#now() - event.durationMs,
      via: 'client',
      method: event.method,
      url: event.url,
      endpoint: event.endpoint,
      pool: `${maskIdentity(event.identity)} ${event.endpoint}`,
      attempt: event.attempt,
      authorization: open?.pending?.authorization ?? { scheme: 'none', parameters: [] },
      baseString: open?.pending?.baseString,
      status: event.status,
      durationMs: event.durationMs,
      ...limitsOf(event.rateLimit),
      error,
    });
  }
}

const storage = new AsyncLocalStorage<WireRecorder>();

/** Runs `work` with `recorder` as the current recorder. */
export function withWireRecorder<T>(recorder: WireRecorder, work: () => T): T {
  return storage.run(recorder, work);
}

/**
 * X's own words about `error`'s answer, when the current recorder noted them for the same
 * status (undefined otherwise). The client's errors hold none of X's text.
 */
export function xSaidAbout(error: unknown): string | undefined {
  const note = storage.getStore()?.lastXError;
  if (note === undefined || typeof error !== 'object' || error === null) return undefined;
  return 'status' in error && error.status === note.status ? note.text : undefined;
}

/** Hooks for every XClient the demo makes: they feed the current recorder. */
export const wireHooks: ClientHooks = {
  onRequest: (event) => storage.getStore()?.opened(event),
  onResponse: (event) => storage.getStore()?.closed(event),
};

type AnyFetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * A `fetch` that records each request into the current recorder (and sends it with `base`,
 * the global fetch by default). For token and flow requests, which XClient's hooks do not see.
 */
export function recordingFetch(base?: AnyFetch): typeof fetch {
  const send: AnyFetch = base ?? ((input, init) => globalThis.fetch(input, init));
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = input instanceof Request ? input.url : String(input);
    const options = init ?? {};
    const recorder = storage.getStore();
    if (recorder === undefined) return send(url, options);
    const method = (options.method ?? 'GET').toUpperCase();
    const header = headerValue(options.headers, 'authorization');
    const form = typeof options.body === 'string' ? options.body : undefined;
    const at = Date.now();
    const started = performance.now();
    const base = {
      at,
      via: 'token' as const,
      method,
      url: redactUrl(url),
      endpoint: `${method} ${new URL(url).pathname}`,
      pool: undefined,
      attempt: 1,
      authorization: describeAuthorization(header),
      baseString: maskedBaseString(method, url, form, header),
    };
    let response: Response;
    try {
      response = await send(url, options);
    } catch (error) {
      recorder.add({
        ...base,
        status: 0,
        durationMs: performance.now() - started,
        ...limitsOf(undefined),
        error: 'network error',
      });
      throw error;
    }
    const said = response.ok ? undefined : await xErrorOfResponse(response);
    if (said !== undefined) recorder.noteXError({ status: response.status, text: said });
    const error = response.ok ? undefined : (said ?? `HTTP ${response.status}`);
    recorder.add({
      ...base,
      status: response.status,
      durationMs: performance.now() - started,
      ...limitsOf(parseRateLimitHeaders(response.headers)),
      error,
    });
    return response;
  };
  return wrapped as typeof fetch;
}

/**
 * A `fetch` for XClient that only notes X's words in error answers for the current recorder
 * (the client's errors hold none of X's text). The request itself is recorded by the hooks.
 */
export function xErrorFetch(base?: AnyFetch): AnyFetch {
  const send: AnyFetch = base ?? ((input, init) => globalThis.fetch(input, init));
  return async (input, init) => {
    const response = await send(input, init);
    const recorder = storage.getStore();
    if (!response.ok && recorder !== undefined) {
      const said = await xErrorOfResponse(response);
      if (said !== undefined) recorder.noteXError({ status: response.status, text: said });
    }
    return response;
  };
}

/**
 * The strategy, with each `Authorization` header it makes noted (masked at once) for the
 * current recorder, and its token requests (an OAuth 2.0 refresh) sent through a recording
 * fetch. Everything else is the strategy's own.
 */
export function recordedAuth(strategy: AuthStrategy): AuthStrategy {
  const wrapContext = <C extends { fetch: AnyFetch }>(context: C): C => ({
    ...context,
    fetch: recordingFetch(context.fetch) as AnyFetch,
  });
  return {
    kind: strategy.kind,
    identity: strategy.identity,
    appKey: strategy.appKey,
    grantedScopes: () => strategy.grantedScopes(),
    async authorize(request) {
      const authorization = await strategy.authorize({
        ...request,
        context: wrapContext(request.context),
      });
      const header = headerValue(authorization.headers, 'authorization');
      storage.getStore()?.notePendingAuthorization({
        authorization: describeAuthorization(header),
        baseString: maskedBaseString(request.method, request.url, request.form, header),
      });
      return authorization;
    },
    onUnauthorized: (event) =>
      strategy.onUnauthorized({ ...event, context: wrapContext(event.context) }),
  };
}

/** `user:<appKey>:<userId>` or `app:<appKey>` with the app's key masked (it is a credential). */
export function maskIdentity(identity: string): string {
  const [kind, appKey, ...rest] = identity.split(':');
  if (appKey === undefined) return identity;
  return [kind, maskToken(appKey), ...rest].join(':');
}

function headerValue(headers: HeadersInit | undefined, name: string): string | undefined {
  if (headers === undefined) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  if (Array.isArray(headers)) {
    return headers.find(([key]) => key?.toLowerCase() === name)?.[1];
  }
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function windowOf(window: RateLimitWindow | undefined): WireRateLimit | undefined {
  if (window === undefined) return undefined;
  return { limit: window.limit, remaining: window.remaining, resetAt: window.resetAt };
}

function limitsOf(
  headers: RateLimitHeaders | undefined,
): Pick<WireEntry, 'rateLimit' | 'appDaily' | 'userDaily'> {
  return {
    rateLimit: windowOf(headers?.window),
    appDaily: windowOf(headers?.appDaily),
    userDaily: windowOf(headers?.userDaily),
  };
}
