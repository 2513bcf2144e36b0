import { describe, expect, it } from 'vitest';
import { encodeCredentials } from './encode-credentials.js';

function decode(base64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
}

describe('encodeCredentials', () => {
  it("gives X's documented value for X's example keys", () => {
    expect(
      encodeCredentials('xvz1evFS4wEEPTGEFPHBog', 'L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg'),
    ).toBe(
      'eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw==',
    );
  });

  it('URL-encodes each part before joining, so a ":" in the key cannot move the split', () => {
    expect(decode(encodeCredentials('key:with:colons', 'secret'))).toBe(
      'key%3Awith%3Acolons:secret',
    );
  });

  it('encodes reserved characters, spaces and non-ASCII text', () => {
    expect(decode(encodeCredentials('a b', 'c/d+e=f&g%h'))).toBe('a+b:c%2Fd%2Be%3Df%26g%25h');
    expect(decode(encodeCredentials('clé', '秘密'))).toBe('cl%C3%A9:%E7%A7%98%E5%AF%86');
  });

  it('leaves unreserved characters as they are', () => {
    expect(decode(encodeCredentials('AZaz09-_.', 'x'))).toBe('AZaz09-_.:x');
  });
});
