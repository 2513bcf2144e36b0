// Compatibility: Debian's python3-tweepy with python3-requests-oauthlib, unmodified, against
// the emulator through its forward proxy (HTTPS_PROXY) and CA (REQUESTS_CA_BUNDLE). One
// python process runs every flow (python starts slowly); consent pages are clicked through
// here with completeConsent, over the same proxy.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeConsent, type Emulator, startEmulator } from '../../src/index.js';
import { user } from '../helpers.js';
import { proxiedFetch } from '../proxied.js';
import { compatCaDir } from './ca-dir.js';

const FLOWS = [
  'oauth1-pin',
  'oauth1-callback',
  'v1-query-post',
  'v2-json-post',
  'app-only-search',
  'oauth2-public',
  'oauth2-confidential',
  'bad-signature',
  'revoked-token',
] as const;
type Flow = (typeof FLOWS)[number];
type Outcome = { result?: Record<string, unknown>; error?: string };

let x: Emulator;
const outcomes = new Map<Flow, Outcome>();

async function runTweepy(): Promise<void> {
  const alice = user(x, 'alice');
  const bob = user(x, 'bob');
  const token = x.issueOAuth1Token(x.app.id, alice.id, 'read-write');
  const carol = x.addUser({ screenName: 'carol' });
  const revoked = x.issueOAuth1Token(x.app.id, carol.id);
  x.revokeUserTokens(x.app.id, carol.id);
  const script = fileURLToPath(new URL('./tweepy_flows.py', import.meta.url));
  const child = spawn('/usr/bin/python3', [script], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      PATH: '/usr/bin:/bin',
      HTTPS_PROXY: x.proxyUrl as string,
      REQUESTS_CA_BUNDLE: x.caCertPath as string,
      // oauthlib refuses an http:// callback URL unless told it is local development.
      OAUTHLIB_INSECURE_TRANSPORT: '1',
    },
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const send = proxiedFetch(x);
  child.stdin.write(
    `${JSON.stringify({
      app: x.app,
      publicApp: x.publicApp,
      users: { alice: alice.id, bob: bob.id },
      oauth1Token: token,
      revokedToken: revoked,
      callback: 'http://127.0.0.1:3000/callback',
      redirectUri: 'http://127.0.0.1:3000/oauth2/callback',
      flows: FLOWS,
    })}\n`,
  );
  for await (const line of createInterface({ input: child.stdout })) {
    const message = JSON.parse(line) as {
      consent?: string;
      user_id?: string;
      flow?: Flow;
    } & Outcome;
    if (message.consent !== undefined) {
      let reply: Record<string, string>;
      try {
        const outcome = await completeConsent(message.consent, {
          fetch: send,
          ...(message.user_id === undefined ? {} : { userId: message.user_id }),
        });
        reply = outcome.kind === 'pin' ? { pin: outcome.pin } : { location: outcome.location };
      } catch (error) {
        reply = { error: String(error) };
      }
      child.stdin.write(`${JSON.stringify(reply)}\n`);
    } else if (message.flow !== undefined) {
      outcomes.set(message.flow, message);
    }
  }
  const code = await new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`tweepy script exited ${code}: ${errors}`);
}

function result(flow: Flow): Record<string, unknown> {
  const outcome = outcomes.get(flow);
  if (outcome === undefined) throw new Error(`tweepy did not report ${flow}`);
  if (outcome.error !== undefined) throw new Error(`tweepy ${flow}: ${outcome.error}`);
  return outcome.result ?? {};
}

beforeAll(async () => {
  x = await startEmulator({ proxy: true, tls: { caDir: compatCaDir() } });
  await runTweepy();
}, 60_000);
afterAll(async () => {
  await x.close();
});

describe('tweepy 4.12 (Debian) through the proxy', () => {
  it('OAuth 1.0a PIN login', () => {
    const got = result('oauth1-pin');
    expect(got.url).toMatch(/^https:\/\/api\.twitter\.com\/oauth\/authorize\?oauth_token=/);
    expect(got.screen_name).toBe('bob');
  });

  it('OAuth 1.0a callback login (Sign in with X)', () => {
    const got = result('oauth1-callback');
    expect(got.url).toMatch(/^https:\/\/api\.twitter\.com\/oauth\/authenticate\?oauth_token=/);
    expect(got.username).toBe('alice');
  });

  it('v1.1 query post (API.update_status), read back over v2', () => {
    const got = result('v1-query-post');
    expect(got.posted).toBe(got.sent);
    expect(got.read).toBe(got.sent);
  });

  it('v2 JSON post (Client.create_tweet), read back', () => {
    const got = result('v2-json-post');
    expect(got.read).toBe(got.sent);
  });

  it('app-only bearer (OAuth2AppHandler) and recent search', () => {
    const got = result('app-only-search');
    expect(got.found).toEqual([got.posted]);
  });

  it('OAuth 2.0 PKCE login as a public client, refresh with rotation, revoke', () => {
    const got = result('oauth2-public');
    expect(got.url).toMatch(/^https:\/\/twitter\.com\/i\/oauth2\/authorize\?/);
    expect(got.username).toBe('bob');
    expect(got.rotated).toBe(true);
    expect(got.after_refresh).toBe('bob');
    expect(got.reuse_status).toBe(400);
    expect(got.revoke_status).toBe(200);
    expect(got.revoke_body).toEqual({ revoked: true });
    expect(got.after_revoke).toMatchObject({ status: 401 });
  });

  it('OAuth 2.0 PKCE login as a confidential client', () => {
    expect(result('oauth2-confidential').username).toBe('alice');
  });

  it('refuses a bad signature with code 32', () => {
    expect(result('bad-signature')).toEqual({ status: 401, codes: [32] });
  });

  it('refuses a revoked token with code 89', () => {
    expect(result('revoked-token')).toEqual({ status: 401, codes: [89] });
  });
});
