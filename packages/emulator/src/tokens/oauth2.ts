// OAuth 2.0 authorization code with PKCE: pending consent, single-use codes, access tokens
// that expire, refresh tokens rotated on every use (X: "Refresh tokens ... rotate").
import { type RandomSource, randomToken } from '../random.js';
import type {
  EmulatorState,
  OAuth2AccessTokenRecord,
  OAuth2CodeRecord,
  OAuth2PendingRecord,
  OAuth2RefreshTokenRecord,
} from '../state.js';

/** How long a consent page stays valid. */
const PENDING_TTL_MS = 10 * 60 * 1000;

/** Stores an authorize request awaiting the user's decision. */
export function createPendingAuthorization(
  state: EmulatorState,
  input: Omit<OAuth2PendingRecord, 'id' | 'expiresAt'>,
  now: number,
  random: RandomSource,
): OAuth2PendingRecord {
  const record: OAuth2PendingRecord = {
    ...input,
    id: randomToken(random, 18),
    expiresAt: now + PENDING_TTL_MS,
  };
  state.oauth2Pending.set(record.id, record);
  return record;
}

/** Takes a pending request off the list (single-use), if it exists and has not expired. */
export function takePendingAuthorization(
  state: EmulatorState,
  id: string,
  now: number,
): OAuth2PendingRecord | undefined {
  const record = state.oauth2Pending.get(id);
  state.oauth2Pending.delete(id);
  return record !== undefined && record.expiresAt > now ? record : undefined;
}

/** Issues an authorization code for a consented request. */
export function issueCode(
  state: EmulatorState,
  pending: OAuth2PendingRecord,
  userId: string,
  input: { now: number; ttlSeconds: number; random: RandomSource },
): OAuth2CodeRecord {
  const record: OAuth2CodeRecord = {
    code: randomToken(input.random, 48),
    appId: pending.appId,
    userId,
    redirectUri: pending.redirectUri,
    scopes: pending.scopes,
    codeChallenge: pending.codeChallenge,
    codeChallengeMethod: pending.codeChallengeMethod,
    expiresAt: input.now + input.ttlSeconds * 1000,
    used: false,
    familyId: randomToken(input.random, 12),
  };
  state.oauth2Codes.set(record.code, record);
  return record;
}

/** Access and (with `offline.access`) refresh token just issued. */
export interface OAuth2TokenSet {
  access: OAuth2AccessTokenRecord;
  refresh: OAuth2RefreshTokenRecord | undefined;
}

/** Mints tokens for a user, app and scopes in a family. */
export function issueOAuth2Tokens(
  state: EmulatorState,
  input: {
    appId: string;
    userId: string;
    scopes: string[];
    familyId: string;
    now: number;
    ttlSeconds: number;
    random: RandomSource;
  },
): OAuth2TokenSet {
  const access: OAuth2AccessTokenRecord = {
    token: randomToken(input.random, 48),
    appId: input.appId,
    userId: input.userId,
    scopes: input.scopes,
    expiresAt: input.now + input.ttlSeconds * 1000,
    revoked: false,
    familyId: input.familyId,
  };
  state.oauth2AccessTokens.set(access.token, access);
  let refresh: OAuth2RefreshTokenRecord | undefined;
  if (input.scopes.includes('offline.access')) {
    refresh = {
      token: randomToken(input.random, 48),
      appId: input.appId,
      userId: input.userId,
      scopes: input.scopes,
      status: 'active',
      familyId: input.familyId,
    };
    state.oauth2RefreshTokens.set(refresh.token, refresh);
  }
  return { access, refresh };
}

/** A live (known, unrevoked, unexpired) OAuth 2.0 access token. */
export function liveOAuth2AccessToken(
  state: EmulatorState,
  token: string,
  now: number,
): OAuth2AccessTokenRecord | undefined {
  const record = state.oauth2AccessTokens.get(token);
  if (record === undefined || record.revoked || record.expiresAt <= now) return undefined;
  return record;
}

/** Revokes every token of a family (RFC 6749 §4.1.2 and §10.4's advice on reuse). */
export function revokeFamily(state: EmulatorState, familyId: string): void {
  for (const record of state.oauth2AccessTokens.values()) {
    if (record.familyId === familyId) record.revoked = true;
  }
  for (const record of state.oauth2RefreshTokens.values()) {
    if (record.familyId === familyId) record.status = 'revoked';
  }
}

/** Revokes OAuth 2.0 tokens matching the filter; returns how many access tokens died. */
export function revokeOAuth2Tokens(
  state: EmulatorState,
  filter: { appId?: string | undefined; userId?: string | undefined },
): number {
  const matches = (record: { appId: string; userId: string }): boolean =>
    (filter.appId === undefined || record.appId === filter.appId) &&
    (filter.userId === undefined || record.userId === filter.userId);
  let count = 0;
  for (const record of state.oauth2AccessTokens.values()) {
    if (!record.revoked && matches(record)) {
      record.revoked = true;
      count += 1;
    }
  }
  for (const record of state.oauth2RefreshTokens.values()) {
    if (record.status !== 'revoked' && matches(record)) record.status = 'revoked';
  }
  return count;
}

/** Drops expired codes, pending requests and access tokens so memory stays bounded. */
export function sweepExpiredOAuth2(state: EmulatorState, now: number): void {
  for (const [key, record] of state.oauth2Pending)
    if (record.expiresAt <= now) state.oauth2Pending.delete(key);
  for (const [key, record] of state.oauth2Codes) {
    // A spent code is kept for a while so a replay can still revoke its tokens.
    if (record.expiresAt + 10 * 60 * 1000 <= now) state.oauth2Codes.delete(key);
  }
  for (const [key, record] of state.oauth2AccessTokens) {
    if (record.expiresAt + 24 * 60 * 60 * 1000 <= now) state.oauth2AccessTokens.delete(key);
  }
}
