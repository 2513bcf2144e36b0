import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeCryptoBackend } from './crypto-node.js';
import { webCryptoBackend } from './crypto-web.js';
import { createNonce } from './nonce.js';

// Keys and data are ASCII (percent-encoded secrets, base strings); base64 of random bytes is.
const ascii = (length: number) => randomBytes(length).toString('base64').slice(0, length);
const reference = (key: string, data: string) =>
  createHmac('sha1', Buffer.from(key, 'latin1')).update(data, 'latin1').digest('base64');

// Key lengths around the 64-byte SHA-1 block (longer keys are hashed first, RFC 2104 §2); a
// signing key is never empty, it holds at least the `&`.
const keyLengths = [1, 20, 63, 64, 65, 86, 200];
const dataLengths = [0, 1, 55, 56, 64, 300, 5000];

describe('the crypto backends', () => {
  it('compute the same HMAC-SHA1 on node:crypto and Web Crypto as createHmac', async () => {
    for (const keyLength of keyLengths) {
      const key = ascii(keyLength);
      for (const dataLength of dataLengths) {
        const data = ascii(dataLength);
        const expected = reference(key, data);
        expect(nodeCryptoBackend.hmacSha1Base64(key, data)).toBe(expected);
        expect(await webCryptoBackend.hmacSha1Base64(key, data)).toBe(expected);
      }
    }
  });
});

describe('createNonce', () => {
  it('gives 64 lower-case hex characters, a different one each time', () => {
    const nonces = new Set(Array.from({ length: 200 }, createNonce));
    expect(nonces.size).toBe(200);
    for (const nonce of nonces) expect(nonce).toMatch(/^[0-9a-f]{64}$/);
  });
});
