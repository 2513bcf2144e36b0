// Base64url without padding (RFC 4648 §5), the alphabet RFC 7636 and cookies both accept.
// Built on btoa/atob so it runs in browsers and workers as well as Node.

/**
 * Encodes bytes as unpadded base64url.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const BASE64_ANY = /^[A-Za-z0-9+/_-]*={0,2}$/;

/**
 * Decodes base64url or standard base64, padded or not. Returns `undefined` for anything else,
 * so callers can throw the error that fits their context.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-4
 */
export function decodeBase64Loose(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!BASE64_ANY.test(text)) return undefined;
  const unpadded = text.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  // A length of 1 mod 4 cannot come from any byte string.
  if (unpadded.length % 4 === 1) return undefined;
  const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes strict unpadded base64url, or returns `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4648#section-5
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  return BASE64URL.test(text) ? decodeBase64Loose(text) : undefined;
}
