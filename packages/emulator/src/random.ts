// Unguessable values for tokens, secrets, verifiers and PINs. Only app credentials are
// deterministic (see seed.ts); everything a client receives at run time comes from here.
import { randomBytes, randomInt } from 'node:crypto';

/** The randomness the emulator draws on; injectable so unit tests can pin it. */
export interface RandomSource {
  /** `length` random bytes. */
  bytes(length: number): Uint8Array;
  /** A uniform integer in `[0, maxExclusive)`. */
  integer(maxExclusive: number): number;
}

/** {@link RandomSource} over `node:crypto`, the default. */
export const cryptoRandom: RandomSource = {
  bytes: (length) => randomBytes(length),
  integer: (maxExclusive) => randomInt(maxExclusive),
};

/** `byteLength` random bytes as base64url (no padding): safe in headers, forms and URLs. */
export function randomToken(random: RandomSource, byteLength = 32): string {
  return Buffer.from(random.bytes(byteLength)).toString('base64url');
}

/** A string of `length` random decimal digits (X's PINs are 7 digits). */
export function randomDigits(random: RandomSource, length: number): string {
  let digits = '';
  for (let index = 0; index < length; index += 1) digits += String(random.integer(10));
  return digits;
}
