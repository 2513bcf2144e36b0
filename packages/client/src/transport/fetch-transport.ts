// Attempts sent through a fetch: the caller's (a proxy's dispatcher, a mock, another runtime)
// or the global one where node:http is not available. Redirects are never followed (they
// could carry the Authorization header elsewhere). Each attempt's signal is the caller's and
// its own timeout together, AbortSignal.any([signal, AbortSignal.timeout(ms)]).
import type { FetchLike } from '../auth/strategy.js';
import { timerDelay } from '../timer-delay.js';
import {
  systemErrorCode,
  type Transport,
  TransportFailure,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

/**
 * A transport over `fetch`.
 */
export function fetchTransport(fetch: FetchLike): Transport {
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const timeout = AbortSignal.timeout(timerDelay(request.timeoutMs));
      const signal =
        request.signal === undefined ? timeout : AbortSignal.any([request.signal, timeout]);
      let response: Response | undefined;
      try {
        const init: RequestInit = {
          method: request.method,
          headers: request.headers,
          redirect: 'manual',
          signal,
        };
        if (request.body !== undefined) init.body = request.body;
        response = await fetch(request.url.href, init);
        const text = await response.text();
        const headers = response.headers;
        return { status: response.status, headers, text, allHeaders: () => headers };
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        throw new TransportFailure(
          timeout.aborted ? 'timeout' : 'network',
          response?.status,
          systemErrorCode(error),
        );
      }
    },
  };
}
