// The ciphertext format: `xts1.<keyId>.<iv>.<ciphertext and tag>`, base64url without padding.
// AES-256-GCM with a random 96-bit IV per write (NIST SP 800-38D §8.2.2), and associated data
// that binds the ciphertext to its owner and kind, so a row copied to another user, app or
// kind fails authentication instead of decrypting as theirs.

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { encodeBase64Url } from '@x-oauth/internal';
import type { RecordKind, RecordOwner } from '../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../errors.js';
import type { RandomSource } from '../types.js';
import { KEY_ID_PATTERN, type Keyring, keyById } from './keyring.js';
import { IV_BYTES, nextIv } from './random-ivs.js';
import { ScratchBuffer } from './scratch-buffer.js';
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
 * The associated data of an envelope, as text (the cipher gets its UTF-8 bytes): the label,
 * app id, user id and kind joined by NUL (none of them may contain NUL, so the encoding is
 * unambiguous).
 */
export function associatedData(binding: EnvelopeBinding): string {
  return `${AAD_LABEL}\u0000${binding.appId}\u0000${binding.userId}\u0000${binding.kind}`;
}

// The buffers of this file's synchronous calls (see scratch-buffer.ts); none holds a secret: an
// associated data, a ciphertext and tag being encoded, an IV, ciphertext and tag being decoded.
const aadBytes = new ScratchBuffer(256);
const joined = new ScratchBuffer();
const decoded = new ScratchBuffer();

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
  cipher.setAAD(aadBytes.utf8(associatedData(binding)));
  const body = withUtf8Bytes(plaintext, (bytes) =>
    joinedBase64Url(cipher.update(bytes), cipher.final(), cipher.getAuthTag()),
  );
  return { keyId, envelope: `${ENVELOPE_VERSION}.${keyId}.${encodeBase64Url(iv)}.${body}` };
}

// The ciphertext and tag, joined and encoded as base64url without a Buffer.concat per put.
function joinedBase64Url(...parts: Buffer[]): string {
  let length = 0;
  for (const part of parts) length += part.length;
  const buffer = joined.atLeast(length);
  let offset = 0;
  for (const part of parts) offset += part.copy(buffer, offset);
  return buffer.toString('base64url', 0, length);
}

/** The parts of an envelope, before decryption: its key id, and its IV and body as base64url. */
export interface ParsedEnvelope {
  readonly keyId: string;
  readonly iv: string;
  readonly body: string;
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
  return { keyId, iv: envelope.slice(ivStart, bodyStart - 1), body: envelope.slice(bodyStart) };
}

/** The IV, ciphertext and tag of a parsed envelope, decoded; valid until the next call. */
function decodeParts(parsed: ParsedEnvelope): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const ivRoom = Math.max(IV_BYTES, Math.ceil((parsed.iv.length * 3) / 4));
  const buffer = decoded.atLeast(ivRoom + Math.ceil((parsed.body.length * 3) / 4));
  if (decodeInto(buffer, 0, parsed.iv) !== IV_BYTES) throw corrupt('malformed IV');
  const bodyLength = decodeInto(buffer, IV_BYTES, parsed.body);
  if (bodyLength === undefined || bodyLength < TAG_BYTES) throw corrupt('malformed ciphertext');
  const tagStart = IV_BYTES + bodyLength - TAG_BYTES;
  return {
    iv: buffer.subarray(0, IV_BYTES),
    ciphertext: buffer.subarray(IV_BYTES, tagStart),
    tag: buffer.subarray(tagStart, tagStart + TAG_BYTES),
  };
}

/**
 * Decodes base64url `text` into `buffer` at `offset` and returns the number of bytes, or
 * undefined unless `text` is the canonical unpadded base64url of those bytes (one text per
 * ciphertext): Node's decoder skips what it does not understand, its encoder does not.
 */
function decodeInto(buffer: Buffer, offset: number, text: string): number | undefined {
  const length = buffer.write(text, offset, 'base64url');
  return buffer.toString('base64url', offset, offset + length) === text ? length : undefined;
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
  const { iv, ciphertext, tag } = decodeParts(parsed);
  const key = keyById(keyring, parsed.keyId);
  if (key === undefined) {
    throw new TokenStoreError(
      TokenStoreErrorCode.UnknownKeyId,
      `A row is encrypted under key id "${parsed.keyId}", which the keyring does not hold: add that key back to the keyring.`,
      { keyId: parsed.keyId },
    );
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aadBytes.utf8(associatedData(binding)));
  decipher.setAuthTag(tag);
  try {
    const head = decipher.update(ciphertext);
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
