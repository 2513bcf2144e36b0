import type { FetchLike } from './types.js';

/**
 * Sends one request through the caller's `fetch` (the global one when none is given) and
 * returns the raw `Response`. Redirects are not followed: X's token endpoints never redirect,
 * and a 307 or 308 would replay a body holding a code, a verifier or a token to another URL.
 * An abort through `signal` rejects with the signal's reason, as `fetch` itself does; any
 * other failure becomes the caller's own network error, made from the failure without copying
 * its message (which may quote the request).
 *
 * @see https://fetch.spec.whatwg.org/#concept-request-redirect-mode
 */
export async function sendOnce(
  fetch: FetchLike | undefined,
  url: URL,
  init: RequestInit,
  signal: AbortSignal | undefined,
  networkError: (cause: unknown) => Error,
): Promise<Response> {
  signal?.throwIfAborted();
  const send = fetch ?? globalThis.fetch;
  const requestInit: RequestInit = { ...init, redirect: 'manual' };
  if (signal !== undefined) requestInit.signal = signal;
  try {
    return await send(url.href, requestInit);
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw networkError(error);
  }
}

/**
 * Awaits `work` (reading and parsing an answer); when `signal` was aborted meanwhile, throws
 * the abort reason rather than the network error the abort caused, as `fetch` itself does.
 *
 * @see https://dom.spec.whatwg.org/#abortsignal-reason
 */
export async function unlessAborted<T>(
  signal: AbortSignal | undefined,
  work: Promise<T>,
): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw error;
  }
}
