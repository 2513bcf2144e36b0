import { describe, expect, it } from 'vitest';
import { parseBasicAuthorization } from './basic-auth.js';

describe('parseBasicAuthorization', () => {
  it("decodes X's documented example credentials", () => {
    expect(
      parseBasicAuthorization(
        'Basic eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw==',
      ),
    ).toEqual({
      username: 'xvz1evFS4wEEPTGEFPHBog',
      password: 'L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg',
    });
  });

  it('percent-decodes each half (RFC 1738 encoding) and rejects malformed values', () => {
    const encoded = Buffer.from('key%3A1:se%2Fcret').toString('base64');
    expect(parseBasicAuthorization(`Basic ${encoded}`)).toEqual({
      username: 'key:1',
      password: 'se/cret',
    });
    const spaced = Buffer.from('my+key:a+b%2Bc').toString('base64');
    expect(parseBasicAuthorization(`Basic ${spaced}`)).toEqual({
      username: 'my key',
      password: 'a b+c',
    });
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(
      parseBasicAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`),
    ).toBeUndefined();
  });
});
