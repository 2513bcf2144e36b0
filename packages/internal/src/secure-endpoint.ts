// The one rule for where credentials may go: https: anywhere, plain http: only to this
// machine (a local emulator). X's docs require HTTPS for every authenticated request.

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function isLoopbackIpv4(host: string): boolean {
  const match = IPV4.exec(host);
  if (match === null) return false;
  const octets = match.slice(1).map(Number);
  return octets[0] === 127 && octets.every((octet) => octet <= 255);
}

function isLoopbackIpv6(host: string): boolean {
  // `::1` in any spelling: seven zero groups (possibly compressed) and a final 1.
  if (!/^[0:]*:0*1$/.test(host)) return false;
  const groups = host.split(':');
  return host.includes('::') ? groups.length <= 8 : groups.length === 8;
}

/**
 * True for a host name or address that can only mean this machine: `localhost` and
 * `*.localhost` (RFC 6761 §6.3), `127.0.0.0/8`, and `::1` (bare or in URL brackets).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6761#section-6.3
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isLoopbackIpv4(host)) return true;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isLoopbackIpv6(bare);
}

/**
 * True when credentials may be sent to `url`: `https:` anywhere, plain `http:` only to a
 * loopback host.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function isSecureEndpoint(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}
