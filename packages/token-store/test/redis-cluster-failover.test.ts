// A Redis Cluster primary killed (SIGKILL) in the middle of a multi-process refresh race, its
// replica promoted: no refresh token lost, no torn record, and callers see at worst typed
// retryable errors (and succeed when they try again). The killed node is restarted afterwards
// (it rejoins as a replica), so later tests and reruns find a whole cluster.
//
// Opt-in (X_OAUTH_TEST_FAILOVER=1, trials X_OAUTH_FAILOVER_TRIALS, default 3): it kills nodes of
// the machine's shared test cluster, which would fail other test files running in parallel on
// it. Run it alone: X_OAUTH_TEST_FAILOVER=1 pnpm exec vitest run test/redis-cluster-failover.test.ts
import { spawnSync } from 'node:child_process';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import {
  endpointsFromBaseUrl,
  type OAuth2Client,
  type OAuth2Endpoints,
  refreshToken,
  TokenSet,
} from '@x-oauth/pkce';
import type { Redis } from 'ioredis';
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

const TRIALS = Number(process.env.X_OAUTH_FAILOVER_TRIALS ?? 3);
const PROCESSES = 4;
const CALLERS = 25;
const SCOPES = ['tweet.read', 'users.read', 'offline.access'] as const;
const TOKEN_ENDPOINT = 'POST /2/oauth2/token';
const RETRYABLE_CODES = new Set(['TOKEN_STORE_BACKEND_ERROR', 'TOKEN_STORE_LOCK_TIMEOUT']);

let x: Emulator;
let client: OAuth2Client & { clientSecret: string };
let endpoints: OAuth2Endpoints;
let shared: SharedBackend;
let store: TokenStore;
const admin = redisClusterClient();
const keyringConfig = randomKeyringConfig();

beforeAll(async () => {
  assertDistBuilt();
  x = await startEmulator({
    port: 0,
    strictRefreshReuse: true,
    rateLimits: { [TOKEN_ENDPOINT]: { limit: 1_000_000, appLimit: 1_000_000 } },
  });
  const { clientId, clientSecret } = x.app;
  if (clientSecret === undefined) throw new Error('the seeded app should be confidential');
  client = { clientId, clientSecret };
  endpoints = endpointsFromBaseUrl(x.url);
  shared = await setUpSharedBackend('redis-cluster', 'failover');
  store = createTokenStore({ backend: shared.open(), keyring: createKeyring(keyringConfig) });
});

afterAll(async () => {
  await store?.close();
  await shared?.cleanup();
  admin.disconnect();
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

/** The primary holding `key`, with what it takes to restart it after a kill. */
async function primaryOf(key: string): Promise<{ pid: number; restart: string[] }> {
  // A fresh client: the long-lived one may still hold the topology before the last failover.
  const probe = redisClusterClient();
  try {
    await new Promise((resolve) => probe.once('ready', resolve));
    return await holderAmong(probe.nodes('master'), key);
  } finally {
    probe.disconnect();
  }
}

async function holderAmong(
  nodes: Redis[],
  key: string,
): Promise<{ pid: number; restart: string[] }> {
  for (const node of nodes) {
    // A primary that does not serve the key's slot answers MOVED.
    const holds = await node.exists(key).then(
      (count) => count === 1,
      () => false,
    );
    if (holds) return describeNode(node);
  }
  throw new Error('no primary holds the row');
}

async function describeNode(node: Redis): Promise<{ pid: number; restart: string[] }> {
  const server = await node.info('server');
  const pid = Number(/process_id:(\d+)/.exec(server)?.[1]);
  const port = String(node.options.port);
  const config = async (name: string) => String(((await node.config('GET', name)) as string[])[1]);
  return {
    pid,
    restart: [
      '--port',
      port,
      '--bind',
      '127.0.0.1',
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      await config('cluster-config-file'),
      '--cluster-node-timeout',
      await config('cluster-node-timeout'),
      '--dir',
      await config('dir'),
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'yes',
    ],
  };
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

function restore(args: string[]): void {
  const started = spawnSync('redis-server', args, { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`restart failed: ${started.stderr}`);
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

describe.skipIf(process.env.X_OAUTH_TEST_FAILOVER !== '1')(
  'redis cluster: a primary killed during refreshes',
  () => {
    it(`${TRIALS} kills during ${PROCESSES}x${CALLERS} races: 0 lost, 0 torn, only retryable errors`, async () => {
      const workers = Array.from(
        { length: PROCESSES },
        () => new WorkerProcess('./race-worker.mjs'),
      );
      const problems: string[] = [];
      let victim: { pid: number; restart: string[] } | undefined;
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
          await sleep(45 + trial * 5);
          process.kill(victim?.pid ?? 0, 'SIGKILL');
          const results = await racing;
          const failures = results.flatMap((result) => result.failures);
          const raceTokenRequests = x
            .requestLog()
            .filter((entry) => entry.endpoint === TOKEN_ENDPOINT).length;
          console.info(
            `failover trial ${trial}: ${raceTokenRequests} token requests during the race, first failure ${JSON.stringify(results.flatMap((result) => result.failures)[0])}`,
          );
          for (const failure of failures) {
            if (failure.code === undefined || !RETRYABLE_CODES.has(failure.code)) {
              problems.push(`trial ${trial}: untyped or final error ${JSON.stringify(failure)}`);
            }
          }
          await waitFor(() => clusterHealthy(5), 30_000, 'the replica promoted');
          // The killed node restarts and rejoins as the new primary's replica: until then the
          // shard has no replica, and refresh locks (which need one to acknowledge) fail retryably.
          if (victim !== undefined) restore(victim.restart);
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
        if (victim !== undefined) restore(victim.restart);
        await Promise.all(workers.map((worker) => worker.stop()));
      }
      expect(problems).toEqual([]);
    }, 240_000);
  },
);
