// A Redis Cluster of its own for a test that kills nodes (the failover test), so that the
// machine's shared test cluster, which other test files use in parallel, is never touched:
// six `redis-server` processes in cluster mode (three primaries, three replicas) on free
// loopback ports, each with its directory in one temp dir, joined by `redis-cli --cluster
// create`. A short node timeout makes a failover take a second or two.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A running private cluster. */
export interface PrivateRedisCluster {
  /** Every node, `{ host, port }`, as ioredis' `Cluster` takes its seed nodes. */
  readonly nodes: readonly { host: string; port: number }[];
  /** SIGKILLs the node on `port` (as a crash would) and waits for it to exit. */
  kill(port: number): Promise<void>;
  /** Starts the node on `port` again from its nodes.conf: it rejoins its cluster. */
  restart(port: number): Promise<void>;
  /** Kills every node and removes the directory. */
  stop(): Promise<void>;
}

/** Starts six nodes, creates the cluster and waits for `cluster_state:ok` and synced replicas. */
export async function startPrivateRedisCluster(
  options: { nodeTimeoutMs?: number } = {},
): Promise<PrivateRedisCluster> {
  const nodeTimeoutMs = options.nodeTimeoutMs ?? 1000;
  const directory = await mkdtemp(join(tmpdir(), 'x-oauth-redis-cluster-'));
  const ports = await freeClusterPorts(6);
  const processes = new Map<number, ChildProcess>();
  const start = async (port: number) => {
    const dir = join(directory, String(port));
    await mkdir(dir, { recursive: true });
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        String(nodeTimeoutMs),
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    );
    processes.set(port, child);
    await waitFor(async () => (await cli(port, 'ping')) === 'PONG', 10_000, `node ${port}`);
  };
  const kill = async (port: number) => {
    const child = processes.get(port);
    processes.delete(port);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  // A test process that dies (or is cancelled) does not leave the nodes running.
  const killAllNow = () => {
    for (const child of processes.values()) child.kill('SIGKILL');
  };
  process.once('exit', killAllNow);
  const stop = async () => {
    process.off('exit', killAllNow);
    await Promise.all([...processes.keys()].map(kill));
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await Promise.all(ports.map(start));
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '1',
      '--cluster-yes',
    ]);
    await waitFor(() => clusterReady(ports), 30_000, 'the private cluster');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    nodes: ports.map((port) => ({ host: '127.0.0.1', port })),
    kill,
    restart: start,
    stop,
  };
}

/** Whether every node reports `cluster_state:ok` and every replica is in sync. */
async function clusterReady(ports: readonly number[]): Promise<boolean> {
  for (const port of ports) {
    if (!(await cli(port, 'cluster', 'info')).includes('cluster_state:ok')) return false;
    const replication = await cli(port, 'info', 'replication');
    if (replication.includes('role:slave') && !replication.includes('master_link_status:up'))
      return false;
  }
  return true;
}

async function cli(port: number, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...args]);
    return stdout.trim();
  } catch {
    return '';
  }
}

async function waitFor(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// `count` consecutive ports whose cluster bus ports (port + 10000) are free too, below the
// ephemeral range (so outgoing connections do not take them meanwhile) and away from the
// shared cluster's 7101-7106.
async function freeClusterPorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = 20_000 + Math.floor(Math.random() * 9_000);
    const ports = Array.from({ length: count }, (_, index) => base + index);
    const free = await Promise.all(
      ports.flatMap((port) => [portFree(port), portFree(port + 10_000)]),
    );
    if (free.every(Boolean)) return ports;
  }
  throw new Error('no free ports for a private Redis Cluster');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
