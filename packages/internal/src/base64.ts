// Base64 (RFC 4648 §4) and base64url (§5) on Uint8Array, built on btoa/atob so the same code
// runs in browsers, workers and Node. Decoders are strict and return `undefined` on anything
// else, so each caller throws the error that fits its context.

const CHUNK = 0x8000;

function toBinary(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep the argument list of fromCharCode within every engine's limit.
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return binary;
}

/**
 * Encodes bytes as padded standard base64.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 */
export function encodeBase64(bytes: Uint8Array): string {
  return btoa(toBinary(bytes));
}

/**
 * Encodes bytes as unpadded base64url.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64_ANY = /^[A-Za-z0-9+/_-]*={0,2}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes base64url or standard base64, padded or not, or returns `undefined`. Only the
 * canonical encoding of some bytes is accepted (no stray trailing bits), so one byte string
 * has one text form.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-3.5
 */
export function decodeBase64Loose(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64_ANY.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  // A length of 1 mod 4 cannot come from any byte string.
  if (unpadded.length % 4 === 1) return undefined;
  if (text.length !== unpadded.length && text.length % 4 !== 0) return undefined;
  const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  // Non-canonical input (non-zero padding bits) decodes but would not encode back the same.
  if (btoa(binary).replace(/=+$/, '') !== unpadded) return undefined;
  return bytes;
}

/**
 * Decodes strict unpadded base64url, or returns `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  return BASE64URL.test(text) ? decodeBase64Loose(text) : undefined;
}

/**
 * Decodes standard base64 (padding optional), or returns `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | undefined {
  return BASE64.test(text) ? decodeBase64Loose(text) : undefined;
}
