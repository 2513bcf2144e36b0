// The forward proxy: an HTTP CONNECT proxy on loopback that tunnels X's host names (port 443)
// to the emulator's TLS listener and refuses every other host with a 403. It never opens a
// connection anywhere but the emulator, so nothing leaks to the real X by mistake.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { isXHost, X_HOST_NAMES } from './hosts.js';

/** Where the proxy sends the tunnels it accepts. */
export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

function refusal(what: string): string {
  return `The x-oauth emulator's proxy refuses ${what}: it tunnels only X's host names (${X_HOST_NAMES.join(', ')}) on port 443 to the local emulator, and never connects anywhere else.\n`;
}

/** Splits `host:port` (or `[v6]:port`) of a CONNECT request target. */
export function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(authority);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2] ?? '').toLowerCase(), port };
}

function refuseSocket(socket: Socket, message: string): void {
  const body = Buffer.from(message, 'utf8');
  socket.end(
    `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${message}`,
  );
}

/** Builds the proxy server; the caller listens, and closes it with `closeTunnels` first. */
export function createForwardProxy(target: ProxyTarget): {
  server: Server;
  closeTunnels: () => void;
} {
  const tunnels = new Set<Socket>();
  const server = createServer((request, response) => {
    // Absolute-form requests (`GET http://host/…`): X answers only over HTTPS, so none pass.
    let host = 'this request';
    try {
      host = new URL(request.url ?? '/').hostname || host;
    } catch {
      // origin-form or garbage: the message below still says what the proxy does.
    }
    request.resume();
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(refusal(`plain-HTTP proxying of ${host}; use https:// (CONNECT)`));
  });
  server.on('connect', (request: IncomingMessage, socket: Socket, head: Buffer) => {
    tunnels.add(socket);
    socket.on('close', () => tunnels.delete(socket));
    socket.on('error', () => socket.destroy());
    const authority = parseAuthority(request.url ?? '');
    if (authority === undefined || !isXHost(authority.host) || authority.port !== 443) {
      refuseSocket(socket, refusal(`CONNECT ${request.url ?? ''}`));
      return;
    }
    const upstream = connect(target.port, target.host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  });
  return {
    server,
    closeTunnels: () => {
      for (const socket of tunnels) socket.destroy();
    },
  };
}
