// The ciphertext format: `xts1.<keyId>.<iv>.<ciphertext and tag>`, base64url without padding.
// AES-256-GCM with a random 96-bit IV per write (NIST SP 800-38D §8.2.2), and associated data
// that binds the ciphertext to its owner and kind, so a row copied to another user, app or
// kind fails authentication instead of decrypting as theirs.

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { decodeBase64Url, encodeBase64Url } from '@x-oauth/internal';
import type { RecordKind, RecordOwner } from '../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../errors.js';
import type { RandomSource } from '../types.js';
import { KEY_ID_PATTERN, type Keyring, keyById } from './keyring.js';
import { IV_BYTES, nextIv } from './random-ivs.js';
import { withUtf8Bytes } from './utf8-bytes.js';

/** The format tag at the start of every envelope; a new format gets a new tag. */
export const ENVELOPE_VERSION = 'xts1';

/** The associated data's domain label, so the key cannot be confused with another use. */
export const AAD_LABEL = 'x-oauth/token-store/v1';

const TAG_BYTES = 16;

/** Where a sealed value belongs: the AAD binds all three. */
export interface EnvelopeBinding extends RecordOwner {
  readonly kind: RecordKind;
}

/** Options of {@link sealEnvelope}. */
export interface SealEnvelopeOptions {
  /** Random source for the IV; blocks of `crypto.randomFillSync` output by default. */
  random?: RandomSource | undefined;
}

/** What {@link sealEnvelope} returns. */
export interface SealedEnvelope {
  /** The key that encrypted it (the keyring's current key). */
  readonly keyId: string;
  /** The envelope text. */
  readonly envelope: string;
}

/**
 * The associated data of an envelope: the label, app id, user id and kind joined by NUL
 * (none of them may contain NUL, so the encoding is unambiguous).
 */
export function associatedData(binding: EnvelopeBinding): Buffer {
  return Buffer.from(
    `${AAD_LABEL}\u0000${binding.appId}\u0000${binding.userId}\u0000${binding.kind}`,
    'utf8',
  );
}

/**
 * Encrypts `plaintext` under the keyring's current key, bound to `binding`.
 */
export function sealEnvelope(
  plaintext: string,
  keyring: Keyring,
  binding: EnvelopeBinding,
  options: SealEnvelopeOptions = {},
): SealedEnvelope {
  const keyId = keyring.currentKeyId;
  const key = keyById(keyring, keyId);
  if (key === undefined) {
    throw new TokenStoreError(TokenStoreErrorCode.InvalidConfig, 'The keyring has no current key.');
  }
  const iv = nextIv(options.random);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  const body = withUtf8Bytes(plaintext, (bytes) =>
    joinedBase64Url(cipher.update(bytes), cipher.final(), cipher.getAuthTag()),
  );
  return { keyId, envelope: `${ENVELOPE_VERSION}.${keyId}.${encodeBase64Url(iv)}.${body}` };
}

// The ciphertext and tag are joined in one reused buffer and encoded from there, not by a
// Buffer.concat per put: that takes a slice of Node's shared pool each time, which cost 0.4 to
// 0.6 µs a put (paired runs on the memory backend, Node 20). Ciphertext is not secret: no wipe.
let joined = Buffer.alloc(1024);

function joinedBase64Url(...parts: Buffer[]): string {
  let length = 0;
  for (const part of parts) length += part.length;
  if (length > joined.length) joined = Buffer.alloc(Math.max(length, joined.length * 2));
  let offset = 0;
  for (const part of parts) offset += part.copy(joined, offset);
  return joined.toString('base64url', 0, length);
}

/** The parts of an envelope, before decryption. */
export interface ParsedEnvelope {
  readonly keyId: string;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly tag: Uint8Array;
}

/**
 * Splits an envelope into its parts, or throws `TOKEN_STORE_CORRUPT_ROW` when it is not one.
 */
export function parseEnvelope(envelope: unknown): ParsedEnvelope {
  if (typeof envelope !== 'string') throw corrupt('the ciphertext is not text');
  // The three separators by indexOf rather than split: no array of parts on every read.
  const keyStart = envelope.indexOf('.') + 1;
  const ivStart = keyStart === 0 ? 0 : envelope.indexOf('.', keyStart) + 1;
  const bodyStart = ivStart === 0 ? 0 : envelope.indexOf('.', ivStart) + 1;
  if (bodyStart === 0 || envelope.includes('.', bodyStart)) {
    throw corrupt('the ciphertext does not have four fields');
  }
  if (envelope.slice(0, keyStart - 1) !== ENVELOPE_VERSION) {
    throw corrupt('unknown ciphertext format');
  }
  const keyId = envelope.slice(keyStart, ivStart - 1);
  if (!KEY_ID_PATTERN.test(keyId)) throw corrupt('malformed key id');
  const iv = decodeBase64Url(envelope.slice(ivStart, bodyStart - 1));
  if (iv === undefined || iv.length !== IV_BYTES) throw corrupt('malformed IV');
  // Strict: only the canonical unpadded base64url of some bytes (one text per ciphertext).
  const body = decodeBase64Url(envelope.slice(bodyStart));
  if (body === undefined || body.length < TAG_BYTES) throw corrupt('malformed ciphertext');
  return {
    keyId,
    iv,
    ciphertext: body.subarray(0, body.length - TAG_BYTES),
    tag: body.subarray(body.length - TAG_BYTES),
  };
}

/**
 * Decrypts an envelope sealed for `binding`. The key is looked up by the envelope's key id
 * (`TOKEN_STORE_UNKNOWN_KEY_ID` when the keyring lacks it); a wrong key, any changed byte, or
 * another owner or kind fails with `TOKEN_STORE_DECRYPTION_FAILED`.
 */
export function openEnvelope(
  envelope: unknown,
  keyring: Keyring,
  binding: EnvelopeBinding,
): string {
  return decryptEnvelope(parseEnvelope(envelope), keyring, binding);
}

/**
 * Decrypts an envelope already split by {@link parseEnvelope}, with the same errors as
 * {@link openEnvelope}; for a caller that needed the parts first (to check the key id).
 */
export function decryptEnvelope(
  parsed: ParsedEnvelope,
  keyring: Keyring,
  binding: EnvelopeBinding,
): string {
  const key = keyById(keyring, parsed.keyId);
  if (key === undefined) {
    throw new TokenStoreError(
      TokenStoreErrorCode.UnknownKeyId,
      `A row is encrypted under key id "${parsed.keyId}", which the keyring does not hold: add that key back to the keyring.`,
      { keyId: parsed.keyId },
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(binding));
  decipher.setAuthTag(parsed.tag);
  try {
    const head = decipher.update(parsed.ciphertext);
    // Throws on any mismatch of the tag, so no text leaves here unauthenticated. GCM is a
    // stream mode and final() returns no bytes: nothing to concatenate, one copy less per read
    // (a decipher's own UTF-8 output would cost more, in a StringDecoder per read).
    const tail = decipher.final();
    const bytes = tail.length === 0 ? head : Buffer.concat([head, tail]);
    const text = bytes.toString('utf8');
    // The tokens now live in the text the caller gets; their bytes need not linger too.
    head.fill(0);
    if (bytes !== head) bytes.fill(0);
    return text;
  } catch {
    // No cause: OpenSSL's message says nothing useful and nothing here should be echoed.
    throw new TokenStoreError(
      TokenStoreErrorCode.DecryptionFailed,
      'A row failed to decrypt: wrong key for its key id, tampered ciphertext, or a row copied from another user, app or kind.',
      { keyId: parsed.keyId },
    );
  }
}

function corrupt(what: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.CorruptRow, `A stored row is corrupt: ${what}.`);
}
