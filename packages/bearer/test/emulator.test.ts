// Integration: every function against @x-oauth/emulator over real HTTP.
import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BearerError,
  BearerErrorCode,
  BearerTokenProvider,
  bearerAuthorization,
  checkAppOnlyResponse,
  invalidateBearerToken,
  obtainBearerToken,
  processBearerTokenResponse,
} from '../src/index.js';

let x: Emulator;
let consumer: { key: string; secret: string };

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
  consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
});
afterAll(async () => {
  await x.close();
});
afterEach(() => {
  x.clearFaults();
});

function tokenCalls(emulator: Emulator = x): number {
  return emulator.requestLog().filter((entry) => entry.endpoint === 'POST /oauth2/token').length;
}

async function caught(promise: Promise<unknown>): Promise<BearerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BearerError) return error;
    throw error;
  }
  throw new Error('expected a BearerError');
}

function lastInvalidation() {
  return x
    .requestLog()
    .filter((item) => item.endpoint === 'POST /oauth2/invalidate_token')
    .at(-1);
}

function search(token: string): Promise<Response> {
  return fetch(`${x.url}/2/tweets/search/recent?query=hello`, {
    headers: { authorization: bearerAuthorization(token) },
  });
}

function ownerToken(emulator: Emulator = x): { key: string; secret: string } {
  const issued = emulator.issueOAuth1Token(emulator.app.id, emulator.app.ownerId);
  return issued;
}

describe('obtainBearerToken against the emulator', () => {
  it('obtains a token that app-only endpoints accept, and the same one again', async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    const response = await checkAppOnlyResponse(await search(token));
    expect(response.status).toBe(200);
    expect(await obtainBearerToken({ consumer, baseUrl: `${x.url}/` })).toBe(token);
    const entry = x.requestLog().find((item) => item.endpoint === 'POST /oauth2/token');
    expect(entry?.auth).toBe('basic');
    expect(entry?.status).toBe(200);
  });

  it('works with keys that the RFC 1738 encoding changes', async () => {
    const app = x.addApp({
      consumerKey: 'key:with/odd+chars',
      consumerSecret: "s3cr%t &=:/+~!*'()-é",
    });
    const token = await obtainBearerToken({
      consumer: { key: app.consumerKey, secret: app.consumerSecret },
      baseUrl: x.url,
    });
    expect((await search(token)).status).toBe(200);
  });

  it('reports wrong keys as BEARER_INVALID_CLIENT_CREDENTIALS (403, 99)', async () => {
    const error = await caught(
      obtainBearerToken({ consumer: { key: consumer.key, secret: 'wrong' }, baseUrl: x.url }),
    );
    expect(error).toMatchObject({
      code: BearerErrorCode.InvalidClientCredentials,
      status: 403,
      xCode: 99,
    });
  });

  it("reads X's answer to a request without grant_type as BEARER_INVALID_REQUEST (403, 170)", async () => {
    const response = await fetch(`${x.url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${consumer.key}:${consumer.secret}`)}`,
        'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      },
      body: '',
    });
    const error = await caught(processBearerTokenResponse(response));
    expect(error).toMatchObject({ code: BearerErrorCode.InvalidRequest, status: 403, xCode: 170 });
  });

  it('maps injected faults: 503, a dropped connection, malformed JSON', async () => {
    x.injectFault({ endpoint: 'POST /oauth2/token', kind: 'status', status: 503, times: 1 });
    expect(await caught(obtainBearerToken({ consumer, baseUrl: x.url }))).toMatchObject({
      code: BearerErrorCode.UnexpectedStatus,
      status: 503,
      xCode: 130,
    });
    x.injectFault({ endpoint: 'POST /oauth2/token', kind: 'drop', times: 1 });
    expect(await caught(obtainBearerToken({ consumer, baseUrl: x.url }))).toMatchObject({
      code: BearerErrorCode.NetworkError,
    });
    x.injectFault({ endpoint: 'POST /oauth2/token', kind: 'malformed-json', times: 1 });
    expect(await caught(obtainBearerToken({ consumer, baseUrl: x.url }))).toMatchObject({
      code: BearerErrorCode.InvalidResponse,
      status: 200,
    });
  });

  it('reports a closed port as BEARER_NETWORK_ERROR', async () => {
    const other = await startEmulator({ port: 0 });
    const url = other.url;
    await other.close();
    const error = await caught(obtainBearerToken({ consumer, baseUrl: url }));
    expect(error.code).toBe(BearerErrorCode.NetworkError);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('refuses plain http to a remote host before anything is sent', async () => {
    const before = x.requestLog().length;
    let called = false;
    const error = await caught(
      obtainBearerToken({
        consumer,
        baseUrl: 'http://api.x.com',
        fetch: () => {
          called = true;
          return Promise.reject(new Error('must not be called'));
        },
      }),
    );
    expect(error.code).toBe(BearerErrorCode.InsecureEndpoint);
    expect(called).toBe(false);
    expect(x.requestLog().length).toBe(before);
  });
});

describe('app-only responses from the emulator', () => {
  it('an endpoint that needs a user answers BEARER_USER_CONTEXT_REQUIRED', async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    const response = await fetch(`${x.url}/2/users/me`, {
      headers: { authorization: bearerAuthorization(token) },
    });
    const error = await caught(checkAppOnlyResponse(response));
    expect(error).toMatchObject({ code: BearerErrorCode.UserContextRequired, status: 403 });
    expect(error.problemType).toMatch(/\/2\/problems\/unsupported-authentication$/);
  });

  it('an unknown token answers BEARER_INVALID_TOKEN', async () => {
    const error = await caught(
      checkAppOnlyResponse(await search('AAAAAAAAAAAAAAAAAAAAAnotatoken')),
    );
    expect(error).toMatchObject({ code: BearerErrorCode.InvalidToken, status: 401 });
  });
});

describe('invalidateBearerToken against the emulator', () => {
  it("signed with the owner's access token: the token stops working and X issues a new one", async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    await invalidateBearerToken({ consumer, token, ownerToken: ownerToken(), baseUrl: x.url });
    const entry = lastInvalidation();
    expect(entry).toMatchObject({ auth: 'oauth1', status: 200 });
    expect(await caught(checkAppOnlyResponse(await search(token)))).toMatchObject({
      code: BearerErrorCode.InvalidToken,
    });
    const next = await obtainBearerToken({ consumer, baseUrl: x.url });
    expect(next).not.toBe(token);
    expect((await search(next)).status).toBe(200);
  });

  it('with HTTP Basic (older docs)', async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    await invalidateBearerToken({ consumer, token, baseUrl: x.url });
    const entry = lastInvalidation();
    expect(entry).toMatchObject({ auth: 'basic', status: 200 });
    expect((await search(token)).status).toBe(401);
  });

  it('refuses a token that is already invalidated', async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    await invalidateBearerToken({ consumer, token, baseUrl: x.url });
    const error = await caught(
      invalidateBearerToken({ consumer, token, ownerToken: ownerToken(), baseUrl: x.url }),
    );
    expect(error).toMatchObject({
      code: BearerErrorCode.InvalidationRefused,
      status: 403,
      xCode: 348,
    });
  });

  it("refuses a signature with another user's token", async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    const stranger = x.users.find((user) => user.id !== x.app.ownerId);
    if (stranger === undefined) throw new Error('the emulator seeds two users');
    const issued = x.issueOAuth1Token(x.app.id, stranger.id);
    const error = await caught(
      invalidateBearerToken({
        consumer,
        token,
        ownerToken: issued,
        baseUrl: x.url,
      }),
    );
    expect(error).toMatchObject({ code: BearerErrorCode.InvalidationRefused, xCode: 348 });
    expect((await search(token)).status).toBe(200);
  });

  it('reports an unknown owner token (401, 89) and wrong keys (403, 99)', async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    const unknown = await caught(
      invalidateBearerToken({
        consumer,
        token,
        ownerToken: { key: '1-unknown', secret: 'unknown' },
        baseUrl: x.url,
      }),
    );
    expect(unknown).toMatchObject({
      code: BearerErrorCode.InvalidClientCredentials,
      status: 401,
      xCode: 89,
    });
    const wrongKeys = await caught(
      invalidateBearerToken({
        consumer: { key: consumer.key, secret: 'wrong' },
        token,
        baseUrl: x.url,
      }),
    );
    expect(wrongKeys).toMatchObject({
      code: BearerErrorCode.InvalidClientCredentials,
      status: 403,
      xCode: 99,
    });
  });
});

describe('BearerTokenProvider against the emulator', () => {
  it('fetches the token once for many simultaneous callers', async () => {
    const provider = new BearerTokenProvider({ consumer, baseUrl: x.url });
    x.injectFault({ endpoint: 'POST /oauth2/token', kind: 'latency', latencyMs: 100, times: 1 });
    const before = tokenCalls();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => provider.getToken()));
    expect(new Set(tokens).size).toBe(1);
    expect(tokenCalls() - before).toBe(1);
    const [token] = tokens;
    expect((await search(token ?? '')).status).toBe(200);
  });

  it("one caller's abort leaves the shared request to the others", async () => {
    const provider = new BearerTokenProvider({ consumer, baseUrl: x.url });
    x.injectFault({ endpoint: 'POST /oauth2/token', kind: 'latency', latencyMs: 150, times: 1 });
    const before = tokenCalls();
    const controller = new AbortController();
    const aborted = provider.getToken({ signal: controller.signal });
    const others = Promise.all([
      provider.getToken(),
      provider.getToken({ signal: AbortSignal.timeout(5000) }),
    ]);
    setTimeout(() => controller.abort(), 20);
    await expect(aborted).rejects.toThrow();
    const [a, b] = await others;
    expect(a).toBe(b);
    expect(tokenCalls() - before).toBe(1);
  });

  it('retries after a failure instead of caching it', async () => {
    const provider = new BearerTokenProvider({ consumer, baseUrl: x.url });
    x.injectFault({ endpoint: 'POST /oauth2/token', kind: 'status', status: 503, times: 1 });
    await expect(provider.getToken()).rejects.toMatchObject({
      code: BearerErrorCode.UnexpectedStatus,
    });
    expect(typeof (await provider.getToken())).toBe('string');
  });

  it('forgets a token the API reports invalid and obtains the new one', async () => {
    const provider = new BearerTokenProvider({ consumer, baseUrl: x.url });
    const first = await provider.getToken();
    // Someone else invalidates it (for example in the developer portal).
    await invalidateBearerToken({ consumer, token: first, baseUrl: x.url });
    await expect(provider.checkResponse(await search(first), first)).rejects.toMatchObject({
      code: BearerErrorCode.InvalidToken,
    });
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    expect((await provider.checkResponse(await search(second), second)).status).toBe(200);
  });

  it('a portal token without keys fails with BEARER_INVALID_TOKEN once revoked', async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    const provider = new BearerTokenProvider({ token, baseUrl: x.url });
    expect(await provider.getAuthorization()).toBe(`Bearer ${token}`);
    await invalidateBearerToken({ consumer, token, baseUrl: x.url });
    await expect(provider.checkResponse(await search(token), token)).rejects.toMatchObject({
      code: BearerErrorCode.InvalidToken,
    });
    const before = tokenCalls();
    await expect(provider.getToken()).rejects.toMatchObject({ code: BearerErrorCode.InvalidToken });
    expect(tokenCalls()).toBe(before);
  });

  it('invalidate() revokes at X and forgets, signed or Basic', async () => {
    const provider = new BearerTokenProvider({
      consumer,
      baseUrl: x.url,
      ownerToken: ownerToken(),
    });
    const first = await provider.getToken();
    await provider.invalidate();
    expect(provider.hasToken).toBe(false);
    expect((await search(first)).status).toBe(401);
    const second = await provider.getToken();
    expect(second).not.toBe(first);
    await provider.invalidate({ authentication: 'basic' });
    expect((await search(second)).status).toBe(401);
    const entries = x
      .requestLog()
      .filter((item) => item.endpoint === 'POST /oauth2/invalidate_token');
    expect(entries.slice(-2).map((item) => item.auth)).toEqual(['oauth1', 'basic']);
  });

  it('shows nothing secret once it holds a real token', async () => {
    const owner = ownerToken();
    const provider = new BearerTokenProvider({ consumer, baseUrl: x.url, ownerToken: owner });
    const token = await provider.getToken();
    for (const text of [
      inspect(provider, { showHidden: true }),
      JSON.stringify(provider),
      String(provider),
    ]) {
      for (const secret of [consumer.secret, owner.secret, token])
        expect(text).not.toContain(secret);
    }
  });
});

describe('rate limits and too-frequent token requests', () => {
  it('a token request right after an invalidation is BEARER_TOO_MANY_REQUESTS for a provider', async () => {
    const strict = await startEmulator({ port: 0, bearerTokenMinIntervalMs: 60_000 });
    try {
      const keys = { key: strict.app.consumerKey, secret: strict.app.consumerSecret };
      const provider = new BearerTokenProvider({ consumer: keys, baseUrl: strict.url });
      await provider.getToken();
      await provider.invalidate();
      const error = await caught(provider.getToken());
      expect(error).toMatchObject({
        code: BearerErrorCode.TooManyRequests,
        status: 403,
        xCode: 99,
      });
      // Without history, X's 403/99 cannot be told apart from wrong keys.
      const plain = await caught(obtainBearerToken({ consumer: keys, baseUrl: strict.url }));
      expect(plain).toMatchObject({ code: BearerErrorCode.InvalidClientCredentials, xCode: 99 });
    } finally {
      await strict.close();
    }
  });

  it('a 429 from the token endpoint is BEARER_TOO_MANY_REQUESTS with the reset time', async () => {
    const limited = await startEmulator({
      port: 0,
      rateLimits: { 'POST /oauth2/token': { limit: 1 } },
    });
    try {
      const keys = { key: limited.app.consumerKey, secret: limited.app.consumerSecret };
      await obtainBearerToken({ consumer: keys, baseUrl: limited.url });
      const error = await caught(obtainBearerToken({ consumer: keys, baseUrl: limited.url }));
      expect(error).toMatchObject({
        code: BearerErrorCode.TooManyRequests,
        status: 429,
        retryable: true,
      });
      expect(error.retryAt).toBeInstanceOf(Date);
      expect(error.retryAt?.getTime()).toBeGreaterThan(Date.now());
    } finally {
      await limited.close();
    }
  });
});
