import { createHmac, randomFillSync } from 'node:crypto';
import { type CryptoBackend, createNonceSource } from './crypto-backend.js';

/** `node:crypto` backend: synchronous HMAC, several times faster than Web Crypto on Node. */
export const nodeCryptoBackend: CryptoBackend = {
  hmacSha1Base64(key, data) {
    return createHmac('sha1', key).update(data).digest('base64');
  },
  createNonce: createNonceSource((buffer) => {
    randomFillSync(buffer);
  }),
};
