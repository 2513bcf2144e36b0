import type { TelemetryOptions } from '@x-oauth/internal';
import type { TokenBackend } from './backend.js';
import { isKeyring, type Keyring } from './crypto/keyring.js';
import { isKeyringSource, type KeyringSource } from './crypto/keyring-source.js';
import { TokenStoreError, TokenStoreErrorCode } from './errors.js';
import type { Clock, RandomSource } from './types.js';

/** Options of `createTokenStore`. */
export interface TokenStoreOptions {
  /** Where rows live: `createMemoryBackend()`, or the SQLite, PostgreSQL or Redis backend. */
  backend: TokenBackend;
  /**
   * The keys: `createKeyring({ currentKeyId, keys })`, or a source re-read while the store runs
   * (`keyringFromFile(path)`, `keyringFromEnv(name)`, `createKeyringSource({ load })`) for
   * rolling key rotation.
   */
  keyring: Keyring | KeyringSource;
  /** Clock, ms since the epoch; `Date.now` by default. */
  now?: Clock | undefined;
  /** Random source for IVs; `crypto.randomFillSync` by default. */
  random?: RandomSource | undefined;
  /** Refresh when the access token expires within this many ms; 60 000 by default. */
  refreshSkewMs?: number | undefined;
  /** The refresh callback's signal aborts after this many ms; 10 000 by default. */
  tokenRequestTimeoutMs?: number | undefined;
  /** The refreshed set's write gives up after this many ms; 5 000 by default. */
  writeTimeoutMs?: number | undefined;
  /**
   * How long the cross-process refresh lock lives if its holder dies. Must be longer than
   * `tokenRequestTimeoutMs + writeTimeoutMs` (so the lock never frees while its holder may
   * still write); `tokenRequestTimeoutMs + writeTimeoutMs + 5 000` by default.
   */
  lockTtlMs?: number | undefined;
  /** How long a refresh waits for another holder's lock; `lockTtlMs` by default. */
  lockWaitMs?: number | undefined;
  /**
   * Encryptions counted in memory per key before they are added to the backend; 1 000 by
   * default. Every count is also added at the first write a minute or more after the last
   * addition by age, so a quiet process holds at most a minute's counts.
   */
  keyUsageBatchSize?: number | undefined;
  /**
   * How many owners' decrypted rows are remembered, so a read of an unchanged row skips the
   * decryption (only a byte-identical envelope is served from it); 0 (off) by default. When on,
   * it holds those owners' tokens in this process's memory between reads.
   */
  decryptionCacheSize?: number | undefined;
  /**
   * OpenTelemetry: refresh outcomes, lock waits and token requests, and a span per refresh.
   * By default the global providers of `@opentelemetry/api` when that package is installed
   * (no-ops until the app registers an SDK); `false` turns telemetry off.
   */
  telemetry?: TelemetryOptions | false | undefined;
}

/** {@link TokenStoreOptions} checked, with defaults applied. */
export interface StoreConfig {
  readonly backend: TokenBackend;
  /** The keyring to use now (a source's current keyring, read at each access). */
  readonly keyring: Keyring;
  /** The source behind `keyring`, when it can change; undefined for a fixed keyring. */
  readonly keyringSource: KeyringSource | undefined;
  readonly now: Clock;
  readonly random: RandomSource | undefined;
  readonly refreshSkewMs: number;
  readonly tokenRequestTimeoutMs: number;
  readonly writeTimeoutMs: number;
  readonly lockTtlMs: number;
  readonly lockWaitMs: number;
  readonly keyUsageBatchSize: number;
  readonly decryptionCacheSize: number;
  readonly telemetry: TelemetryOptions | false | undefined;
}

/**
 * Owners whose decrypted rows a store remembers unless told otherwise: none. Remembering keeps
 * tokens in memory between reads and, when reads rarely repeat, makes garbage that costs more
 * than the decryptions it saves; an app that rereads the same owners can turn it on.
 */
export const DEFAULT_DECRYPTION_CACHE_SIZE = 0;

const BACKEND_METHODS = [
  'read',
  'compareAndSwap',
  'delete',
  'acquireRefreshLock',
  'scanRows',
  'addKeyUsage',
  'close',
] as const;

/**
 * Checks the store's options and applies defaults; throws `TOKEN_STORE_INVALID_CONFIG`.
 */
export function resolveStoreConfig(options: TokenStoreOptions): StoreConfig {
  if (typeof options !== 'object' || options === null) {
    throw invalidConfig('createTokenStore needs { backend, keyring }.');
  }
  const { backend, keyring } = options;
  if (typeof backend !== 'object' || backend === null) {
    throw invalidConfig('backend is required (e.g. createMemoryBackend()).');
  }
  for (const method of BACKEND_METHODS) {
    if (typeof backend[method] !== 'function') {
      throw invalidConfig(`backend.${method} must be a function.`);
    }
  }
  if (!isKeyring(keyring) && !isKeyringSource(keyring)) {
    throw invalidConfig('keyring must come from createKeyring() or a keyring source.');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalidConfig('now must be a function returning ms since the epoch.');
  }
  if (options.random !== undefined && typeof options.random !== 'function') {
    throw invalidConfig('random must be a function filling a Uint8Array.');
  }
  const refreshSkewMs = duration(options.refreshSkewMs, 60_000, 'refreshSkewMs', 0);
  const tokenRequestTimeoutMs = duration(
    options.tokenRequestTimeoutMs,
    10_000,
    'tokenRequestTimeoutMs',
    1,
  );
  const writeTimeoutMs = duration(options.writeTimeoutMs, 5_000, 'writeTimeoutMs', 1);
  const floor = tokenRequestTimeoutMs + writeTimeoutMs;
  const lockTtlMs = duration(options.lockTtlMs, floor + 5_000, 'lockTtlMs', 1);
  // A lock that can expire while its holder may still be refreshing or writing lets a second
  // worker send the same refresh token: with rotation, one of the two new tokens is lost.
  if (lockTtlMs <= floor) {
    throw invalidConfig(
      `lockTtlMs (${lockTtlMs}) must be longer than tokenRequestTimeoutMs + writeTimeoutMs (${floor}).`,
    );
  }
  const lockWaitMs = duration(options.lockWaitMs, lockTtlMs, 'lockWaitMs', 0);
  const keyUsageBatchSize = duration(options.keyUsageBatchSize, 1_000, 'keyUsageBatchSize', 1);
  const decryptionCacheSize = duration(
    options.decryptionCacheSize,
    DEFAULT_DECRYPTION_CACHE_SIZE,
    'decryptionCacheSize',
    0,
  );
  const source = isKeyringSource(keyring) ? keyring : undefined;
  return Object.freeze({
    backend,
    // A getter, so every encryption and decryption sees the source's current keyring.
    get keyring(): Keyring {
      return source === undefined ? (keyring as Keyring) : source.current();
    },
    keyringSource: source,
    now: options.now ?? Date.now,
    random: options.random,
    refreshSkewMs,
    tokenRequestTimeoutMs,
    writeTimeoutMs,
    lockTtlMs,
    lockWaitMs,
    keyUsageBatchSize,
    decryptionCacheSize,
    telemetry: options.telemetry,
  });
}

function duration(value: unknown, fallback: number, name: string, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw invalidConfig(`${name} must be an integer of at least ${minimum}.`);
  }
  return value;
}

function invalidConfig(message: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidConfig, message);
}
