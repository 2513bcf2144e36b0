// A keyring that can change while processes run (rolling key rotation): the store asks the
// source for the keyring on every encryption and decryption; the source re-reads its origin
// (a file, an environment variable, or a function of the app) at most once per interval, and
// at once when a row names a key id it does not hold yet. A failed or malformed re-read keeps
// the last good keyring, so a half-written file never stops a running process.
import { readFileSync } from 'node:fs';
import { TokenStoreError, TokenStoreErrorCode } from '../errors.js';
import type { Clock } from '../types.js';
import { createKeyring, isKeyring, type Keyring, type KeyringConfig } from './keyring.js';

/** Where a {@link KeyringSource} reads the keys from: returns a keyring or its configuration. */
export type KeyringLoader = () => Keyring | KeyringConfig;

/** Options of {@link createKeyringSource}. */
export interface KeyringSourceOptions {
  /** Reads the keys; called once at creation (must succeed) and on every reload. */
  load: KeyringLoader;
  /** Re-read at most this often, in ms; 5 000 by default. */
  reloadIntervalMs?: number | undefined;
  /** Clock, ms since the epoch; `Date.now` by default. */
  now?: Clock | undefined;
}

const sources = new WeakSet<KeyringSource>();

/**
 * A keyring that is re-read while the store runs. Give it to `createTokenStore({ keyring })`
 * in place of a fixed keyring. Its `current()` never throws after creation: a failed reload
 * keeps the previous keyring.
 */
export class KeyringSource {
  readonly #load: KeyringLoader;
  readonly #intervalMs: number;
  readonly #now: Clock;
  #keyring: Keyring;
  #loadedAt: number;

  /** @internal Use {@link createKeyringSource}. */
  constructor(load: KeyringLoader, intervalMs: number, now: Clock) {
    this.#load = load;
    this.#intervalMs = intervalMs;
    this.#now = now;
    this.#keyring = loadKeyring(load);
    this.#loadedAt = now();
    sources.add(this);
    Object.freeze(this);
  }

  /** The keyring to use now (re-read when the last read is older than the interval). */
  current(): Keyring {
    if (this.#now() - this.#loadedAt >= this.#intervalMs) this.reload();
    return this.#keyring;
  }

  /**
   * Re-reads the keys now. Returns true when the new keys were taken, false when the read
   * failed or was malformed (the previous keyring stays).
   */
  reload(): boolean {
    this.#loadedAt = this.#now();
    try {
      this.#keyring = loadKeyring(this.#load);
      return true;
    } catch {
      return false;
    }
  }

  /** Key ids only; never the keys. */
  toJSON(): { currentKeyId: string; keyIds: readonly string[] } {
    return { currentKeyId: this.#keyring.currentKeyId, keyIds: this.#keyring.keyIds };
  }
}

/**
 * A keyring source over a loader of your own (a secrets manager client, a config service).
 * The loader runs synchronously, so keep it cheap (serve a value your app refreshes).
 *
 * @example
 * const keyring = createKeyringSource({ load: () => JSON.parse(process.env.TOKEN_KEYS ?? '') });
 * const store = createTokenStore({ backend, keyring });
 */
export function createKeyringSource(options: KeyringSourceOptions): KeyringSource {
  if (typeof options !== 'object' || options === null || typeof options.load !== 'function') {
    throw invalidConfig('createKeyringSource needs { load: () => ({ currentKeyId, keys }) }.');
  }
  const interval = options.reloadIntervalMs ?? 5_000;
  if (!Number.isFinite(interval) || interval < 0) {
    throw invalidConfig('reloadIntervalMs must be a number of ms, 0 or more.');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalidConfig('now must be a function returning ms since the epoch.');
  }
  return new KeyringSource(options.load, interval, options.now ?? Date.now);
}

/**
 * A keyring source reading a JSON file `{ "currentKeyId": "k2", "keys": { "k1": "<base64>",
 * "k2": "<base64>" } }`. Replace the file atomically (write a temp file, then rename).
 */
export function keyringFromFile(
  path: string,
  options: Omit<KeyringSourceOptions, 'load'> = {},
): KeyringSource {
  if (typeof path !== 'string' || path === '') {
    throw invalidConfig('keyringFromFile needs the path of a JSON keyring file.');
  }
  return createKeyringSource({
    ...options,
    load: () => parseKeyringJson(readFileSync(path, 'utf8'), `the keyring file`),
  });
}

/**
 * A keyring source reading an environment variable holding the same JSON as
 * {@link keyringFromFile}. The process's own environment only changes when the app sets it
 * (e.g. from a config push), so this suits hosts that update `process.env` in place.
 */
export function keyringFromEnv(
  name: string,
  options: Omit<KeyringSourceOptions, 'load'> = {},
): KeyringSource {
  if (typeof name !== 'string' || name === '') {
    throw invalidConfig('keyringFromEnv needs the name of an environment variable.');
  }
  return createKeyringSource({
    ...options,
    load: () => {
      const value = process.env[name];
      if (value === undefined) throw invalidConfig(`The environment variable ${name} is not set.`);
      return parseKeyringJson(value, `the environment variable ${name}`);
    },
  });
}

/** True when `value` was made by {@link createKeyringSource} (or its file/env helpers). */
export function isKeyringSource(value: unknown): value is KeyringSource {
  return typeof value === 'object' && value !== null && sources.has(value as KeyringSource);
}

function loadKeyring(load: KeyringLoader): Keyring {
  const loaded = load();
  return isKeyring(loaded) ? loaded : createKeyring(loaded);
}

function parseKeyringJson(text: string, where: string): KeyringConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the text: it holds the keys.
    throw invalidConfig(`${where} is not valid JSON ({ "currentKeyId": ..., "keys": {...} }).`);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw invalidConfig(`${where} must hold an object { "currentKeyId": ..., "keys": {...} }.`);
  }
  return parsed as KeyringConfig;
}

function invalidConfig(message: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidConfig, message);
}
