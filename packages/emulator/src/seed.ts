// Deterministic app credentials and ids: the same seed gives the same keys, so a developer can
// paste them into a config once. Derived with HMAC-SHA256 keyed by the seed string.
import { createHmac } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function derivedBytes(seed: string, label: string, length: number): Buffer {
  const blocks: Buffer[] = [];
  for (let block = 0; blocks.length * 32 < length; block += 1) {
    blocks.push(createHmac('sha256', seed).update(`${label}#${block}`).digest());
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** A `length`-character alphanumeric string derived from `seed` and `label`. */
export function deriveAlphanumeric(seed: string, label: string, length: number): string {
  let text = '';
  for (const byte of derivedBytes(seed, label, length)) {
    text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  }
  return text;
}

/** A numeric id (19 digits, like X's snowflake ids) derived from `seed` and `label`. */
export function deriveNumericId(seed: string, label: string): string {
  let digits = '1';
  for (const byte of derivedBytes(seed, label, 18)) digits += String(byte % 10);
  return digits;
}

/** Credentials of one app derived from the seed; `label` distinguishes the apps. */
export interface DerivedAppCredentials {
  readonly id: string;
  readonly consumerKey: string;
  readonly consumerSecret: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

/** Derives an app's id, consumer key/secret and client id/secret (lengths as X issues them). */
export function deriveAppCredentials(seed: string, label: string): DerivedAppCredentials {
  return {
    id: deriveNumericId(seed, `${label}:id`),
    consumerKey: deriveAlphanumeric(seed, `${label}:consumer-key`, 25),
    consumerSecret: deriveAlphanumeric(seed, `${label}:consumer-secret`, 50),
    clientId: deriveAlphanumeric(seed, `${label}:client-id`, 34),
    clientSecret: deriveAlphanumeric(seed, `${label}:client-secret`, 50),
  };
}
