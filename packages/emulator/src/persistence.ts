// Saving and loading the state as JSON. Serialization is pure; the file I/O is atomic (write a
// temporary file, then rename) and private (mode 0600), since the file holds live secrets.
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatorState } from './state.js';

const FORMAT_VERSION = 1;

/** The state as JSON text. Rate-limit pools and nonces are not saved: they are short-lived. */
export function serializeState(state: EmulatorState): string {
  return JSON.stringify({
    version: FORMAT_VERSION,
    seed: state.seed,
    apps: [...state.apps.values()],
    users: [...state.users.values()],
    requestTokens: [...state.requestTokens.values()],
    oauth1Tokens: [...state.oauth1Tokens.values()],
    bearerTokens: [...state.bearerTokens.values()],
    oauth2Pending: [...state.oauth2Pending.values()],
    oauth2Codes: [...state.oauth2Codes.values()],
    oauth2AccessTokens: [...state.oauth2AccessTokens.values()],
    oauth2RefreshTokens: [...state.oauth2RefreshTokens.values()],
    oauth1Grants: [...state.oauth1Grants],
    bearerInvalidatedAt: [...state.bearerInvalidatedAt],
    tweets: state.tweets,
    counters: state.counters,
    seeded: state.seeded,
  });
}

function list(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`State file: "${name}" must be an array.`);
  return value;
}

function byKey<T>(items: unknown[], key: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    if (typeof item !== 'object' || item === null) throw new Error('State file: malformed entry.');
    const id = (item as Record<string, unknown>)[key];
    if (typeof id !== 'string') throw new Error(`State file: entry without "${key}".`);
    map.set(id, item as T);
  }
  return map;
}

/**
 * Parses text written by {@link serializeState}. The file is the emulator's own; the checks
 * catch a wrong or truncated file, not a hostile one.
 */
export function deserializeState(text: string): EmulatorState {
  const data: unknown = JSON.parse(text);
  if (typeof data !== 'object' || data === null) throw new Error('State file: not an object.');
  const record = data as Record<string, unknown>;
  if (record.version !== FORMAT_VERSION) throw new Error('State file: unknown format version.');
  if (typeof record.seed !== 'string') throw new Error('State file: missing seed.');
  const counters = record.counters as EmulatorState['counters'];
  const seeded = record.seeded as EmulatorState['seeded'];
  return {
    seed: record.seed,
    apps: byKey(list(record.apps, 'apps'), 'id'),
    users: byKey(list(record.users, 'users'), 'id'),
    requestTokens: byKey(list(record.requestTokens, 'requestTokens'), 'token'),
    oauth1Tokens: byKey(list(record.oauth1Tokens, 'oauth1Tokens'), 'token'),
    bearerTokens: byKey(list(record.bearerTokens, 'bearerTokens'), 'token'),
    oauth2Pending: byKey(list(record.oauth2Pending, 'oauth2Pending'), 'id'),
    oauth2Codes: byKey(list(record.oauth2Codes, 'oauth2Codes'), 'code'),
    oauth2AccessTokens: byKey(list(record.oauth2AccessTokens, 'oauth2AccessTokens'), 'token'),
    oauth2RefreshTokens: byKey(list(record.oauth2RefreshTokens, 'oauth2RefreshTokens'), 'token'),
    oauth1Grants: new Set(list(record.oauth1Grants, 'oauth1Grants').map(String)),
    bearerInvalidatedAt: new Map(
      list(record.bearerInvalidatedAt, 'bearerInvalidatedAt') as [string, number][],
    ),
    tweets: list(record.tweets, 'tweets') as EmulatorState['tweets'],
    counters: { apps: Number(counters?.apps ?? 0), tweets: Number(counters?.tweets ?? 0) },
    seeded: { appId: String(seeded?.appId ?? ''), publicAppId: String(seeded?.publicAppId ?? '') },
  };
}

/** Reads the state file; undefined when it does not exist yet. */
export function loadStateFile(path: string): EmulatorState | undefined {
  if (!existsSync(path)) return undefined;
  return deserializeState(readFileSync(path, 'utf8'));
}

/** Writes the state file atomically with mode 0600. */
export function saveStateFile(path: string, state: EmulatorState): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, serializeState(state), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
