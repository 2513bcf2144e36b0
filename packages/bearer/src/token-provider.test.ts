import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  CONSUMER,
  delay,
  fakeFetch,
  json,
  OWNER,
  TOKEN,
  TOKEN_BODY,
  v1Error,
} from '../test/fake-fetch.js';
import { BearerError, BearerErrorCode } from './errors.js';
import { BearerTokenProvider } from './token-provider.js';

const NEW_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAsecondtoken%2Fabc%3Ddef';

function tokenEndpoint(fake: { requests: { url: string }[] }): number {
  return fake.requests.filter((request) => request.url.endsWith('/oauth2/token')).length;
}

describe('BearerTokenProvider: construction', () => {
  it('needs keys, a token or both, and checks them', () => {
    // @ts-expect-error: callers without types may pass anything
    expect(() => new BearerTokenProvider()).toThrow(BearerError);
    expect(() => new BearerTokenProvider({})).toThrow(/consumer/);
    expect(() => new BearerTokenProvider({ consumer: { key: 'k', secret: '' } })).toThrow(
      BearerError,
    );
    expect(() => new BearerTokenProvider({ token: 'with space' })).toThrow(BearerError);
    expect(
      () => new BearerTokenProvider({ token: TOKEN, ownerToken: { key: '', secret: 's' } }),
    ).toThrow(BearerError);
  });

  it('refuses a fetch that is not a function at once', () => {
    // @ts-expect-error: callers without types may pass anything
    expect(() => new BearerTokenProvider({ token: TOKEN, fetch: 'fetch' })).toThrow(
      expect.objectContaining({ code: BearerErrorCode.InvalidArgument }),
    );
  });

  it('refuses an insecure base URL at once', () => {
    expect(
      () => new BearerTokenProvider({ consumer: CONSUMER, baseUrl: 'http://api.x.com' }),
    ).toThrow(expect.objectContaining({ code: BearerErrorCode.InsecureEndpoint }));
  });
});

describe('BearerTokenProvider: getToken', () => {
  it('obtains the token once and caches it', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    expect(provider.hasToken).toBe(false);
    expect(await provider.getToken()).toBe(TOKEN);
    expect(await provider.getToken()).toBe(TOKEN);
    expect(await provider.getAuthorization()).toBe(`Bearer ${TOKEN}`);
    expect(provider.hasToken).toBe(true);
    expect(tokenEndpoint(fake)).toBe(1);
  });

  it('shares one request between concurrent callers', async () => {
    const fake = fakeFetch(async () => {
      await delay(20);
      return json(200, TOKEN_BODY);
    });
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    const tokens = await Promise.all(Array.from({ length: 25 }, () => provider.getToken()));
    expect(new Set(tokens)).toEqual(new Set([TOKEN]));
    expect(tokenEndpoint(fake)).toBe(1);
  });

  it('does not cache a failure: the next call tries again', async () => {
    let calls = 0;
    const fake = fakeFetch(() => {
      calls += 1;
      return calls === 1 ? v1Error(503, 130, 'Over capacity') : json(200, TOKEN_BODY);
    });
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    const failures = await Promise.allSettled([provider.getToken(), provider.getToken()]);
    expect(failures.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(tokenEndpoint(fake)).toBe(1);
    expect(await provider.getToken()).toBe(TOKEN);
    expect(tokenEndpoint(fake)).toBe(2);
  });

  it("aborting one caller's signal does not abort the shared request", async () => {
    const fake = fakeFetch(async (request) => {
      await delay(30, request.signal);
      return json(200, TOKEN_BODY);
    });
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const aborted = provider.getToken({ signal: controller.signal });
    const patient = provider.getToken({ signal: new AbortController().signal });
    const unsignalled = provider.getToken();
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(await patient).toBe(TOKEN);
    expect(await unsignalled).toBe(TOKEN);
    expect(tokenEndpoint(fake)).toBe(1);
    expect(fake.requests[0]?.signal?.aborted).toBe(false);
  });

  it('cancels the shared request when every caller has aborted, and starts afresh later', async () => {
    const fake = fakeFetch(async (request) => {
      await delay(30, request.signal);
      return json(200, TOKEN_BODY);
    });
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    const first = new AbortController();
    const second = new AbortController();
    const a = provider.getToken({ signal: first.signal });
    const b = provider.getToken({ signal: second.signal });
    first.abort();
    second.abort();
    await expect(a).rejects.toThrow();
    await expect(b).rejects.toThrow();
    expect(fake.requests[0]?.signal?.aborted).toBe(true);
    expect(await provider.getToken()).toBe(TOKEN);
    expect(tokenEndpoint(fake)).toBe(2);
  });

  it('rejects at once for an already aborted signal', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    const reason = new Error('already');
    await expect(provider.getToken({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(fake.requests).toHaveLength(0);
  });

  it('reports error 99 after the keys once worked as too many requests', async () => {
    let calls = 0;
    const fake = fakeFetch((request) => {
      if (request.url.endsWith('/invalidate_token')) return json(200, { access_token: TOKEN });
      calls += 1;
      return calls === 1
        ? json(200, TOKEN_BODY)
        : v1Error(403, 99, 'Unable to verify your credentials', 'authenticity_token_error');
    });
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    await provider.getToken();
    await provider.invalidate();
    await expect(provider.getToken()).rejects.toMatchObject({
      code: BearerErrorCode.TooManyRequests,
      status: 403,
      xCode: 99,
    });
  });

  it('reports error 99 on the first request as bad credentials', async () => {
    const fake = fakeFetch(() =>
      v1Error(403, 99, 'Unable to verify your credentials', 'authenticity_token_error'),
    );
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    await expect(provider.getToken()).rejects.toMatchObject({
      code: BearerErrorCode.InvalidClientCredentials,
    });
  });
});

describe('BearerTokenProvider: forgetting', () => {
  it('forgets the current token only, so a late report cannot discard a newer one', async () => {
    let calls = 0;
    const fake = fakeFetch(() => {
      calls += 1;
      return json(200, { token_type: 'bearer', access_token: calls === 1 ? TOKEN : NEW_TOKEN });
    });
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    expect(await provider.getToken()).toBe(TOKEN);
    expect(provider.forgetToken(TOKEN)).toBe(true);
    expect(await provider.getToken()).toBe(NEW_TOKEN);
    // A request made with the old token reports late: the new token stays.
    expect(provider.forgetToken(TOKEN)).toBe(false);
    expect(await provider.getToken()).toBe(NEW_TOKEN);
    expect(tokenEndpoint(fake)).toBe(2);
  });

  it('uses a pre-generated token without asking X', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const provider = new BearerTokenProvider({ token: NEW_TOKEN, fetch: fake.fetch });
    expect(await provider.getToken()).toBe(NEW_TOKEN);
    expect(await provider.getAuthorization()).toBe(`Bearer ${NEW_TOKEN}`);
    expect(fake.requests).toHaveLength(0);
  });

  it('fails with BEARER_INVALID_TOKEN once a pre-generated token without keys is reported invalid', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const provider = new BearerTokenProvider({ token: NEW_TOKEN, fetch: fake.fetch });
    await expect(
      provider.checkResponse(v1Error(401, 89, 'Invalid or expired token.'), NEW_TOKEN),
    ).rejects.toMatchObject({
      code: BearerErrorCode.InvalidToken,
    });
    await expect(provider.getToken()).rejects.toMatchObject({ code: BearerErrorCode.InvalidToken });
    await expect(provider.getAuthorization()).rejects.toMatchObject({
      code: BearerErrorCode.InvalidToken,
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('obtains a new token with the keys once a pre-generated token is reported invalid', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const provider = new BearerTokenProvider({
      token: NEW_TOKEN,
      consumer: CONSUMER,
      fetch: fake.fetch,
    });
    expect(await provider.getToken()).toBe(NEW_TOKEN);
    expect(provider.forgetToken(NEW_TOKEN)).toBe(true);
    expect(await provider.getToken()).toBe(TOKEN);
    expect(tokenEndpoint(fake)).toBe(1);
  });

  it('checkResponse passes other answers through and keeps the token', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    const token = await provider.getToken();
    const response = json(200, { data: [] });
    expect(await provider.checkResponse(response, token)).toBe(response);
    await expect(
      provider.checkResponse(
        json(403, {
          title: 'Unsupported Authentication',
          type: 'https://api.twitter.com/2/problems/unsupported-authentication',
          status: 403,
        }),
        token,
      ),
    ).rejects.toMatchObject({ code: BearerErrorCode.UserContextRequired });
    expect(provider.hasToken).toBe(true);
  });
});

describe('BearerTokenProvider: invalidate', () => {
  it('invalidates the cached token at X (signed with the owner token) and forgets it', async () => {
    const fake = fakeFetch((request) =>
      request.url.endsWith('/invalidate_token')
        ? json(200, { access_token: TOKEN })
        : json(200, TOKEN_BODY),
    );
    const provider = new BearerTokenProvider({
      consumer: CONSUMER,
      ownerToken: OWNER,
      fetch: fake.fetch,
    });
    await provider.getToken();
    await provider.invalidate();
    expect(provider.hasToken).toBe(false);
    const invalidation = fake.requests[1];
    expect(invalidation?.url).toBe('https://api.x.com/oauth2/invalidate_token');
    expect(invalidation?.headers.get('authorization')).toMatch(/^OAuth /);
    expect(new URLSearchParams(invalidation?.body).get('access_token')).toBe(TOKEN);
  });

  it('uses HTTP Basic without an owner token, and obtains the token first when none is cached', async () => {
    const fake = fakeFetch((request) =>
      request.url.endsWith('/invalidate_token')
        ? json(200, { access_token: TOKEN })
        : json(200, TOKEN_BODY),
    );
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    await provider.invalidate();
    expect(fake.requests.map((request) => new URL(request.url).pathname)).toEqual([
      '/oauth2/token',
      '/oauth2/invalidate_token',
    ]);
    expect(fake.requests[1]?.headers.get('authorization')).toMatch(/^Basic /);
    expect(provider.hasToken).toBe(false);
  });

  it('keeps the token when X refuses the invalidation', async () => {
    const fake = fakeFetch((request) =>
      request.url.endsWith('/invalidate_token')
        ? v1Error(403, 348, 'Client application is not permitted to to invalidate this token.')
        : json(200, TOKEN_BODY),
    );
    const provider = new BearerTokenProvider({ consumer: CONSUMER, fetch: fake.fetch });
    await provider.getToken();
    await expect(provider.invalidate({ ownerToken: OWNER })).rejects.toMatchObject({
      code: BearerErrorCode.InvalidationRefused,
    });
    expect(provider.hasToken).toBe(true);
  });

  it('needs the keys', async () => {
    const provider = new BearerTokenProvider({ token: TOKEN });
    await expect(provider.invalidate()).rejects.toMatchObject({
      code: BearerErrorCode.InvalidArgument,
    });
  });
});

describe('BearerTokenProvider: nothing secret shows', () => {
  it('in util.inspect, console.log or JSON.stringify, with or without a token', async () => {
    const fake = fakeFetch(() => json(200, TOKEN_BODY));
    const provider = new BearerTokenProvider({
      consumer: CONSUMER,
      ownerToken: OWNER,
      fetch: fake.fetch,
      baseUrl: 'https://api.x.com/',
    });
    await provider.getToken();
    for (const text of [
      inspect(provider),
      inspect(provider, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
      JSON.stringify(provider),
      String(provider),
      inspect({ wrapped: [provider] }),
    ]) {
      for (const secret of [CONSUMER.secret, OWNER.secret, OWNER.key, TOKEN]) {
        expect(text).not.toContain(secret);
      }
    }
    expect(JSON.parse(JSON.stringify(provider))).toEqual({
      source: 'consumer',
      baseUrl: 'https://api.x.com/',
      hasToken: true,
      fetching: false,
    });
    expect(Object.keys(provider)).toEqual([]);
  });
});
