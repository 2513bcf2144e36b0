// The Redis backend (ioredis), for many machines sharing one store. Each row is a hash under
// one key prefix; writes are Lua scripts (atomic compare-and-swap on the version); the refresh
// lock is `SET NX PX` released by a token-checked script; rotation walks the rows with SCAN.
import { randomFillSync } from 'node:crypto';
import { type Cluster, Redis } from 'ioredis';
import type { HeldLock, RecordOwner, StoredRow, TokenBackend } from '../../backend.js';
import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';
import type { RandomSource } from '../../types.js';
import { DEFAULT_REDIS_PREFIX, type RedisKeys, redisKeys } from './keys.js';
import { acquireRedisLock, type LockPolling } from './lock.js';
import { rowFromHash, rowToFieldValues } from './row.js';
import { COMPARE_AND_SWAP, DELETE_IF_VERSION, runScript } from './scripts.js';

/**
 * Options of {@link createRedisBackend}: a `url` (the backend opens and closes its own
 * connection) or a `client` you own (left open by `close`), and the key prefix.
 */
export interface RedisBackendOptions {
  /**
   * `redis://[[user]:password@]host[:port][/db]` or `rediss://…` (TLS). With an ACL user
   * limited to the prefix, put its name and password here.
   */
  url?: string | undefined;
  /**
   * An ioredis client to use instead of `url`; `close()` leaves it open (it is yours). A
   * `Cluster` works too: every script and lock touches one key (one hash slot), and scans visit
   * every primary.
   */
  client?: Redis | Cluster | undefined;
  /**
   * After each write of a row, wait until this many replicas acknowledged it (`WAIT`), at most
   * `timeoutMs`, before answering. Narrows the window in which a primary's failover loses a
   * just-rotated refresh token (asynchronous replication). Default: `{ replicas: 1,
   * timeoutMs: 100 }` with a `Cluster` client, none with a single Redis; `false` turns it off.
   */
  replicaAck?: ReplicaAck | false | undefined;
  /**
   * Every key lives under this prefix (default `x-oauth:tokens:`), so an ACL user can be
   * limited to `~<prefix>*`. Give each application (and each test run) its own.
   */
  prefix?: string | undefined;
  /** How a waiter polls a taken refresh lock (default: 5 ms doubling up to 25 ms, jittered). */
  lockPolling?: Partial<LockPolling> | undefined;
  /** Random source for lock-holder tokens and polling jitter; `crypto.randomFillSync` by default. */
  random?: RandomSource | undefined;
}

/** How many replicas must acknowledge a row's write, and how long to wait for them. */
export interface ReplicaAck {
  readonly replicas: number;
  readonly timeoutMs: number;
}

const DEFAULT_CLUSTER_ACK: ReplicaAck = Object.freeze({ replicas: 1, timeoutMs: 100 });

const DEFAULT_POLLING: LockPolling = { minDelayMs: 5, maxDelayMs: 25 };
const DEFAULT_PAGE_SIZE = 100;

// Server errors that go away by themselves (a replica promoted, a dataset loading, a busy
// script); everything else (NOPERM, WRONGTYPE, ERR) fails the same way again.
const TRANSIENT_REPLY = new Set([
  'LOADING',
  'READONLY',
  'BUSY',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'MASTERDOWN',
  // A Cluster slot moved (failover, resharding); the command did not run.
  'MOVED',
  'ASK',
]);

/**
 * A backend on Redis through ioredis. Rows are hashes at `<prefix>row:<appId>:<userId>` (ids
 * percent-encoded), locks strings at `<prefix>lock:…`, key usage a hash at `<prefix>key-usage`.
 * The ACL commands it needs are listed in {@link REDIS_ACL_COMMANDS}.
 *
 * @example
 * const backend = createRedisBackend({ url: 'redis://tokens:secret@127.0.0.1:6379' });
 * const store = createTokenStore({ backend, keyring });
 */
export function createRedisBackend(options: RedisBackendOptions): TokenBackend {
  if (typeof options !== 'object' || options === null) {
    throw invalidConfig('createRedisBackend needs options: { url } or { client }.');
  }
  const { url, client: givenClient } = options;
  if ((url === undefined) === (givenClient === undefined)) {
    throw invalidConfig('createRedisBackend needs exactly one of `url` and `client`.');
  }
  if (url !== undefined && !isRedisUrl(url)) {
    throw invalidConfig('The Redis url must be a redis:// or rediss:// URL.');
  }
  const keys = redisKeys(options.prefix ?? DEFAULT_REDIS_PREFIX);
  const polling = lockPolling(options.lockPolling);
  const random = options.random ?? ((bytes: Uint8Array) => void randomFillSync(bytes));
  const ownsClient = givenClient === undefined;
  // No ready check (INFO) and no CLIENT SETINFO: an ACL user limited to the backend's commands
  // may run neither. Commands sent while Redis still loads fail with LOADING (retryable).
  const client =
    givenClient ?? new Redis(url ?? '', { enableReadyCheck: false, disableClientInfo: true });
  // A connection error reaches the caller through the command that fails (as a typed error);
  // without a listener, ioredis would also log every reconnection attempt to the console.
  if (ownsClient) client.on('error', () => undefined);
  const ack = replicaAck(options.replicaAck, isCluster(client));
  return new RedisBackend(client, ownsClient, keys, polling, random, ack);
}

/**
 * The Redis commands the backend sends, for an ACL user limited to the prefix. The ACL also
 * checks the commands called inside the backend's Lua scripts, hence `hget`, `hset`, `exists`,
 * `get` and `del`. A client you pass yourself also sends ioredis's ready check (`INFO`): add
 * `+info`, or create it with `enableReadyCheck: false`.
 *
 * @example
 * // ACL SETUSER x_oauth_tokens on >PASSWORD resetkeys ~x-oauth:tokens:* resetchannels -@all
 * //   +hgetall +hget +hset +hincrby +exists +get +set +del +scan +eval +evalsha +wait
 */
export const REDIS_ACL_COMMANDS: readonly string[] = Object.freeze([
  'hgetall',
  'hget',
  'hset',
  'hincrby',
  'exists',
  'get',
  'set',
  'del',
  'scan',
  'eval',
  'evalsha',
  // Only with `replicaAck` (the default on a Cluster).
  'wait',
]);

class RedisBackend implements TokenBackend {
  readonly name = 'redis';
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(
    private readonly client: Redis | Cluster,
    private readonly ownsClient: boolean,
    private readonly keys: RedisKeys,
    private readonly polling: LockPolling,
    private readonly random: RandomSource,
    private readonly ack: ReplicaAck | undefined,
  ) {}

  async read(owner: RecordOwner): Promise<StoredRow | undefined> {
    const key = this.keys.row(owner);
    const hash = await this.#call('read a row', () => this.client.hgetall(key));
    return rowFromHash(owner, hash);
  }

  async compareAndSwap(row: StoredRow, expectedVersion: number): Promise<boolean> {
    checkVersion(expectedVersion, 0, 'expectedVersion');
    if (row.version !== expectedVersion + 1) {
      throw invalidArgument(
        'A row written by compare-and-swap must have version expectedVersion + 1.',
      );
    }
    const key = this.keys.row(row);
    const fields = rowToFieldValues(row);
    const args = [String(expectedVersion), ...fields];
    const { ack } = this;
    if (ack === undefined) {
      const written = await this.#call('write a row', () =>
        runScript(this.client, COMPARE_AND_SWAP, key, args),
      );
      return written === 1;
    }
    // One pipeline: on a Cluster it goes to the key's primary, so WAIT counts the replicas of
    // exactly that write. EVAL (not EVALSHA) so that a NOSCRIPT cannot split the pair.
    const replies = await this.#call('write a row', () =>
      this.client
        .pipeline()
        .eval(COMPARE_AND_SWAP.source, 1, key, ...args)
        .call('wait', String(ack.replicas), String(ack.timeoutMs))
        .exec(),
    );
    const [written] = replies ?? [];
    if (written === undefined) throw backendError(new Error('no reply'), 'write a row');
    if (written[0] !== null) {
      // A pipeline does not follow MOVED (the WAIT beside it did not fail): learn the new
      // owner of the slot, and let the caller retry (MOVED means nothing was written).
      if (isRedirection(written[0]) && isCluster(this.client)) this.client.refreshSlotsCache();
      throw backendError(written[0], 'write a row');
    }
    return written[1] === 1;
  }

  async delete(owner: RecordOwner, expectedVersion: number): Promise<boolean> {
    checkVersion(expectedVersion, 0, 'expectedVersion');
    const key = this.keys.row(owner);
    if (expectedVersion === 0) return false;
    const deleted = await this.#call('delete a row', () =>
      runScript(this.client, DELETE_IF_VERSION, key, [String(expectedVersion)]),
    );
    return deleted === 1;
  }

  async acquireRefreshLock(
    owner: RecordOwner,
    options: { ttlMs: number; waitMs: number },
  ): Promise<HeldLock> {
    const { ttlMs, waitMs } = options;
    if (!Number.isFinite(ttlMs) || ttlMs < 1) throw invalidArgument('ttlMs must be at least 1 ms.');
    if (!Number.isFinite(waitMs) || waitMs < 0) throw invalidArgument('waitMs must be 0 or more.');
    this.#checkOpen();
    return acquireRedisLock(this.client, {
      key: this.keys.lock(owner),
      ttlMs,
      waitMs,
      polling: this.polling,
      token: this.#holderToken(),
      random: () => this.#fraction(),
      backendError,
      ack: this.ack,
    });
  }

  async *scanRows(options?: { pageSize?: number }): AsyncIterable<StoredRow> {
    const pageSize = options?.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) {
      throw invalidArgument('pageSize must be a positive integer.');
    }
    // SCAN may return a key twice (when the table is resized mid-scan): yield each row once.
    const seen = new Set<string>();
    // A Cluster spreads the rows over its primaries; SCAN sees only the node it is sent to.
    const nodes = isCluster(this.client) ? this.client.nodes('master') : [this.client];
    for (const node of nodes) {
      yield* this.#scanNode(node, pageSize, seen);
    }
  }

  async *#scanNode(node: Redis, pageSize: number, seen: Set<string>): AsyncIterable<StoredRow> {
    let cursor = '0';
    do {
      const [next, found] = await this.#call('scan the rows', () =>
        node.scan(cursor, 'MATCH', this.keys.rowPattern, 'COUNT', pageSize),
      );
      cursor = next;
      const page: { owner: RecordOwner; key: string }[] = [];
      for (const key of found) {
        const owner = this.keys.ownerOfRowKey(key);
        // A key under `<prefix>row:` that this backend would never name is not one of its rows.
        if (owner === undefined || seen.has(key)) continue;
        seen.add(key);
        page.push({ owner, key });
      }
      // One round trip for the page: ioredis writes the commands back to back.
      const hashes = await this.#call('read the rows', () =>
        Promise.all(page.map(({ key }) => this.client.hgetall(key))),
      );
      for (const [index, { owner }] of page.entries()) {
        const hash = hashes[index];
        // Deleted between SCAN and HGETALL: nothing to yield.
        const row = hash === undefined ? undefined : rowFromHash(owner, hash);
        if (row !== undefined) yield row;
      }
    } while (cursor !== '0');
  }

  async addKeyUsage(keyId: string, count: number): Promise<number> {
    if (typeof keyId !== 'string' || keyId === '')
      throw invalidArgument('keyId must be a non-empty string.');
    checkVersion(count, 0, 'count');
    return this.#call('count key usage', () =>
      this.client.hincrby(this.keys.keyUsage, keyId, count),
    );
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= this.ownsClient
      ? this.client.quit().then(
          () => undefined,
          // QUIT on a connection that is already gone: nothing left to release but the socket.
          () => this.client.disconnect(),
        )
      : Promise.resolve();
    return this.#closing;
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new TokenStoreError(TokenStoreErrorCode.BackendError, 'The Redis backend is closed.');
    }
  }

  async #call<T>(doing: string, command: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    try {
      return await command();
    } catch (error) {
      if (error instanceof TokenStoreError) throw error;
      throw backendError(error, doing);
    }
  }

  #holderToken(): string {
    const bytes = new Uint8Array(16);
    this.random(bytes);
    return Buffer.from(bytes).toString('base64url');
  }

  #fraction(): number {
    const bytes = new Uint8Array(4);
    this.random(bytes);
    return new DataView(bytes.buffer).getUint32(0) / 2 ** 32;
  }
}

function lockPolling(given: Partial<LockPolling> | undefined): LockPolling {
  const polling = { ...DEFAULT_POLLING, ...given };
  const { minDelayMs, maxDelayMs } = polling;
  if (
    !Number.isFinite(minDelayMs) ||
    !Number.isFinite(maxDelayMs) ||
    minDelayMs < 1 ||
    maxDelayMs < minDelayMs
  ) {
    throw invalidConfig('lockPolling needs 1 <= minDelayMs <= maxDelayMs (finite, in ms).');
  }
  return Object.freeze(polling);
}

function isRedirection(error: unknown): boolean {
  return error instanceof Error && /^(MOVED|ASK) /.test(error.message);
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return 'isCluster' in client && client.isCluster === true;
}

function replicaAck(
  given: ReplicaAck | false | undefined,
  cluster: boolean,
): ReplicaAck | undefined {
  if (given === false) return undefined;
  if (given === undefined) return cluster ? DEFAULT_CLUSTER_ACK : undefined;
  const { replicas, timeoutMs } = given;
  if (
    !Number.isSafeInteger(replicas) ||
    replicas < 1 ||
    !Number.isSafeInteger(timeoutMs) ||
    timeoutMs < 1
  ) {
    throw invalidConfig('replicaAck needs integers replicas >= 1 and timeoutMs >= 1 (or false).');
  }
  return Object.freeze({ replicas, timeoutMs });
}

function isRedisUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const { protocol } = new URL(url);
    return protocol === 'redis:' || protocol === 'rediss:';
  } catch {
    return false;
  }
}

function checkVersion(value: number, minimum: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw invalidArgument(`${name} must be an integer of at least ${minimum}.`);
  }
}

/**
 * A typed error for a failed Redis command. The message names the operation and the reply's
 * error class (`NOPERM`, `WRONGTYPE`, …), never the command's arguments (keys name owners,
 * values are ciphertext).
 */
function backendError(cause: unknown, doing: string): TokenStoreError {
  const reply = cause instanceof Error ? /^([A-Z]{3,})\b/.exec(cause.message)?.[1] : undefined;
  const isReply = reply !== undefined && reply !== 'ERR';
  const retryable = reply === undefined || TRANSIENT_REPLY.has(reply);
  const what = reply === undefined ? 'failed' : `answered ${reply}`;
  const advice =
    reply === 'NOPERM'
      ? ' Check the ACL user: it needs ~<prefix>* and the commands in REDIS_ACL_COMMANDS.'
      : '';
  return new TokenStoreError(
    TokenStoreErrorCode.BackendError,
    `Redis ${what} while trying to ${doing}.${advice}`,
    { retryable, cause, ...(isReply ? { causeCode: reply } : {}) },
  );
}

function invalidConfig(message: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidConfig, message);
}

function invalidArgument(message: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidArgument, message);
}
