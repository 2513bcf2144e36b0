// The network edge: sends one request with the injected fetch and reads answers, turning
// transport failures into BearerError without copying anything that could hold a secret.

import {
  type FetchLike,
  parseHttpDate,
  readRetryAt,
  sendOnce,
  systemErrorCodes,
} from '@x-oauth/internal';
import { describeUrl } from './endpoints.js';
import { BearerError, BearerErrorCode } from './errors.js';

/**
 * Checks a `fetch` option (callers without types may pass anything) before anything is sent.
 *
 * @throws {BearerError} `BEARER_INVALID_ARGUMENT` when it is given but is not a function.
 * @see https://fetch.spec.whatwg.org/#fetch-method
 */
export function checkFetch(fetchOption: FetchLike | undefined): FetchLike | undefined {
  if (fetchOption !== undefined && typeof fetchOption !== 'function') {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      '`fetch` must be a function with the shape of the global fetch.',
    );
  }
  return fetchOption;
}

function resolveFetch(fetchOption: FetchLike | undefined): FetchLike {
  const checked = checkFetch(fetchOption);
  if (checked !== undefined) return checked;
  if (typeof globalThis.fetch !== 'function') {
    throw new BearerError(
      BearerErrorCode.InvalidArgument,
      'No global fetch in this runtime; pass `fetch` in the options (Node >= 20 has one).',
    );
  }
  return (input, init) => globalThis.fetch(input, init);
}

function networkError(url: URL, error: unknown, during: string): BearerError {
  const codes = systemErrorCodes(error);
  const why = codes.length > 0 ? ` (${codes.join(', ')})` : '';
  return new BearerError(
    BearerErrorCode.NetworkError,
    `No answer from ${describeUrl(url)} ${during}${why}. Check the network, DNS and \`baseUrl\`, then retry.`,
  );
}

/**
 * Sends one request. An abort rejects with the signal's reason (as fetch does); any other
 * failure becomes `BEARER_NETWORK_ERROR`. Redirects are not followed: X does not redirect
 * these endpoints, and following one would resend the form body (which may hold a token).
 *
 * @see https://fetch.spec.whatwg.org/#concept-request-redirect-mode
 */
export function send(
  fetchOption: FetchLike | undefined,
  url: URL,
  init: RequestInit,
  signal: AbortSignal | undefined,
): Promise<Response> {
  return sendOnce(resolveFetch(fetchOption), url, init, signal, (error) =>
    networkError(url, error, 'while sending the request'),
  );
}

/**
 * The outcome of reading a body as JSON.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export type JsonBody =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly empty: boolean };

/**
 * Reads the body and parses it as JSON. A body that cannot be read (connection dropped)
 * is a network error; one that is not JSON is reported as such, never echoed.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259
 */
export async function readJson(response: Response): Promise<JsonBody> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    const url = response.url === '' ? undefined : safeUrl(response.url);
    throw url === undefined
      ? new BearerError(
          BearerErrorCode.NetworkError,
          'The connection failed while the answer was being read. Retry the request.',
        )
      : networkError(url, error, 'while reading the answer');
  }
  if (text.trim() === '') return { ok: false, empty: true };
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch {
    return { ok: false, empty: false };
  }
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/**
 * When X asks to try again: `Retry-After` (seconds, counted from the answer's `Date`, or an
 * HTTP-date), else `x-rate-limit-reset`; `undefined` when it said neither.
 *
 * @see https://docs.x.com/x-api/fundamentals/rate-limits
 */
export function retryAtOf(response: Response, now: () => number): Date | undefined {
  return readRetryAt(response.headers, parseHttpDate(response.headers.get('date')) ?? now());
}
