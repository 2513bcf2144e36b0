import { type CryptoBackend, createNonceSource } from './crypto-backend.js';

const utf8 = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index++)
    binary += String.fromCharCode(bytes[index] as number);
  return btoa(binary);
}

function importHmacKey(key: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', utf8.encode(key), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
}

async function sign(key: CryptoKey | Promise<CryptoKey>, data: string): Promise<string> {
  return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', await key, utf8.encode(data))));
}

/** Web Crypto backend: works wherever `globalThis.crypto.subtle` exists. */
export const webCryptoBackend: CryptoBackend<Promise<CryptoKey>> = {
  hmacSha1Base64: (key, data) => sign(importHmacKey(key), data),
  // The imported key is kept (not extractable), so a pair that signs again skips importKey.
  prepareKey: importHmacKey,
  hmacSha1Base64WithPreparedKey: sign,
  createNonce: /* @__PURE__ */ createNonceSource((buffer) => {
    crypto.getRandomValues(buffer);
  }),
};
