// The CLI, as a new user met it, run as a child process against an in-process emulator:
// --verbose shows the wire (masked), X's own words under an error, `login` alone prints the
// login help, an unknown --store is a typed usage error, and a stale emulator address from a
// stopped `pnpm demo` comes with a hint. (The OAuth 2.0 callback page is in cli-flows.)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { tokenSetFromStorable } from '@x-oauth/pkce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberUser } from '../src/cli/users-file.js';
import { maskToken } from '../src/mask.js';
import { openDemoStore } from '../src/store.js';
import { ensureCliBuilt, runCli } from './cli-process.js';

let emulator: Emulator;
let workDir: string;
let env: NodeJS.ProcessEnv;
let token: { key: string; secret: string };
const dataDir = (): string => join(workDir, '.x-oauth');

beforeAll(async () => {
  ensureCliBuilt();
  emulator = await startEmulator();
  workDir = mkdtempSync(join(tmpdir(), 'x-oauth-cli-friction-'));
  env = {
    X_OAUTH_EMULATOR_URL: emulator.url,
    X_API_KEY: emulator.app.consumerKey,
    X_API_SECRET: emulator.app.consumerSecret,
    X_CLIENT_ID: emulator.app.clientId,
    X_CLIENT_SECRET: emulator.app.clientSecret,
    X_OAUTH_DEMO_KEY: randomBytes(32).toString('base64'),
  };
  // @alice signed in with OAuth 1.0a, as `x-oauth login pin` leaves it.
  const alice = emulator.users.find((user) => user.screenName === 'alice');
  if (alice === undefined) throw new Error('no @alice');
  token = emulator.issueOAuth1Token(emulator.app.id, alice.id);
  const { store } = await openDemoStore({ dataDir: dataDir(), env, log: () => undefined });
  await store.writer.putOAuth1(emulator.app.consumerKey, alice.id, {
    key: token.key,
    secret: token.secret,
    xUserId: alice.id,
    screenName: 'alice',
    accessLevel: 'read-write',
  });
  await store.close();
  rememberUser(dataDir(), {
    appId: emulator.app.consumerKey,
    userId: alice.id,
    screenName: 'alice',
  });
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

function secrets(): string[] {
  return [
    token.key,
    token.secret,
    emulator.app.consumerKey,
    emulator.app.consumerSecret,
    emulator.app.clientSecret ?? 'none',
  ];
}

describe('x-oauth friction fixed', { timeout: 20_000 }, () => {
  it('--verbose prints each request on stderr: method, URL, masked header, base string, status', async () => {
    const run = await runCli(['request', 'GET', '/2/users/me', '--verbose'], workDir, env);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ data: { username: 'alice' } });
    const { stderr } = run;
    expect(stderr).toContain(`> GET ${emulator.url}/2/users/me\n`);
    expect(stderr).toContain('>   Authorization: OAuth\n');
    expect(stderr).toContain(`>     oauth_token=${maskToken(token.key)}\n`);
    expect(stderr).toContain(`>     oauth_consumer_key=${maskToken(emulator.app.consumerKey)}\n`);
    expect(stderr).toContain('>     oauth_signature=••••\n');
    expect(stderr).toMatch(
      new RegExp(
        `>   Base string: GET&${encodeURIComponent(emulator.url).replace(/[.]/g, '\\.')}%2F2%2Fusers%2Fme&\\S*oauth_token%3D`,
      ),
    );
    expect(stderr).toMatch(/> {3}Pool: user:\S+:\d+ GET \/2\/users\/me\n/);
    expect(stderr).toMatch(/< 200 in \d+ ms · rate limit \d+\/75, resets \d\d:\d\d:\d\dZ\n/);
    for (const secret of secrets()) expect(run.stdout + stderr).not.toContain(secret);

    // Without --verbose, none of it.
    const quiet = await runCli(['request', 'GET', '/2/users/me'], workDir, env);
    expect(quiet.stderr).not.toContain('Authorization');
  });

  it('--verbose shows app-only token requests too, Basic credentials hidden', async () => {
    const run = await runCli(['bearer', '--verbose'], workDir, env);
    expect(run.status).toBe(0);
    expect(run.stderr).toContain(`> POST ${emulator.url}/oauth2/token\n`);
    expect(run.stderr).toContain('>   Authorization: Basic\n>     credentials=••••\n');
    for (const secret of secrets()) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('shows X’s message and code under the error line (a 281-character Tweet)', async () => {
    const run = await runCli(
      ['request', 'POST', '/2/tweets', '--json', JSON.stringify({ text: 'a'.repeat(281) })],
      workDir,
      env,
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^X_INVALID_REQUEST \(400\): /m);
    expect(run.stderr).toMatch(/^X said: The `text` field is longer than 280 characters\.$/m);
  });

  it('`x-oauth login` alone prints the login help', async () => {
    const run = await runCli(['login'], workDir, env);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain('Usage: x-oauth login pin|oauth2');
    expect(run.stdout).toContain('login pin');
    expect(run.stdout).toContain('login oauth2');
    expect(run.stderr).not.toContain('Unknown command');
    const help = await runCli(['login', '--help'], workDir, env);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: x-oauth login pin|oauth2');
    const typo = await runCli(['login', 'pinn'], workDir, env);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(
      /^CLI_USAGE: Unknown login method "pinn": use login pin or login oauth2\.$/m,
    );
  });

  it('--store mysql://… is a typed usage error naming what works, without the password', async () => {
    const run = await runCli(
      ['tokens', 'list', '--store', 'mysql://user:hunter2@db/x'],
      workDir,
      env,
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^DEMO_UNKNOWN_STORE: Unknown store "mysql:\/\/db\/x": use sqlite:<path>, postgres:\/\/… or redis:\/\/…/m,
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  it('a stale emulator address from a stopped demo comes with a hint to start it', async () => {
    const stale = await startEmulator();
    const staleDir = mkdtempSync(join(tmpdir(), 'x-oauth-cli-stale-'));
    try {
      writeFileSync(
        join(staleDir, 'emulator.env'),
        [
          `X_OAUTH_EMULATOR_URL=${stale.url}`,
          `X_API_KEY=${stale.app.consumerKey}`,
          `X_API_SECRET=${stale.app.consumerSecret}`,
          `X_CLIENT_ID=${stale.app.clientId}`,
        ].join('\n'),
        { mode: 0o600 },
      );
      await stale.close();
      const run = await runCli(['bearer', '--data-dir', staleDir], workDir, {
        X_OAUTH_DEMO_KEY: env.X_OAUTH_DEMO_KEY,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/^BEARER_NETWORK_ERROR/m);
      expect(run.stderr).toContain(
        `The emulator address comes from ${join(staleDir, 'emulator.env')}`,
      );
      expect(run.stderr).toContain('no longer running');
      expect(run.stderr).toContain('npm run demo');
      expect(run.stderr).toContain('pnpm emulator');
    } finally {
      rmSync(staleDir, { recursive: true, force: true });
    }
  });

  it('an expired OAuth 2.0 set without a refresh token: the error says why, not "See cause" alone', async () => {
    const bob = emulator.users.find((user) => user.screenName === 'bob');
    if (bob === undefined) throw new Error('no @bob');
    const issued = emulator.issueOAuth2Token(emulator.app.id, bob.id, ['tweet.read', 'users.read']);
    const bobDir = mkdtempSync(join(tmpdir(), 'x-oauth-cli-bob-'));
    try {
      const { store } = await openDemoStore({ dataDir: bobDir, env, log: () => undefined });
      await store.writer.putOAuth2(
        emulator.app.consumerKey,
        bob.id,
        tokenSetFromStorable({
          version: 1,
          accessToken: issued.accessToken,
          expiresAt: Date.now() - 60_000,
          scopes: ['tweet.read', 'users.read'],
          tokenType: 'bearer',
        }),
      );
      await store.close();
      rememberUser(bobDir, { appId: emulator.app.consumerKey, userId: bob.id, screenName: 'bob' });
      const run = await runCli(
        ['request', 'GET', '/2/users/me', '--data-dir', bobDir],
        workDir,
        env,
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/Cause: .*PKCE_MISSING_OFFLINE_ACCESS: .*no refresh token/);
      expect(run.stderr).toContain('Authorize again with offline.access');
      expect(run.stderr).not.toContain(issued.accessToken);
    } finally {
      rmSync(bobDir, { recursive: true, force: true });
    }
  });
});
