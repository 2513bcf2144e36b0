// A fleet of client processes sharing one Redis rate-limit store, against one emulator whose
// endpoint has a small limit and a short window. Each process runs its own XClient with
// `holdWhenEmpty` and `onLimit: 'wait'`, and several callers, all on the same user's pool, for
// a number of windows. Used by fleet.bench.mjs (which prints the figures) and by
// test/fleet.test.ts (which asserts on them), so both measure the same thing.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

/** The endpoint every process calls, and its path. */
export const FLEET_ENDPOINT = 'GET /2/users/me';
const FLEET_PATH = '/2/users/me';

/**
 * Runs one fleet against the emulator `x`, whose FLEET_ENDPOINT rule is `limit` requests per
 * `windowSeconds`, and reads what the emulator saw from its request log (cleared first).
 */
export async function runFleet(x, options) {
  const { processes, callers, windows, limit, windowSeconds, redisUrl } = options;
  const windowMs = windowSeconds * 1000;
  // A user of its own: a fresh pool at the emulator, and a prefix of its own in Redis.
  const user = x.addUser({ screenName: `fleet_${randomBytes(4).toString('hex')}` });
  const token = x.issueOAuth1Token(x.app.id, user.id);
  const prefix = `x-oauth-fleet:${randomBytes(6).toString('hex')}:`;
  x.clearRequestLog();
  // Every process starts at the same instant, once all have loaded.
  const startAt = Date.now() + 300 + 50 * processes;
  const endAt = startAt + windows * windowMs;
  const task = {
    redisUrl,
    prefix,
    consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
    token,
    baseUrl: x.url,
    path: FLEET_PATH,
    startAt,
    endAt,
    callers,
    withoutTake: options.withoutTake === true,
  };
  const started = performance.now();
  const reports = await Promise.all(Array.from({ length: processes }, () => runChild(task)));
  const wallSeconds = (performance.now() - started) / 1000;
  await deletePrefix(redisUrl, prefix);

  const log = x
    .requestLog()
    .filter((entry) => entry.endpoint === FLEET_ENDPOINT)
    .sort((a, b) => a.at - b.at);
  const emulatorWindows = windowsOf(log, windowMs);
  const firstAt = log[0]?.at ?? startAt;
  // The allowed rate is `limit` per window; count what got through in the first `windows`
  // windows' worth of time from the first request.
  const measured = log.filter(
    (entry) => entry.status === 200 && entry.at < firstAt + windows * windowMs,
  );
  return {
    processes,
    callers,
    succeeded: reports.reduce((sum, report) => sum + report.succeeded, 0),
    rateLimitedSeen: reports.reduce((sum, report) => sum + report.rateLimited, 0),
    errors: reports.flatMap((report) => report.errors),
    perProcess: reports.map((report) => report.succeeded),
    sent: log.length,
    answered429: log.filter((entry) => entry.status === 429).length,
    answered200: log.filter((entry) => entry.status === 200).length,
    emulatorWindows,
    maxPerWindow: Math.max(0, ...emulatorWindows.map((window) => window.ok)),
    requestsPerSecond: measured.length / (windows * windowSeconds),
    limitPerSecond: limit / windowSeconds,
    wallSeconds,
  };
}

// The emulator's windows as it counts them: a window opens at the first request after the
// previous one ended, and lasts `windowMs`.
function windowsOf(log, windowMs) {
  const windows = [];
  for (const entry of log) {
    let current = windows.at(-1);
    if (current === undefined || entry.at >= current.start + windowMs) {
      current = { start: entry.at, ok: 0, rejected: 0 };
      windows.push(current);
    }
    if (entry.status === 200) current.ok += 1;
    else current.rejected += 1;
  }
  return windows;
}

function runChild(task) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./fleet-child.mjs', import.meta.url)), [], {
      // Not the flags of this process (a --cpu-prof, vitest's loaders).
      execArgv: [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let report;
    child.once('message', (message) => {
      report = message;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (report !== undefined) resolve(report);
      else reject(new Error(`fleet process exited (${signal ?? code}) without a report`));
    });
    child.send(task);
  });
}

async function deletePrefix(redisUrl, prefix) {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
