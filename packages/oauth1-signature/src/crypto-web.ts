import type { CryptoBackend } from './crypto-backend.js';

const utf8 = new TextEncoder();

/** Web Crypto backend: works wherever `globalThis.crypto.subtle` exists. */
export const webCryptoBackend: CryptoBackend = {
  async hmacSha1Base64(key, data) {
    const hmacKey = await crypto.subtle.importKey(
      'raw',
      utf8.encode(key),
      { name: 'HMAC', hash: 'SHA-1' },
      false,
      ['sign'],
    );
    const signature = new Uint8Array(await crypto.subtle.sign('HMAC', hmacKey, utf8.encode(data)));
    // A signature is 20 bytes: the platform's btoa over them as Latin-1 text is base64.
    return btoa(String.fromCharCode(...signature));
  },
};
