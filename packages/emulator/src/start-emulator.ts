// Starts an emulator: resolves options, loads or seeds the state, wires the runtime, the
// routes and the HTTP server, and returns the control surface.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryNonceCache } from '@x-oauth/oauth1-signature';
import { createClock } from './clock.js';
import { createControls } from './controls.js';
import { createFaultRegistry, seededChance } from './faults.js';
import { createRouter } from './http/router.js';
import { resolveOptions } from './options.js';
import { loadStateFile, saveStateFile } from './persistence.js';
import { cryptoRandom } from './random.js';
import { controlRoutes } from './routes/control.js';
import { X_ROUTES } from './routes/table.js';
import type { EmulatorRuntime } from './runtime.js';
import { createRequestListener } from './server.js';
import { createSeededState, toPublicApp } from './state.js';
import { type CaFiles, ensureCa, issueLeaf } from './tls/certificates.js';
import { createForwardProxy } from './tls/proxy.js';
import type { Emulator, EmulatorOptions } from './types.js';

/**
 * Starts a local X on loopback: OAuth 1.0a (3-legged and PIN), app-only bearer tokens,
 * OAuth 2.0 with PKCE, and a few v1.1 and v2 endpoints, with X's wire formats, errors and
 * rate-limit headers. Resolves once it listens.
 *
 * @example
 * const x = await startEmulator();
 * const response = await fetch(`${x.url}/oauth2/token`, { method: 'POST', ... });
 * await x.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const clock = createClock(resolved.clock);
  const state =
    (resolved.statePath === undefined ? undefined : loadStateFile(resolved.statePath)) ??
    createSeededState(resolved.seed, clock.now());
  const seededApp = state.apps.get(state.seeded.appId);
  const seededPublicApp = state.apps.get(state.seeded.publicAppId);
  if (seededApp === undefined || seededPublicApp === undefined) {
    throw new Error('The state file lacks the seeded apps; delete it to start afresh.');
  }
  const runtime: EmulatorRuntime = {
    state,
    options: resolved,
    settings: { strictRefreshReuse: resolved.strictRefreshReuse },
    clock,
    random: cryptoRandom,
    nonceCache: createMemoryNonceCache({
      windowSeconds: resolved.timestampWindowSeconds,
      now: clock.now,
    }),
    rateLimitPools: new Map(),
    faults: createFaultRegistry(
      seededChance(createHmac('sha256', resolved.seed).update('faults').digest().readUInt32BE(0)),
    ),
    log: [],
    persist() {
      if (resolved.statePath !== undefined) saveStateFile(resolved.statePath, state);
    },
  };
  runtime.persist();
  const controls = createControls(runtime);
  const match = createRouter([...X_ROUTES, ...(resolved.control ? controlRoutes(controls) : [])]);
  const listener = createRequestListener(runtime, match);
  let ca: CaFiles | undefined;
  let server: Server;
  if (resolved.tls === undefined) {
    server = createServer(listener);
  } else {
    ca =
      resolved.tls.kind === 'dir'
        ? await ensureCa(resolved.tls.caDir)
        : { certPath: resolved.tls.certPath, keyPath: resolved.tls.keyPath };
    const work = mkdtempSync(join(tmpdir(), 'x-oauth-emulator-'));
    try {
      server = createHttpsServer(await issueLeaf(ca, work), listener);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  await listen(server, resolved.port, resolved.host);
  const { port } = server.address() as AddressInfo;
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let proxy: Server | undefined;
  let closeTunnels = (): void => {};
  if (resolved.proxy) {
    const forward = createForwardProxy({ host: resolved.host, port });
    proxy = forward.server;
    closeTunnels = forward.closeTunnels;
    try {
      await listen(proxy, resolved.proxyPort, resolved.host);
    } catch (error) {
      server.close();
      throw error;
    }
  }
  const proxyUrl =
    proxy === undefined
      ? undefined
      : `http://${hostInUrl}:${(proxy.address() as AddressInfo).port}`;

  return {
    url: `${ca === undefined ? 'http' : 'https'}://${hostInUrl}:${port}`,
    port,
    caCertPath: ca?.certPath,
    proxyUrl,
    app: toPublicApp(seededApp),
    publicApp: toPublicApp(seededPublicApp),
    get apps() {
      return controls.apps();
    },
    get users() {
      return controls.users();
    },
    addApp: controls.addApp,
    addUser: controls.addUser,
    addCallbackUrl: controls.addCallbackUrl,
    advanceClock: controls.advanceClock,
    now: controls.now,
    setAppPermission: controls.setAppPermission,
    revokeUserTokens: controls.revokeUserTokens,
    issueOAuth1Token: controls.issueOAuth1Token,
    issueOAuth2Token: controls.issueOAuth2Token,
    requestLog: controls.requestLog,
    clearRequestLog: controls.clearRequestLog,
    injectFault: controls.injectFault,
    clearFaults: controls.clearFaults,
    rateLimitState: controls.rateLimitState,
    setStrictRefreshReuse: controls.setStrictRefreshReuse,
    close: async () => {
      if (proxy !== undefined) {
        closeTunnels();
        await closeServer(proxy);
      }
      await closeServer(server);
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error === undefined ? resolve() : reject(error)));
    server.closeAllConnections();
  });
}
