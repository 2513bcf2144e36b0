// App-only bearer tokens: one valid token per app, the same one until invalidated (X docs,
// "App only authentication and OAuth 2.0 Bearer Token").
import { type RandomSource, randomToken } from '../random.js';
import type { BearerTokenRecord, EmulatorState } from '../state.js';

/** The app's current bearer token, minted when it has none. */
export function obtainBearerToken(
  state: EmulatorState,
  appId: string,
  random: RandomSource,
): BearerTokenRecord {
  for (const record of state.bearerTokens.values()) {
    if (record.appId === appId && !record.revoked) return record;
  }
  // X's bearer tokens start with a run of "A" and carry percent-encoded characters; clients
  // must send them verbatim, never decode or re-encode them.
  const record: BearerTokenRecord = {
    token: `AAAAAAAAAAAAAAAAAAAAA${randomToken(random, 18)}%2F${randomToken(random, 12)}%3D${randomToken(random, 30)}`,
    appId,
    revoked: false,
  };
  state.bearerTokens.set(record.token, record);
  return record;
}

/**
 * Finds a bearer token by the value a client sent, which may be the token as issued or its
 * percent-decoded form (X's own example sends it percent-encoded in a query string).
 */
export function findBearerToken(
  state: EmulatorState,
  value: string,
): BearerTokenRecord | undefined {
  const direct = state.bearerTokens.get(value);
  if (direct !== undefined) return direct;
  for (const record of state.bearerTokens.values()) {
    if (safeDecode(record.token) === value) return record;
  }
  return undefined;
}

/** A live bearer token, or undefined. */
export function liveBearerToken(
  state: EmulatorState,
  value: string,
): BearerTokenRecord | undefined {
  const record = state.bearerTokens.get(value);
  return record !== undefined && !record.revoked ? record : undefined;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
