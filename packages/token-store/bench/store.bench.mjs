// Gets and puts per second through the token store, for each backend, against the same
// backend's raw driver doing the same read and write without the store: the same row shape
// (a plaintext JSON token set where the store keeps its ciphertext), the same statement (the
// same SELECT / UPDATE ... WHERE version = ?, the same HGETALL / Lua compare-and-swap),
// no encryption and no owner scoping. Run after `pnpm build` with `pnpm bench`; it imports the
// built package by name. Needs the PostgreSQL and Redis of scripts/services.sh (the same
// X_OAUTH_TEST_POSTGRES_ADMIN and X_OAUTH_TEST_REDIS as the tests).
//
// Two gets: the same row again and again, and a round robin over COLD_ROWS distinct owners; the
// raw side reads as many raw rows in the same order. The store as configured by default decrypts
// every read; the same two gets are measured again with the opt-in decryption cache
// (CACHE_SIZE owners), which serves the repeated row and which every round-robin read misses.
// A control, the memory backend's store put followed by the raw driver's put as one operation,
// shows what a put costs the backend beyond the store's code.
//
// BENCH_TIME_MS (default 1000) and BENCH_ROUNDS (default 5) set the length of a measurement;
// BENCH_BACKENDS (a comma-separated subset of memory, sqlite, sqlite-normal, redis, postgres;
// default all) selects the backends. BENCH_METHOD=turns measures each own-work pair operation
// by operation, the store's and its baseline's taking turns, instead of in blocks (see measure).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { TokenSet, tokenSetToStorable } from '@x-oauth/pkce';
import { createKeyring, createMemoryBackend, createTokenStore } from '@x-oauth/token-store';
import { createPostgresBackend, migratePostgres } from '@x-oauth/token-store/postgres';
import { createRedisBackend } from '@x-oauth/token-store/redis';
import { createSqliteBackend } from '@x-oauth/token-store/sqlite';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';

const TIME_MS = Number(process.env.BENCH_TIME_MS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_MS = 300;
const METHOD = process.env.BENCH_METHOD ?? 'blocks';
if (METHOD !== 'blocks' && METHOD !== 'turns') {
  throw new Error(`BENCH_METHOD: "${METHOD}" is neither blocks (the default) nor turns`);
}
// The target: the store's own work (its time per operation minus that of the raw driver's
// operation followed by one bare AES-256-GCM operation on a payload of the same size, timed as
// one operation in the same round) is at most 5 µs per get and per put.
const TARGET_OWN_US = 5;

const POSTGRES_ADMIN_URL =
  process.env.X_OAUTH_TEST_POSTGRES_ADMIN ??
  'postgres://x_oauth_admin:x_oauth_admin@127.0.0.1:5432/x_oauth_test';
const REDIS_URL = process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390';

const APP_ID = 'bench-app';
const STORE_USER = 'store-user';
const RAW_USER = 'raw-user';
// The opt-in decryption cache's size in the cache rows, and more owners than it holds, read
// round robin: the least recently used entry is always the next one read, so every read misses.
const CACHE_SIZE = 1_000;
const COLD_ROWS = 10_000;
const storeColdUsers = Array.from({ length: COLD_ROWS }, (_, index) => `store-cold-${index}`);
const rawColdUsers = Array.from({ length: COLD_ROWS }, (_, index) => `raw-cold-${index}`);

/** A function returning the next of `items` on each call, round robin. */
function roundRobin(items) {
  let next = 0;
  return () => {
    const item = items[next];
    next = next + 1 === items.length ? 0 : next + 1;
    return item;
  };
}
const ROW_COLUMNS =
  'app_id, user_id, kind, version, status, key_id, ciphertext, expires_at, updated_at';

// The Redis backend's compare-and-swap script, verbatim (src/backends/redis/scripts.ts).
const REDIS_COMPARE_AND_SWAP = `
if ARGV[1] == '0' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
elseif redis.call('HGET', KEYS[1], 'version') ~= ARGV[1] then
  return 0
end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
return 1
`;

const keyring = createKeyring({
  currentKeyId: 'k1',
  keys: { k1: randomBytes(32).toString('base64') },
});

/** A realistic X token set: X's tokens are about 90 characters of base64url. */
function tokenSet() {
  return new TokenSet({
    accessToken: randomBytes(68).toString('base64url'),
    refreshToken: randomBytes(68).toString('base64url'),
    expiresAt: Date.now() + 7_200_000,
    scopes: ['tweet.read', 'users.read', 'offline.access'],
    tokenType: 'bearer',
  });
}

/** What the raw driver stores where the store keeps ciphertext: the token set as JSON. */
const plaintext = () => JSON.stringify(tokenSetToStorable(tokenSet()));

/** A raw row's values, in ROW_COLUMNS order: one owner's plaintext token set. */
const rawRowValues = (userId) => [
  APP_ID,
  userId,
  'oauth2',
  1,
  'active',
  'none',
  plaintext(),
  Date.now() + 7_200_000,
  Date.now(),
];

/**
 * A contender: `get` of one row, `getCold` of the next of COLD_ROWS rows, and `put` of one
 * row, each an async function (the store's API is async; the raw side is wrapped the thinnest
 * way the driver allows). The store's contender also has `cachedGet` and `cachedGetCold`: the
 * same reads through a store with the decryption cache on.
 * @typedef {{ get: () => Promise<unknown>, getCold: () => Promise<unknown>, put: () => Promise<unknown> }} Contender
 * @typedef {Contender & { cachedGet: () => Promise<unknown>, cachedGetCold: () => Promise<unknown> }} StoreContender
 * @typedef {{ name: string, store: StoreContender, raw: Contender, close: () => Promise<void> }} Subject
 */

/**
 * The store over `backend` as configured by default, writing one owner's row by
 * compare-and-swap on its version, and a second store over the same backend with the
 * decryption cache on, for reads.
 * @returns {Promise<{ store: import('@x-oauth/token-store').TokenStore, contender: StoreContender }>}
 */
async function storeContender(backend) {
  const store = createTokenStore({ backend, keyring });
  // Not closed: it shares the backend, which closing the first store closes.
  const cached = createTokenStore({ backend, keyring, decryptionCacheSize: CACHE_SIZE });
  const put = storePut(store, STORE_USER);
  await put();
  await inBatches(storeColdUsers, (userId) => store.writer.putOAuth2(APP_ID, userId, tokenSet()));
  const nextColdUser = roundRobin(storeColdUsers);
  const nextCachedColdUser = roundRobin(storeColdUsers);
  return {
    store,
    contender: {
      get: () => store.reader.get(APP_ID, STORE_USER),
      getCold: () => store.reader.get(APP_ID, nextColdUser()),
      cachedGet: () => cached.reader.get(APP_ID, STORE_USER),
      cachedGetCold: () => cached.reader.get(APP_ID, nextCachedColdUser()),
      put,
    },
  };
}

/** A put of one token set to `userId`'s row through `store`, by compare-and-swap on its version. */
function storePut(store, userId) {
  const set = tokenSet();
  let version = 0;
  return async () => {
    version = (await store.writer.putOAuth2(APP_ID, userId, set, { expectedVersion: version }))
      .version;
  };
}

// The control's store: the memory backend, no I/O.
const memoryStorePut = storePut(
  createTokenStore({ backend: createMemoryBackend(), keyring }),
  'control',
);

/** Runs `write` for every item, a few at a time (setup only, not measured). */
async function inBatches(items, write) {
  for (let start = 0; start < items.length; start += 50) {
    await Promise.all(items.slice(start, start + 50).map(write));
  }
}

/** @returns {Promise<Subject>} */
async function memorySubject() {
  const { store, contender } = await storeContender(createMemoryBackend());
  // The raw side: a Map of plain rows, copied in and out as the memory backend does.
  const rows = new Map();
  const key = `${APP_ID}\u0000${RAW_USER}`;
  // One payload for every write, as the other raw drivers write (and as the store's put writes
  // one token set): building a random token set is not part of a put.
  const payload = plaintext();
  const row = (version, userId = RAW_USER, ciphertext = payload) => ({
    appId: APP_ID,
    userId,
    kind: 'oauth2',
    version,
    status: 'active',
    keyId: 'none',
    ciphertext,
    expiresAt: Date.now() + 7_200_000,
    updatedAt: Date.now(),
  });
  rows.set(key, row(1));
  const coldKeys = rawColdUsers.map((userId) => `${APP_ID}\u0000${userId}`);
  for (const [index, coldKey] of coldKeys.entries()) {
    rows.set(coldKey, row(1, rawColdUsers[index], plaintext()));
  }
  const copyOut = (rowKey) => {
    const stored = rows.get(rowKey);
    return stored === undefined ? undefined : Object.freeze({ ...stored });
  };
  const nextColdKey = roundRobin(coldKeys);
  return {
    name: 'memory',
    store: contender,
    raw: {
      get: async () => copyOut(key),
      getCold: async () => copyOut(nextColdKey()),
      put: async () => {
        const stored = rows.get(key);
        rows.set(key, Object.freeze({ ...row(stored.version + 1) }));
      },
    },
    close: () => store.close(),
  };
}

/**
 * SQLite with the backend's default `synchronous=FULL` (a put waits for an fsync, so the disk
 * sets the pace), or with `NORMAL` (no fsync per commit: the CPU cost shows).
 * @param {'FULL' | 'NORMAL'} synchronous
 * @returns {Promise<Subject>}
 */
async function sqliteSubject(synchronous) {
  const directory = mkdtempSync(join(os.tmpdir(), 'x-oauth-bench-'));
  const path = join(directory, 'tokens.db');
  const { store, contender } = await storeContender(createSqliteBackend({ path, synchronous }));
  // The raw side: the same file, the backend's pragmas, its SELECT and UPDATE statements.
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 10');
  const read = db.prepare(`SELECT ${ROW_COLUMNS} FROM tokens WHERE app_id = ? AND user_id = ?`);
  const update = db.prepare(
    `UPDATE tokens
     SET kind = ?, version = ?, status = ?, key_id = ?, ciphertext = ?, expires_at = ?, updated_at = ?
     WHERE app_id = ? AND user_id = ? AND version = ?`,
  );
  const insert = db.prepare(
    `INSERT INTO tokens (${ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRaw = (userId) => insert.run(...rawRowValues(userId));
  insertRaw(RAW_USER);
  db.transaction(() => {
    for (const userId of rawColdUsers) insertRaw(userId);
  })();
  const nextColdUser = roundRobin(rawColdUsers);
  let version = 1;
  const payload = plaintext();
  return {
    name: synchronous === 'FULL' ? 'sqlite' : 'sqlite (synchronous=NORMAL)',
    store: contender,
    raw: {
      get: async () => read.get(APP_ID, RAW_USER),
      getCold: async () => read.get(APP_ID, nextColdUser()),
      put: async () => {
        const next = version + 1;
        const { changes } = update.run(
          'oauth2',
          next,
          'active',
          'none',
          payload,
          Date.now() + 7_200_000,
          Date.now(),
          APP_ID,
          RAW_USER,
          version,
        );
        if (changes !== 1) throw new Error('raw sqlite update lost its compare-and-swap');
        version = next;
      },
    },
    close: async () => {
      db.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** @returns {Promise<Subject>} */
async function redisSubject() {
  const prefix = `x-oauth-bench:${process.pid}-${randomBytes(4).toString('hex')}:`;
  const { store, contender } = await storeContender(createRedisBackend({ url: REDIS_URL, prefix }));
  // The raw side: a hash of the same fields under the same key shape, HGETALL, and the
  // backend's compare-and-swap script by EVALSHA.
  const client = new Redis(REDIS_URL);
  const sha = await client.script('LOAD', REDIS_COMPARE_AND_SWAP);
  const fields = (version, payload) => [
    'version',
    String(version),
    'kind',
    'oauth2',
    'status',
    'active',
    'key_id',
    'none',
    'ciphertext',
    payload,
    'expires_at',
    String(Date.now() + 7_200_000),
    'updated_at',
    String(Date.now()),
  ];
  const rowKey = (userId) => `${prefix}row:${APP_ID}:${userId}`;
  const key = rowKey(RAW_USER);
  await client.evalsha(sha, 1, key, '0', ...fields(1, plaintext()));
  const coldKeys = rawColdUsers.map(rowKey);
  await inBatches(coldKeys, (coldKey) =>
    client.evalsha(sha, 1, coldKey, '0', ...fields(1, plaintext())),
  );
  const nextColdKey = roundRobin(coldKeys);
  let version = 1;
  const payload = plaintext();
  return {
    name: 'redis',
    store: contender,
    raw: {
      get: () => client.hgetall(key),
      getCold: () => client.hgetall(nextColdKey()),
      put: async () => {
        const written = await client.evalsha(
          sha,
          1,
          key,
          String(version),
          ...fields(version + 1, payload),
        );
        if (written !== 1) throw new Error('raw redis update lost its compare-and-swap');
        version++;
      },
    },
    close: async () => {
      await store.close();
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 100);
        cursor = next;
        if (keys.length > 0) await client.del(...keys);
      } while (cursor !== '0');
      client.disconnect();
    },
  };
}

/** @returns {Promise<Subject>} */
async function postgresSubject() {
  const unique = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const schema = `x_oauth_bench_${unique}`;
  const roles = { readerRole: `${schema}_r`, writerRole: `${schema}_w` };
  const writerPassword = randomBytes(18).toString('base64url');
  await migratePostgres({
    adminConnectionString: POSTGRES_ADMIN_URL,
    schema,
    ...roles,
    writerPassword,
  });
  const writerUrl = new URL(POSTGRES_ADMIN_URL);
  writerUrl.username = roles.writerRole;
  writerUrl.password = writerPassword;
  const { store, contender } = await storeContender(
    createPostgresBackend({
      connectionString: writerUrl.toString(),
      maintenanceConnectionString: POSTGRES_ADMIN_URL,
      schema,
    }),
  );
  // The raw side: a table of the same shape without row-level security, one statement per
  // operation (no owner-setting transaction), as its owner. Unnamed statements, as the store
  // sends: a named prepared statement outlives its transaction, which PgBouncer in transaction
  // mode does not allow, and skips the parsing and planning the store's statements pay for
  // (40 to 60 µs per read here).
  const pool = new pg.Pool({ connectionString: POSTGRES_ADMIN_URL, max: 2 });
  const table = `"${schema}".raw_tokens`;
  await pool.query(`CREATE TABLE ${table} (LIKE "${schema}".tokens INCLUDING ALL)`);
  const insertRaw = (userId) =>
    pool.query(
      `INSERT INTO ${table} (${ROW_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      rawRowValues(userId),
    );
  await insertRaw(RAW_USER);
  await inBatches(rawColdUsers, insertRaw);
  const nextColdUser = roundRobin(rawColdUsers);
  let version = 1;
  const payload = plaintext();
  const read = {
    text: `SELECT ${ROW_COLUMNS} FROM ${table} WHERE app_id = $1 AND user_id = $2`,
  };
  const update = {
    text: `UPDATE ${table}
           SET kind = $3, version = $4, status = $5, key_id = $6, ciphertext = $7, expires_at = $8, updated_at = $9
           WHERE app_id = $1 AND user_id = $2 AND version = $10`,
  };
  return {
    name: 'postgres',
    store: contender,
    raw: {
      get: () => pool.query({ ...read, values: [APP_ID, RAW_USER] }),
      getCold: () => pool.query({ ...read, values: [APP_ID, nextColdUser()] }),
      put: async () => {
        const result = await pool.query({
          ...update,
          values: [
            APP_ID,
            RAW_USER,
            'oauth2',
            version + 1,
            'active',
            'none',
            payload,
            Date.now() + 7_200_000,
            Date.now(),
            version,
          ],
        });
        if (result.rowCount !== 1) throw new Error('raw postgres update lost its compare-and-swap');
        version++;
      },
    },
    close: async () => {
      await store.close();
      await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
      for (const role of Object.values(roles)) await pool.query(`DROP ROLE IF EXISTS "${role}"`);
      await pool.end();
    },
  };
}

/** Operations per second of `operation`, run back to back (one at a time) for `TIME_MS`. */
async function opsPerSecond(operation, timeMs) {
  let count = 0;
  const started = performance.now();
  const deadline = started + timeMs;
  let now = started;
  while (now < deadline) {
    // Check the clock every 16 operations: a sub-microsecond op should not time the timer.
    for (let index = 0; index < 16; index++) await operation();
    count += 16;
    now = performance.now();
  }
  return (count * 1000) / (now - started);
}

/**
 * µs per operation of `first` and of `second`, each timed by itself while the two take turns
 * operation by operation for `timeMs` (first then second, then second then first, so each is
 * as often the one that runs after the other): both run in the same surroundings, and drift
 * over the measurement strikes both alike.
 */
async function inTurns(first, second, timeMs) {
  let firstMs = 0;
  let secondMs = 0;
  let pairs = 0;
  const deadline = performance.now() + timeMs;
  while (performance.now() < deadline) {
    for (let index = 0; index < 8; index++) {
      // first, second, second, first: t0 to t4 are the moments between them.
      const t0 = performance.now();
      await first();
      const t1 = performance.now();
      await second();
      await second();
      const t3 = performance.now();
      await first();
      const t4 = performance.now();
      firstMs += t1 - t0 + (t4 - t3);
      secondMs += t3 - t1;
    }
    pairs += 16;
  }
  return [(firstMs * 1000) / pairs, (secondMs * 1000) / pairs];
}

/**
 * One bare AES-256-GCM encryption and one decryption of `size` bytes (a fresh IV each, as the
 * store does), through node:crypto: what the store's cipher costs by itself. `decryptCold`
 * decrypts the next of COLD_ROWS ciphertexts, round robin, as the store's cold reads decrypt
 * the next of COLD_ROWS rows: a ciphertext not touched for 10,000 reads is slower to decrypt
 * than one decrypted a moment ago (about 0.3 µs here), and the store should not pay for it.
 */
function bareAes(size) {
  const key = randomBytes(32);
  const aad = Buffer.from('bench-app\u0000bench-user\u0000oauth2');
  const plaintext = randomBytes(size);
  const seal = () => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    const sealed = Buffer.concat([cipher.update(randomBytes(size)), cipher.final()]);
    return { iv, sealed, tag: cipher.getAuthTag() };
  };
  const open = ({ iv, sealed, tag }) => {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    decipher.update(sealed);
    return decipher.final();
  };
  const one = seal();
  const nextCold = roundRobin(Array.from({ length: COLD_ROWS }, seal));
  // IVs drawn ahead of time: asking the CSPRNG for 12 bytes per call costs microseconds, more
  // than the store's pooled IVs, and would flatter the store. The store pays for its IVs.
  const ivs = roundRobin(Array.from({ length: 1024 }, () => randomBytes(12)));
  return {
    encrypt: async () => {
      const fresh = createCipheriv('aes-256-gcm', key, ivs());
      fresh.setAAD(aad);
      fresh.update(plaintext);
      fresh.final();
      return fresh.getAuthTag();
    },
    decrypt: async () => open(one),
    decryptCold: async () => open(nextCold()),
  };
}

/** `first`, then `second`, as one operation (a raw operation and the bare cipher's, say). */
function inSequence(first, second) {
  return async () => {
    await first();
    await second();
  };
}

const AES = bareAes(Buffer.byteLength(JSON.stringify(tokenSetToStorable(tokenSet()))));
const us = (opsPerSecondValue) => 1e6 / opsPerSecondValue;

/**
 * Best of `ROUNDS` for each case; the median over rounds of store/raw within the same round,
 * which noise that strikes one round (an fsync that takes longer, another process on the CPU)
 * moves less than a best of; and the median over rounds of own work, each from a store
 * operation and its baseline measured side by side. Measured first one after the other over a
 * whole round (fourteen cases), the network backends' pairs sat seconds apart and their
 * rounds' own work spread over tens of µs (Redis: 5 to 46 µs per put; a read the cache serves,
 * 2 to 12 µs, against about 2 µs when the two are timed next to each other).
 */
async function measure(subject) {
  const cases = [
    ['storeGet', subject.store.get],
    ['rawGet', subject.raw.get],
    ['storeGetCold', subject.store.getCold],
    ['rawGetCold', subject.raw.getCold],
    ['storeCachedGet', subject.store.cachedGet],
    ['storeCachedGetCold', subject.store.cachedGetCold],
    ['storePut', subject.store.put],
    ['rawPut', subject.raw.put],
    ['aesEncrypt', AES.encrypt],
    ['aesDecrypt', AES.decrypt],
    // What the store's gets and put would cost with no work of its own: the raw driver's
    // operation and the bare cipher's, back to back in one measured operation, so that own
    // work is one difference of two measurements, not of three made at different moments.
    ['rawGetThenDecrypt', inSequence(subject.raw.get, AES.decrypt)],
    ['rawGetColdThenDecrypt', inSequence(subject.raw.getCold, AES.decryptCold)],
    ['rawPutThenEncrypt', inSequence(subject.raw.put, AES.encrypt)],
    // The control: the store's put on the memory backend, then the raw driver's put.
    ['memoryStorePutThenRawPut', inSequence(memoryStorePut, subject.raw.put)],
  ];
  const operations = Object.fromEntries(cases);
  // Each own-work figure: a store operation and its baseline measured side by side, A B B A
  // (half a measurement each), so that drift within the four cancels; the pairs' order turns
  // from round to round, so none always follows the same neighbour. With BENCH_METHOD=turns,
  // the two take turns operation by operation instead (inTurns), for as long as the four.
  const comparisons = [
    ['get', 'storeGet', 'rawGetThenDecrypt'],
    ['getCold', 'storeGetCold', 'rawGetColdThenDecrypt'],
    ['cachedGet', 'storeCachedGet', 'rawGet'],
    ['cachedGetCold', 'storeCachedGetCold', 'rawGetColdThenDecrypt'],
    ['put', 'storePut', 'rawPutThenEncrypt'],
    ['backendPut', 'storePut', 'memoryStorePutThenRawPut'],
  ];
  const alone = ['rawGetCold', 'rawPut', 'aesEncrypt', 'aesDecrypt'];
  const best = Object.fromEntries(cases.map(([name]) => [name, 0]));
  const paired = { get: [], getCold: [], cachedGet: [], cachedGetCold: [], put: [] };
  const own = { get: [], getCold: [], cachedGet: [], cachedGetCold: [], put: [], backendPut: [] };
  for (const [, operation] of cases) await opsPerSecond(operation, WARMUP_MS);
  for (let round = 0; round < ROUNDS; round++) {
    // µs per operation of each case in this round, from all its measurements.
    const times = Object.fromEntries(cases.map(([name]) => [name, []]));
    const note = (name, usPerOperation) => {
      best[name] = Math.max(best[name], 1e6 / usPerOperation);
      times[name].push(usPerOperation);
      return usPerOperation;
    };
    const timed = async (name, timeMs) =>
      note(name, us(await opsPerSecond(operations[name], timeMs)));
    const turned = [
      ...comparisons.slice(round % comparisons.length),
      ...comparisons.slice(0, round % comparisons.length),
    ];
    for (const [key, store, baseline] of turned) {
      if (METHOD === 'turns') {
        const [storeUs, baselineUs] = await inTurns(
          operations[store],
          operations[baseline],
          TIME_MS * 2,
        );
        own[key].push(note(store, storeUs) - note(baseline, baselineUs));
        continue;
      }
      const first = await timed(store, TIME_MS / 2);
      const baselineTimes =
        (await timed(baseline, TIME_MS / 2)) + (await timed(baseline, TIME_MS / 2));
      const last = await timed(store, TIME_MS / 2);
      own[key].push((first + last - baselineTimes) / 2);
    }
    for (const name of alone) await timed(name, TIME_MS);
    const mean = (name) => times[name].reduce((sum, value) => sum + value, 0) / times[name].length;
    paired.get.push(mean('rawGet') / mean('storeGet'));
    paired.getCold.push(mean('rawGetCold') / mean('storeGetCold'));
    paired.cachedGet.push(mean('rawGet') / mean('storeCachedGet'));
    paired.cachedGetCold.push(mean('rawGetCold') / mean('storeCachedGetCold'));
    paired.put.push(mean('rawPut') / mean('storePut'));
  }
  return {
    best,
    ratio: Object.fromEntries(
      Object.entries(paired).map(([name, values]) => [name, median(values)]),
    ),
    own: Object.fromEntries(Object.entries(own).map(([name, values]) => [name, median(values)])),
    ownRounds: own,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const format = (value) => Math.round(value).toLocaleString('en-US');

const SUBJECTS = {
  memory: memorySubject,
  sqlite: () => sqliteSubject('FULL'),
  'sqlite-normal': () => sqliteSubject('NORMAL'),
  redis: redisSubject,
  postgres: postgresSubject,
};
const selected = (process.env.BENCH_BACKENDS ?? Object.keys(SUBJECTS).join(','))
  .split(',')
  .map((name) => name.trim())
  .filter((name) => name !== '');
for (const name of selected) {
  if (!Object.hasOwn(SUBJECTS, name)) {
    throw new Error(
      `BENCH_BACKENDS: unknown backend "${name}" (${Object.keys(SUBJECTS).join(', ')})`,
    );
  }
}

const results = [];
for (const makeSubject of selected.map((name) => SUBJECTS[name])) {
  const subject = await makeSubject();
  try {
    results.push({ name: subject.name, ...(await measure(subject)) });
  } finally {
    await subject.close();
  }
  process.stderr.write(`measured ${subject.name}\n`);
}

console.log(
  `\nNode ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'} (${os.cpus().length} cores), load ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(
      ' ',
    )}; best of ${ROUNDS} rounds of ${TIME_MS} ms, and the median of the rounds' store/raw and own work, one operation at a time; own work measured ${METHOD === 'turns' ? 'in turns, operation by operation' : 'in blocks, store, baseline, baseline, store'}.\n`,
);
console.log(
  "| Backend | Operation | Store µs/op | Raw driver µs/op | Bare AES-256-GCM µs | Own work µs (median of rounds) | Rounds' own work µs | Store / raw (median) |",
);
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
const verdicts = [];
const micro = (value) => value.toFixed(1);
const cacheRows = `cache on (${format(CACHE_SIZE)})`;
for (const { name, best, ratio, own, ownRounds } of results) {
  for (const [operation, store, raw, aes, key] of [
    ['get (one row)', 'storeGet', 'rawGet', 'aesDecrypt', 'get'],
    [`get (${format(COLD_ROWS)} rows)`, 'storeGetCold', 'rawGetCold', 'aesDecrypt', 'getCold'],
    ['put', 'storePut', 'rawPut', 'aesEncrypt', 'put'],
    [`get (one row), ${cacheRows}`, 'storeCachedGet', 'rawGet', undefined, 'cachedGet'],
    [
      `get (${format(COLD_ROWS)} rows), ${cacheRows}, every read misses`,
      'storeCachedGetCold',
      'rawGetCold',
      'aesDecrypt',
      'cachedGetCold',
    ],
  ]) {
    console.log(
      `| ${name} | ${operation} | ${micro(us(best[store]))} | ${micro(us(best[raw]))} | ${aes === undefined ? '-' : micro(us(best[aes]))} | ${micro(own[key])} | ${micro(Math.min(...ownRounds[key]))} to ${micro(Math.max(...ownRounds[key]))} | ${ratio[key].toFixed(2)} |`,
    );
    verdicts.push({
      name,
      operation,
      ownUs: own[key],
      met: own[key] <= TARGET_OWN_US,
      // How often the rounds agree with the median's verdict: rounds on both sides of the
      // target mean the run's noise is as large as what it measures.
      roundsMet: ownRounds[key].filter((value) => value <= TARGET_OWN_US).length,
    });
  }
}
console.log(
  `\nTarget: the store's own work (store - the raw driver's operation followed by one bare AES-256-GCM operation of the same size, timed together; for a read the cache serves, no cipher) at most ${TARGET_OWN_US} µs per get and per put. The rows without "cache on" are the store as configured by default.`,
);
for (const { name, operation, ownUs, met, roundsMet } of verdicts) {
  console.log(
    `- ${name} ${operation}: ${micro(ownUs)} µs, ${met ? 'met' : 'MISSED'} (met in ${roundsMet} of ${ROUNDS} rounds)`,
  );
}
console.log(
  "\nControl: the store's put minus the memory backend's store put followed by the raw driver's put (timed together): what the backend adds to a put beyond the store's code and the driver's write.",
);
// On the memory backend the control compares the store with itself: nothing to learn.
for (const { name, own } of results.filter((result) => result.name !== 'memory')) {
  console.log(`- ${name}: ${micro(own.backendPut)} µs`);
}
