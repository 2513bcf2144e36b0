// How an attempt reaches X: one request out, its whole answer back. Two transports implement
// it: node:http(s) on Node.js (the default there) and any fetch (the caller's, or the global
// one elsewhere). The client above decides what an answer means; a transport only sends,
// enforces the attempt's timeout and the caller's abort, and reads the body.
import { systemErrorCodes } from '@x-oauth/internal';
import type { HeaderSource } from '../rate-limits/headers.js';

/**
 * One attempt to send.
 */
export interface TransportRequest {
  /** Upper-case method. */
  readonly method: string;
  readonly url: URL;
  /** Header names in lower case; `authorization` included. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: BodyInit | undefined;
  /** The caller's signal: when it aborts, the transport rejects with its reason. */
  readonly signal: AbortSignal | undefined;
  /** The attempt's time limit, body included. */
  readonly timeoutMs: number;
}

/**
 * A complete answer: redirects are never followed, so a 3xx comes back as it is.
 */
export interface TransportResponse {
  readonly status: number;
  /** Header lookups for the client's own reading (cheap, case-insensitive). */
  readonly headers: HeaderSource;
  /** The body decoded as UTF-8 (decompressed when X compressed it). */
  readonly text: string;
  /** Every header as a `Headers`, for the caller's `XResponse`; built on first use. */
  allHeaders(): Headers;
}

/**
 * Why an attempt got no complete answer, when the caller did not abort it.
 */
export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';
  /** `timeout`: the attempt ran out of time; `network`: no complete answer. */
  readonly kind: 'timeout' | 'network';
  /** The status, when the headers had arrived before the failure. */
  readonly status: number | undefined;
  /** The system error code (`ECONNREFUSED`, …), never a message (it may hold the URL). */
  readonly causeCode: string | undefined;

  constructor(kind: 'timeout' | 'network', status?: number, causeCode?: string) {
    super(kind === 'timeout' ? 'The attempt timed out.' : 'The attempt got no complete answer.');
    this.kind = kind;
    this.status = status;
    this.causeCode = causeCode;
  }
}

/**
 * Sends attempts. `send` resolves with the complete answer, rejects with a
 * {@link TransportFailure}, or (when the caller's signal aborted) with the signal's reason.
 */
export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
}

/**
 * The system error code of a failure (`error.code`, or fetch's `error.cause.code`), when it
 * looks like one; never a message.
 */
export function systemErrorCode(error: unknown): string | undefined {
  return systemErrorCodes(error)[0];
}
