// HTTP Basic credentials as X's token endpoints expect them: each half RFC 1738-encoded
// before joining with ":" and base64-encoding (X docs, "Encode consumer key and secret").

/** Decoded Basic credentials. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

// Form-urlencoding (RFC 6749 §2.3.1, X's "RFC 1738") writes a space as +, so read it back so.
function formDecode(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}

/** Parses `Basic …`; undefined when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  try {
    return {
      username: formDecode(decoded.slice(0, colon)),
      password: formDecode(decoded.slice(colon + 1)),
    };
  } catch {
    return undefined;
  }
}
