import { describe, expect, it } from 'vitest';
import { formatAuthorizationHeader, parseAuthorizationHeader } from './authorization-header.js';

describe('parseAuthorizationHeader', () => {
  it('parses realm and percent-decodes the other parameters', () => {
    expect(
      parseAuthorizationHeader(
        'OAuth realm="Example",oauth_consumer_key="9djdj82h48djs9d2",  oauth_signature="bYT5CMsGcbgUdFHObYMEfcx6bsw%3D" ,oauth_callback="http%3A%2F%2Fx.com%2Fcb"',
      ),
    ).toEqual({
      realm: 'Example',
      params: {
        oauth_consumer_key: '9djdj82h48djs9d2',
        oauth_signature: 'bYT5CMsGcbgUdFHObYMEfcx6bsw=',
        oauth_callback: 'http://x.com/cb',
      },
    });
  });

  it('accepts the scheme in any case and an empty parameter list', () => {
    expect(parseAuthorizationHeader('oauth a="1"').params).toEqual({ a: '1' });
    expect(parseAuthorizationHeader('OAuth').params).toEqual({});
  });

  it('round-trips what formatAuthorizationHeader writes', () => {
    const params = {
      oauth_callback: 'https://x.com/cb?a=1&b=é',
      oauth_nonce: "!*'()",
      oauth_token: 'a b+c',
    };
    expect(parseAuthorizationHeader(formatAuthorizationHeader(params, 'r'))).toEqual({
      realm: 'r',
      params,
    });
  });

  it.each([
    ['another scheme', 'Bearer abc'],
    ['an unquoted value', 'OAuth a=1'],
    ['a missing comma', 'OAuth a="1" b="2"'],
    ['a duplicate parameter', 'OAuth a="1", a="2"'],
    ['a malformed escape', 'OAuth a="%E0%A4%A"'],
    ['trailing garbage', 'OAuth a="1", ;'],
  ])('refuses %s with a typed error that does not echo values', (_label, header) => {
    let error: unknown;
    try {
      parseAuthorizationHeader(header);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'OAUTH1_INVALID_AUTHORIZATION_HEADER' });
    expect((error as Error).message).not.toContain('%E0%A4%A');
  });
});
