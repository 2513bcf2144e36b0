import { XApiError, XApiErrorCode } from '../errors.js';
import { TransportFailure } from './transport.js';

/** A send that got no complete answer, as the error the request throws. */
export function transportError(error: unknown, endpoint: string, timeoutMs: number): XApiError {
  const cause = error instanceof TransportFailure ? error : new TransportFailure('network');
  return cause.kind === 'timeout'
    ? new XApiError(XApiErrorCode.Timeout, `${endpoint} got no answer within ${timeoutMs} ms.`, {
        endpoint,
        status: cause.status,
      })
    : new XApiError(
        XApiErrorCode.NetworkError,
        `${endpoint} got no complete answer from X (connection refused, reset or dropped).`,
        { endpoint, status: cause.status, causeCode: cause.causeCode },
      );
}
