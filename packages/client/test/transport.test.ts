// Both transports against a real HTTP server on loopback: what goes on the wire, how answers
// are read (decompression, repeated headers, a byte order mark), and how attempts end
// (timeout, the caller's abort, a refused connection, a body cut short). The node:http
// transport must behave as the fetch one does, so every case runs on both.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchTransport } from '../src/transport/fetch-transport.js';
import { loadNodeModules, nodeTransport } from '../src/transport/node-transport.js';
import {
  type Transport,
  TransportFailure,
  type TransportRequest,
} from '../src/transport/transport.js';

const JSON_BODY = JSON.stringify({ data: { id: '1', text: 'héllo ✓' } });

let server: Server;
let base: string;
const sockets = new Set<Socket>();
let connections = 0;

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const body = await readBody(request);
  switch (path) {
    case '/echo':
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: body.toString('base64'),
          remotePort: request.socket.remotePort,
        }),
      );
      return;
    case '/gzip':
    case '/deflate':
    case '/deflate-raw':
    case '/br': {
      const encode = {
        '/gzip': gzipSync,
        '/deflate': deflateSync,
        '/deflate-raw': deflateRawSync,
        '/br': brotliCompressSync,
      }[path];
      response.setHeader('content-encoding', path === '/deflate-raw' ? 'deflate' : path.slice(1));
      response.setHeader('content-type', 'application/json');
      response.end(encode(Buffer.from(JSON_BODY)));
      return;
    }
    case '/repeated':
      response.setHeader('x-rate-limit-remaining', ['7', '6']);
      response.setHeader('X-Mixed-Case', 'yes');
      response.end('');
      return;
    case '/bom':
      response.end(`\ufeff${JSON_BODY}`);
      return;
    case '/redirect':
      response.writeHead(302, { location: '/echo' });
      response.end();
      return;
    case '/slow':
      setTimeout(() => response.end('{}'), 50);
      return;
    case '/hang':
      // Never answers; the socket is destroyed when the server closes.
      return;
    case '/cut':
      // Headers and part of the body, then the connection drops.
      response.writeHead(200, { 'content-length': '1000', 'content-type': 'application/json' });
      response.write('{"data":');
      setTimeout(() => response.socket?.destroy(), 20);
      return;
    default:
      response.statusCode = 404;
      response.end();
  }
}

beforeAll(async () => {
  server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  server.on('connection', (socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  server.close();
});

beforeEach(() => {
  connections = 0;
});

function attempt(path: string, extra: Partial<TransportRequest> = {}): TransportRequest {
  return {
    method: 'GET',
    url: new URL(`${base}${path}`),
    headers: { authorization: 'Bearer test' },
    body: undefined,
    signal: undefined,
    timeoutMs: 5000,
    ...extra,
  };
}

async function echo(
  transport: Transport,
  extra: Partial<TransportRequest>,
): Promise<{ headers: Record<string, string>; body: Buffer; method: string; url: string }> {
  const answer = await transport.send(attempt('/echo', extra));
  const parsed = JSON.parse(answer.text) as {
    headers: Record<string, string>;
    body: string;
    method: string;
    url: string;
  };
  return { ...parsed, body: Buffer.from(parsed.body, 'base64') };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const node = nodeTransport();
if (node === undefined) throw new Error('node:http is not available to the transport');
const transports: [string, Transport][] = [
  ['node:http', node],
  ['fetch', fetchTransport(globalThis.fetch)],
];

describe.each(transports)('%s transport', (_name, transport) => {
  it('sends method, path, query and headers, and asks for compressed answers', async () => {
    const seen = await echo(transport, {
      url: new URL(`${base}/echo?ids=1%2C2&q=%20x`),
      headers: { authorization: 'Bearer test', 'x-extra': 'yes' },
    });
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/echo?ids=1%2C2&q=%20x');
    expect(seen.headers.authorization).toBe('Bearer test');
    expect(seen.headers['x-extra']).toBe('yes');
    expect(seen.headers['accept-encoding']).toMatch(/gzip/);
    expect(seen.headers['content-length']).toBeUndefined();
  });

  it('encodes each kind of body as fetch does', async () => {
    const json = await echo(transport, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"text":"héllo"}',
    });
    expect(json.headers['content-type']).toBe('application/json');
    expect(json.headers['content-length']).toBe(String(Buffer.byteLength('{"text":"héllo"}')));
    expect(json.body.toString('utf8')).toBe('{"text":"héllo"}');

    const text = await echo(transport, { method: 'POST', headers: {}, body: 'plain' });
    expect(text.headers['content-type']).toBe('text/plain;charset=UTF-8');

    const bytes = await echo(transport, {
      method: 'PUT',
      headers: {},
      body: new Uint8Array([0, 255, 1]),
    });
    expect([...bytes.body]).toEqual([0, 255, 1]);
    expect(bytes.headers['content-type']).toBeUndefined();

    const search = await echo(transport, {
      method: 'POST',
      headers: {},
      body: new URLSearchParams({ status: 'a b' }),
    });
    expect(search.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(search.body.toString()).toBe('status=a+b');

    const form = new FormData();
    form.append('media_category', 'tweet_image');
    form.append('media', new Blob([new Uint8Array([1, 2, 3])]), 'a.png');
    const multipart = await echo(transport, { method: 'POST', headers: {}, body: form });
    const contentType = multipart.headers['content-type'] ?? '';
    expect(contentType).toMatch(/^multipart\/form-data; boundary=/);
    const parsed = await new Response(new Uint8Array(multipart.body), {
      headers: { 'content-type': contentType },
    }).formData();
    expect(parsed.get('media_category')).toBe('tweet_image');
    const media = parsed.get('media') as File;
    expect([...new Uint8Array(await media.arrayBuffer())]).toEqual([1, 2, 3]);

    const empty = await echo(transport, { method: 'POST', headers: {} });
    expect(empty.headers['content-length']).toBe('0');
  });

  it.each(['/gzip', '/deflate', '/deflate-raw', '/br'])('decompresses %s answers', async (path) => {
    const answer = await transport.send(attempt(path));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(JSON_BODY);
  });

  it('reads repeated headers joined, names in any case, and every header as Headers', async () => {
    const answer = await transport.send(attempt('/repeated'));
    expect(answer.headers.get('x-rate-limit-remaining')).toBe('7, 6');
    expect(answer.headers.get('X-Rate-Limit-Remaining')).toBe('7, 6');
    expect(answer.headers.get('x-mixed-case')).toBe('yes');
    expect(answer.headers.get('x-absent')).toBeNull();
    const all = answer.allHeaders();
    expect(all).toBeInstanceOf(Headers);
    expect(all.get('x-rate-limit-remaining')).toBe('7, 6');
    expect(all.get('x-mixed-case')).toBe('yes');
  });

  it('drops a byte order mark, as fetch text() does', async () => {
    expect((await transport.send(attempt('/bom'))).text).toBe(JSON_BODY);
  });

  it('does not follow a redirect', async () => {
    const answer = await transport.send(attempt('/redirect'));
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/echo');
  });

  it('times an attempt out with a TransportFailure of kind timeout', async () => {
    const started = performance.now();
    const failure = await failureOf(transport.send(attempt('/hang', { timeoutMs: 150 })));
    expect(failure).toBeInstanceOf(TransportFailure);
    expect((failure as TransportFailure).kind).toBe('timeout');
    // Never early.
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('treats a timeout beyond what a timer holds as a long one, not as zero', async () => {
    // '/slow' answers after 50 ms: a timer set to 1 ms would have ended the attempt first.
    const answer = await transport.send(attempt('/slow', { timeoutMs: Number.MAX_SAFE_INTEGER }));
    expect(answer.status).toBe(200);
    // With a caller's signal too (the fetch transport then combines it with the timeout).
    const withSignal = await transport.send(
      attempt('/slow', {
        timeoutMs: Number.MAX_SAFE_INTEGER,
        signal: new AbortController().signal,
      }),
    );
    expect(withSignal.status).toBe(200);
  });

  it("rejects with the caller's reason when its signal aborts, before or during the attempt", async () => {
    const controller = new AbortController();
    const pending = transport.send(attempt('/hang', { signal: controller.signal }));
    setTimeout(() => controller.abort(new Error('caller gave up')), 30);
    expect(((await failureOf(pending)) as Error).message).toBe('caller gave up');

    const aborted = AbortSignal.abort(new Error('already'));
    expect(
      ((await failureOf(transport.send(attempt('/echo', { signal: aborted })))) as Error).message,
    ).toBe('already');
  });

  it('reports a body cut short as a network failure with the status that arrived', async () => {
    const failure = (await failureOf(transport.send(attempt('/cut')))) as TransportFailure;
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure.kind).toBe('network');
    expect(failure.status).toBe(200);
  });

  it('reports a refused connection with its system code and without the URL', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const failure = (await failureOf(
      transport.send(attempt('/echo', { url: new URL(`http://127.0.0.1:${port}/secret?code=x`) })),
    )) as TransportFailure;
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure.kind).toBe('network');
    expect(failure.causeCode).toBe('ECONNREFUSED');
    expect(`${failure.message} ${JSON.stringify(failure)}`).not.toMatch(/secret|code=x/);
  });
});

describe('node:http transport', () => {
  it('keeps the connection alive between attempts', async () => {
    const ports = new Set<number>();
    for (let index = 0; index < 5; index += 1) {
      const answer = await node.send(attempt('/echo'));
      ports.add((JSON.parse(answer.text) as { remotePort: number }).remotePort);
    }
    expect(ports.size).toBe(1);
    expect(connections).toBeLessThanOrEqual(1);
  });

  it('lets an answer slower than the idle-socket timeout arrive', async () => {
    const quickIdle = nodeTransport(loadNodeModules(), 20);
    if (quickIdle === undefined) throw new Error('node:http is not available');
    // '/slow' answers after 50 ms: longer than the 20 ms after which an idle socket is closed.
    const first = await quickIdle.send(attempt('/slow'));
    expect(first.status).toBe(200);
    expect(first.text).toBe('{}');
    const again = await quickIdle.send(attempt('/echo'));
    expect(again.status).toBe(200);
  });

  it('closes a socket left idle past the timeout, so the next attempt opens a new one', async () => {
    const quickIdle = nodeTransport(loadNodeModules(), 50);
    if (quickIdle === undefined) throw new Error('node:http is not available');
    const portOf = async () =>
      (JSON.parse((await quickIdle.send(attempt('/echo'))).text) as { remotePort: number })
        .remotePort;
    const first = await portOf();
    expect(await portOf()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await portOf()).not.toBe(first);
  });

  it('refuses a header value with a line break, sending nothing', async () => {
    const failure = (await failureOf(
      node.send(attempt('/echo', { headers: { 'x-bad': 'a\r\nb' } })),
    )) as TransportFailure;
    expect(failure).toBeInstanceOf(TransportFailure);
    expect(failure.causeCode).toBe('ERR_INVALID_CHAR');
    expect(connections).toBe(0);
  });

  it('is unavailable where process.getBuiltinModule is missing, so the client uses fetch', () => {
    const original = process.getBuiltinModule;
    try {
      Object.defineProperty(process, 'getBuiltinModule', { value: undefined, configurable: true });
      expect(loadNodeModules()).toBeUndefined();
      expect(nodeTransport()).toBeUndefined();
    } finally {
      Object.defineProperty(process, 'getBuiltinModule', { value: original, configurable: true });
    }
    expect(loadNodeModules()).toBeDefined();
  });
});
