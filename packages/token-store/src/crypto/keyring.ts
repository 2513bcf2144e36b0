import { createSecretKey, type KeyObject, scrypt } from 'node:crypto';
import { decodeBase64Loose } from '@x-oauth/internal';
import { TokenStoreError, TokenStoreErrorCode } from '../errors.js';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/** Key ids: short, and safe inside the envelope (`.` separates its fields) and in any store. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** AES-256: 32 bytes. */
export const KEY_BYTES = 32;

// 32 bytes are 43 base64 characters plus one `=` of padding; base64url drops the padding.
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

/**
 * A key as configuration holds it: 32 bytes, or a string of them in base64 or base64url
 * (padded or not). Generate one with
 * `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`.
 */
export type KeyMaterial = string | Uint8Array;

/** Options of {@link createKeyring}. */
export interface KeyringConfig {
  /** The key new writes use. Must be one of `keys`. */
  currentKeyId: string;
  /**
   * Every key rows may be encrypted under, by id (`[A-Za-z0-9_-]{1,32}`). Keep an old key
   * here until `rotate()` has re-encrypted its rows.
   */
  keys: Readonly<Record<string, KeyMaterial>>;
}

// The key objects live outside the class, so no property, method, `JSON.stringify` or
// `util.inspect` of a keyring can reach them; only this package's envelope code can.
const secretKeys = new WeakMap<Keyring, ReadonlyMap<string, KeyObject>>();

/**
 * The keys a store encrypts and decrypts with. New writes use the current key; reads look the
 * key up by the id in the row (never by trying every key). Make one with {@link createKeyring}.
 * It never shows its keys: `JSON.stringify` and `util.inspect` list the ids only.
 */
export class Keyring {
  /** The id of the key new writes use. */
  readonly currentKeyId: string;
  /** Every key id, in configuration order. */
  readonly keyIds: readonly string[];

  /** @internal Use {@link createKeyring}. */
  constructor(currentKeyId: string, keys: ReadonlyMap<string, KeyObject>) {
    if (!keys.has(currentKeyId)) {
      throw invalidConfig('keyring currentKeyId must be the id of one of its keys.');
    }
    this.currentKeyId = currentKeyId;
    this.keyIds = Object.freeze([...keys.keys()]);
    secretKeys.set(this, keys);
    Object.freeze(this);
  }

  /** True when the keyring holds a key with this id. */
  has(keyId: string): boolean {
    return secretKeys.get(this)?.has(keyId) ?? false;
  }

  /** The ids, never the keys. */
  toJSON(): Record<string, unknown> {
    return { currentKeyId: this.currentKeyId, keyIds: this.keyIds };
  }

  /** What `util.inspect` and `console.log` print in Node: the ids, never the keys. */
  [inspectSymbol](): string {
    return `Keyring ${JSON.stringify(this.toJSON())}`;
  }
}

/**
 * Builds a keyring from configuration. Every key must be exactly 32 bytes (raw, or base64 /
 * base64url text); the current key id must be one of them. Keys are never generated here:
 * a missing or malformed key is a `TOKEN_STORE_INVALID_CONFIG` error, not a silent new key
 * that would make every stored row unreadable after a restart.
 *
 * @example
 * const keyring = createKeyring({
 *   currentKeyId: 'k2',
 *   keys: { k1: process.env.TOKEN_KEY_K1!, k2: process.env.TOKEN_KEY_K2! },
 * });
 */
export function createKeyring(config: KeyringConfig): Keyring {
  if (typeof config !== 'object' || config === null) {
    throw invalidConfig('createKeyring needs { currentKeyId, keys }.');
  }
  const { currentKeyId, keys } = config;
  if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
    throw invalidConfig('keyring keys must be an object of key id to key.');
  }
  const entries = Object.entries(keys);
  if (entries.length === 0) throw invalidConfig('keyring keys must hold at least one key.');
  const parsed = new Map<string, KeyObject>();
  for (const [keyId, material] of entries) {
    if (!KEY_ID_PATTERN.test(keyId)) {
      throw invalidConfig('A key id must be 1 to 32 of A-Z a-z 0-9 _ -.');
    }
    parsed.set(keyId, createSecretKey(decodeKey(material, keyId)));
  }
  if (typeof currentKeyId !== 'string' || !parsed.has(currentKeyId)) {
    throw invalidConfig('keyring currentKeyId must be the id of one of its keys.');
  }
  return new Keyring(currentKeyId, parsed);
}

/**
 * The key for `keyId`, or undefined. Internal to this package (the envelope code).
 */
export function keyById(keyring: Keyring, keyId: string): KeyObject | undefined {
  return secretKeys.get(keyring)?.get(keyId);
}

/** True when `value` is a keyring made by {@link createKeyring}. */
export function isKeyring(value: unknown): value is Keyring {
  return value instanceof Keyring && secretKeys.has(value);
}

function decodeKey(material: unknown, keyId: string): Buffer {
  // The messages name the key id, never the material.
  const wrongSize = () =>
    invalidConfig(
      `Key "${keyId}" must be exactly 32 bytes, as base64 or base64url text (44 or 43 characters) or raw bytes.`,
    );
  let bytes: Buffer;
  if (typeof material === 'string') {
    const text = material.trim();
    if (!BASE64_KEY.test(text) && !BASE64URL_KEY.test(text)) throw wrongSize();
    // The shared decoder accepts only the canonical text of some bytes: the last character
    // carries 4 unused bits, and a key whose text sets them is probably a typo, not a key.
    const decoded = decodeBase64Loose(text);
    if (decoded === undefined) throw wrongSize();
    bytes = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength);
  } else if (material instanceof Uint8Array) {
    bytes = Buffer.from(material);
  } else {
    throw wrongSize();
  }
  if (bytes.length !== KEY_BYTES) throw wrongSize();
  if (bytes.every((byte) => byte === 0)) {
    throw invalidConfig(`Key "${keyId}" is all zero bytes: generate a random key.`);
  }
  return bytes;
}

/** Cost parameters of {@link keyFromPassphrase} (scrypt's N, r and p). */
export interface ScryptParameters {
  /** CPU/memory cost, a power of two; 2^17 by default. */
  N?: number;
  /** Block size; 8 by default. */
  r?: number;
  /** Parallelism; 1 by default. */
  p?: number;
}

/**
 * Derives a 32-byte key from a passphrase with scrypt (node:crypto), for deployments that can
 * only hold a passphrase. Prefer a random key from `crypto.randomBytes(32)`: a passphrase is
 * only as strong as it is long. The salt must be random, at least 16 bytes, stored beside the
 * configuration (not secret) and the same on every machine; changing it, the passphrase or
 * the parameters gives another key, so treat that as a new key id and rotate. The defaults
 * (N = 2^17, r = 8, p = 1, about 128 MiB and a few hundred ms) follow OWASP's guidance.
 *
 * @example
 * const k1 = await keyFromPassphrase(process.env.TOKEN_PASSPHRASE!, process.env.TOKEN_SALT!);
 * const keyring = createKeyring({ currentKeyId: 'k1', keys: { k1 } });
 * @see https://www.rfc-editor.org/rfc/rfc7914
 */
export async function keyFromPassphrase(
  passphrase: string,
  salt: string | Uint8Array,
  parameters: ScryptParameters = {},
): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length < 12) {
    throw invalidConfig('The passphrase must be a string of at least 12 characters.');
  }
  const saltBytes = typeof salt === 'string' ? Buffer.from(salt, 'utf8') : salt;
  if (!(saltBytes instanceof Uint8Array) || saltBytes.length < 16) {
    throw invalidConfig('The salt must be at least 16 bytes (random, stored beside the config).');
  }
  const N = parameters.N ?? 2 ** 17;
  const r = parameters.r ?? 8;
  const p = parameters.p ?? 1;
  if (!Number.isInteger(N) || N < 2 ** 14 || (N & (N - 1)) !== 0) {
    throw invalidConfig('scrypt N must be a power of two, at least 2^14.');
  }
  if (!Number.isInteger(r) || r < 1 || !Number.isInteger(p) || p < 1) {
    throw invalidConfig('scrypt r and p must be positive integers.');
  }
  // scrypt needs 128 * N * r * p bytes; Node refuses more than 32 MiB unless told.
  const maxmem = 128 * N * r * p + 1024 * 1024;
  return new Promise((resolve, reject) => {
    scrypt(passphrase, saltBytes, KEY_BYTES, { N, r, p, maxmem }, (error, key) => {
      if (error) {
        reject(invalidConfig('scrypt failed with these parameters (too much memory?).'));
      } else {
        resolve(new Uint8Array(key));
      }
    });
  });
}

function invalidConfig(message: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidConfig, message);
}
