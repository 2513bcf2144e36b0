// A Redis Cluster primary killed (SIGKILL) in the middle of a multi-process refresh race, its
// replica promoted: no refresh token lost, no torn record, and callers see at worst typed
// retryable errors (and succeed when they try again). The killed node is restarted afterwards
// (it rejoins as a replica) before the next trial.
//
// It runs on a private cluster of its own (six redis-server processes on free ports, a 1 s
// node timeout, torn down afterwards), so killing nodes never disturbs the shared test cluster
// that other test files use in parallel. Trials: X_OAUTH_FAILOVER_TRIALS, default 3.
import { spawnSync } from 'node:child_process';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import {
  endpointsFromBaseUrl,
  type OAuth2Client,
  type OAuth2Endpoints,
  refreshToken,
  TokenSet,
} from '@x-oauth/pkce';
import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring, createTokenStore, type TokenStore, TokenStoreError } from '../src/index.js';
import {
  assertDistBuilt,
  randomKeyringConfig,
  redisClusterClient,
  type SharedBackend,
  setUpSharedBackend,
  WorkerProcess,
} from './workers/fixtures.js';
import {
  type PrivateRedisCluster,
  startPrivateRedisCluster,
} from './workers/private-redis-cluster.js';

const TRIALS = Number(process.env.X_OAUTH_FAILOVER_TRIALS ?? 3);
const PROCESSES = 4;
const CALLERS = 25;
const SCOPES = ['tweet.read', 'users.read', 'offline.access'] as const;
const TOKEN_ENDPOINT = 'POST /2/oauth2/token';
const RETRYABLE_CODES = new Set(['TOKEN_STORE_BACKEND_ERROR', 'TOKEN_STORE_LOCK_TIMEOUT']);
/**
 * X holds the winning refresh this long, and the primary is killed in the middle of it: the
 * dangerous moment, when X has rotated the refresh token and the store has yet to write it.
 */
const REFRESH_LATENCY_MS = 600;
const KILL_AFTER_MS = 250;

let x: Emulator;
let client: OAuth2Client & { clientSecret: string };
let endpoints: OAuth2Endpoints;
let shared: SharedBackend;
let store: TokenStore;
let cluster: PrivateRedisCluster;
let admin: Cluster;
const keyringConfig = randomKeyringConfig();

beforeAll(async () => {
  assertDistBuilt();
  cluster = await startPrivateRedisCluster({ nodeTimeoutMs: 1000 });
  admin = redisClusterClient(cluster.nodes);
  x = await startEmulator({
    port: 0,
    strictRefreshReuse: true,
    rateLimits: { [TOKEN_ENDPOINT]: { limit: 1_000_000, appLimit: 1_000_000 } },
  });
  const { clientId, clientSecret } = x.app;
  if (clientSecret === undefined) throw new Error('the seeded app should be confidential');
  client = { clientId, clientSecret };
  endpoints = endpointsFromBaseUrl(x.url);
  shared = await setUpSharedBackend('redis-cluster', 'failover', { clusterNodes: cluster.nodes });
  store = createTokenStore({ backend: shared.open(), keyring: createKeyring(keyringConfig) });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await shared?.cleanup();
  admin?.disconnect();
  await cluster?.stop();
  await x?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function clusterHealthy(nodeCount: number): Promise<boolean> {
  try {
    const info = String(await admin.cluster('INFO'));
    const nodes = String(await admin.cluster('NODES'))
      .split('\n')
      .filter((line) => line.includes('connected') && !line.includes('fail'));
    if (!info.includes('cluster_state:ok') || nodes.length < nodeCount) return false;
    // Every replica in sync with its primary (a rejoined node first resyncs).
    for (const port of replicaPorts(nodes)) {
      const replication = spawnSync('redis-cli', ['-p', String(port), 'info', 'replication'], {
        encoding: 'utf8',
      }).stdout;
      if (!replication.includes('master_link_status:up')) return false;
      if (replication.includes('master_sync_in_progress:1')) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function replicaPorts(nodeLines: string[]): number[] {
  return nodeLines
    .filter((line) => line.split(' ')[2]?.includes('slave'))
    .map((line) => Number(/:(\d+)@/.exec(line)?.[1]));
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The port of the primary holding `key`. */
async function primaryOf(key: string): Promise<number> {
  // A fresh client: the long-lived one may still hold the topology before the last failover.
  const probe = redisClusterClient(cluster.nodes);
  try {
    await new Promise((resolve) => probe.once('ready', resolve));
    return await holderAmong(probe.nodes('master'), key);
  } finally {
    probe.disconnect();
  }
}

async function holderAmong(nodes: Redis[], key: string): Promise<number> {
  for (const node of nodes) {
    // A primary that does not serve the key's slot answers MOVED.
    const holds = await node.exists(key).then(
      (count) => count === 1,
      () => false,
    );
    if (holds && node.options.port !== undefined) return node.options.port;
  }
  throw new Error('no primary holds the row');
}

async function writeExpiredSet(userId: string): Promise<void> {
  const issued = x.issueOAuth2Token(x.app.id, userId, SCOPES);
  if (issued.refreshToken === undefined) throw new Error('offline.access yields a refresh token');
  const expired = new TokenSet({
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: Date.now() - 1_000,
    scopes: [...SCOPES],
    tokenType: 'bearer',
  });
  const current = await store.writer.get(x.app.id, userId);
  await store.writer.putOAuth2(x.app.id, userId, expired, {
    expectedVersion: current?.version ?? 0,
  });
}

/** Runs `work` again while it fails with a retryable typed error, for up to 15 s. */
async function retrying<T>(work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      const retryable = error instanceof TokenStoreError && error.retryable;
      if (!retryable || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}

interface RaceResult {
  answered: number;
  accessTokens: string[];
  failures: { code?: string; causeCode?: string; message: string }[];
}

describe('redis cluster: a primary killed during refreshes', () => {
  it(`${TRIALS} kills during ${PROCESSES}x${CALLERS} races: 0 lost, 0 torn, only retryable errors`, async () => {
    const workers = Array.from({ length: PROCESSES }, () => new WorkerProcess('./race-worker.mjs'));
    const problems: string[] = [];
    let victim: number | undefined;
    let killsDuringRefresh = 0;
    try {
      await Promise.all(
        workers.map((worker) =>
          worker.request('init', {
            backend: shared.config,
            keyring: keyringConfig,
            client,
            emulatorUrl: x.url,
            appId: x.app.id,
          }),
        ),
      );
      for (let trial = 1; trial <= TRIALS; trial++) {
        await waitFor(() => clusterHealthy(6), 30_000, 'a whole cluster');
        const user = x.addUser({ screenName: `failover_${trial}` });
        await writeExpiredSet(user.id);
        const rowKey = `${shared.config.kind === 'redis-cluster' ? shared.config.prefix : ''}row:${encodeURIComponent(x.app.id)}:${encodeURIComponent(user.id)}`;
        victim = await primaryOf(rowKey);
        x.clearRequestLog();
        x.injectFault({
          endpoint: TOKEN_ENDPOINT,
          kind: 'latency',
          latencyMs: REFRESH_LATENCY_MS,
          times: 1,
        });
        const at = Date.now() + 40;
        const racing = Promise.all(
          workers.map((worker) =>
            worker.request<RaceResult>('race', {
              appId: x.app.id,
              userId: user.id,
              callers: CALLERS,
              at,
            }),
          ),
        );
        // Kill the row's primary while the refresh is in flight.
        await sleep(at - Date.now() + KILL_AFTER_MS);
        const killedAt = Date.now();
        await cluster.kill(victim);
        const results = await racing;
        const failures = results.flatMap((result) => result.failures);
        const raceTokenRequests = x
          .requestLog()
          .filter((entry) => entry.endpoint === TOKEN_ENDPOINT);
        if (
          raceTokenRequests.some(
            (entry) => entry.at <= killedAt && killedAt < entry.at + REFRESH_LATENCY_MS,
          )
        ) {
          killsDuringRefresh += 1;
        }
        console.info(
          `failover trial ${trial}: ${raceTokenRequests.length} token requests during the race, first failure ${JSON.stringify(results.flatMap((result) => result.failures)[0])}`,
        );
        for (const failure of failures) {
          if (failure.code === undefined || !RETRYABLE_CODES.has(failure.code)) {
            problems.push(`trial ${trial}: untyped or final error ${JSON.stringify(failure)}`);
          }
        }
        await waitFor(() => clusterHealthy(5), 30_000, 'the replica promoted');
        // The killed node restarts and rejoins as the new primary's replica: until then the
        // shard has no replica, and refresh locks (which need one to acknowledge) fail retryably.
        await cluster.restart(victim);
        victim = undefined;
        await waitFor(() => clusterHealthy(6), 30_000, 'the killed node back');
        // Callers that failed try again, as the retryable error tells them to (this process's
        // own client may still route to the dead node for a moment).
        const again = await retrying(() =>
          store.writer.getFreshTokenSet(x.app.id, user.id, (set, signal) =>
            refreshToken({ client, tokenSet: set, endpoints, signal }),
          ),
        );
        const record = await retrying(() => store.reader.get(x.app.id, user.id));
        if (record?.kind !== 'oauth2') problems.push(`trial ${trial}: record unreadable`);
        else {
          if (record.tokenSet.accessToken !== again.accessToken) {
            problems.push(`trial ${trial}: torn record`);
          }
          try {
            await refreshToken({ client, tokenSet: record.tokenSet, endpoints });
          } catch (error) {
            problems.push(`trial ${trial}: refresh token lost (${String(error)})`);
          }
        }
        console.info(
          `failover trial ${trial}: ${failures.length} retryable failures of ${PROCESSES * CALLERS}`,
        );
      }
    } finally {
      // Restore: the killed node restarts and rejoins as a replica.
      if (victim !== undefined) await cluster.restart(victim).catch(() => undefined);
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(problems).toEqual([]);
    // The trials did test what they are for: the primary died while a refresh was at X.
    expect(killsDuringRefresh).toBeGreaterThan(0);
  }, 240_000);
});
