import { decodeBase64Loose, decodeBase64Url, encodeBase64Url } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';
import { type RandomSource, randomBytes } from './random.js';
import { isJsonObject, member } from './response-body.js';
import type { Clock } from './types.js';

/**
 * A 32-byte AES-256 key: the bytes, or a string of them in base64 or base64url (padded or
 * not). Make one with `crypto.getRandomValues(new Uint8Array(32))`, keep it in your secrets,
 * and share it between all instances of the server.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export type SealingKey = Uint8Array | string;

/**
 * Options of {@link sealValue}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export interface SealOptions {
  /**
   * What the value is for, bound into the ciphertext as associated data: a value sealed for
   * one purpose cannot be opened as another (a transaction cookie as a session cookie, say).
   */
  purpose?: string | undefined;
  /** Clock for the sealing time inside the payload; `Date.now` by default. */
  now?: Clock | undefined;
  /** Random source for the IV; `crypto.getRandomValues` by default. */
  random?: RandomSource | undefined;
}

/**
 * Options of {@link openValue}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export interface OpenOptions {
  /** Refuse values sealed longer ago than this, in milliseconds. Required: nothing lives forever. */
  maxAgeMs: number;
  /** Must equal the `purpose` the value was sealed with. */
  purpose?: string | undefined;
  /** Clock for the age check; `Date.now` by default. */
  now?: Clock | undefined;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;
const DEFAULT_PURPOSE = 'x-oauth/sealed-value';

/**
 * Encrypts and authenticates any JSON-serializable value with AES-256-GCM, for a cookie or a
 * URL: the result is `v1.<iv>.<ciphertext and tag>` in base64url, only `A-Z a-z 0-9 - _ .`.
 * The sealing time is inside the payload, so {@link openValue} can refuse old values.
 *
 * Serialize with `JSON.stringify` semantics: a {@link TokenSet} redacts itself there, so seal
 * `tokenSetToStorable(set)` instead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export async function sealValue(
  value: unknown,
  key: SealingKey,
  options: SealOptions = {},
): Promise<string> {
  const cryptoKey = await importSealingKey(key);
  const plaintext = JSON.stringify({ iat: (options.now ?? Date.now)(), value });
  if (plaintext === undefined) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'The value to seal is not JSON-serializable.',
    );
  }
  // A fresh random 96-bit IV per message: GCM's security depends on never repeating one.
  const iv = randomBytes(IV_BYTES, options.random);
  const ciphertext = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: associatedData(options.purpose) },
    cryptoKey,
    new TextEncoder().encode(plaintext),
  );
  return `${VERSION}.${encodeBase64Url(iv)}.${encodeBase64Url(new Uint8Array(ciphertext))}`;
}

/**
 * Opens what {@link sealValue} made, and returns the value as `unknown`: narrow it before use.
 * Throws `PKCE_SEALED_VALUE_INVALID` for anything malformed, tampered with, sealed with another
 * key or purpose, and `PKCE_SEALED_VALUE_EXPIRED` when older than `maxAgeMs`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export async function openValue(
  sealed: string,
  key: SealingKey,
  options: OpenOptions,
): Promise<unknown> {
  const { maxAgeMs } = options;
  if (typeof maxAgeMs !== 'number' || !Number.isFinite(maxAgeMs) || maxAgeMs <= 0) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'maxAgeMs must be a positive number of milliseconds.',
    );
  }
  const cryptoKey = await importSealingKey(key);
  const invalid = () =>
    new PkceError(
      PkceErrorCode.SealedValueInvalid,
      'The sealed value is malformed, was altered, or was sealed with another key or purpose.',
    );
  if (typeof sealed !== 'string') throw invalid();
  const parts = sealed.split('.');
  const iv = parts[1] === undefined ? undefined : decodeBase64Url(parts[1]);
  const ciphertext = parts[2] === undefined ? undefined : decodeBase64Url(parts[2]);
  if (
    parts.length !== 3 ||
    parts[0] !== VERSION ||
    iv?.length !== IV_BYTES ||
    ciphertext === undefined
  ) {
    throw invalid();
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: associatedData(options.purpose) },
      cryptoKey,
      ciphertext,
    );
  } catch {
    // GCM's tag check fails alike for a changed byte, another key and another purpose.
    throw invalid();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    throw invalid();
  }
  const issuedAt = member(payload, 'iat');
  if (!isJsonObject(payload) || typeof issuedAt !== 'number' || !Object.hasOwn(payload, 'value')) {
    throw invalid();
  }
  if ((options.now ?? Date.now)() - issuedAt > maxAgeMs) {
    throw new PkceError(
      PkceErrorCode.SealedValueExpired,
      'The sealed value is older than maxAgeMs: start over (for a transaction, a new authorization).',
    );
  }
  return member(payload, 'value');
}

/**
 * Turns a {@link SealingKey} into a Web Crypto AES-GCM key, refusing anything but 32 bytes.
 *
 * @see https://www.rfc-editor.org/rfc/rfc5116#section-5.1
 */
export async function importSealingKey(key: SealingKey): Promise<CryptoKey> {
  const bytes =
    typeof key === 'string'
      ? decodeBase64Loose(key.trim())
      : key instanceof Uint8Array
        ? key
        : undefined;
  if (bytes === undefined || bytes.length !== KEY_BYTES) {
    throw new PkceError(
      PkceErrorCode.InvalidKey,
      'The sealing key must be 32 bytes (AES-256): a Uint8Array, or a base64/base64url string of 32 bytes.',
    );
  }
  // A copy on a plain ArrayBuffer: Web Crypto refuses views of a SharedArrayBuffer.
  const copy = new Uint8Array(KEY_BYTES);
  copy.set(bytes);
  return crypto.subtle.importKey('raw', copy, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function associatedData(purpose: string | undefined): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`x-oauth seal ${VERSION}|${purpose ?? DEFAULT_PURPOSE}`);
}
