// What route handlers share: the state, the clock, randomness, the nonce cache, rate-limit
// pools, faults and the request log. Built once per emulator by start-emulator.ts.
import type { NonceCache } from '@x-oauth/oauth1-signature';
import type { EmulatorClock } from './clock.js';
import type { FaultRegistry } from './faults.js';
import type { EmulatorRequest } from './http/request.js';
import type { EmulatorResponse } from './http/response.js';
import type { ResolvedOptions } from './options.js';
import type { RandomSource } from './random.js';
import type { RateLimitPools, RateLimitPrincipal } from './rate-limits.js';
import type { EmulatorState } from './state.js';
import type { AuthKind, RequestLogEntry } from './types.js';

/** Shared, long-lived parts of one emulator. */
export interface EmulatorRuntime {
  readonly state: EmulatorState;
  readonly options: ResolvedOptions;
  /** Settings the control surface can change at run time. */
  readonly settings: { strictRefreshReuse: boolean };
  readonly clock: EmulatorClock;
  readonly random: RandomSource;
  readonly nonceCache: NonceCache;
  readonly rateLimitPools: RateLimitPools;
  readonly faults: FaultRegistry;
  readonly log: RequestLogEntry[];
  /** Writes the state file, when one is configured. */
  persist(): void;
}

/** Per-request facts a handler reports back to the server. */
export interface RequestMeta {
  auth: AuthKind;
  rateLimitHeaders: Readonly<Record<string, string>> | undefined;
}

/** What a handler gets besides the request. */
export interface RouteContext {
  readonly runtime: EmulatorRuntime;
  /** The endpoint template of this request. */
  readonly endpoint: string;
  readonly meta: RequestMeta;
  /**
   * Spends one request from the principal's pool(s). Returns X's 429 response when the pool
   * is exhausted (the handler must send it), undefined when the request may proceed.
   */
  limit(principal: RateLimitPrincipal): EmulatorResponse | undefined;
}

/** A route handler. */
export type RouteHandler = (
  request: EmulatorRequest,
  context: RouteContext,
) => EmulatorResponse | Promise<EmulatorResponse>;
