import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as web from './index.js';
import * as node from './node.js';

// X's documented example ("Creating a signature").
const xExample = {
  method: 'POST',
  url: 'https://api.twitter.com/1.1/statuses/update.json?include_entities=true',
  consumer: {
    key: 'xvz1evFS4wEEPTGEFPHBog',
    secret: 'kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw',
  },
  token: {
    key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
    secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
  },
  form: { status: 'Hello Ladies + Gentlemen, a signed OAuth request!' },
  nonce: 'kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg',
  timestamp: 1318622958,
} as const;

const xBaseString =
  'POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26oauth_nonce%3DkYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1318622958%26oauth_token%3D370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb%26oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen%252C%2520a%2520signed%2520OAuth%2520request%2521';

const secrets = [xExample.consumer.secret, xExample.token.secret];

async function caught(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

describe.each([
  ['Web Crypto entry', web.signRequest],
  ['node:crypto entry', node.signRequest],
])('signRequest (%s)', (_name, signRequest) => {
  it("reproduces X's documented example", async () => {
    const signed = await signRequest(xExample);
    expect(signed.baseString).toBe(xBaseString);
    expect(signed.signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    expect(signed.authorization).toBe(
      'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", oauth_nonce="kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg", oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1318622958", oauth_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb", oauth_version="1.0"',
    );
    expect(signed.body).toBe(
      'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
    );
    expect(signed.params).toMatchObject({
      oauth_signature: 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
      oauth_version: '1.0',
    });
  });

  it('signs the same form given as a string, URLSearchParams or pairs', async () => {
    const shapes = [
      'status=Hello%20Ladies%20%2B%20Gentlemen%2C%20a%20signed%20OAuth%20request%21',
      'status=Hello+Ladies+%2B+Gentlemen%2C+a+signed+OAuth+request%21',
      new URLSearchParams({ status: xExample.form.status }),
      [['status', xExample.form.status]] as const,
    ];
    for (const form of shapes) {
      expect((await signRequest({ ...xExample, form })).signature).toBe(
        'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
      );
    }
  });

  it('takes a form string that only starts like JSON ([x]=1) as form data', async () => {
    const signed = await signRequest({ ...xExample, form: '[x]=1' });
    expect(signed.baseString).toContain('%255Bx%255D%3D1');
  });

  it('sends a string form body exactly as given', async () => {
    const form = 'status=a+b';
    expect((await signRequest({ ...xExample, form })).body).toBe(form);
  });

  it('puts realm in the header but not in the base string', async () => {
    const signed = await signRequest({ ...xExample, realm: 'https://api.twitter.com/' });
    expect(
      signed.authorization.startsWith(
        'OAuth realm="https://api.twitter.com/", oauth_consumer_key=',
      ),
    ).toBe(true);
    expect(signed.baseString).toBe(xBaseString);
    expect(signed.signature).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
  });

  it('signs a request-token request: consumer only, oauth_callback sent and signed', async () => {
    const signed = await signRequest({
      method: 'POST',
      url: 'https://api.x.com/oauth/request_token?x_auth_access_type=read',
      consumer: xExample.consumer,
      callback: 'https://example.com/cb?a=1',
      nonce: 'n',
      timestamp: 1,
    });
    expect(signed.params.oauth_token).toBeUndefined();
    expect(signed.params.oauth_callback).toBe('https://example.com/cb?a=1');
    expect(signed.authorization).toContain(
      'oauth_callback="https%3A%2F%2Fexample.com%2Fcb%3Fa%3D1"',
    );
    expect(signed.baseString).toContain(
      'oauth_callback%3Dhttps%253A%252F%252Fexample.com%252Fcb%253Fa%253D1',
    );
    expect(signed.baseString).toContain('x_auth_access_type%3Dread');
  });

  it('signs oauth_verifier for the access-token request', async () => {
    const signed = await signRequest({ ...xExample, form: undefined, verifier: '1234567' });
    expect(signed.params.oauth_verifier).toBe('1234567');
    expect(signed.baseString).toContain('oauth_verifier%3D1234567');
  });

  it('makes a fresh nonce of 32 random bytes as 64 alphanumeric characters', async () => {
    const nonces = new Set<string>();
    for (let index = 0; index < 200; index++) {
      const { params } = await signRequest({
        method: 'GET',
        url: 'https://api.x.com/2/users/me',
        consumer: xExample.consumer,
      });
      expect(params.oauth_nonce).toMatch(/^[0-9a-f]{64}$/);
      nonces.add(params.oauth_nonce as string);
    }
    expect(nonces.size).toBe(200);
  });

  it('uses the current time when no timestamp is given', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { params } = await signRequest({
      method: 'GET',
      url: 'https://api.x.com/',
      consumer: xExample.consumer,
    });
    expect(Number(params.oauth_timestamp)).toBeGreaterThanOrEqual(before);
    expect(Number(params.oauth_timestamp)).toBeLessThanOrEqual(before + 2);
  });

  it('hides the header, signature and token from util.inspect and JSON.stringify', async () => {
    const signed = await signRequest(xExample);
    for (const shown of [inspect(signed, { depth: 5 }), JSON.stringify(signed)]) {
      expect(shown).not.toContain(signed.signature);
      expect(shown).not.toContain('hCtSmYh%2B');
      expect(shown).not.toContain(xExample.token.key);
      for (const secret of secrets) expect(shown).not.toContain(secret);
      expect(shown).toContain('oauth_consumer_key');
    }
  });

  describe('refuses bad input with typed errors that hold no secret', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a missing consumer secret', { consumer: { key: 'k' } }, 'OAUTH1_INVALID_CREDENTIALS'],
      [
        'an empty consumer key',
        { consumer: { key: '', secret: secrets[0] } },
        'OAUTH1_INVALID_CREDENTIALS',
      ],
      ['a token without a secret', { token: { key: 'k' } }, 'OAUTH1_INVALID_CREDENTIALS'],
      ['a relative URL', { url: '/1.1/statuses/update.json' }, 'OAUTH1_INVALID_URL'],
      ['a number as a form value', { form: { count: 5 } }, 'OAUTH1_INVALID_PARAMETER'],
      ['undefined as a form value', { form: { count: undefined } }, 'OAUTH1_INVALID_PARAMETER'],
      ['a JSON string as form', { form: '{"text":"hi"}' }, 'OAUTH1_INVALID_FORM'],
      ['a Uint8Array as form', { form: new Uint8Array([1, 2]) }, 'OAUTH1_INVALID_FORM'],
      ['FormData (multipart) as form', { form: new FormData() }, 'OAUTH1_INVALID_FORM'],
      ['a Blob as form', { form: new Blob(['a=b']) }, 'OAUTH1_INVALID_FORM'],
      ['a bad timestamp', { timestamp: 'yesterday' }, 'OAUTH1_INVALID_PARAMETER'],
      ['a fractional timestamp', { timestamp: 1.5 }, 'OAUTH1_INVALID_PARAMETER'],
      ['an empty nonce', { nonce: '' }, 'OAUTH1_INVALID_PARAMETER'],
      ['a realm with a quote', { realm: 'a"b' }, 'OAUTH1_INVALID_PARAMETER'],
      ['a lone surrogate in a value', { form: { status: '\uD83D' } }, 'OAUTH1_INVALID_ENCODING'],
    ];
    it.each(cases)('%s', async (_label, override, code) => {
      const error = await caught(
        signRequest({ ...xExample, ...override } as unknown as web.SignRequestOptions),
      );
      expect(error).toBeInstanceOf(web.OAuth1Error);
      expect(error.code).toBe(code);
      expect(error.name).toBe('OAuth1Error');
      for (const secret of secrets) expect(`${error.message} ${error.stack}`).not.toContain(secret);
      expect(error.message).not.toContain(xExample.token.key);
    });
  });
});

describe('entry points', () => {
  it('sign identically on Web Crypto and node:crypto', async () => {
    const options = {
      ...xExample,
      url: 'https://api.x.com/2/tweets/search/recent?query=caf%C3%A9+%F0%9F%98%80&max_results=10',
    };
    expect((await web.signRequest(options)).signature).toBe(
      (await node.signRequest(options)).signature,
    );
  });
});

describe('options shapes', () => {
  const { method, url, ...rest } = xExample;
  const request = { method, url };
  const expected = 'hCtSmYh+iHYCEqBWrE7C7hYmtUk=';

  class OwnFields {
    readonly method = method;
    readonly url = url;
    readonly consumer = rest.consumer;
    readonly token = rest.token;
    readonly form = rest.form;
    readonly nonce = rest.nonce;
    readonly timestamp = rest.timestamp;
  }
  class Getters {
    get method() {
      return method;
    }
    get url() {
      return url;
    }
    get consumer() {
      return rest.consumer;
    }
    get token() {
      return rest.token;
    }
    get form() {
      return rest.form;
    }
    get nonce() {
      return rest.nonce;
    }
    get timestamp() {
      return rest.timestamp;
    }
  }
  const inherited = Object.assign(Object.create(Object.freeze({ ...rest })), request);

  it.each([
    ['a literal', { method, url, ...rest }],
    ['object spread', { ...request, ...rest }],
    ['Object.assign', Object.assign({}, request, rest)],
    ['a class instance with own fields', new OwnFields()],
    ['a class instance with getters', new Getters()],
    ['an object inheriting its credentials', inherited],
    ['a null-prototype object', Object.assign(Object.create(null), request, rest)],
  ])('sign the same when built as %s', async (_shape, options) => {
    for (const signRequest of [web.signRequest, node.signRequest]) {
      expect((await signRequest(options)).signature).toBe(expected);
    }
  });
});
