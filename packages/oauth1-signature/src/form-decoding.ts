import { percentEncode } from './percent-encode.js';

// Decoding of application/x-www-form-urlencoded text as the WHATWG URL standard defines it
// (what URLSearchParams does), which is how RFC 5849 §3.4.1.3.1 reads query and body parameters.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

// Percent-decoding that leaves malformed escapes as they are and turns invalid UTF-8 into
// U+FFFD, as URLSearchParams does, instead of throwing as decodeURIComponent would.
function lenientPercentDecode(text: string): string {
  const input = utf8Encoder.encode(text);
  const output = new Uint8Array(input.length);
  let length = 0;
  for (let index = 0; index < input.length; index++) {
    const byte = input[index] as number;
    if (byte === 0x25 && index + 2 < input.length) {
      const high = hexValue(input[index + 1] as number);
      const low = hexValue(input[index + 2] as number);
      if (high >= 0 && low >= 0) {
        output[length++] = high * 16 + low;
        index += 2;
        continue;
      }
    }
    output[length++] = byte;
  }
  return utf8Decoder.decode(output.subarray(0, length));
}

/** Decodes one name or value of a form body or query: `+` is a space, then percent-decoding. */
export function decodeFormComponent(text: string): string {
  const spaced = text.includes('+') ? text.replaceAll('+', ' ') : text;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return lenientPercentDecode(spaced);
  }
}

/** A parameter name and value, each already percent-encoded as RFC 5849 §3.6 requires. */
export type EncodedPair = [name: string, value: string];

const UNRESERVED_ONLY = /^[A-Za-z0-9\-._~]*$/;

// Decoding then re-encoding is the identity for text of unreserved characters only, which is
// most names and values, so those skip both steps.
const UPPER_HEX = '0123456789ABCDEF';
const IS_UNRESERVED = new Uint8Array(128);
for (const character of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~') {
  IS_UNRESERVED[character.charCodeAt(0)] = 1;
}

function decodeThenEncode(raw: string): string {
  return UNRESERVED_ONLY.test(raw) ? raw : percentEncode(decodeFormComponent(raw));
}

// The same result as decodeThenEncode in one pass over ASCII text: unreserved characters are
// kept, + becomes %20, an escape of an ASCII byte takes its canonical form, a malformed % is a
// literal %25, any other ASCII character is escaped. Non-ASCII text and escapes of bytes
// >= 0x80 (UTF-8, perhaps invalid) take the decode-then-encode path.
function canonicalEncoding(raw: string): string {
  let out = '';
  let start = 0;
  for (let index = 0; index < raw.length; index++) {
    const code = raw.charCodeAt(index);
    if (code < 128 && IS_UNRESERVED[code] === 1) continue;
    let piece: string;
    let next = index + 1;
    if (code === 0x2b) piece = '%20';
    else if (code === 0x25) {
      const high = hexValue(raw.charCodeAt(index + 1));
      const low = high < 0 ? -1 : hexValue(raw.charCodeAt(index + 2));
      if (low < 0) piece = '%25';
      else {
        const byte = high * 16 + low;
        if (byte >= 0x80) return decodeThenEncode(raw);
        piece =
          IS_UNRESERVED[byte] === 1
            ? String.fromCharCode(byte)
            : `%${UPPER_HEX[high]}${UPPER_HEX[low]}`;
        next = index + 3;
      }
    } else if (code >= 0x80) return decodeThenEncode(raw);
    else piece = `%${UPPER_HEX[code >> 4]}${UPPER_HEX[code & 15]}`;
    out += raw.slice(start, index) + piece;
    start = next;
    index = next - 1;
  }
  return start === 0 ? raw : out + raw.slice(start);
}

/**
 * Reads `a=1&b=2` (a query or a form body) and appends each parameter, decoded and then
 * percent-encoded for signing, to `into`. Empty segments are skipped, as URLSearchParams does.
 */
export function addFormEncodedParameters(text: string, into: EncodedPair[]): void {
  if (text.length === 0) return;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const equals = text.indexOf('=', start);
      if (equals === -1 || equals > end) into.push([canonicalEncoding(text.slice(start, end)), '']);
      else
        into.push([
          canonicalEncoding(text.slice(start, equals)),
          canonicalEncoding(text.slice(equals + 1, end)),
        ]);
    }
    start = end + 1;
  }
}
