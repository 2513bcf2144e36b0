// X's host names the emulator answers for over TLS and through its forward proxy.

/** X's API, upload and consent-page host names: the leaf certificate covers them all. */
export const X_HOST_NAMES: readonly string[] = [
  'api.x.com',
  'api.twitter.com',
  'x.com',
  'twitter.com',
  'upload.x.com',
  'upload.twitter.com',
];

/** Loopback names also on the certificate, so `https://127.0.0.1:port` verifies too. */
export const LOOPBACK_NAMES: readonly string[] = ['localhost'];
/** Loopback addresses on the certificate (IP subject alternative names). */
export const LOOPBACK_ADDRESSES: readonly string[] = ['127.0.0.1', '::1'];

/** Whether `host` (without port, lower-cased) is one of X's host names. */
export function isXHost(host: string): boolean {
  return X_HOST_NAMES.includes(host.toLowerCase());
}
