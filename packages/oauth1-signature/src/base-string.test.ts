import { describe, expect, it } from 'vitest';
import { buildBaseString, normalizeParameters } from './base-string.js';

const oauthParams = {
  oauth_consumer_key: 'key',
  oauth_nonce: 'nonce',
  oauth_signature_method: 'HMAC-SHA1',
  oauth_timestamp: '1',
  oauth_version: '1.0',
};
const oauthPart =
  'oauth_consumer_key%3Dkey%26oauth_nonce%3Dnonce%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26oauth_version%3D1.0';

function uriPart(url: string): string {
  return buildBaseString({ method: 'GET', url, oauthParams }).split('&')[1] as string;
}

describe('buildBaseString', () => {
  it('keeps a `?` that starts the query or the form body as part of the first name', () => {
    // URLSearchParams drops one leading `?` of the text it is given; the base string must not.
    const fromQuery = buildBaseString({
      method: 'GET',
      url: 'https://a.example/??x=1',
      oauthParams,
    });
    expect(fromQuery.split('&')[2]).toBe(`%253Fx%3D1%26${oauthPart}`);
    const fromForm = buildBaseString({
      method: 'POST',
      url: 'https://a.example/',
      form: '?y=2',
      oauthParams,
    });
    expect(fromForm.split('&')[2]).toBe(`%253Fy%3D2%26${oauthPart}`);
  });

  it('reproduces the example of RFC 5849 §3.4.1.1', () => {
    const baseString = buildBaseString({
      method: 'POST',
      url: 'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      form: 'c2&a3=2+q',
      oauthParams: {
        oauth_consumer_key: '9djdj82h48djs9d2',
        oauth_token: 'kkk9d7dh3k39sjv7',
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: '137131201',
        oauth_nonce: '7d8f3e4a',
        oauth_signature: 'djosJKDKJSD8743243%2Fjdk33klY%3D',
      },
    });
    expect(baseString).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('upper-cases the method', () => {
    expect(
      buildBaseString({ method: 'post', url: 'https://api.x.com/2/tweets', oauthParams }),
    ).toMatch(/^POST&/);
  });

  it('lower-cases scheme and host, keeps the path case', () => {
    expect(uriPart('HTTPS://API.X.COM/Foo/Bar')).toBe('https%3A%2F%2Fapi.x.com%2FFoo%2FBar');
    expect(uriPart('https://API.X.com/Foo')).toBe('https%3A%2F%2Fapi.x.com%2FFoo');
  });

  it('drops default ports and keeps the others', () => {
    expect(uriPart('https://api.x.com:443/a')).toBe('https%3A%2F%2Fapi.x.com%2Fa');
    expect(uriPart('http://api.x.com:80/a')).toBe('http%3A%2F%2Fapi.x.com%2Fa');
    expect(uriPart('https://api.x.com:80/a')).toBe('https%3A%2F%2Fapi.x.com%3A80%2Fa');
    expect(uriPart('http://127.0.0.1:8080/a')).toBe('http%3A%2F%2F127.0.0.1%3A8080%2Fa');
  });

  it('gives an empty path as / and drops the fragment', () => {
    expect(uriPart('https://api.x.com')).toBe('https%3A%2F%2Fapi.x.com%2F');
    expect(uriPart('https://api.x.com/a#frag')).toBe('https%3A%2F%2Fapi.x.com%2Fa');
  });

  it('takes an IP host and dot segments through the URL parser, as fetch sends them', () => {
    expect(uriPart('http://LOCALHOST:3000/a/./b/../c')).toBe(
      'http%3A%2F%2Flocalhost%3A3000%2Fa%2Fc',
    );
    expect(uriPart('https://[::1]:8443/x')).toBe('https%3A%2F%2F%5B%3A%3A1%5D%3A8443%2Fx');
  });

  it('accepts a URL object', () => {
    expect(
      buildBaseString({ method: 'GET', url: new URL('https://api.x.com/a?b=c'), oauthParams }),
    ).toBe(`GET&https%3A%2F%2Fapi.x.com%2Fa&b%3Dc%26${oauthPart}`);
  });

  it('reads + in the query as a space', () => {
    expect(buildBaseString({ method: 'GET', url: 'https://api.x.com/a?q=a+b', oauthParams })).toBe(
      `GET&https%3A%2F%2Fapi.x.com%2Fa&${oauthPart}%26q%3Da%2520b`,
    );
  });

  // What fetch sends: the WHATWG URL parser's query, read as form data by URLSearchParams.
  it.each([
    ['a tab or newline, which the URL parser removes', 'https://api.x.com/2/tweets?q=a\tb&r=c\nd'],
    ['a space and a DEL, which it escapes', 'https://api.x.com/2/tweets?q=a b&r=x\u007fy'],
    ['a trailing space, which it trims', 'https://api.x.com/2/tweets?q=ab '],
    ['an escape of a byte that is not UTF-8', 'https://api.x.com/2/tweets?q=caf%E9'],
    ['UTF-8 escapes and raw non-ASCII text', 'https://api.x.com/2/tweets?q=caf%C3%A9&r=é中😀'],
    ['malformed escapes', 'https://api.x.com/2/tweets?q=100%&r=%4&s=%zz&t=%'],
    [
      'lower-case escapes of unreserved and reserved bytes',
      'https://api.x.com/2/tweets?q=%7e%41%2c%3a',
    ],
    ['empty segments, names without =, = in a value', 'https://api.x.com/2/tweets?&a=1&&b&c==d=&'],
    ['+ and %2B', 'https://api.x.com/2/tweets?q=a+b%2Bc&+=%20'],
  ])('reads a query with %s as fetch sends it', (_what, url) => {
    const parsed = new URL(url);
    const expected = normalizeParameters([
      ...new URLSearchParams(parsed.search),
      ...Object.entries(oauthParams),
    ]);
    expect(buildBaseString({ method: 'GET', url, oauthParams })).toBe(
      `GET&${encodeURIComponent(`${parsed.origin}${parsed.pathname}`)}&${encodeURIComponent(expected)}`,
    );
  });

  it('merges query and form parameters and excludes oauth_signature and realm', () => {
    const baseString = buildBaseString({
      method: 'POST',
      url: 'https://api.x.com/a?x=1',
      form: { x: '0' },
      oauthParams: { ...oauthParams, oauth_signature: 'sig', realm: 'r' },
    });
    expect(baseString).toBe(`POST&https%3A%2F%2Fapi.x.com%2Fa&${oauthPart}%26x%3D0%26x%3D1`);
  });

  it('refuses relative URLs and other schemes with a typed error that does not echo the URL', () => {
    for (const url of [
      '/1.1/statuses/update.json?token=SECRET',
      'ftp://x.com/SECRET',
      'https://u:SECRET@x.com/',
    ]) {
      let error: unknown;
      try {
        buildBaseString({ method: 'GET', url, oauthParams });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ code: 'OAUTH1_INVALID_URL' });
      expect(String((error as Error).message)).not.toContain('SECRET');
    }
  });

  it('refuses an HTTP method that is not a token', () => {
    expect(() =>
      buildBaseString({ method: 'GE T', url: 'https://x.com/', oauthParams }),
    ).toThrowError(expect.objectContaining({ code: 'OAUTH1_INVALID_METHOD' }));
  });
});

describe('normalizeParameters (RFC 5849 §3.4.1.3.2)', () => {
  it('sorts by encoded name, then by encoded value for duplicate names', () => {
    expect(
      normalizeParameters([
        ['b', '2'],
        ['a', 'z'],
        ['a', 'b'],
        ['a-b', '1'],
      ]),
    ).toBe('a=b&a=z&a-b=1&b=2');
  });

  it('keeps empty values', () => {
    expect(
      normalizeParameters([
        ['empty', ''],
        ['a', ''],
      ]),
    ).toBe('a=&empty=');
  });

  it('sorts by byte order of the encoded form, so upper case comes before lower case', () => {
    expect(
      normalizeParameters([
        ['a', 'x'],
        ['B', 'y'],
        ['é', 'z'],
      ]),
    ).toBe('%C3%A9=z&B=y&a=x');
  });
});
