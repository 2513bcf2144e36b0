import { codeOf } from './error.js';

// OpenTelemetry without a dependency on it. The packages describe the few methods they call
// on tracers and meters as structural types, so the `@opentelemetry/api` objects an app passes
// fit them and no published `.d.ts` imports a package the app may not have. When the app
// passes no provider, the global ones of `@opentelemetry/api` are used if it is installed (an
// optional peer dependency), loaded once on first use; without it there is no telemetry.

/** Attribute values as OpenTelemetry accepts them. */
export type TelemetryAttributes = Record<string, string | number | boolean>;

/**
 * The part of an OpenTelemetry `Span` the packages use.
 *
 * @see https://opentelemetry.io/docs/specs/otel/trace/api/#span
 */
export interface SpanLike {
  /** False for the no-op spans of an API without an SDK (or a span sampled out). */
  isRecording(): boolean;
  setAttributes(attributes: TelemetryAttributes): unknown;
  addEvent(name: string, attributes?: TelemetryAttributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

/**
 * The part of an OpenTelemetry `Tracer` the packages use.
 *
 * @see https://opentelemetry.io/docs/specs/otel/trace/api/#tracer
 */
export interface TracerLike {
  startSpan(name: string, options?: SpanStartOptions): SpanLike;
  /**
   * Starts a span that is the active one while `fn` runs, so spans started inside it (the
   * token store's refresh under a client request, an HTTP instrumentation's) become its
   * children. Every OpenTelemetry tracer has it; without it, spans are not nested.
   */
  startActiveSpan?<T>(name: string, options: SpanStartOptions, fn: (span: SpanLike) => T): T;
}

/** The options of a span the packages start. */
export interface SpanStartOptions {
  kind?: number;
  attributes?: TelemetryAttributes;
}

/**
 * An OpenTelemetry `TracerProvider`, such as `trace.getTracerProvider()` or an SDK's.
 *
 * @see https://opentelemetry.io/docs/specs/otel/trace/api/#tracerprovider
 */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): TracerLike;
}

/** The part of an OpenTelemetry `Counter` the packages use. */
export interface CounterLike {
  add(value: number, attributes?: TelemetryAttributes): void;
}

/** The part of an OpenTelemetry `Histogram` the packages use. */
export interface HistogramLike {
  record(value: number, attributes?: TelemetryAttributes): void;
}

/** Options of an instrument: its description and unit (UCUM: `s`, `{request}`). */
export interface InstrumentOptions {
  description?: string;
  unit?: string;
}

/**
 * The part of an OpenTelemetry `Meter` the packages use.
 *
 * @see https://opentelemetry.io/docs/specs/otel/metrics/api/#meter
 */
export interface MeterLike {
  createCounter(name: string, options?: InstrumentOptions): CounterLike;
  createHistogram(name: string, options?: InstrumentOptions): HistogramLike;
}

/**
 * An OpenTelemetry `MeterProvider`, such as `metrics.getMeterProvider()` or an SDK's.
 *
 * @see https://opentelemetry.io/docs/specs/otel/metrics/api/#meterprovider
 */
export interface MeterProviderLike {
  getMeter(name: string, version?: string): MeterLike;
}

/**
 * Where telemetry goes. Both default to the global providers of `@opentelemetry/api` when it
 * is installed (no-ops until the app registers an SDK).
 *
 * @see https://opentelemetry.io/docs/languages/js/instrumentation/
 */
export interface TelemetryOptions {
  readonly tracerProvider?: TracerProviderLike | undefined;
  readonly meterProvider?: MeterProviderLike | undefined;
}

/** A tracer and a meter for one instrumentation scope. */
export interface Telemetry {
  readonly tracer: TracerLike;
  readonly meter: MeterLike;
}

// SpanKind and SpanStatusCode of @opentelemetry/api, whose enums cannot be imported without
// the package.
/** `SpanKind.INTERNAL`. */
export const SPAN_KIND_INTERNAL = 0;
/** `SpanKind.CLIENT`. */
export const SPAN_KIND_CLIENT = 2;
/** `SpanStatusCode.ERROR`. */
export const SPAN_STATUS_ERROR = 2;

/**
 * The `error.type` of a failure: its stable string `code` (an x-oauth code, or a system code
 * such as `ECONNRESET`), else its class name (`AbortError`), else `Error`; never its message.
 *
 * @see https://opentelemetry.io/docs/specs/semconv/attributes-registry/error/
 */
export function errorTypeOf(error: unknown): string {
  const code = codeOf(error);
  if (code !== undefined) return code;
  const name: unknown =
    typeof error === 'object' && error !== null ? Reflect.get(error, 'name') : undefined;
  return typeof name === 'string' ? name : 'Error';
}

interface GlobalProviders {
  trace: { getTracerProvider(): TracerProviderLike };
  metrics: { getMeterProvider(): MeterProviderLike };
}

let globalProviders: Promise<GlobalProviders | undefined> | undefined;

function loadGlobalProviders(): Promise<GlobalProviders | undefined> {
  globalProviders ??= import('@opentelemetry/api').then(
    (api: GlobalProviders) => api,
    () => undefined,
  );
  return globalProviders;
}

/**
 * The tracer and meter of instrumentation scope `scope`: from the given providers, else from
 * the global ones of `@opentelemetry/api` (no-ops until an SDK registers), else none when the
 * package is not installed or `options` is `false`.
 *
 * @see https://opentelemetry.io/docs/specs/otel/glossary/#instrumentation-scope
 */
export async function resolveTelemetry(
  options: TelemetryOptions | false | undefined,
  scope: string,
): Promise<Telemetry | undefined> {
  if (options === false) return undefined;
  let { tracerProvider, meterProvider } = options ?? {};
  if (tracerProvider === undefined || meterProvider === undefined) {
    const api = await loadGlobalProviders();
    if (api === undefined && tracerProvider === undefined && meterProvider === undefined) {
      return undefined;
    }
    tracerProvider ??= api?.trace.getTracerProvider() ?? NO_TRACER_PROVIDER;
    meterProvider ??= api?.metrics.getMeterProvider() ?? NO_METER_PROVIDER;
  }
  return { tracer: tracerProvider.getTracer(scope), meter: meterProvider.getMeter(scope) };
}

const NO_SPAN: SpanLike = {
  isRecording: () => false,
  setAttributes: () => NO_SPAN,
  addEvent: () => NO_SPAN,
  setStatus: () => NO_SPAN,
  end: () => {},
};
const NO_TRACER_PROVIDER: TracerProviderLike = {
  getTracer: () => ({ startSpan: () => NO_SPAN }),
};
const NO_METER_PROVIDER: MeterProviderLike = {
  getMeter: () => ({
    createCounter: () => ({ add: () => {} }),
    createHistogram: () => ({ record: () => {} }),
  }),
};
