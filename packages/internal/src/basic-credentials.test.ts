import { describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from './basic-credentials.js';

describe('encodeBasicCredentials', () => {
  it("matches X's app-only documentation example", () => {
    expect(
      encodeBasicCredentials('xvz1evFS4wEEPTGEFPHBog', 'L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg'),
    ).toBe(
      'eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw==',
    );
  });

  it('form-urlencodes id and secret before joining them (RFC 6749 §2.3.1)', () => {
    const decoded = Buffer.from(encodeBasicCredentials('a:b c', 'ü/+&'), 'base64').toString();
    expect(decoded).toBe('a%3Ab+c:%C3%BC%2F%2B%26');
  });
});
