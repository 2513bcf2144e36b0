// The issue's race: many processes, each with many callers, all ask for a fresh token set at
// the same moment, just after it expired, against the emulator in strict refresh-reuse mode
// (reusing a spent refresh token revokes the whole grant, as a theft). Per trial: exactly one
// token request, no failed caller, one access token for everyone, and the stored refresh
// token still works afterwards (none lost). On every backend processes can share, plus the
// memory backend in one process.
//
// X_OAUTH_RACE_TRIALS sets the trials per configuration (default 20, the issue's number).
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import {
  endpointsFromBaseUrl,
  type OAuth2Client,
  type OAuth2Endpoints,
  refreshToken,
  TokenSet,
} from '@x-oauth/pkce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKeyring,
  createMemoryBackend,
  createTokenStore,
  type TokenStore,
} from '../src/index.js';
import {
  assertDistBuilt,
  randomKeyringConfig,
  type SharedBackend,
  type SharedBackendKind,
  setUpSharedBackend,
  WorkerProcess,
} from './workers/fixtures.js';

const TRIALS = Number(process.env.X_OAUTH_RACE_TRIALS ?? 20);
const CONFIGURATIONS = [
  { processes: 4, callers: 25 },
  { processes: 8, callers: 50 },
] as const;
const SHARED_KINDS: readonly SharedBackendKind[] = [
  'sqlite',
  'postgres',
  'redis',
  'redis-cluster',
  'pgbouncer',
];
const SCOPES = ['tweet.read', 'users.read', 'offline.access'] as const;
const TOKEN_ENDPOINT = 'POST /2/oauth2/token';
// Workers fire at the same wall-clock instant this far after the parent's message.
const START_DELAY_MS = 40;

let x: Emulator;
let client: OAuth2Client & { clientSecret: string };
let endpoints: OAuth2Endpoints;
const keyringConfig = randomKeyringConfig();

beforeAll(async () => {
  expect(Number.isSafeInteger(TRIALS) && TRIALS > 0, 'X_OAUTH_RACE_TRIALS').toBe(true);
  assertDistBuilt();
  x = await startEmulator({
    port: 0,
    strictRefreshReuse: true,
    // The token endpoint's default budget (1000 per 15 min) is not what is tested here.
    rateLimits: { [TOKEN_ENDPOINT]: { limit: 1_000_000, appLimit: 1_000_000 } },
  });
  const { clientId, clientSecret } = x.app;
  if (clientSecret === undefined) throw new Error('the seeded app should be confidential');
  client = { clientId, clientSecret };
  endpoints = endpointsFromBaseUrl(x.url);
});

afterAll(async () => {
  await x?.close();
});

/** What one trial saw; `problems` is empty when the trial passed. */
interface TrialReport {
  trial: number;
  tokenRequests: number;
  callers: number;
  failedCallers: number;
  distinctAccessTokens: number;
  refreshTokenLost: boolean;
  ms: number;
  problems: string[];
}

/** The emulator's token set for a new login, stored already expired. */
async function writeExpiredSet(store: TokenStore, userId: string): Promise<void> {
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

/**
 * After the race: the stored set holds the only live refresh token, so refreshing it must
 * work (with strict reuse, a lost or spent token would fail and revoke the grant).
 */
async function storedRefreshTokenWorks(store: TokenStore, userId: string): Promise<boolean> {
  const record = await store.reader.get(x.app.id, userId);
  if (record?.kind !== 'oauth2') return false;
  try {
    await refreshToken({ client, tokenSet: record.tokenSet, endpoints });
    return true;
  } catch {
    return false;
  }
}

function judge(report: Omit<TrialReport, 'problems'>, expectedCallers: number): TrialReport {
  const problems: string[] = [];
  if (report.tokenRequests !== 1) problems.push(`${report.tokenRequests} token requests`);
  if (report.failedCallers > 0) problems.push(`${report.failedCallers} failed callers`);
  if (report.callers !== expectedCallers) problems.push(`${report.callers} callers answered`);
  if (report.distinctAccessTokens !== 1) {
    problems.push(`${report.distinctAccessTokens} distinct access tokens`);
  }
  if (report.refreshTokenLost) problems.push('refresh token lost');
  return { ...report, problems };
}

function summarize(label: string, reports: readonly TrialReport[], startedAt: number): void {
  const times = reports.map((report) => report.ms).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  console.info(
    `${label}: ${reports.length} trials, ${reports.filter((r) => r.problems.length === 0).length} clean, ` +
      `token requests ${reports.reduce((sum, r) => sum + r.tokenRequests, 0)}, ` +
      `median race ${median.toFixed(0)} ms, total ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
  );
}

interface RaceResult {
  answered: number;
  refreshCalls: number;
  accessTokens: string[];
  failures: { code?: string; causeCode?: string; message: string }[];
  ms: number;
}

for (const kind of SHARED_KINDS) {
  describe(`refresh race on ${kind}, across processes`, () => {
    let shared: SharedBackend;
    let store: TokenStore;

    beforeAll(async () => {
      shared = await setUpSharedBackend(kind, 'race');
      store = createTokenStore({ backend: shared.open(), keyring: createKeyring(keyringConfig) });
    });

    afterAll(async () => {
      await store?.close();
      await shared?.cleanup();
    });

    for (const { processes, callers } of CONFIGURATIONS) {
      it(`${processes} processes x ${callers} callers, ${TRIALS} trials: 1 token request, 0 failures, 0 lost tokens`, async () => {
        const startedAt = performance.now();
        const user = x.addUser({ screenName: `race_${SHARED_KINDS.indexOf(kind)}_${processes}` });
        const workers = Array.from(
          { length: processes },
          () => new WorkerProcess('./race-worker.mjs'),
        );
        const reports: TrialReport[] = [];
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
            await writeExpiredSet(store, user.id);
            x.clearRequestLog();
            const at = Date.now() + START_DELAY_MS;
            const results = await Promise.all(
              workers.map((worker) =>
                worker.request<RaceResult>('race', {
                  appId: x.app.id,
                  userId: user.id,
                  callers,
                  at,
                }),
              ),
            );
            const tokenRequests = x
              .requestLog()
              .filter((entry) => entry.endpoint === TOKEN_ENDPOINT).length;
            const failures = results.flatMap((result) => result.failures);
            const accessTokens = new Set(results.flatMap((result) => result.accessTokens));
            const stored = await store.reader.get(x.app.id, user.id);
            if (stored?.kind === 'oauth2') accessTokens.add(stored.tokenSet.accessToken);
            const report = judge(
              {
                trial,
                tokenRequests,
                callers: results.reduce((sum, result) => sum + result.answered, 0),
                failedCallers: failures.length,
                distinctAccessTokens: accessTokens.size,
                refreshTokenLost: !(await storedRefreshTokenWorks(store, user.id)),
                ms: Math.max(...results.map((result) => result.ms)),
              },
              processes * callers,
            );
            if (failures.length > 0) report.problems.push(JSON.stringify(failures.slice(0, 3)));
            reports.push(report);
          }
        } finally {
          await Promise.all(workers.map((worker) => worker.stop()));
        }
        summarize(`${kind} ${processes}x${callers}`, reports, startedAt);
        expect(reports.filter((report) => report.problems.length > 0)).toEqual([]);
        expect(reports).toHaveLength(TRIALS);
      }, 240_000);
    }
  });
}

describe('refresh race on memory, in one process', () => {
  it(`100 callers, ${TRIALS} trials: 1 token request, 0 failures, 0 lost tokens`, async () => {
    const startedAt = performance.now();
    const store = createTokenStore({
      backend: createMemoryBackend(),
      keyring: createKeyring(keyringConfig),
    });
    const user = x.addUser({ screenName: 'race_memory' });
    const reports: TrialReport[] = [];
    for (let trial = 1; trial <= TRIALS; trial++) {
      await writeExpiredSet(store, user.id);
      x.clearRequestLog();
      const raceStarted = performance.now();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 100 }, () =>
          store.writer.getFreshTokenSet(x.app.id, user.id, (tokenSet, signal) =>
            refreshToken({ client, tokenSet, endpoints, signal }),
          ),
        ),
      );
      const ms = performance.now() - raceStarted;
      const accessTokens = new Set(
        outcomes.flatMap((outcome) =>
          outcome.status === 'fulfilled' ? [outcome.value.accessToken] : [],
        ),
      );
      reports.push(
        judge(
          {
            trial,
            tokenRequests: x.requestLog().filter((entry) => entry.endpoint === TOKEN_ENDPOINT)
              .length,
            callers: outcomes.length,
            failedCallers: outcomes.filter((outcome) => outcome.status === 'rejected').length,
            distinctAccessTokens: accessTokens.size,
            refreshTokenLost: !(await storedRefreshTokenWorks(store, user.id)),
            ms,
          },
          100,
        ),
      );
    }
    await store.close();
    summarize('memory 1x100', reports, startedAt);
    expect(reports.filter((report) => report.problems.length > 0)).toEqual([]);
  }, 60_000);
});
