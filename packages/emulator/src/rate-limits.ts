// Rate limits as X applies them: a fixed window per endpoint, drawn from the user's pool for
// user-context requests and from the app's pool for app-only requests (X docs: "requests made
// on behalf of users will not deplete from the rate limits available through app-only auth"),
// plus 24-hour caps on some endpoints. Pure over a Map; the server owns the Map.
import type { EndpointKey } from './endpoints.js';
import type { RateLimitPoolState, RateLimitRule } from './types.js';

const FIFTEEN_MINUTES = 15 * 60;
const DAY = 24 * 60 * 60;

/**
 * Limit of the auth endpoints and consent pages. X limits them loosely and publishes few
 * numbers; this is generous so that a test suite running many flows against one emulator does
 * not trip it by accident (override it per endpoint to test a client's 429 handling).
 */
const AUTH_RULE: RateLimitRule = { limit: 1000, windowSeconds: FIFTEEN_MINUTES };

/** The default table, loosely like X's published limits. */
export const DEFAULT_RATE_LIMITS: Readonly<Record<EndpointKey, RateLimitRule>> = {
  'POST /oauth/request_token': AUTH_RULE,
  'GET /oauth/authorize': AUTH_RULE,
  'POST /oauth/authorize': AUTH_RULE,
  'GET /oauth/authenticate': AUTH_RULE,
  'POST /oauth/authenticate': AUTH_RULE,
  'POST /oauth/access_token': AUTH_RULE,
  'POST /1.1/oauth/invalidate_token': AUTH_RULE,
  'POST /oauth2/token': AUTH_RULE,
  'POST /oauth2/invalidate_token': AUTH_RULE,
  'GET /i/oauth2/authorize': AUTH_RULE,
  'POST /i/oauth2/authorize': AUTH_RULE,
  'POST /2/oauth2/token': AUTH_RULE,
  'POST /2/oauth2/revoke': AUTH_RULE,
  'GET /2/users/me': { limit: 75, windowSeconds: FIFTEEN_MINUTES },
  'POST /2/tweets': { limit: 200, windowSeconds: FIFTEEN_MINUTES, appDaily: 1667, userDaily: 100 },
  'GET /2/tweets/search/recent': { limit: 180, appLimit: 450, windowSeconds: FIFTEEN_MINUTES },
  'GET /2/tweets': { limit: 900, appLimit: 300, windowSeconds: FIFTEEN_MINUTES },
  'GET /1.1/account/verify_credentials.json': { limit: 75, windowSeconds: FIFTEEN_MINUTES },
  'POST /1.1/statuses/update.json': { limit: 300, windowSeconds: 3 * 60 * 60 },
};

/** Whose budget a request spends. */
export type RateLimitPrincipal =
  | { readonly kind: 'user'; readonly appId: string; readonly userId: string }
  | { readonly kind: 'app'; readonly appId: string }
  | { readonly kind: 'anonymous'; readonly key: string };

/** One window's usage. */
interface Window {
  start: number;
  count: number;
  limit: number;
  windowSeconds: number;
}

/** All pools, keyed by endpoint and principal. */
export type RateLimitPools = Map<string, Window>;

/** The outcome of {@link consumeRateLimit}: allowed or not, and the headers to send. */
export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/** Merges per-endpoint overrides into the default table. */
export function resolveRateLimits(
  overrides: Partial<Record<EndpointKey, Partial<RateLimitRule>>> = {},
): Record<EndpointKey, RateLimitRule> {
  const table = { ...DEFAULT_RATE_LIMITS };
  for (const [endpoint, override] of Object.entries(overrides) as [
    EndpointKey,
    Partial<RateLimitRule>,
  ][]) {
    table[endpoint] = { ...table[endpoint], ...override };
  }
  return table;
}

interface PoolPlan {
  readonly key: string;
  readonly limit: number;
  readonly windowSeconds: number;
  readonly header: 'x-rate-limit' | 'x-app-limit-24hour' | 'x-user-limit-24hour';
}

function plan(endpoint: string, rule: RateLimitRule, principal: RateLimitPrincipal): PoolPlan[] {
  const pools: PoolPlan[] = [];
  if (principal.kind === 'user') {
    pools.push({
      key: `${endpoint}|user:${principal.appId}:${principal.userId}`,
      limit: rule.limit,
      windowSeconds: rule.windowSeconds,
      header: 'x-rate-limit',
    });
  } else if (principal.kind === 'app') {
    pools.push({
      key: `${endpoint}|app:${principal.appId}`,
      limit: rule.appLimit ?? rule.limit,
      windowSeconds: rule.windowSeconds,
      header: 'x-rate-limit',
    });
  } else {
    pools.push({
      key: `${endpoint}|anonymous:${principal.key}`,
      limit: rule.appLimit ?? rule.limit,
      windowSeconds: rule.windowSeconds,
      header: 'x-rate-limit',
    });
  }
  if (principal.kind !== 'anonymous' && rule.appDaily !== undefined) {
    pools.push({
      key: `${endpoint}|app-daily:${principal.appId}`,
      limit: rule.appDaily,
      windowSeconds: DAY,
      header: 'x-app-limit-24hour',
    });
  }
  if (principal.kind === 'user' && rule.userDaily !== undefined) {
    pools.push({
      key: `${endpoint}|user-daily:${principal.appId}:${principal.userId}`,
      limit: rule.userDaily,
      windowSeconds: DAY,
      header: 'x-user-limit-24hour',
    });
  }
  return pools;
}

function currentWindow(pools: RateLimitPools, pool: PoolPlan, nowMs: number): Window {
  const existing = pools.get(pool.key);
  if (existing !== undefined && nowMs < existing.start + existing.windowSeconds * 1000) {
    existing.limit = pool.limit;
    return existing;
  }
  const fresh: Window = {
    start: nowMs,
    count: 0,
    limit: pool.limit,
    windowSeconds: pool.windowSeconds,
  };
  pools.set(pool.key, fresh);
  return fresh;
}

/**
 * Spends one request from every pool that applies, unless one of them is exhausted; then
 * nothing is spent and `allowed` is false (X answers 429). Headers report the state after.
 */
export function consumeRateLimit(
  pools: RateLimitPools,
  endpoint: string,
  rule: RateLimitRule,
  principal: RateLimitPrincipal,
  nowMs: number,
): RateLimitDecision {
  const planned = plan(endpoint, rule, principal).map((pool) => ({
    pool,
    window: currentWindow(pools, pool, nowMs),
  }));
  const allowed = planned.every(({ window }) => window.count < window.limit);
  if (allowed) for (const { window } of planned) window.count += 1;
  const headers: Record<string, string> = {};
  for (const { pool, window } of planned) {
    headers[`${pool.header}-limit`] = String(window.limit);
    headers[`${pool.header}-remaining`] = String(Math.max(0, window.limit - window.count));
    headers[`${pool.header}-reset`] = String(
      Math.ceil((window.start + window.windowSeconds * 1000) / 1000),
    );
  }
  return { allowed, headers };
}

/** Every pool whose window is still open, for tests and the control surface. */
export function describeRateLimitPools(pools: RateLimitPools, nowMs: number): RateLimitPoolState[] {
  const states: RateLimitPoolState[] = [];
  for (const [pool, window] of pools) {
    const resetMs = window.start + window.windowSeconds * 1000;
    if (resetMs <= nowMs) continue;
    states.push({
      pool,
      limit: window.limit,
      remaining: Math.max(0, window.limit - window.count),
      reset: Math.ceil(resetMs / 1000),
    });
  }
  return states;
}
