import { encodeBase64 } from './base64.js';

// application/x-www-form-urlencoded encoding of one value (a space becomes +): what RFC 6749
// §2.3.1 asks for and what X's docs call "RFC 1738 URL-encode".
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/**
 * The `Basic` credentials for an id and secret: each form-urlencoded, joined with `:`, UTF-8,
 * base64. Serves X's app-only token endpoint and OAuth 2.0 confidential clients alike.
 *
 * @example encodeBasicCredentials('xvz1evFS4wEEPTGEFPHBog', 'L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg')
 * // 'eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw=='
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function encodeBasicCredentials(id: string, secret: string): string {
  return encodeBase64(new TextEncoder().encode(`${formEncode(id)}:${formEncode(secret)}`));
}
