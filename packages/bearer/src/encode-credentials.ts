/**
 * Encodes a key and secret for HTTP Basic as X's app-only docs prescribe: URL-encode each
 * (RFC 1738), join them with `:`, Base64 the result. The same encoding serves OAuth 2.0
 * confidential clients (RFC 6749 §2.3.1 form-encodes client id and secret before Basic).
 *
 * @example encodeCredentials('xvz1evFS4wEEPTGEFPHBog', 'L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg')
 * // 'eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw=='
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function encodeCredentials(key: string, secret: string): string {
  const joined = `${formEncode(key)}:${formEncode(secret)}`;
  const bytes = new TextEncoder().encode(joined);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// application/x-www-form-urlencoded encoding of one value (a space becomes +), which is what
// "RFC 1738 URL-encode" means in X's docs and what RFC 6749 §2.3.1 asks for.
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
