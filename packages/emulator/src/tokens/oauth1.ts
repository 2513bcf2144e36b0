// OAuth 1.0a token lifecycle: request tokens (single-use, expiring), consent, access tokens
// (long-lived until revoked), as X's 3-legged and PIN flows work.
import { constantTimeEqual } from '@x-oauth/internal';
import { type RandomSource, randomDigits, randomToken } from '../random.js';
import type {
  AppRecord,
  EmulatorState,
  OAuth1AccessTokenRecord,
  RequestTokenRecord,
} from '../state.js';
import type { AppPermission } from '../types.js';

/** Issues a request token for `app` with its callback (`oob` or a registered URL). */
export function issueRequestToken(
  state: EmulatorState,
  input: {
    app: AppRecord;
    callback: string;
    accessLevel: AppPermission;
    now: number;
    ttlSeconds: number;
    random: RandomSource;
  },
): RequestTokenRecord {
  // Unused request tokens are dropped once expired, so abandoned flows do not pile up.
  for (const [token, existing] of state.requestTokens) {
    if (existing.expiresAt <= input.now) state.requestTokens.delete(token);
  }
  const record: RequestTokenRecord = {
    token: randomToken(input.random, 20),
    secret: randomToken(input.random, 24),
    appId: input.app.id,
    callback: input.callback,
    accessLevel: input.accessLevel,
    expiresAt: input.now + input.ttlSeconds * 1000,
    status: 'pending',
    consentNonce: randomToken(input.random, 16),
  };
  state.requestTokens.set(record.token, record);
  return record;
}

/** A request token still usable in `status`, or undefined (unknown, expired or spent). */
export function liveRequestToken(
  state: EmulatorState,
  token: string,
  now: number,
  status: RequestTokenRecord['status'],
): RequestTokenRecord | undefined {
  const record = state.requestTokens.get(token);
  if (record === undefined || record.status !== status) return undefined;
  if (record.expiresAt <= now) {
    state.requestTokens.delete(token);
    return undefined;
  }
  return record;
}

/**
 * Records the user's consent. The verifier is a 7-digit PIN for `oob` (X's PIN flow), a
 * random string otherwise.
 */
export function authorizeRequestToken(
  state: EmulatorState,
  record: RequestTokenRecord,
  userId: string,
  random: RandomSource,
): string {
  record.status = 'authorized';
  record.userId = userId;
  record.verifier = record.callback === 'oob' ? randomDigits(random, 7) : randomToken(random, 24);
  state.oauth1Grants.add(`${record.appId}:${userId}`);
  return record.verifier;
}

/** Records the user's refusal; the token cannot be used afterwards. */
export function denyRequestToken(record: RequestTokenRecord): void {
  record.status = 'denied';
}

/** Why a verifier exchange failed. */
export type RedeemFailure = 'invalid_token' | 'invalid_verifier';

/**
 * Exchanges an authorized request token and its verifier. The request token is spent on any
 * attempt, right or wrong, so a PIN cannot be guessed by retrying.
 */
export function redeemRequestToken(
  state: EmulatorState,
  input: { token: string; verifier: string | undefined; appId: string; now: number },
): { ok: true; record: RequestTokenRecord } | { ok: false; failure: RedeemFailure } {
  const record = liveRequestToken(state, input.token, input.now, 'authorized');
  if (record === undefined || record.appId !== input.appId) {
    return { ok: false, failure: 'invalid_token' };
  }
  record.status = 'used';
  state.requestTokens.delete(record.token);
  if (
    input.verifier === undefined ||
    record.verifier === undefined ||
    !constantTimeEqual(input.verifier, record.verifier)
  ) {
    return { ok: false, failure: 'invalid_verifier' };
  }
  return { ok: true, record };
}

/**
 * An access token for the user and app. Like X, re-authorizing returns the token the user
 * already holds (same level, not revoked) instead of minting another.
 */
export function issueOAuth1AccessToken(
  state: EmulatorState,
  input: { appId: string; userId: string; accessLevel: AppPermission; random: RandomSource },
): OAuth1AccessTokenRecord {
  for (const existing of state.oauth1Tokens.values()) {
    if (
      !existing.revoked &&
      existing.appId === input.appId &&
      existing.userId === input.userId &&
      existing.accessLevel === input.accessLevel
    ) {
      return existing;
    }
  }
  const record: OAuth1AccessTokenRecord = {
    // X's access tokens start with the user id and a dash.
    token: `${input.userId}-${randomToken(input.random, 30)}`,
    secret: randomToken(input.random, 33),
    appId: input.appId,
    userId: input.userId,
    accessLevel: input.accessLevel,
    revoked: false,
  };
  state.oauth1Tokens.set(record.token, record);
  return record;
}

/** A live access token of `appId`, or undefined. */
export function liveOAuth1AccessToken(
  state: EmulatorState,
  token: string,
  appId: string,
): OAuth1AccessTokenRecord | undefined {
  const record = state.oauth1Tokens.get(token);
  return record !== undefined && !record.revoked && record.appId === appId ? record : undefined;
}

/** Revokes every OAuth 1.0a access token matching the filter; returns how many. */
export function revokeOAuth1Tokens(
  state: EmulatorState,
  filter: { appId?: string | undefined; userId?: string | undefined },
): number {
  let count = 0;
  for (const record of state.oauth1Tokens.values()) {
    if (record.revoked) continue;
    if (filter.appId !== undefined && record.appId !== filter.appId) continue;
    if (filter.userId !== undefined && record.userId !== filter.userId) continue;
    record.revoked = true;
    count += 1;
  }
  for (const grant of [...state.oauth1Grants]) {
    const [appId, userId] = grant.split(':');
    if (filter.appId !== undefined && appId !== filter.appId) continue;
    if (filter.userId !== undefined && userId !== filter.userId) continue;
    state.oauth1Grants.delete(grant);
  }
  return count;
}
