// OpenTelemetry against the emulator, collected with the SDK's in-memory exporters: one span
// per request with the HTTP semantic-convention attributes, retries, waits and refreshes as
// events, the metrics, and no secret anywhere.

import { randomBytes } from 'node:crypto';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { createKeyring, createMemoryBackend, createTokenStore } from '@x-oauth/token-store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appOnlyAuth,
  oauth1Auth,
  oauth2Auth,
  TokenSet,
  XApiErrorCode,
  XClient,
  type XClientOptions,
} from '../src/index.js';
import { user } from './helpers.js';

let x: Emulator;
let spans: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let meterProvider: MeterProvider;
const secrets: string[] = [];
const noSleep = { limit: 2, baseDelayMs: 100, random: () => 0.5, sleep: async () => {} };

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
  secrets.push(x.app.consumerSecret, x.app.clientSecret as string);
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearFaults();
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  meterProvider = new MeterProvider({ readers: [reader] });
});

function client(auth: XClientOptions['auth'], options: Partial<XClientOptions> = {}): XClient {
  return new XClient({
    auth,
    baseUrl: x.url,
    retries: noSleep,
    telemetry: { tracerProvider, meterProvider },
    ...options,
  });
}

function appOnly(options: Partial<XClientOptions> = {}): XClient {
  return client(
    appOnlyAuth({ consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret } }),
    options,
  );
}

/** Every data point of the metric `name`, as [attributes, value]. */
async function points(name: string): Promise<Array<[Record<string, unknown>, unknown]>> {
  await reader.forceFlush();
  const all = metricExporter
    .getMetrics()
    .at(-1)
    ?.scopeMetrics.flatMap((scope) => scope.metrics);
  const metric = all?.find((candidate) => candidate.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((point) => [point.attributes, point.value]);
}

async function sum(name: string, match: Record<string, unknown> = {}): Promise<number> {
  let total = 0;
  for (const [attributes, value] of await points(name)) {
    if (!Object.entries(match).every(([key, wanted]) => attributes[key] === wanted)) continue;
    total += typeof value === 'number' ? value : (value as { count: number }).count;
  }
  return total;
}

function apiSpans(): ReadableSpan[] {
  return spans.getFinishedSpans().filter((span) => span.name.startsWith('GET /2/'));
}

describe('telemetry', () => {
  it('makes one CLIENT span per request with the HTTP attributes, and counts it', async () => {
    const api = appOnly();
    await api.get('/2/tweets', { query: { ids: '20' } });
    const [span, ...more] = apiSpans();
    expect(more).toHaveLength(0);
    expect(span?.name).toBe('GET /2/tweets');
    expect(span?.kind).toBe(2); // SpanKind.CLIENT
    const port = Number(new URL(x.url).port);
    expect(span?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': port,
      'url.template': '/2/tweets',
      'url.full': `${x.url}/2/tweets?ids=20`,
      'http.response.status_code': 200,
      'x_oauth.auth': 'app-only',
      'x_oauth.rate_limit.pool': 'app:GET /2/tweets',
    });
    expect(span?.attributes['http.request.resend_count']).toBeUndefined();
    expect(span?.status.code).toBe(0); // UNSET
    expect(await sum('x_oauth.client.requests', { 'x_oauth.outcome': 'ok' })).toBe(1);
    expect(
      await sum('http.client.request.duration', {
        'url.template': '/2/tweets',
        'http.response.status_code': 200,
      }),
    ).toBe(1);
  });

  it('records retries as events and each attempt in the duration histogram', async () => {
    const api = appOnly();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503, times: 2 });
    await api.get('/2/tweets', { query: { ids: '20' } });
    const [span] = apiSpans();
    const retries = span?.events.filter((event) => event.name === 'x_oauth.retry') ?? [];
    expect(retries.map((event) => event.attributes?.['error.type'])).toEqual([
      XApiErrorCode.ServerError,
      XApiErrorCode.ServerError,
    ]);
    expect(span?.attributes['http.request.resend_count']).toBe(2);
    expect(await sum('x_oauth.client.retries')).toBe(2);
    expect(await sum('http.client.request.duration', { 'url.template': '/2/tweets' })).toBe(3);
    expect(await sum('http.client.request.duration', { 'http.response.status_code': 503 })).toBe(2);
  });

  it('marks a failed request as an error with its code, never its message', async () => {
    const api = appOnly();
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 500 });
    await expect(api.get('/2/tweets', { query: { ids: '20' } })).rejects.toMatchObject({
      code: XApiErrorCode.ServerError,
    });
    const [span] = apiSpans();
    expect(span?.status).toEqual({ code: 2, message: XApiErrorCode.ServerError }); // ERROR
    expect(span?.attributes['error.type']).toBe(XApiErrorCode.ServerError);
    expect(span?.attributes['http.response.status_code']).toBe(500);
    expect(
      await sum('x_oauth.client.requests', {
        'x_oauth.outcome': 'error',
        'error.type': XApiErrorCode.ServerError,
      }),
    ).toBe(1);
  });

  it('counts a 429 and the wait for the reset', async () => {
    const api = appOnly({ rateLimit: { onLimit: 'wait', maxWaitMs: 3_600_000 } });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 429, times: 1 });
    await api.get('/2/tweets', { query: { ids: '20' } });
    const [span] = apiSpans();
    const waits = span?.events.filter((event) => event.name === 'x_oauth.wait') ?? [];
    expect(waits.map((event) => event.attributes?.['x_oauth.wait.reason'])).toEqual(['rate_limit']);
    expect(await sum('x_oauth.client.rate_limited')).toBe(1);
    expect(await sum('x_oauth.client.waits', { 'x_oauth.wait.reason': 'rate_limit' })).toBe(1);
    expect(await sum('x_oauth.client.wait.duration')).toBe(1);
  });

  it('records a refresh after a 401 as an event and a count', async () => {
    const issued = x.issueOAuth2Token(x.app.id, user(x, 'alice').id, [
      'tweet.read',
      'users.read',
      'offline.access',
    ]);
    const tokenSet = new TokenSet({
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken as string,
      expiresAt: Date.now() + 7_200_000,
      scopes: issued.scope.split(' '),
      tokenType: 'bearer',
    });
    secrets.push(issued.accessToken, issued.refreshToken as string);
    let refreshed: TokenSet | undefined;
    const api = client(
      oauth2Auth({
        tokenSet,
        client: { clientId: x.app.clientId, clientSecret: x.app.clientSecret as string },
        onRefresh: (next) => {
          refreshed = next;
        },
      }),
    );
    x.advanceClock(7_300_000);
    try {
      await api.get('/2/users/me');
    } finally {
      x.advanceClock(-7_300_000);
    }
    if (refreshed !== undefined) secrets.push(refreshed.accessToken, refreshed.refreshToken ?? '');
    const [span] = apiSpans();
    expect(span?.attributes['x_oauth.auth']).toBe('oauth2');
    expect(span?.attributes['x_oauth.rate_limit.pool']).toBe('user:GET /2/users/me');
    expect(span?.events.map((event) => event.name)).toEqual(['x_oauth.refresh']);
    expect(span?.attributes['http.request.resend_count']).toBe(1);
    expect(await sum('x_oauth.client.refreshes')).toBe(1);
    expect(await sum('http.client.request.duration', { 'http.response.status_code': 401 })).toBe(1);
  });

  it('records a clock correction after error 135', async () => {
    const issued = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    secrets.push(issued.key, issued.secret);
    const api = client(
      oauth1Auth({
        consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
        token: issued,
      }),
      // An hour behind X: the first signature's timestamp is refused.
      { now: () => Date.now() - 3_600_000 },
    );
    await api.get('/2/users/me');
    const [span] = apiSpans();
    const corrected = span?.events.find((event) => event.name === 'x_oauth.clock_corrected');
    expect(Number(corrected?.attributes?.['x_oauth.clock_offset_ms'])).toBeGreaterThan(3_500_000);
    expect(span?.attributes['x_oauth.auth']).toBe('oauth1');
  });

  it("makes the request's span the parent of the token store's refresh span", async () => {
    // Spans nest across awaits only with a context manager, as an app's SDK setup registers.
    const { context } = await import('@opentelemetry/api');
    expect(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).toBe(
      true,
    );
    const store = createTokenStore({
      backend: createMemoryBackend(),
      keyring: createKeyring({
        currentKeyId: 'k1',
        keys: { k1: randomBytes(32).toString('base64') },
      }),
      telemetry: { tracerProvider, meterProvider },
    });
    try {
      const userId = user(x, 'bob').id;
      const issued = x.issueOAuth2Token(x.app.id, userId, [
        'tweet.read',
        'users.read',
        'offline.access',
      ]);
      secrets.push(issued.accessToken, issued.refreshToken as string);
      // Stored as expired: the request's authorization refreshes it through the store.
      await store.writer.putOAuth2(
        x.app.id,
        userId,
        new TokenSet({
          accessToken: issued.accessToken,
          refreshToken: issued.refreshToken as string,
          expiresAt: Date.now() - 1_000,
          scopes: issued.scope.split(' '),
          tokenType: 'bearer',
        }),
      );
      const oauth2Client = { clientId: x.app.clientId, clientSecret: x.app.clientSecret as string };
      await client(
        oauth2Auth({ store: store.writer, appId: x.app.id, userId, client: oauth2Client }),
      ).get('/2/users/me');
      const [request] = apiSpans();
      const refresh = spans
        .getFinishedSpans()
        .find((span) => span.name === 'x_oauth.token_store.refresh');
      expect(request).toBeDefined();
      expect(refresh?.spanContext().traceId).toBe(request?.spanContext().traceId);
      expect(refresh?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
      // The request span stays a root here: nothing was active around the call.
      expect(request?.parentSpanContext).toBeUndefined();
    } finally {
      context.disable();
      await store.close();
    }
  });

  it('puts no secret, token or query value in any attribute, event or data point', async () => {
    const api = appOnly();
    await api.get('/2/tweets/search/recent', {
      query: { query: 'from:alice', next_token: 'opaque-cursor-value' },
    });
    const issued = x.issueOAuth1Token(x.app.id, user(x, 'bob').id);
    secrets.push(issued.key, issued.secret);
    await client(
      oauth1Auth({
        consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
        token: issued,
      }),
    ).get('/2/users/me');
    const texts: string[] = [];
    for (const span of spans.getFinishedSpans()) {
      texts.push(span.name, JSON.stringify(span.attributes), JSON.stringify(span.status));
      for (const event of span.events) texts.push(event.name, JSON.stringify(event.attributes));
    }
    await reader.forceFlush();
    texts.push(JSON.stringify(metricExporter.getMetrics()));
    const everything = texts.join('\n');
    expect(everything).toContain('url.full');
    expect(everything).not.toContain('opaque-cursor-value');
    const bearer = await appOnlyAuth({
      consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
    }).authorize({
      method: 'GET',
      url: new URL(`${x.url}/2/tweets?ids=20`),
      form: undefined,
      context: {
        baseUrl: new URL(x.url),
        fetch: globalThis.fetch,
        now: Date.now,
        signal: undefined,
      },
    });
    const bearerToken = String(bearer.headers.authorization).replace(/^Bearer /, '');
    for (const secret of [...secrets, bearerToken]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(everything).not.toContain(secret);
    }
  });

  it('works without telemetry: none configured and no SDK registered, or turned off', async () => {
    for (const telemetry of [undefined, false] as const) {
      const api = new XClient({
        auth: appOnlyAuth({ consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret } }),
        baseUrl: x.url,
        telemetry,
      });
      await expect(api.get('/2/tweets', { query: { ids: '20' } })).resolves.toBeDefined();
    }
    expect(apiSpans()).toHaveLength(0);
  });

  it('uses the global providers of @opentelemetry/api when none are given', async () => {
    const { metrics, trace } = await import('@opentelemetry/api');
    expect(trace.setGlobalTracerProvider(tracerProvider)).toBe(true);
    expect(metrics.setGlobalMeterProvider(meterProvider)).toBe(true);
    try {
      const api = new XClient({
        auth: appOnlyAuth({ consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret } }),
        baseUrl: x.url,
      });
      await api.get('/2/tweets', { query: { ids: '20' } });
      expect(apiSpans().map((span) => span.name)).toEqual(['GET /2/tweets']);
      expect(await sum('x_oauth.client.requests')).toBe(1);
    } finally {
      trace.disable();
      metrics.disable();
    }
  });
});
