// OpenTelemetry for the safe refresh: the outcome of every `getFreshTokenSet`, a span per
// refresh under the lock (lock wait and token request as events), the lock waits and the
// token requests. Attributes hold outcomes and error codes only: never an owner, a user id
// or a token.
import {
  type CounterLike,
  errorTypeOf,
  type HistogramLike,
  resolveTelemetry,
  SPAN_KIND_INTERNAL,
  SPAN_STATUS_ERROR,
  type SpanLike,
  type TelemetryOptions,
  type TracerLike,
} from '@x-oauth/internal';

/** The instrumentation scope of the store's spans and metrics. */
export const STORE_SCOPE = '@x-oauth/token-store';

/**
 * How a `getFreshTokenSet` call ended: the stored set was `fresh`; a `refreshed` one came from
 * a token request (this call's, or one it shared or waited for); the grant is dead
 * (`needs_reauth`); or it `failed` (the stored tokens are kept).
 */
export type RefreshOutcome = 'fresh' | 'refreshed' | 'needs_reauth' | 'failed';

/** The store's instruments, made once per store. */
export interface StoreInstruments {
  readonly tracer: TracerLike;
  readonly outcomes: CounterLike;
  readonly lockWait: HistogramLike;
  readonly tokenRequests: CounterLike;
}

/**
 * The store's instruments from `options` (or the global providers of `@opentelemetry/api`);
 * never rejects: without telemetry it resolves to `undefined`.
 *
 * @see https://opentelemetry.io/docs/specs/otel/metrics/api/#meter
 */
export async function storeInstruments(
  options: TelemetryOptions | false | undefined,
): Promise<StoreInstruments | undefined> {
  try {
    const telemetry = await resolveTelemetry(options, STORE_SCOPE);
    if (telemetry === undefined) return undefined;
    const { meter } = telemetry;
    return {
      tracer: telemetry.tracer,
      outcomes: meter.createCounter('x_oauth.token_store.refreshes', {
        description: 'getFreshTokenSet calls by outcome: fresh, refreshed, needs_reauth or failed.',
        unit: '{call}',
      }),
      lockWait: meter.createHistogram('x_oauth.token_store.lock.wait.duration', {
        description: 'Time spent acquiring the cross-process refresh lock, acquired or not.',
        unit: 's',
      }),
      tokenRequests: meter.createCounter('x_oauth.token_store.token_requests', {
        description: 'Calls of the refresh callback (requests to the token endpoint), by result.',
        unit: '{request}',
      }),
    };
  } catch {
    // Telemetry must never fail the store: a provider that throws means no telemetry.
    return undefined;
  }
}

/** Records how one `getFreshTokenSet` call ended. */
export function recordOutcome(
  instruments: StoreInstruments | undefined,
  outcome: RefreshOutcome,
  error?: unknown,
): void {
  instruments?.outcomes.add(
    1,
    error === undefined ? { outcome } : { outcome, 'error.type': errorTypeOf(error) },
  );
}

const REFRESH_SPAN = 'x_oauth.token_store.refresh';
const REFRESH_SPAN_OPTIONS = { kind: SPAN_KIND_INTERNAL };

/**
 * The telemetry of one refresh under the lock: a span `x_oauth.token_store.refresh`. Every
 * method is a no-op without instruments.
 */
export class RefreshTelemetry {
  readonly #instruments: StoreInstruments | undefined;
  readonly #span: SpanLike | undefined;

  /**
   * Runs `refresh` with its telemetry, the refresh span the active one meanwhile: the token
   * request's spans (an HTTP instrumentation's, or the app's own in its refresh callback)
   * become its children.
   */
  static within<T>(
    instruments: StoreInstruments | undefined,
    refresh: (telemetry: RefreshTelemetry) => Promise<T>,
  ): Promise<T> {
    const tracer = instruments?.tracer;
    if (tracer === undefined) return refresh(new RefreshTelemetry(undefined, undefined));
    const withSpan = (span: SpanLike) => refresh(new RefreshTelemetry(instruments, span));
    return tracer.startActiveSpan === undefined
      ? withSpan(tracer.startSpan(REFRESH_SPAN, REFRESH_SPAN_OPTIONS))
      : tracer.startActiveSpan(REFRESH_SPAN, REFRESH_SPAN_OPTIONS, withSpan);
  }

  private constructor(instruments: StoreInstruments | undefined, span: SpanLike | undefined) {
    this.#instruments = instruments;
    this.#span = span;
  }

  /** The lock was acquired, or not (`timeout`, or a backend `error`), after `waitMs`. */
  lockWaited(waitMs: number, result: 'acquired' | 'timeout' | 'error'): void {
    this.#instruments?.lockWait.record(waitMs / 1000, { 'x_oauth.lock.result': result });
    this.#span?.addEvent('x_oauth.lock', {
      'x_oauth.lock.result': result,
      'x_oauth.lock.wait_ms': Math.round(waitMs),
    });
  }

  /** The refresh callback answered (`ok`) or failed. */
  tokenRequest(ok: boolean): void {
    const result = ok ? 'ok' : 'error';
    this.#instruments?.tokenRequests.add(1, { 'x_oauth.token_request.result': result });
    this.#span?.addEvent('x_oauth.token_request', { 'x_oauth.token_request.result': result });
  }

  /** The refresh is over: `refreshed` here, or `fresh` because a sibling refreshed first. */
  end(result: 'refreshed' | 'fresh' | undefined, error?: unknown): void {
    const span = this.#span;
    if (span === undefined) return;
    if (result !== undefined) span.setAttributes({ 'x_oauth.refresh.result': result });
    if (error !== undefined) {
      const type = errorTypeOf(error);
      span.setAttributes({ 'error.type': type });
      span.setStatus({ code: SPAN_STATUS_ERROR, message: type });
    }
    span.end();
  }
}
