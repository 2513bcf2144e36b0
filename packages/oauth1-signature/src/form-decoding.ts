import { IS_UNRESERVED, percentEncode } from './percent-encode.js';

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
 * How an encoded name or value is written: as RFC 5849 §3.6 encodes it (`%XX`), or encoded
 * once more as the base string holds it (`%25XX`). Encoding twice only rewrites `%` as `%25`,
 * which keeps the sort order, so either form sorts the same way.
 */
export type PercentSign = '%' | '%25';

// The canonical text of each ASCII byte in either form: itself when unreserved, else its
// escape with upper-case hex. Made once, so encoding a character is one lookup.
function asciiEscapes(percentSign: PercentSign): readonly string[] {
  return Array.from({ length: 128 }, (_, byte) =>
    IS_UNRESERVED[byte] === 1
      ? String.fromCharCode(byte)
      : `${percentSign}${byte.toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
const ESCAPES: Readonly<Record<PercentSign, readonly string[]>> = {
  '%': asciiEscapes('%'),
  '%25': asciiEscapes('%25'),
};

function decodeThenEncode(raw: string, percentSign: PercentSign): string {
  const encoded = percentEncode(decodeFormComponent(raw));
  return percentSign === '%' ? encoded : encoded.replaceAll('%', '%25');
}

/**
 * A name or value read from `start` to `end` of `text`: as it is when it needed no change
 * (`copiedTo` never moved), else the `encoded` text so far plus the rest of the last run; when it
 * holds non-ASCII text or escapes of bytes >= 0x80 (UTF-8, perhaps invalid), decoded and
 * percent-encoded again.
 */
function finishComponent(
  text: string,
  start: number,
  end: number,
  encoded: string,
  copiedTo: number,
  needsDecoding: boolean,
  percentSign: PercentSign,
): string {
  if (needsDecoding) return decodeThenEncode(text.slice(start, end), percentSign);
  if (copiedTo === start) return text.slice(start, end);
  return end > copiedTo ? encoded + text.slice(copiedTo, end) : encoded;
}

/**
 * Reads `a=1&b=2` (a query or a form body) and appends each parameter, decoded and then
 * percent-encoded for signing, to `into`; with `percentSign` `%25`, encoded twice, as the base
 * string holds it. Empty segments are skipped, as URLSearchParams does.
 *
 * One pass over the text: names and values made only of unreserved characters (most of them)
 * are sliced as they are; only the others are re-encoded.
 *
 * `from` and `to` read a part of `text` in place (a URL's query) without slicing it out: a
 * slice is read more slowly than the string it comes from.
 *
 * @returns whether the text holds a space or a control character, which a URL parser would
 *   have escaped or removed from a query.
 */
export function addFormEncodedParameters(
  text: string,
  into: EncodedPair[],
  percentSign: PercentSign = '%',
  from = 0,
  to = text.length,
): boolean {
  const escapes = ESCAPES[percentSign];
  let sawSpaceOrControl = false;
  let pairStart = from;
  let name: string | undefined;
  // The name or value being read: where it starts, its canonical text up to `copiedTo`.
  let start = from;
  let encoded = '';
  let copiedTo = from;
  let needsDecoding = false;
  for (let index = from; index <= to; index++) {
    // Skip the run of unreserved characters (most of the text) in a tight loop; the end of the
    // text reads as a final `&`.
    let code = 0x26;
    while (index < to) {
      code = text.charCodeAt(index);
      if (code >= 128 || IS_UNRESERVED[code] !== 1) break;
      index++;
    }
    if (index === to) code = 0x26;
    if (code === 0x26 || (code === 0x3d && name === undefined)) {
      const finished = finishComponent(
        text,
        start,
        index,
        encoded,
        copiedTo,
        needsDecoding,
        percentSign,
      );
      if (code === 0x3d) name = finished;
      else {
        // Empty segments (`a=1&&b=2`) are skipped.
        if (index > pairStart) into.push(name === undefined ? [finished, ''] : [name, finished]);
        pairStart = index + 1;
        name = undefined;
      }
      start = index + 1;
      encoded = '';
      copiedTo = start;
      needsDecoding = false;
      continue;
    }
    if (code <= 0x20 || code === 0x7f) sawSpaceOrControl = true;
    if (needsDecoding) continue;
    let piece: string;
    let next = index + 1;
    if (code === 0x2b) piece = escapes[0x20] as string;
    else if (code === 0x25) {
      const high = index + 2 < to ? hexValue(text.charCodeAt(index + 1)) : -1;
      const low = high < 0 ? -1 : hexValue(text.charCodeAt(index + 2));
      const byte = high * 16 + low;
      if (low < 0) piece = escapes[0x25] as string;
      else if (byte >= 0x80) {
        needsDecoding = true;
        continue;
      } else {
        piece = escapes[byte] as string;
        next = index + 3;
      }
    } else if (code >= 0x80) {
      needsDecoding = true;
      continue;
    } else piece = escapes[code] as string;
    if (index > copiedTo) encoded += text.slice(copiedTo, index);
    encoded += piece;
    copiedTo = next;
    index = next - 1;
  }
  return sawSpaceOrControl;
}
