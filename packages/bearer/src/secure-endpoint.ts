const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/**
 * True for a host name that can only mean this machine.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    LOOPBACK_HOSTS.has(host) || host.endsWith('.localhost') || /^127(?:\.\d{1,3}){3}$/.test(host)
  );
}

/**
 * True when credentials may be sent to `url`: `https:` anywhere, plain `http:` only to a
 * loopback host (a local emulator). X's docs require HTTPS for every auth request.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function isSecureEndpoint(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
