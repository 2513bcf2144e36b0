// Starts the web app on loopback with @hono/node-server and builds its context once the port
// is known (the callbacks name it).
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { BearerTokenProvider, createMemoryRateLimitStore } from '@x-oauth/client';
import type { TokenStore } from '@x-oauth/token-store';
import type { Hono } from 'hono';
import type { DemoConfig } from '../config.js';
import { recordingFetch } from '../wire/recorder.js';
import { createWebApp } from './app.js';
import type { WebContext } from './context.js';
import { SESSION_COOKIE } from './cookies.js';
import { SessionStore } from './sessions.js';

/** Options of {@link startWebServer}. */
export interface WebServerOptions {
  readonly config: DemoConfig;
  readonly store: TokenStore;
  /** Default 3000; 0 picks a free port. */
  readonly port?: number | undefined;
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** Where errors go; stderr by default. */
  readonly log?: ((line: string) => void) | undefined;
}

/** The port is taken: says which one, and how to pick another. */
export class PortInUseError extends Error {
  readonly code = 'DEMO_PORT_IN_USE';
  readonly port: number;

  constructor(host: string, port: number) {
    super(
      `Port ${port} on ${host} is already in use (another demo, or another server). Stop it, or choose another port: PORT=4000 npm run demo`,
    );
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/** A running web app. */
export interface WebServer {
  /** e.g. `http://127.0.0.1:3000` */
  readonly url: string;
  readonly context: WebContext;
  /** Stops listening and closes open connections (the store is the caller's). */
  close(): Promise<void>;
}

/** Listens, then serves the demo. */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const callbackPath =
    options.config.callbackUrl === undefined
      ? '/callback'
      : new URL(options.config.callbackUrl).pathname;
  if (callbackPath !== '/callback') {
    // The OAuth 1.0a callback route and its cookie live at /callback.
    throw new Error(
      `X_CALLBACK_URL must end in /callback (the demo's route), not ${callbackPath}.`,
    );
  }
  const host = options.host ?? '127.0.0.1';
  let app: Hono | undefined;
  const server = createAdaptorServer({
    fetch: (request, env) =>
      app === undefined ? new Response('Starting', { status: 503 }) : app.fetch(request, env),
    hostname: host,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(host, options.port ?? 3000) : error),
    );
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const { config } = options;
  const context: WebContext = {
    config,
    store: options.store,
    cookieKey: new Uint8Array(randomBytes(32)),
    sessions: new SessionStore({ maxAgeMs: SESSION_COOKIE.maxAgeSeconds * 1000 }),
    rateLimits: createMemoryRateLimitStore(),
    bearer: new BearerTokenProvider({
      consumer: config.consumer,
      baseUrl: config.apiBaseUrl,
      fetch: recordingFetch(),
    }),
    origin,
    redirectUri: `${origin}/oauth2/callback`,
    oauth1CallbackUrl: config.callbackUrl ?? `${origin}/callback`,
    secureCookies: origin.startsWith('https:'),
  };
  app = createWebApp(context, log);
  return {
    url: origin,
    context,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
