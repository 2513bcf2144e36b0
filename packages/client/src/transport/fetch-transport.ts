// Attempts sent through a fetch: the caller's (a proxy's dispatcher, a mock, another runtime)
// or the global one where node:http is not available. Redirects are never followed (they
// could carry the Authorization header elsewhere); timeouts come from the deadline wheel,
// whose shared signals keep what undici charges per signal low.
import type { FetchLike } from '../auth/strategy.js';
import { DeadlineWheel } from '../deadline-wheel.js';
import {
  systemErrorCode,
  type Transport,
  TransportFailure,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

/**
 * A transport over `fetch`.
 *
 * @see https://fetch.spec.whatwg.org/#fetch-method
 */
export function fetchTransport(fetch: FetchLike, deadlines = new DeadlineWheel()): Transport {
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const deadline = deadlines.attempt(request.signal, request.timeoutMs);
      let response: Response | undefined;
      try {
        const init: RequestInit = {
          method: request.method,
          headers: request.headers,
          redirect: 'manual',
          signal: deadline.signal,
        };
        if (request.body !== undefined) init.body = request.body;
        response = await fetch(request.url.href, init);
        const text = await response.text();
        const headers = response.headers;
        return { status: response.status, headers, text, allHeaders: () => headers };
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        throw new TransportFailure(
          deadline.timedOut() ? 'timeout' : 'network',
          response?.status,
          systemErrorCode(error),
        );
      } finally {
        deadline.dispose();
      }
    },
  };
}
