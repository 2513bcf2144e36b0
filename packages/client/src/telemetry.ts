// OpenTelemetry for XClient: one span per request (retries, waits, refreshes and clock
// corrections are its events) and metrics for requests, attempts, 429s, waits, retries and
// refreshes. Attributes name the method, host, endpoint template, auth kind and pool kind:
// never a token, a secret, a user id or a query value (the URL is redacted first).
import {
  type CounterLike,
  errorTypeOf,
  type HistogramLike,
  SPAN_KIND_CLIENT,
  SPAN_STATUS_ERROR,
  type SpanLike,
  type Telemetry,
  type TelemetryAttributes,
} from '@x-oauth/internal';
import { redactUrl } from './redact.js';

/** The instrumentation scope of the client's spans and metrics. */
export const CLIENT_SCOPE = '@x-oauth/client';

/** The client's instruments, made once per client. */
export interface ClientInstruments {
  readonly telemetry: Telemetry;
  /** `http.client.request.duration`: one record per attempt sent, in seconds. */
  readonly attemptDuration: HistogramLike;
  readonly requests: CounterLike;
  readonly rateLimited: CounterLike;
  readonly waits: CounterLike;
  readonly waitDuration: HistogramLike;
  readonly retries: CounterLike;
  readonly refreshes: CounterLike;
}

/**
 * Makes the client's instruments (OpenTelemetry semantic conventions where they exist).
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpclientrequestduration
 */
export function clientInstruments(telemetry: Telemetry): ClientInstruments {
  const { meter } = telemetry;
  return {
    telemetry,
    attemptDuration: meter.createHistogram('http.client.request.duration', {
      description: 'Duration of each HTTP request the client sent to X (each attempt).',
      unit: 's',
    }),
    requests: meter.createCounter('x_oauth.client.requests', {
      description: 'Requests made through XClient, by outcome (retries included in one).',
      unit: '{request}',
    }),
    rateLimited: meter.createCounter('x_oauth.client.rate_limited', {
      description: 'Answers with HTTP 429 (rate limit exceeded).',
      unit: '{response}',
    }),
    waits: meter.createCounter('x_oauth.client.waits', {
      description: 'Waits before sending: a rate-limit reset, Retry-After, or an empty pool.',
      unit: '{wait}',
    }),
    waitDuration: meter.createHistogram('x_oauth.client.wait.duration', {
      description: 'How long each wait lasted.',
      unit: 's',
    }),
    retries: meter.createCounter('x_oauth.client.retries', {
      description: 'Attempts sent again after a 5xx, a network error or a timeout.',
      unit: '{retry}',
    }),
    refreshes: meter.createCounter('x_oauth.client.refreshes', {
      description: 'Credential refreshes after X answered 401.',
      unit: '{refresh}',
    }),
  };
}

/** What a request is, as telemetry may show it: nothing secret. */
export interface RequestDescription {
  readonly method: string;
  /** `METHOD /template`, such as `GET /2/tweets/:id`. */
  readonly endpoint: string;
  readonly url: URL;
  readonly authKind: 'oauth1' | 'oauth2' | 'app-only';
}

/** Why the client waited. */
export type WaitReason = 'rate_limit' | 'retry_after' | 'pool_empty';

/**
 * The telemetry of one request: its span and the metrics it adds to. Every method is a no-op
 * without instruments.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client-span
 */
export class RequestTelemetry {
  readonly #instruments: ClientInstruments | undefined;
  readonly #span: SpanLike | undefined;
  readonly #metricAttributes: TelemetryAttributes;
  #resends = 0;

  /**
   * Runs `send` (the whole request: its attempts, waits and refreshes) with the request's
   * telemetry, its span the active one meanwhile: a token store's refresh or an HTTP
   * instrumentation's span started inside becomes its child.
   */
  static within<T>(
    instruments: ClientInstruments | undefined,
    request: RequestDescription,
    send: (telemetry: RequestTelemetry) => Promise<T>,
  ): Promise<T> {
    if (instruments === undefined) return send(new RequestTelemetry(undefined, {}));
    const metricAttributes = metricAttributesOf(request);
    const { tracer } = instruments.telemetry;
    const options = {
      kind: SPAN_KIND_CLIENT,
      attributes: {
        ...metricAttributes,
        'x_oauth.auth': request.authKind,
        'x_oauth.rate_limit.pool': `${request.authKind === 'app-only' ? 'app' : 'user'}:${request.endpoint}`,
      },
    };
    const withSpan = (span: SpanLike) => {
      // Redacting parses the URL again: only for a span that is kept (an SDK is registered and
      // the sampler took it), not for the no-op spans of the bare API.
      // Credential-like query values (`oauth_token`, `code`, `*_token`, …) are redacted.
      if (span.isRecording()) span.setAttributes({ 'url.full': redactUrl(request.url) });
      return send(new RequestTelemetry(instruments, metricAttributes, span));
    };
    return tracer.startActiveSpan === undefined
      ? withSpan(tracer.startSpan(request.endpoint, options))
      : tracer.startActiveSpan(request.endpoint, options, withSpan);
  }

  private constructor(
    instruments: ClientInstruments | undefined,
    metricAttributes: TelemetryAttributes,
    span?: SpanLike,
  ) {
    this.#instruments = instruments;
    this.#metricAttributes = metricAttributes;
    this.#span = span;
  }

  /** One attempt got an answer (`status`) or none (status 0), after `durationMs`. */
  attempt(status: number, durationMs: number, errorType: string | undefined): void {
    const instruments = this.#instruments;
    if (instruments === undefined) return;
    const attributes = { ...this.#metricAttributes, ...answerAttributes(status, errorType) };
    instruments.attemptDuration.record(durationMs / 1000, attributes);
    if (status === 429) instruments.rateLimited.add(1, this.#metricAttributes);
  }

  /** The client sends the request again after `reason` (an error code), waiting `delayMs`. */
  retry(reason: string, delayMs: number): void {
    this.#resends += 1;
    this.#span?.addEvent('x_oauth.retry', { 'error.type': reason, 'x_oauth.delay_ms': delayMs });
    this.#instruments?.retries.add(1, { ...this.#metricAttributes, 'error.type': reason });
  }

  /** The client waits `delayMs` before sending (again). */
  wait(reason: WaitReason, delayMs: number): void {
    this.#span?.addEvent('x_oauth.wait', {
      'x_oauth.wait.reason': reason,
      'x_oauth.delay_ms': delayMs,
    });
    const attributes = { ...this.#metricAttributes, 'x_oauth.wait.reason': reason };
    this.#instruments?.waits.add(1, attributes);
    this.#instruments?.waitDuration.record(delayMs / 1000, attributes);
  }

  /** X answered 401 and the credentials were refreshed (or re-obtained) for one more try. */
  refreshed(): void {
    this.#resends += 1;
    this.#span?.addEvent('x_oauth.refresh');
    this.#instruments?.refreshes.add(1, this.#metricAttributes);
  }

  /** X refused the OAuth 1.0a timestamp (error 135); the clock was corrected. */
  clockCorrected(offsetMs: number): void {
    this.#resends += 1;
    this.#span?.addEvent('x_oauth.clock_corrected', { 'x_oauth.clock_offset_ms': offsetMs });
  }

  /** The request is over: answered (`status`) or failed with `error`. */
  end(status: number | undefined, error?: unknown): void {
    const errorType = error === undefined ? undefined : errorTypeOf(error);
    const answer = answerAttributes(status ?? 0, errorType);
    this.#instruments?.requests.add(1, {
      ...this.#metricAttributes,
      ...answer,
      'x_oauth.outcome': errorType === undefined ? 'ok' : 'error',
    });
    const span = this.#span;
    if (span === undefined) return;
    if (this.#resends > 0) answer['http.request.resend_count'] = this.#resends;
    span.setAttributes(answer);
    // The status message is the stable code; the error's message is not copied.
    if (errorType !== undefined) span.setStatus({ code: SPAN_STATUS_ERROR, message: errorType });
    span.end();
  }
}

// The status of an answer (none for 0: no answer came) and the failure's type, if any.
function answerAttributes(status: number, errorType: string | undefined): TelemetryAttributes {
  const attributes: TelemetryAttributes = {};
  if (status > 0) attributes['http.response.status_code'] = status;
  if (errorType !== undefined) attributes['error.type'] = errorType;
  return attributes;
}

// The attributes every metric of a request carries: low-cardinality, nothing secret.
function metricAttributesOf(request: RequestDescription): TelemetryAttributes {
  return {
    'http.request.method': request.method,
    'server.address': request.url.hostname,
    'server.port': serverPort(request.url),
    'url.template': request.endpoint.slice(request.endpoint.indexOf(' ') + 1),
  };
}

function serverPort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}
