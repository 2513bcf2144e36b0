// A recording fetch for unit tests: answers from a handler, keeps every request it saw.
import type { FetchLike } from '@x-oauth/internal';

export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string;
  readonly signal: AbortSignal | undefined;
  readonly redirect: RequestRedirect | undefined;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export interface FakeFetch {
  readonly fetch: FetchLike;
  readonly requests: RecordedRequest[];
}

export function fakeFetch(handler: Handler): FakeFetch {
  const requests: RecordedRequest[] = [];
  const fetch: FetchLike = async (input, init) => {
    const request: RecordedRequest = {
      url: input,
      method: init.method ?? 'GET',
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : '',
      signal: init.signal ?? undefined,
      redirect: init.redirect,
    };
    requests.push(request);
    return handler(request);
  };
  return { fetch, requests };
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** A v1.1 error body as X sends it. */
export function v1Error(status: number, code: number, message: string, label?: string): Response {
  const entry = label === undefined ? { code, message } : { code, message, label };
  return json(status, { errors: [entry] });
}

/** Resolves after `ms` real milliseconds, or rejects when `signal` aborts. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

export const CONSUMER = {
  key: 'xvz1evFS4wEEPTGEFPHBog',
  secret: 'L8qq9PZyRg6ieKGEKhZolGC0vJWLw8iEJ88DRdyOg',
} as const;

export const OWNER = {
  key: '370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb',
  secret: 'LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE',
} as const;

/** A token shaped like X's, with the %-escapes clients must send verbatim. */
export const TOKEN =
  'AAAAAAAAAAAAAAAAAAAAAFnz2wAAAAAAxTmQbp%2BIHDtAhTBbyNJon%2BA72K4%3DeIaigY0QBrv6Rp8KZQQ';

export const TOKEN_BODY = { token_type: 'bearer', access_token: TOKEN };
