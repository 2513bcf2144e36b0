import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appOnlyAuth,
  oauth1Auth,
  XApiErrorCode,
  XClient,
  type XClientOptions,
} from '../src/index.js';
import { logOf, user } from './helpers.js';

let x: Emulator;
const delays: number[] = [];
const fastRetries = {
  limit: 2,
  baseDelayMs: 100,
  random: () => 0.5,
  sleep: async (ms: number) => {
    delays.push(ms);
  },
};

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
  delays.length = 0;
});

function appClient(options: Partial<XClientOptions> = {}): XClient {
  return new XClient({
    auth: appOnlyAuth({ consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret } }),
    baseUrl: x.url,
    retries: fastRetries,
    ...options,
  });
}

function userClient(options: Partial<XClientOptions> = {}): XClient {
  const issued = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
  return new XClient({
    auth: oauth1Auth({
      consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
      token: { key: issued.token, secret: issued.secret },
    }),
    baseUrl: x.url,
    retries: fastRetries,
    ...options,
  });
}

describe('retries', () => {
  it('retries a GET after a 503 with jittered backoff', async () => {
    const api = appClient();
    await api.get('/2/tweets', { query: { ids: '1' } }); // obtains the token first
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503, times: 2 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([503, 503, 200]);
    expect(delays).toEqual([50, 100]);
  });

  it('gives up after the limit with X_SERVER_ERROR', async () => {
    const api = appClient();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 500 });
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.ServerError,
      status: 500,
      retryable: true,
    });
    expect(logOf(x, 'GET /2/tweets')).toHaveLength(3);
  });

  it('retries a dropped connection (GET) as a network error', async () => {
    const api = appClient();
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.clearRequestLog();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'drop', times: 1 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(logOf(x, 'GET /2/tweets').map((entry) => entry.status)).toEqual([0, 200]);
  });

  it('retries a truncated JSON body (GET), and reports X_INVALID_RESPONSE when it persists', async () => {
    const api = appClient();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'malformed-json', times: 1 });
    expect(await api.get('/2/tweets', { query: { ids: '1' } })).toMatchObject({
      errors: expect.any(Array),
    });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'malformed-json' });
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.InvalidResponse,
    });
  });

  it('never sends POST /2/tweets twice: not after a 503, not after a dropped connection', async () => {
    const api = userClient();
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'status', status: 503, times: 1 });
    await expect(
      api.post('/2/tweets', { json: { text: `once ${Date.now()}` } }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.ServerError,
    });
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'drop', times: 1 });
    await expect(
      api.post('/2/tweets', { json: { text: `once more ${Date.now()}` } }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.NetworkError,
    });
    expect(logOf(x, 'POST /2/tweets')).toHaveLength(2);
  });

  it('sends POST /2/tweets again only with retryNonIdempotent: true', async () => {
    const api = userClient({ retries: { ...fastRetries, retryNonIdempotent: true } });
    x.injectFault({ endpoint: 'POST /2/tweets', kind: 'status', status: 503, times: 1 });
    const posted = await api.post<{ data: { id: string } }>('/2/tweets', {
      json: { text: `twice ${Date.now()}` },
    });
    expect(posted.data.id).toBeDefined();
    expect(logOf(x, 'POST /2/tweets').map((entry) => entry.status)).toEqual([503, 201]);
  });
});

describe('timeouts and aborts', () => {
  it('times each attempt out (X_TIMEOUT) and retries an idempotent one', async () => {
    const api = appClient({ timeoutMs: 150 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 600, times: 1 });
    const started = Date.now();
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(Date.now() - started).toBeLessThan(600);
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 600 });
    await expect(
      api.get('/2/tweets', { query: { ids: '1' }, timeoutMs: 100 }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.Timeout,
    });
  });

  it("rejects with the caller's abort reason, not a timeout", async () => {
    const api = appClient();
    await api.get('/2/tweets', { query: { ids: '1' } });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 1000, times: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user navigated away')), 50);
    await expect(
      api.get('/2/tweets', { query: { ids: '1' }, signal: controller.signal }),
    ).rejects.toThrow('user navigated away');
    await expect(
      api.get('/2/tweets', { signal: AbortSignal.abort(new Error('early')) }),
    ).rejects.toThrow('early');
  });

  it('reports a refused connection as X_NETWORK_ERROR', async () => {
    const closed = await startEmulator({ port: 0 });
    const url = closed.url;
    await closed.close();
    const api = new XClient({
      auth: appOnlyAuth({ bearerToken: 'AAAA%2Fnot-real' }),
      baseUrl: url,
      retries: 0,
    });
    await expect(api.get('/2/tweets')).rejects.toMatchObject({ code: XApiErrorCode.NetworkError });
  });
});
