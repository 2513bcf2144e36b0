// Base64 (RFC 4648 §4) and base64url (§5) on Uint8Array. Portable (btoa/atob) so the same code
// runs in browsers and workers; where the runtime has Node's Buffer (Node, Bun, Deno) its native
// codec is used instead, several times faster, which the token store feels on every read and
// write. Decoders are strict and return `undefined` on anything else, so each caller throws
// the error that fits its context.

// Looked up, not imported: browsers and workers have no Buffer, and bundlers must not add one.
const NativeBuffer: typeof Buffer | undefined =
  typeof globalThis.Buffer === 'function' ? globalThis.Buffer : undefined;

// Keeps the argument list of fromCharCode within every engine's limit.
const CHUNK = 0x2000;

function toBinary(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode.apply(null, bytes.subarray(start, start + CHUNK) as never);
  }
  return binary;
}

/**
 * Encodes bytes as padded standard base64.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 */
export function encodeBase64(bytes: Uint8Array): string {
  if (NativeBuffer !== undefined) {
    return NativeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  }
  return btoa(toBinary(bytes));
}

/**
 * Encodes bytes as unpadded base64url.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  if (NativeBuffer !== undefined) {
    const view = NativeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return view.toString('base64url');
  }
  return btoa(toBinary(bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
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
  const unpadded = text.replace(/=+$/, '');
  // A length of 1 mod 4 cannot come from any byte string; padding must complete a quantum.
  if (unpadded.length % 4 === 1) return undefined;
  if (text.length !== unpadded.length && text.length % 4 !== 0) return undefined;
  if (NativeBuffer !== undefined) {
    const url = unpadded.replace(/\+/g, '-').replace(/\//g, '_');
    return nativeDecode(NativeBuffer, url);
  }
  const standard = unpadded.replace(/-/g, '+').replace(/_/g, '/');
  let binary: string;
  try {
    binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
  } catch {
    return undefined;
  }
  if (btoa(binary).replace(/=+$/, '') !== standard) return undefined;
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

// Non-canonical input (non-zero padding bits) decodes but does not encode back the same.
function nativeDecode(native: typeof Buffer, url: string): Uint8Array<ArrayBuffer> | undefined {
  const decoded = native.from(url, 'base64url');
  if (decoded.toString('base64url') !== url) return undefined;
  // A plain Uint8Array over the same bytes (no copy): callers get the type they asked for.
  return new Uint8Array(decoded.buffer as ArrayBuffer, decoded.byteOffset, decoded.byteLength);
}

/**
 * Decodes strict unpadded base64url, or returns `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  // The hot path of the token store's reads. Node's encoder writes only `A-Za-z0-9_-` without
  // padding, so the round trip in nativeDecode also refuses every other character.
  if (NativeBuffer !== undefined) return nativeDecode(NativeBuffer, text);
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
