import { describe, expect, it } from 'vitest';
import { CONSUMER, fakeFetch, json, TOKEN, TOKEN_BODY, v1Error } from '../test/fake-fetch.js';
import { BearerError, BearerErrorCode } from './errors.js';
import {
  bearerTokenRequest,
  obtainBearerToken,
  processBearerTokenResponse,
} from './token-request.js';

async function rejection(promise: Promise<unknown>): Promise<BearerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BearerError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('bearerTokenRequest', () => {
  it('sends POST oauth2/token exactly as X documents it', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    await bearerTokenRequest({ consumer: CONSUMER, fetch: fake.fetch });
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.url).toBe('https://api.x.com/oauth2/token');
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('authorization')).toBe(
      'Basic eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw==',
    );
    expect(request?.headers.get('content-type')).toBe(
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
    expect(request?.body).toBe('grant_type=client_credentials');
    expect(request?.redirect).toBe('manual');
  });

  it('uses the base URL given, with or without a trailing slash', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    await bearerTokenRequest({
      consumer: CONSUMER,
      fetch: fake.fetch,
      baseUrl: 'http://127.0.0.1:9/',
    });
    await bearerTokenRequest({
      consumer: CONSUMER,
      fetch: fake.fetch,
      baseUrl: new URL('https://api.twitter.com'),
    });
    expect(fake.requests.map((request) => request.url)).toEqual([
      'http://127.0.0.1:9/oauth2/token',
      'https://api.twitter.com/oauth2/token',
    ]);
  });

  it('refuses http:// to a remote host before anything is sent', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const error = await rejection(
      bearerTokenRequest({ consumer: CONSUMER, fetch: fake.fetch, baseUrl: 'http://api.x.com' }),
    );
    expect(error.code).toBe(BearerErrorCode.InsecureEndpoint);
    expect(fake.requests).toHaveLength(0);
  });

  it('refuses missing or empty keys before anything is sent', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    for (const consumer of [
      undefined,
      null,
      {},
      { key: 'k' },
      { key: '', secret: 's' },
      { key: 'k', secret: '' },
    ]) {
      // @ts-expect-error: callers without types may pass anything
      const error = await rejection(bearerTokenRequest({ consumer, fetch: fake.fetch }));
      expect(error.code).toBe(BearerErrorCode.InvalidArgument);
    }
    expect(fake.requests).toHaveLength(0);
  });

  it('turns a failed fetch into a network error that names the cause, not the request', async () => {
    const fake = fakeFetch(() => {
      const cause = Object.assign(new Error(`connect ECONNREFUSED with ${CONSUMER.secret}`), {
        code: 'ECONNREFUSED',
      });
      throw new TypeError('fetch failed', { cause });
    });
    const error = await rejection(obtainBearerToken({ consumer: CONSUMER, fetch: fake.fetch }));
    expect(error.code).toBe(BearerErrorCode.NetworkError);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('https://api.x.com/oauth2/token');
    expect(error.message).not.toContain(CONSUMER.secret);
    expect(error.cause).toBeUndefined();
  });

  it('rejects with the abort reason when the signal aborts', async () => {
    const fake = fakeFetch(
      (request) =>
        new Promise((_resolve, reject) =>
          request.signal?.addEventListener('abort', () => reject(request.signal?.reason)),
        ),
    );
    const controller = new AbortController();
    const pending = obtainBearerToken({
      consumer: CONSUMER,
      fetch: fake.fetch,
      signal: controller.signal,
    });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(
      obtainBearerToken({
        consumer: CONSUMER,
        fetch: fake.fetch,
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('processBearerTokenResponse', () => {
  it("returns the token of X's documented answer, verbatim", async () => {
    expect(await processBearerTokenResponse(json(200, TOKEN_BODY))).toBe(TOKEN);
    expect(
      await processBearerTokenResponse(
        json(200, { token_type: 'bearer', access_token: 'AAAA%2FAAA%3DAAAAAAAA' }),
      ),
    ).toBe('AAAA%2FAAA%3DAAAAAAAA');
  });

  it('accepts token_type in any case (RFC 6749 §7.1)', async () => {
    expect(
      await processBearerTokenResponse(json(200, { token_type: 'Bearer', access_token: TOKEN })),
    ).toBe(TOKEN);
  });

  it.each([
    ['not JSON', new Response('<html>hello</html>', { status: 200 })],
    ['empty', new Response('', { status: 200 })],
    ['an array', json(200, [TOKEN_BODY])],
    ['null', json(200, null)],
    ['without token_type', json(200, { access_token: TOKEN })],
    ['another token_type', json(200, { token_type: 'mac', access_token: TOKEN })],
    ['without access_token', json(200, { token_type: 'bearer' })],
    ['an empty access_token', json(200, { token_type: 'bearer', access_token: '' })],
    ['a numeric access_token', json(200, { token_type: 'bearer', access_token: 12 })],
    [
      'an access_token with a line break',
      json(200, { token_type: 'bearer', access_token: 'a\r\nb' }),
    ],
  ])('refuses a success that is %s, without echoing the body', async (_name, response) => {
    const error = await rejection(processBearerTokenResponse(response));
    expect(error.code).toBe(BearerErrorCode.InvalidResponse);
    expect(error.status).toBe(200);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('hello');
  });

  it('maps 403 code 170 (missing grant_type) to BEARER_INVALID_REQUEST', async () => {
    const error = await rejection(
      processBearerTokenResponse(
        v1Error(403, 170, 'Missing required parameter: grant_type', 'forbidden_missing_parameter'),
      ),
    );
    expect(error).toMatchObject({ code: BearerErrorCode.InvalidRequest, status: 403, xCode: 170 });
  });

  it('maps 403 code 99 to BEARER_INVALID_CLIENT_CREDENTIALS and mentions both causes', async () => {
    const error = await rejection(
      processBearerTokenResponse(
        v1Error(403, 99, 'Unable to verify your credentials', 'authenticity_token_error'),
      ),
    );
    expect(error).toMatchObject({
      code: BearerErrorCode.InvalidClientCredentials,
      status: 403,
      xCode: 99,
    });
    expect(error.message).toMatch(/API Key and Secret/);
    expect(error.message).toMatch(/too often/);
  });

  it('maps 401 to BEARER_INVALID_CLIENT_CREDENTIALS', async () => {
    const error = await rejection(
      processBearerTokenResponse(v1Error(401, 32, 'Could not authenticate you.')),
    );
    expect(error).toMatchObject({ code: BearerErrorCode.InvalidClientCredentials, xCode: 32 });
  });

  it('maps 429 to BEARER_TOO_MANY_REQUESTS with the reset time', async () => {
    const error = await rejection(
      processBearerTokenResponse(
        json(
          429,
          { errors: [{ code: 88, message: 'Rate limit exceeded' }] },
          { 'x-rate-limit-reset': '1700000000' },
        ),
      ),
    );
    expect(error).toMatchObject({
      code: BearerErrorCode.TooManyRequests,
      status: 429,
      xCode: 88,
      retryable: true,
      retryAt: new Date(1_700_000_000_000),
    });
  });

  it("prefers Retry-After, counted from the answer's Date, for retryAt", async () => {
    const error = await rejection(
      processBearerTokenResponse(
        json(
          429,
          { errors: [{ code: 88, message: 'Rate limit exceeded' }] },
          {
            'retry-after': '30',
            date: 'Tue, 14 Nov 2023 22:13:20 GMT',
            'x-rate-limit-reset': '1800000000',
          },
        ),
      ),
    );
    expect(error.retryAt).toEqual(new Date(1_700_000_030_000));
  });

  it('maps other statuses to BEARER_UNEXPECTED_STATUS, JSON or not', async () => {
    const error = await rejection(processBearerTokenResponse(v1Error(503, 130, 'Over capacity')));
    expect(error).toMatchObject({
      code: BearerErrorCode.UnexpectedStatus,
      status: 503,
      xCode: 130,
    });
    expect(error.message).toMatch(/retry later/);
    const html = await rejection(
      processBearerTokenResponse(new Response('<h1>Bad gateway</h1>', { status: 502 })),
    );
    expect(html).toMatchObject({
      code: BearerErrorCode.UnexpectedStatus,
      status: 502,
      xCode: undefined,
    });
    const redirect = await rejection(
      processBearerTokenResponse(
        new Response(null, { status: 302, headers: { location: 'https://elsewhere.example' } }),
      ),
    );
    expect(redirect).toMatchObject({ code: BearerErrorCode.UnexpectedStatus, status: 302 });
  });

  it('never copies X free text into the error', async () => {
    const error = await rejection(
      processBearerTokenResponse(v1Error(403, 99, `echo ${TOKEN} ${CONSUMER.secret}`)),
    );
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain(CONSUMER.secret);
  });
});

describe('obtainBearerToken', () => {
  it('composes the request and the processing', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    expect(await obtainBearerToken({ consumer: CONSUMER, fetch: fake.fetch })).toBe(TOKEN);
  });

  it('uses the global fetch by default', async () => {
    const original = globalThis.fetch;
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    globalThis.fetch = (input, init) => fake.fetch(String(input), init ?? {});
    try {
      expect(await obtainBearerToken({ consumer: CONSUMER })).toBe(TOKEN);
      expect(fake.requests).toHaveLength(1);
    } finally {
      globalThis.fetch = original;
    }
  });
});
