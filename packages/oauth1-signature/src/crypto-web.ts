import { type CryptoBackend, createNonceSource } from './crypto-backend.js';

const utf8 = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let index = 0; index < bytes.length; index++)
    binary += String.fromCharCode(bytes[index] as number);
  return btoa(binary);
}

/** Web Crypto backend: works wherever `globalThis.crypto.subtle` exists. */
export const webCryptoBackend: CryptoBackend = {
  async hmacSha1Base64(key, data) {
    const cryptoKey = await crypto.subtle.importKey(
      'raw',
      utf8.encode(key),
      { name: 'HMAC', hash: 'SHA-1' },
      false,
      ['sign'],
    );
    return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, utf8.encode(data))));
  },
  createNonce: createNonceSource((buffer) => {
    crypto.getRandomValues(buffer);
  }),
};
