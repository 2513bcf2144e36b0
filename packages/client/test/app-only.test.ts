import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appOnlyAuth,
  BearerTokenProvider,
  invalidateBearerToken,
  obtainBearerToken,
  XApiErrorCode,
  XClient,
} from '../src/index.js';
import { logOf } from './helpers.js';

let x: Emulator;
let consumer: { key: string; secret: string };

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
  consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
});

describe('app-only', () => {
  it('obtains the bearer token once with the app keys and searches', async () => {
    const api = new XClient({ auth: appOnlyAuth({ consumer }), baseUrl: x.url });
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        api.get<{ data?: unknown[] }>('/2/tweets/search/recent', { query: { query: 'emulator' } }),
      ),
    );
    expect(results[0]?.data?.length).toBeGreaterThan(0);
    expect(logOf(x, 'POST /oauth2/token')).toHaveLength(1);
    expect(api.identity).toBe(`app:${consumer.key}`);
  });

  it('returns every header of the answer as Headers, and its rate limits, on either transport', async () => {
    for (const fetch of [undefined, globalThis.fetch]) {
      const api = new XClient({ auth: appOnlyAuth({ consumer }), baseUrl: x.url, fetch });
      const answer = await api.request('GET', '/2/tweets/search/recent', {
        query: { query: 'emulator' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers).toBeInstanceOf(Headers);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      const limit = Number(answer.headers.get('x-rate-limit-limit'));
      expect(limit).toBeGreaterThan(0);
      expect(answer.rateLimit.window?.limit).toBe(limit);
      expect(answer.headers).toBe(answer.headers);
    }
  });

  it('answers a user-context endpoint with X_USER_CONTEXT_REQUIRED (v2 problem and v1.1 code 220)', async () => {
    const api = new XClient({ auth: appOnlyAuth({ consumer }), baseUrl: x.url });
    await expect(api.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.UserContextRequired,
      status: 403,
      problemType: 'https://api.twitter.com/2/problems/unsupported-authentication',
    });
    await expect(api.get('/1.1/account/verify_credentials.json')).rejects.toMatchObject({
      code: XApiErrorCode.UserContextRequired,
    });
  });

  it('on 401 (token invalidated at X) forgets the token, obtains a new one and retries once', async () => {
    const provider = new BearerTokenProvider({ consumer, baseUrl: x.url });
    const api = new XClient({ auth: appOnlyAuth({ provider }), baseUrl: x.url });
    await api.get('/2/tweets', { query: { ids: '1' } });
    const token = await provider.getToken();
    await invalidateBearerToken({ consumer, token, baseUrl: x.url });
    x.clearRequestLog();
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([401, 200]);
    expect(logOf(x, 'POST /oauth2/token')).toHaveLength(1);
    expect(await provider.getToken()).not.toBe(token);
  });

  it('with a plain bearer token, a 401 is thrown without a retry', async () => {
    const token = await obtainBearerToken({ consumer, baseUrl: x.url });
    const api = new XClient({ auth: appOnlyAuth({ bearerToken: token }), baseUrl: x.url });
    expect(await api.get('/2/tweets', { query: { ids: '1' } })).toBeDefined();
    await invalidateBearerToken({ consumer, token, baseUrl: x.url });
    x.clearRequestLog();
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.Unauthorized,
      status: 401,
    });
    expect(logOf(x, 'GET /2/tweets')).toHaveLength(1);
  });

  it('reports wrong app keys as X_BAD_CREDENTIALS (error 99)', async () => {
    const api = new XClient({
      auth: appOnlyAuth({ consumer: { key: consumer.key, secret: 'wrong' } }),
      baseUrl: x.url,
    });
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.BadCredentials,
      xCode: 99,
    });
    expect(logOf(x, 'GET /2/tweets')).toHaveLength(0);
  });
});
