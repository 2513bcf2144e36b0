// Attempts sent through node:http and node:https with keep-alive agents: the default on
// Node.js. Against a server that answers in a tenth of a millisecond, Node 20's fetch costs
// about four times the CPU per request of node:http (WHATWG Request, Headers, Response and
// stream objects, and per-signal bookkeeping), more than everything else the client does.
// The modules come from process.getBuiltinModule (Node 20.16+), so nothing here is imported
// where they do not exist: there `nodeTransport()` returns undefined and fetch is used.
//
// What fetch would do is kept: no redirect is followed, gzip, deflate and br answers are
// decompressed, bodies are encoded as fetch encodes them. A timer per attempt destroys the
// request when its time is up; the caller's signal destroys it when it aborts.
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Zlib from 'node:zlib';
import type { HeaderSource } from '../rate-limits/headers.js';
import { timerDelay } from '../timer-delay.js';
import { type EncodedBody, encodeBody } from './request-body.js';
import {
  systemErrorCode,
  type Transport,
  TransportFailure,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';

/** The built-in modules the transport needs. */
export interface NodeModules {
  readonly http: typeof Http;
  readonly https: typeof Https;
  readonly zlib: typeof Zlib;
}

// What fetch asks for, and decodes, by default.
const ACCEPT_ENCODING = 'gzip, deflate, br';
// How long an idle kept-alive socket is kept (undici's default). A server's
// `Keep-Alive: timeout=N` hint shortens it to N - 1 s, so a socket the server is about to
// close is not picked for the next request.
const IDLE_SOCKET_MS = 4000;
const BYTE_ORDER_MARK = 0xfeff;

/** node:http, node:https and node:zlib, where the runtime has them; undefined elsewhere. */
export function loadNodeModules(): NodeModules | undefined {
  const host = typeof process === 'object' && process !== null ? process : undefined;
  if (typeof host?.getBuiltinModule !== 'function') return undefined;
  try {
    return {
      http: host.getBuiltinModule('node:http'),
      https: host.getBuiltinModule('node:https'),
      zlib: host.getBuiltinModule('node:zlib'),
    };
  } catch {
    return undefined;
  }
}

interface Agents {
  readonly http: Http.Agent;
  readonly https: Https.Agent;
}

function newAgents(modules: NodeModules, idleSocketMs: number): Agents {
  // `timeout` only closes idle pooled sockets: on a socket in use it raises a 'timeout' event
  // nobody listens to, so a slow answer still arrives (the attempt's own timer bounds it).
  return {
    http: new modules.http.Agent({ keepAlive: true, timeout: idleSocketMs }),
    https: new modules.https.Agent({ keepAlive: true, timeout: idleSocketMs }),
  };
}

// One pool of connections per process, as fetch's global dispatcher keeps.
let sharedAgents: Agents | undefined;

function processAgents(modules: NodeModules): Agents {
  sharedAgents ??= newAgents(modules, IDLE_SOCKET_MS);
  return sharedAgents;
}

// Header lookups over node's parsed headers: lower-case names, repeated values joined with
// ", " as Headers.get joins them.
class MessageHeaders implements HeaderSource {
  readonly #headers: Http.IncomingHttpHeaders;

  constructor(headers: Http.IncomingHttpHeaders) {
    this.#headers = headers;
  }

  get(name: string): string | null {
    const value = this.#headers[name.toLowerCase()];
    if (value === undefined) return null;
    return typeof value === 'string' ? value : value.join(', ');
  }
}

class NodeResponse implements TransportResponse {
  readonly status: number;
  readonly headers: HeaderSource;
  readonly text: string;
  readonly #rawHeaders: readonly string[];
  #all: Headers | undefined;

  constructor(message: Http.IncomingMessage, text: string) {
    this.status = message.statusCode ?? 0;
    this.headers = new MessageHeaders(message.headers);
    this.text = text;
    this.#rawHeaders = message.rawHeaders;
  }

  allHeaders(): Headers {
    if (this.#all !== undefined) return this.#all;
    const all = new Headers();
    const raw = this.#rawHeaders;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      try {
        all.append(raw[index] as string, raw[index + 1] as string);
      } catch {
        // A header Headers refuses (a name fetch forbids): the client's own lookups have it.
      }
    }
    this.#all = all;
    return all;
  }
}

function decompress(zlib: NodeModules['zlib'], encoding: string | undefined, body: Buffer): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      // Z_SYNC_FLUSH: what fetch implementations accept at the end of a gzip stream.
      return zlib.gunzipSync(body, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      // Some servers send raw deflate under this name; the first byte tells which.
      return ((body[0] ?? 0) & 0x0f) === 0x08
        ? zlib.inflateSync(body, { finishFlush: zlib.constants.Z_SYNC_FLUSH })
        : zlib.inflateRawSync(body, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.brotliDecompressSync(body);
    default:
      // identity, or an encoding nobody asked for: the bytes as they came, as fetch does.
      return body;
  }
}

function utf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
}

/**
 * A transport over node:http and node:https, or `undefined` on a runtime without them.
 */
export function nodeTransport(
  found = loadNodeModules(),
  idleSocketMs?: number,
): Transport | undefined {
  if (found === undefined) return undefined;
  const modules = found;
  const { zlib } = modules;
  // The process's shared pool, or (for tests) a pool of its own with another idle timeout.
  const agents =
    idleSocketMs === undefined ? processAgents(modules) : newAgents(modules, idleSocketMs);

  function dispatch(request: TransportRequest, body: EncodedBody | undefined) {
    return new Promise<TransportResponse>((resolve, reject) => {
      const { url, signal } = request;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const secure = url.protocol === 'https:';
      const hostname = url.hostname;
      const client = secure ? modules.https : modules.http;
      let outgoing: Http.ClientRequest;
      try {
        outgoing = client.request({
          protocol: url.protocol,
          // node wants an IPv6 address without the URL's brackets.
          hostname: hostname.startsWith('[') ? hostname.slice(1, -1) : hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          agent: secure ? agents.https : agents.http,
        });
      } catch (error) {
        // A header value node refuses (a line break, say): nothing was sent.
        reject(new TransportFailure('network', undefined, systemErrorCode(error)));
        return;
      }
      let status: number | undefined;
      let timedOut = false;
      let settled = false;
      const onAbort = (): void => {
        fail();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        fail();
      }, timerDelay(request.timeoutMs));
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        return true;
      };
      const fail = (error?: unknown): void => {
        if (!settle()) return;
        outgoing.destroy();
        if (signal?.aborted) reject(signal.reason);
        else if (timedOut) reject(new TransportFailure('timeout', status));
        else reject(new TransportFailure('network', status, systemErrorCode(error)));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.on('error', fail);
      // Closed with neither an answer nor an error: never leave the promise pending.
      outgoing.on('close', () => {
        if (status === undefined) fail();
      });
      outgoing.on('response', (message) => {
        status = message.statusCode;
        const chunks: Buffer[] = [];
        message.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
        });
        message.on('error', fail);
        // A connection closed before the end of the body.
        message.on('close', () => {
          if (!message.complete) fail();
        });
        message.on('end', () => {
          if (settled) return;
          let text: string;
          try {
            const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            text = utf8(decompress(zlib, message.headers['content-encoding'], bytes));
          } catch (error) {
            fail(error);
            return;
          }
          if (settle()) resolve(new NodeResponse(message, text));
        });
      });
      if (request.headers['accept-encoding'] === undefined) {
        outgoing.setHeader('accept-encoding', ACCEPT_ENCODING);
      }
      if (body === undefined) {
        outgoing.end();
        return;
      }
      if (body.contentType !== undefined && request.headers['content-type'] === undefined) {
        outgoing.setHeader('content-type', body.contentType);
      }
      outgoing.end(body.data);
    });
  }

  return {
    send(request: TransportRequest): Promise<TransportResponse> {
      if (request.body === undefined) return dispatch(request, undefined);
      let encoded: EncodedBody | Promise<EncodedBody>;
      try {
        encoded = encodeBody(request.body);
      } catch (error) {
        return Promise.reject(new TransportFailure('network', undefined, systemErrorCode(error)));
      }
      if (!(encoded instanceof Promise)) return dispatch(request, encoded);
      return encoded.then(
        (body) => dispatch(request, body),
        (error: unknown) => {
          if (request.signal?.aborted) throw request.signal.reason;
          throw new TransportFailure('network', undefined, systemErrorCode(error));
        },
      );
    },
  };
}
