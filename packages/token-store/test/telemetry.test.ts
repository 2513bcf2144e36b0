// OpenTelemetry of the safe refresh against the emulator, collected with the SDK's in-memory
// exporters: outcomes (fresh, refreshed, needs_reauth, failed), one refresh span per token
// request with the lock wait and the request as events, and no token or owner anywhere.
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
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { endpointsFromBaseUrl, type OAuth2Client, refreshToken, TokenSet } from '@x-oauth/pkce';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createKeyring,
  createMemoryBackend,
  createTokenStore,
  type RefreshCallback,
  type TokenStore,
  TokenStoreErrorCode,
} from '../src/index.js';

const SCOPES = ['tweet.read', 'users.read', 'offline.access'];
const keyring = createKeyring({ currentKeyId: 'k1', keys: { k1: randomBytes(32) } });
let x: Emulator;
let spans: InMemorySpanExporter;
let tracerProvider: BasicTracerProvider;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let store: TokenStore;
const tokens: string[] = [];

// An emulator per test: its few seeded users each hold one grant at a time.
beforeEach(async () => {
  x = await startEmulator({ port: 0, strictRefreshReuse: true });
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  store = createTokenStore({
    backend: createMemoryBackend(),
    keyring,
    telemetry: {
      tracerProvider,
      meterProvider: new MeterProvider({ readers: [reader] }),
    },
  });
});
afterEach(async () => {
  await x.close();
});

function client(): OAuth2Client {
  return { clientId: x.app.clientId, clientSecret: x.app.clientSecret as string };
}

function refresh(): RefreshCallback {
  return async (current, signal) => {
    const next = await refreshToken({
      client: client(),
      tokenSet: current,
      endpoints: endpointsFromBaseUrl(x.url),
      signal,
    });
    tokens.push(next.accessToken, next.refreshToken ?? '');
    return next;
  };
}

function setFor(userIndex: number, expiresAt: number): { userId: string; tokenSet: TokenSet } {
  const userId = x.users[userIndex]?.id as string;
  const issued = x.issueOAuth2Token(x.app.id, userId, SCOPES);
  tokens.push(issued.accessToken, issued.refreshToken as string);
  return {
    userId,
    tokenSet: new TokenSet({
      accessToken: issued.accessToken,
      refreshToken: issued.refreshToken as string,
      expiresAt,
      scopes: issued.scope.split(' '),
      tokenType: 'bearer',
    }),
  };
}

async function outcomes(): Promise<Record<string, number>> {
  await reader.forceFlush();
  const counts: Record<string, number> = {};
  const metrics =
    metricExporter
      .getMetrics()
      .at(-1)
      ?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
  const refreshes = metrics.find((m) => m.descriptor.name === 'x_oauth.token_store.refreshes');
  for (const point of refreshes?.dataPoints ?? []) {
    const outcome = String(point.attributes.outcome);
    counts[outcome] = (counts[outcome] ?? 0) + Number(point.value);
  }
  return counts;
}

async function metricPoints(name: string) {
  await reader.forceFlush();
  const metrics =
    metricExporter
      .getMetrics()
      .at(-1)
      ?.scopeMetrics.flatMap((s) => s.metrics) ?? [];
  return metrics.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
}

describe('token-store telemetry', () => {
  it('counts fresh and refreshed calls; 20 concurrent callers make one refresh span', async () => {
    const valid = setFor(0, Date.now() + 7_200_000);
    await store.writer.putOAuth2('app', valid.userId, valid.tokenSet);
    await store.writer.getFreshTokenSet('app', valid.userId, refresh());

    const expired = setFor(1, Date.now() - 1_000);
    await store.writer.putOAuth2('app', expired.userId, expired.tokenSet);
    await Promise.all(
      Array.from({ length: 20 }, () =>
        store.writer.getFreshTokenSet('app', expired.userId, refresh()),
      ),
    );
    expect(await outcomes()).toEqual({ fresh: 1, refreshed: 20 });

    const refreshSpans = spans
      .getFinishedSpans()
      .filter((span) => span.name === 'x_oauth.token_store.refresh');
    expect(refreshSpans).toHaveLength(1);
    const [span] = refreshSpans;
    expect(span?.attributes['x_oauth.refresh.result']).toBe('refreshed');
    expect(span?.events.map((event) => event.name)).toEqual([
      'x_oauth.lock',
      'x_oauth.token_request',
    ]);
    expect(span?.events[0]?.attributes?.['x_oauth.lock.result']).toBe('acquired');
    expect(span?.events[1]?.attributes?.['x_oauth.token_request.result']).toBe('ok');

    const lockWaits = await metricPoints('x_oauth.token_store.lock.wait.duration');
    expect(
      lockWaits.map((point) => [
        point.attributes['x_oauth.lock.result'],
        (point.value as { count: number }).count,
      ]),
    ).toEqual([['acquired', 1]]);
    const requests = await metricPoints('x_oauth.token_store.token_requests');
    expect(
      requests.map((point) => [point.attributes['x_oauth.token_request.result'], point.value]),
    ).toEqual([['ok', 1]]);
  });

  it('makes the refresh span the parent of the spans its token request starts', async () => {
    // Spans nest across awaits only with a context manager, as an app's SDK setup registers.
    const { context } = await import('@opentelemetry/api');
    expect(context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())).toBe(
      true,
    );
    try {
      const expired = setFor(0, Date.now() - 1_000);
      await store.writer.putOAuth2('app', expired.userId, expired.tokenSet);
      // As an HTTP instrumentation would: a span around the request to the token endpoint.
      const appTracer = tracerProvider.getTracer('app');
      const send = refresh();
      await store.writer.getFreshTokenSet('app', expired.userId, (current, signal) =>
        appTracer.startActiveSpan('POST oauth2/token', async (span) => {
          try {
            return await send(current, signal);
          } finally {
            span.end();
          }
        }),
      );
      const finished = spans.getFinishedSpans();
      const refreshSpan = finished.find((span) => span.name === 'x_oauth.token_store.refresh');
      const request = finished.find((span) => span.name === 'POST oauth2/token');
      expect(refreshSpan).toBeDefined();
      expect(request?.spanContext().traceId).toBe(refreshSpan?.spanContext().traceId);
      expect(request?.parentSpanContext?.spanId).toBe(refreshSpan?.spanContext().spanId);
    } finally {
      context.disable();
    }
  });

  it('counts a dead grant as needs_reauth and a failed token request as failed', async () => {
    const dead = setFor(0, Date.now() - 1_000);
    // Spent elsewhere first: X (strict reuse) refuses it and the grant is dead.
    await refreshToken({
      client: client(),
      tokenSet: dead.tokenSet,
      endpoints: endpointsFromBaseUrl(x.url),
    });
    await store.writer.putOAuth2('app', dead.userId, dead.tokenSet);
    await expect(
      store.writer.getFreshTokenSet('app', dead.userId, refresh()),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.NeedsReauth });

    const failing = setFor(1, Date.now() - 1_000);
    await store.writer.putOAuth2('app', failing.userId, failing.tokenSet);
    x.injectFault({ endpoint: 'POST /2/oauth2/token', kind: 'status', status: 503, times: 1 });
    await expect(
      store.writer.getFreshTokenSet('app', failing.userId, refresh()),
    ).rejects.toMatchObject({ code: TokenStoreErrorCode.RefreshFailed, retryable: true });

    expect(await outcomes()).toEqual({ needs_reauth: 1, failed: 1 });
    const failed = spans
      .getFinishedSpans()
      .filter((span) => span.attributes['error.type'] !== undefined)
      .map((span) => [span.attributes['error.type'], span.status.code]);
    expect(failed).toEqual([
      [TokenStoreErrorCode.NeedsReauth, 2],
      [TokenStoreErrorCode.RefreshFailed, 2],
    ]);
    const requests = await metricPoints('x_oauth.token_store.token_requests');
    expect(
      Object.fromEntries(
        requests.map((point) => [point.attributes['x_oauth.token_request.result'], point.value]),
      ),
    ).toEqual({ error: 2 });
  });

  it('records no token, owner or user id', async () => {
    const expired = setFor(0, Date.now() - 1_000);
    await store.writer.putOAuth2('secret-app-name', expired.userId, expired.tokenSet);
    await store.writer.getFreshTokenSet('secret-app-name', expired.userId, refresh());
    await reader.forceFlush();
    const everything = JSON.stringify([
      spans
        .getFinishedSpans()
        .map((span) => [span.name, span.attributes, span.events, span.status]),
      metricExporter.getMetrics(),
    ]);
    expect(everything).toContain('x_oauth.token_store.refresh');
    for (const value of [...tokens, 'secret-app-name', expired.userId]) {
      expect(everything).not.toContain(value);
    }
  });

  it('works with telemetry off', async () => {
    const plain = createTokenStore({ backend: createMemoryBackend(), keyring, telemetry: false });
    const expired = setFor(0, Date.now() - 1_000);
    await plain.writer.putOAuth2('app', expired.userId, expired.tokenSet);
    const fresh = await plain.writer.getFreshTokenSet('app', expired.userId, refresh());
    expect(fresh.accessToken).not.toBe(expired.tokenSet.accessToken);
  });
});
