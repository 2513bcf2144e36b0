import { describe, expect, it } from 'vitest';
import { XApiErrorCode } from './errors.js';
import { prepareRequest, serializeParameters } from './request.js';

const base = new URL('https://api.x.com');

describe('prepareRequest', () => {
  it('builds the URL with an RFC 3986 query, merged with one in the path', () => {
    const prepared = prepareRequest(base, 'get', '/2/tweets/search/recent?max_results=10', {
      query: { query: 'from:x #a b', 'tweet.fields': ['id', 'text'], skip: undefined },
    });
    expect(prepared.method).toBe('GET');
    expect(prepared.url.href).toBe(
      'https://api.x.com/2/tweets/search/recent?max_results=10&query=from%3Ax%20%23a%20b&tweet.fields=id&tweet.fields=text',
    );
    expect(prepared.bodyKind).toBe('none');
  });

  it('serializes a form once, for signing and sending', () => {
    const prepared = prepareRequest(base, 'POST', '/1.1/statuses/update.json', {
      form: { status: "Hi! it's *me*" },
    });
    expect(prepared.form).toBe('status=Hi%21%20it%27s%20%2Ame%2A');
    expect(prepared.body).toBe(prepared.form);
    expect(prepared.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('sends JSON unsigned', () => {
    const prepared = prepareRequest(base, 'POST', '/2/tweets', { json: { text: 'hi' } });
    expect(prepared.form).toBeUndefined();
    expect(prepared.body).toBe('{"text":"hi"}');
    expect(prepared.headers['content-type']).toBe('application/json');
  });

  it('keeps a base path (a proxy)', () => {
    expect(prepareRequest(new URL('https://proxy.example/x/'), 'GET', '/2/users/me').url.href).toBe(
      'https://proxy.example/x/2/users/me',
    );
  });

  it.each([
    ['bad method', 'GE T', '/2/users/me', {}],
    ['relative path', 'GET', '2/users/me', {}],
    ['protocol-relative path', 'GET', '//evil.example/2', {}],
    ['two bodies', 'POST', '/2/tweets', { json: {}, form: {} }],
    ['authorization header', 'GET', '/2/users/me', { headers: { Authorization: 'x' } }],
  ])('refuses a %s', (_name, method, path, options) => {
    expect(() => prepareRequest(base, method, path, options)).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InvalidArgument }),
    );
  });

  it('serializes URLSearchParams and repeated names', () => {
    expect(
      serializeParameters(
        new URLSearchParams([
          ['a', '1'],
          ['a', '2 3'],
        ]),
      ),
    ).toBe('a=1&a=2%203');
  });
});
