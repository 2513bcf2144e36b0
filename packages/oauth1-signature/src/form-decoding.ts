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

/**
 * Reads `a=1&b=2` (a query or a form body) and appends each parameter to `into`, decoded as
 * URLSearchParams decodes it and percent-encoded again for signing (RFC 5849 §3.4.1.3.1).
 * Empty segments are skipped, as URLSearchParams does.
 */
export function addFormEncodedParameters(text: string, into: EncodedPair[]): void {
  for (const segment of text.split('&')) {
    if (segment === '') continue;
    const equals = segment.indexOf('=');
    const name = equals === -1 ? segment : segment.slice(0, equals);
    const value = equals === -1 ? '' : segment.slice(equals + 1);
    into.push([
      percentEncode(decodeFormComponent(name)),
      percentEncode(decodeFormComponent(value)),
    ]);
  }
}
