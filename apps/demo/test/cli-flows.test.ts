// The CLI end to end, as a user drives it: the built `x-oauth` in a child process against an
// in-process emulator, with the seeded credentials passed through the environment.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { obtainBearerToken } from '@x-oauth/bearer';
import { completeConsent, type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDemoStore } from '../src/store.js';
import { type CliRun, ensureCliBuilt, runCli, startCli } from './cli-process.js';

let emulator: Emulator;
let workDir: string;
let env: NodeJS.ProcessEnv;
const dataDir = (): string => join(workDir, '.x-oauth');
// Everything the CLI printed, to check that no secret ever appears in it.
const outputs: CliRun[] = [];
// Every token, secret and key the run handled, as the test learns them.
const secrets: string[] = [];

/** Adds every token and secret the store now holds to `secrets`. */
async function collectStoredSecrets(): Promise<void> {
  const { store } = await openDemoStore({ dataDir: dataDir(), env: {}, log: () => undefined });
  try {
    for (const user of [alice(), bob()]) {
      const record = await store.reader.get(emulator.app.consumerKey, user.id);
      if (record?.kind === 'oauth1') secrets.push(record.oauth1.key, record.oauth1.secret);
      if (record?.kind === 'oauth2') {
        secrets.push(record.tokenSet.accessToken);
        if (record.tokenSet.refreshToken !== undefined) secrets.push(record.tokenSet.refreshToken);
      }
    }
  } finally {
    await store.close();
  }
}

async function cli(...args: string[]): Promise<CliRun> {
  const run = await runCli(args, workDir, env);
  outputs.push(run);
  return run;
}

beforeAll(async () => {
  ensureCliBuilt();
  emulator = await startEmulator();
  workDir = mkdtempSync(join(tmpdir(), 'x-oauth-cli-'));
  env = {
    X_OAUTH_EMULATOR_URL: emulator.url,
    X_API_KEY: emulator.app.consumerKey,
    X_API_SECRET: emulator.app.consumerSecret,
    X_CLIENT_ID: emulator.app.clientId,
    X_CLIENT_SECRET: emulator.app.clientSecret,
  };
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

function seededUser(screenName: string): { id: string; screenName: string } {
  const user = emulator.users.find((candidate) => candidate.screenName === screenName);
  if (user === undefined) throw new Error(`The emulator has no @${screenName}.`);
  return user;
}
const alice = () => seededUser('alice');
const bob = () => seededUser('bob');

describe('x-oauth against the emulator', { timeout: 20_000 }, () => {
  it('refuses a request before anyone signed in', async () => {
    const run = await cli('request', 'GET', '/2/users/me');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^CLI_NOT_SIGNED_IN: .*x-oauth login pin/m);
  });

  it('signs in with the PIN flow: the PIN read off the consent page is typed into stdin', async () => {
    const session = startCli(['login', 'pin'], workDir, env);
    const [url] = await session.waitForStdout(/http:\/\/\S+\/oauth\/authorize\?oauth_token=\S+/);
    // The "user" opens the URL and approves; the emulator shows the PIN for oob.
    const outcome = await completeConsent(url, { userId: alice().id });
    expect(outcome.kind).toBe('pin');
    if (outcome.kind !== 'pin') return;
    session.type(`${outcome.pin}\n`);
    const run = await session.done;
    outputs.push(run);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Signed in as @alice');
    expect(run.stderr).toContain('PIN: ');
    expect(run.stderr).toMatch(/Generated an encryption key in .*demo-key.*demo only/);
    expect(statSync(dataDir()).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir(), 'cli-user')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir(), 'demo-key')).mode & 0o777).toBe(0o600);
    await collectStoredSecrets();
    expect(secrets).toHaveLength(2);
  });

  it('refuses a wrong PIN and an empty one, storing nothing', async () => {
    const wrong = startCli(['login', 'pin'], workDir, env);
    const [url] = await wrong.waitForStdout(/http:\/\/\S+\/oauth\/authorize\?oauth_token=\S+/);
    const outcome = await completeConsent(url);
    if (outcome.kind !== 'pin') throw new Error('The consent page showed no PIN.');
    // A typo: the last digit off by one.
    const typo = `${outcome.pin.slice(0, 6)}${(Number(outcome.pin.slice(6)) + 1) % 10}`;
    wrong.type(`${typo}\n`);
    const refused = await wrong.done;
    outputs.push(refused);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /^X_INVALID_VERIFIER \(401\): X refused the verifier \(or PIN\)/m,
    );

    // A PIN typed without approving the app first: X no longer knows the request token.
    const unapproved = startCli(['login', 'pin'], workDir, env);
    await unapproved.waitForStdout(/oauth_token=/);
    unapproved.type('1234567\n');
    const unknown = await unapproved.done;
    outputs.push(unknown);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^X_INVALID_TOKEN \(401\)/m);

    const empty = startCli(['login', 'pin'], workDir, env);
    await empty.waitForStdout(/oauth_token=/);
    empty.child.stdin.end();
    const ended = await empty.done;
    outputs.push(ended);
    expect(ended.status).toBe(1);
    expect(ended.stderr).toContain('CLI_NO_INPUT: No PIN was typed');
    const list = await cli('tokens', 'list');
    expect(list.stdout.trimEnd().split('\n')).toHaveLength(1);
  });

  it('requests as the signed-in user: the JSON body on stdout, a summary on stderr', async () => {
    const me = await cli('request', 'GET', '/2/users/me');
    expect(me.status).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ data: { id: alice().id, username: 'alice' } });
    expect(me.stdout).toContain('\n  "data": {');
    expect(me.stderr).toMatch(
      /^200 GET \/2\/users\/me · rate limit \d+\/\d+ left, resets \d\d:\d\d:\d\dZ$/m,
    );

    const posted = await cli(
      'request',
      'POST',
      '/2/tweets',
      '--json',
      '{"text":"hi from the CLI"}',
    );
    expect(posted.status).toBe(0);
    expect(JSON.parse(posted.stdout)).toMatchObject({ data: { text: 'hi from the CLI' } });
    expect(posted.stderr).toMatch(/^201 POST \/2\/tweets · /m);

    // A form body is signed by OAuth 1.0a: the emulator checks the signature over it.
    const updated = await cli(
      'request',
      'POST',
      '/1.1/statuses/update.json',
      '--form',
      'status=signed form from the CLI',
    );
    expect(updated.status).toBe(0);
    expect(JSON.parse(updated.stdout)).toMatchObject({ text: 'signed form from the CLI' });

    const found = await cli('request', 'GET', '/2/tweets/search/recent', '--query', 'query=CLI');
    expect(found.status).toBe(0);
    expect(found.stdout).toContain('hi from the CLI');
  });

  it('prints typed errors with their code and exits 1; usage errors exit 2', async () => {
    const missing = await cli('request', 'GET', '/2/tweets/1');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^X_NOT_FOUND \(404\): /m);

    const usage = await cli('request', 'FETCH', 'users/me');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^CLI_USAGE: /m);
    const json = await cli('request', 'POST', '/2/tweets', '--json', '{nope');
    expect(json.status).toBe(2);
    expect(json.stderr).toContain('CLI_USAGE: --json is not valid JSON.');
    const unknown = await cli('request', 'GET', '/2/users/me', '--bogus');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Unknown option --bogus.');
  });

  it('names the missing variable when the target is not configured', async () => {
    const { X_API_SECRET: _dropped, ...partial } = env;
    const run = await runCli(['bearer'], workDir, partial);
    outputs.push(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('DEMO_CONFIG_ERROR: X_API_SECRET is not set');
  });

  it('reads the emulator from <dataDir>/emulator.env (as `pnpm demo` writes it) when nothing is set', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'x-oauth-cli-env-'));
    try {
      const none = await runCli(['bearer'], elsewhere, {});
      outputs.push(none);
      expect(none.status).toBe(1);
      expect(none.stderr).toMatch(/^DEMO_CONFIG_ERROR: No target: set X_OAUTH_EMULATOR_URL/m);

      mkdirSync(join(elsewhere, '.x-oauth'), { mode: 0o700 });
      const lines = Object.entries(env).map(([name, value]) => `${name}=${value ?? ''}`);
      writeFileSync(join(elsewhere, '.x-oauth', 'emulator.env'), `${lines.join('\n')}\n`, {
        mode: 0o600,
      });
      const run = await runCli(['bearer'], elsewhere, {});
      outputs.push(run);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(
        `Using the emulator described in ${join(elsewhere, '.x-oauth', 'emulator.env')}.`,
      );
      expect(run.stdout).toMatch(/^Bearer token: \S{4}…\S{4}\n$/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('obtains, uses and invalidates the app-only bearer token', async () => {
    const live = await obtainBearerToken({
      consumer: { key: emulator.app.consumerKey, secret: emulator.app.consumerSecret },
      baseUrl: emulator.url,
    });
    const shown = await cli('bearer');
    expect(shown.status).toBe(0);
    expect(shown.stdout).toBe(`Bearer token: ${live.slice(0, 4)}…${live.slice(-4)}\n`);
    expect(shown.stdout).not.toContain(live);

    const search = await cli(
      'request',
      '--app',
      'GET',
      '/2/tweets/search/recent',
      '--query',
      'query=xoauth',
    );
    expect(search.status).toBe(0);
    expect(JSON.parse(search.stdout)).toMatchObject({ meta: { result_count: expect.any(Number) } });
    expect(search.stderr).toMatch(
      /^200 GET \/2\/tweets\/search\/recent · rate limit \d+\/450 left/m,
    );

    const asApp = await cli('request', '--app', 'GET', '/2/users/me');
    expect(asApp.status).toBe(1);
    expect(asApp.stderr).toMatch(/^X_USER_CONTEXT_REQUIRED \(403\)/m);

    const invalidated = await cli('bearer', '--invalidate');
    expect(invalidated.status).toBe(0);
    expect(invalidated.stdout).toBe(
      `Invalidated bearer token ${live.slice(0, 4)}…${live.slice(-4)}\n`,
    );
    const next = await obtainBearerToken({
      consumer: { key: emulator.app.consumerKey, secret: emulator.app.consumerSecret },
      baseUrl: emulator.url,
    });
    expect(next).not.toBe(live);
    secrets.push(live, next);

    // As X's docs ask now: signed with OAuth 1.0a by the app's owner (alice, signed in above).
    expect(emulator.app.ownerId).toBe(alice().id);
    const byOwner = await cli('bearer', '--invalidate', '--owner');
    expect(byOwner.status).toBe(0);
    expect(byOwner.stdout).toBe(`Invalidated bearer token ${next.slice(0, 4)}…${next.slice(-4)}\n`);
    const signed = emulator
      .requestLog()
      .filter((entry) => entry.endpoint === 'POST /oauth2/invalidate_token')
      .map((entry) => `${entry.auth} ${entry.status}`);
    expect(signed).toEqual(['basic 200', 'oauth1 200']);
    secrets.push(
      await obtainBearerToken({
        consumer: { key: emulator.app.consumerKey, secret: emulator.app.consumerSecret },
        baseUrl: emulator.url,
      }),
    );
  });

  it('reports a cancelled OAuth 2.0 consent and stores nothing', async () => {
    const session = startCli(['login', 'oauth2'], workDir, env);
    const [url] = await session.waitForStdout(/http:\/\/\S+\/i\/oauth2\/authorize\?\S+/);
    const outcome = await completeConsent(url, { action: 'cancel' });
    expect(outcome.kind).toBe('redirect');
    if (outcome.kind !== 'redirect') return;
    const page = await fetch(outcome.location);
    expect(page.status).toBe(200);
    // The browser tab says what happened, not "Done".
    const text = await page.text();
    expect(text).toContain('<h1 id="outcome">Cancelled</h1>');
    expect(text).toContain('nothing was stored');
    expect(text).not.toContain('Done');
    const run = await session.done;
    outputs.push(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^PKCE_ACCESS_DENIED: /m);
  });

  it('refuses a forged OAuth 2.0 callback on its page, and keeps waiting for the real one', async () => {
    const session = startCli(['login', 'oauth2', '--timeout', '15'], workDir, env);
    const [url] = await session.waitForStdout(/http:\/\/\S+\/i\/oauth2\/authorize\?\S+/);
    const forged = await fetch('http://127.0.0.1:8975/callback?code=attacker-code&state=forged');
    expect(forged.status).toBe(400);
    const text = await forged.text();
    expect(text).toContain('<h1 id="outcome">Refused</h1>');
    expect(text).toContain('may be forged');
    expect(text).toContain('still waiting');
    expect(session.child.exitCode).toBeNull();
    // The real redirect (here the user cancels, to leave the stored users alone) still settles
    // the login: the forged one did not end it.
    const outcome = await completeConsent(url, { action: 'cancel' });
    if (outcome.kind !== 'redirect') throw new Error('no redirect');
    const page = await fetch(outcome.location);
    expect(await page.text()).toContain('<h1 id="outcome">Cancelled</h1>');
    const run = await session.done;
    outputs.push(run);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^PKCE_ACCESS_DENIED: /m);
    expect(run.stderr).not.toContain('STATE_MISMATCH');
  });

  it('gives up when no redirect arrives, and when the loopback port is taken', async () => {
    const late = await cli('login', 'oauth2', '--timeout', '0.3');
    expect(late.status).toBe(1);
    expect(late.stdout).toContain('/i/oauth2/authorize?');
    expect(late.stderr).toMatch(
      /^CLI_CALLBACK: No redirect reached http:\/\/127\.0\.0\.1:8975\/callback within 300 ms\.$/m,
    );

    const squatter = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => squatter.listen(8975, '127.0.0.1', resolve));
    try {
      const taken = await cli('login', 'oauth2');
      expect(taken.status).toBe(1);
      expect(taken.stdout).toBe('');
      expect(taken.stderr).toMatch(/^CLI_CALLBACK: Port 8975 on 127\.0\.0\.1 is in use/m);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('signs in with OAuth 2.0 through the loopback redirect', async () => {
    const session = startCli(['login', 'oauth2'], workDir, env);
    const [url] = await session.waitForStdout(/http:\/\/\S+\/i\/oauth2\/authorize\?\S+/);
    expect(new URL(url).searchParams.get('redirect_uri')).toBe('http://127.0.0.1:8975/callback');
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    const outcome = await completeConsent(url, { userId: bob().id });
    expect(outcome.kind).toBe('redirect');
    if (outcome.kind !== 'redirect') return;
    // The browser follows the redirect to the CLI's one-shot server.
    const page = await fetch(outcome.location);
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('<h1 id="outcome">Authorized</h1>');
    expect(text).toContain('return to the terminal');
    const run = await session.done;
    outputs.push(run);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Signed in as @bob');
    expect(run.stderr).toMatch(
      /Stored OAuth 2.0 token set \(version 1\).*scopes tweet\.read tweet\.write users\.read offline\.access/,
    );

    const me = await cli('request', 'GET', '/2/users/me');
    expect(me.status).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ data: { id: bob().id, username: 'bob' } });
    await collectStoredSecrets();
  });

  it('refreshes the stored OAuth 2.0 set when X rejects its access token', async () => {
    // X's clock moves past the two-hour lifetime: the access token is dead there, though
    // the CLI's clock still thinks it valid. The 401 makes the client refresh via the store.
    emulator.advanceClock(2 * 60 * 60 * 1000 + 60_000);
    const me = await cli('request', 'GET', '/2/users/me');
    expect(me.status).toBe(0);
    expect(JSON.parse(me.stdout)).toMatchObject({ data: { username: 'bob' } });
    const refreshes = emulator
      .requestLog()
      .filter((entry) => entry.endpoint === 'POST /2/oauth2/token' && entry.status === 200);
    expect(refreshes).toHaveLength(2);
    await collectStoredSecrets();
  });

  it('keeps tokens where --store says', async () => {
    const other = join(workDir, 'other.sqlite');
    const run = await cli('request', 'GET', '/2/users/me', '--store', `sqlite:${other}`);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^CLI_NOT_SIGNED_IN: No tokens are stored for @bob/m);
    expect(statSync(other).mode & 0o777).toBe(0o600);
  });

  it('lists the stored users with masked tokens', async () => {
    const run = await cli('tokens', 'list');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^ {2}@alice \(user \d+, app \S{4}…\S{4}\) {2}oauth1 active v1 {2}token \S{4}…\S{4} {2}secret \(hidden\) {2}access read-write$/,
    );
    expect(lines[1]).toMatch(
      /^\* @bob \(user \d+, app \S{4}…\S{4}\) {2}oauth2 active v\d {2}access \S{4}…\S{4} {2}refresh \S{4}…\S{4} {2}expires \d\d:\d\d:\d\dZ {2}scopes /,
    );
  });

  it('rotates the encryption key: a new key beside the old one, every row re-encrypted', async () => {
    const run = await cli('tokens', 'rotate-key');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      'Re-encrypted 2 row(s) under key k2; 0 already under it, 0 retried, 0 failed.\n',
    );
    const keyFile = JSON.parse(readFileSync(join(dataDir(), 'demo-key'), 'utf8'));
    expect(keyFile.currentKeyId).toBe('k2');
    expect(Object.keys(keyFile.keys)).toEqual(['k1', 'k2']);
    expect(statSync(join(dataDir(), 'demo-key')).mode & 0o777).toBe(0o600);
    secrets.push(keyFile.keys.k1, keyFile.keys.k2);

    const again = await cli('tokens', 'rotate-key');
    expect(again.stdout).toMatch(/^Re-encrypted 2 row\(s\) under key k3; 0 already under it/);
    const me = await cli('request', 'GET', '/2/users/me');
    expect(me.status).toBe(0);
  });

  it('never prints a token, a secret or a key', async () => {
    await collectStoredSecrets();
    secrets.push(emulator.app.consumerSecret, emulator.app.clientSecret ?? '');
    expect(secrets.filter((secret) => secret.length >= 16)).toHaveLength(secrets.length);
    expect(outputs.length).toBeGreaterThan(15);
    for (const run of outputs) {
      for (const secret of secrets) {
        expect(run.stdout).not.toContain(secret);
        expect(run.stderr).not.toContain(secret);
      }
    }
  });

  it('revokes at X and deletes: OAuth 2.0 (revoke) and OAuth 1.0a (invalidate)', async () => {
    const revokedBob = await cli('tokens', 'revoke');
    expect(revokedBob.status).toBe(0);
    expect(revokedBob.stdout).toBe('Revoked and deleted the tokens of @bob.\n');
    expect(revokedBob.stderr).toContain('Revoked the OAuth 2.0 tokens of @bob at X.');
    const revocations = emulator
      .requestLog()
      .filter((entry) => entry.endpoint === 'POST /2/oauth2/revoke');
    expect(revocations.map((entry) => entry.status)).toEqual([200, 200]);

    // alice is current again; her OAuth 1.0a token still works, until it is invalidated.
    const me = await cli('request', 'GET', '/2/users/me');
    expect(JSON.parse(me.stdout)).toMatchObject({ data: { username: 'alice' } });
    const list = await cli('tokens', 'list');
    // Two rotations re-encrypted the record twice: its version went from 1 to 3.
    expect(list.stdout).toMatch(/^\* @alice .* oauth1 active v3 /);

    const revokedAlice = await cli('tokens', 'revoke');
    expect(revokedAlice.status).toBe(0);
    expect(revokedAlice.stderr).toContain('Invalidated the OAuth 1.0a token of @alice at X.');
    const empty = await cli('tokens', 'list');
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('No signed-in users');
    const after = await cli('request', 'GET', '/2/users/me');
    expect(after.status).toBe(1);
    expect(after.stderr).toMatch(/^CLI_NOT_SIGNED_IN/m);
  });
});
