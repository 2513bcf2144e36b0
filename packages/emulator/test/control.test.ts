import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { obtainBearer, signedFetch, threeLegged, user } from './helpers.js';

let x: Emulator;

beforeAll(async () => {
  x = await startEmulator({ control: true });
});
afterAll(async () => {
  await x.close();
});

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  return fetch(`${x.url}/__emulator${path}`, init);
}

describe('startEmulator', () => {
  it('derives the same credentials from the same seed and different ones from another', async () => {
    const same = await startEmulator();
    const other = await startEmulator({ seed: 'another seed' });
    try {
      expect(same.app.consumerKey).toBe(x.app.consumerKey);
      expect(same.app.clientSecret).toBe(x.app.clientSecret);
      expect(other.app.consumerKey).not.toBe(x.app.consumerKey);
      expect(x.publicApp.clientType).toBe('public');
      expect(x.publicApp.clientSecret).toBeUndefined();
      expect(x.users.map((candidate) => candidate.screenName)).toEqual(['alice', 'bob']);
      expect(x.app.callbackUrls).toContain('http://127.0.0.1:8975/callback');
    } finally {
      await same.close();
      await other.close();
    }
  });

  it('refuses a non-loopback host unless allowed', async () => {
    await expect(startEmulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('keeps the control routes off unless enabled', async () => {
    const off = await startEmulator();
    try {
      const response = await fetch(`${off.url}/__emulator/state`);
      expect(response.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('HTTP control surface', () => {
  it('adds apps and users, moves the clock and issues tokens', async () => {
    const userResponse = await control('POST', '/users', { screenName: 'carol', name: 'Carol' });
    expect(userResponse.status).toBe(200);
    const carol = (await userResponse.json()) as { id: string };
    const appResponse = await control('POST', '/apps', {
      name: 'Second <App>',
      permission: 'read',
    });
    const app = (await appResponse.json()) as {
      id: string;
      consumerKey: string;
      permission: string;
    };
    expect(app.permission).toBe('read');
    expect(x.apps.map((candidate) => candidate.id)).toContain(app.id);

    const before = x.now();
    const clock = (await (await control('POST', '/clock/advance', { ms: 60_000 })).json()) as {
      now: number;
    };
    expect(clock.now - before).toBeGreaterThanOrEqual(60_000);

    const issued = (await (
      await control('POST', '/tokens/oauth2', {
        appId: x.app.id,
        userId: carol.id,
        scopes: ['tweet.read', 'users.read'],
      })
    ).json()) as { accessToken: string };
    const me = await fetch(`${x.url}/2/users/me`, {
      headers: { authorization: `Bearer ${issued.accessToken}` },
    });
    expect(((await me.json()) as { data: { username: string } }).data.username).toBe('carol');

    const bad = await control('POST', '/users', { screenName: 'not valid!' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/screenName/);
  });

  it('escapes app names on the consent page', async () => {
    const app = x.addApp({ name: '<script>alert(1)</script>' });
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/request_token',
      app,
      callback: 'oob',
    });
    const token = new URLSearchParams(await response.text()).get('oauth_token') as string;
    const html = await (await fetch(`${x.url}/oauth/authorize?oauth_token=${token}`)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('changes permissions and revokes tokens over HTTP', async () => {
    const access = await threeLegged(x, user(x, 'bob'));
    const revoke = await control('POST', '/revoke', { userId: user(x, 'bob').id });
    expect(((await revoke.json()) as { revoked: number }).revoked).toBeGreaterThan(0);
    const after = await signedFetch(x, {
      method: 'GET',
      path: '/1.1/account/verify_credentials.json',
      token: access,
    });
    expect(after.status).toBe(401);
  });

  it('reads the request log without tokens or query strings', async () => {
    await control('DELETE', '/requests');
    const bearer = await obtainBearer(x);
    await fetch(`${x.url}/2/tweets?ids=1`, { headers: { authorization: `Bearer ${bearer}` } });
    const log = (await (await control('GET', '/requests')).json()) as {
      requests: { endpoint: string; auth: string; status: number; path: string }[];
    };
    expect(log.requests.map((entry) => [entry.endpoint, entry.auth, entry.status])).toEqual([
      ['POST /oauth2/token', 'basic', 200],
      ['GET /2/tweets', 'app-only', 200],
    ]);
    const serialized = JSON.stringify(log);
    expect(serialized).not.toContain(bearer);
    expect(serialized).not.toContain(x.app.consumerSecret);
    expect(serialized).not.toContain('ids=');
  });
});

describe('fault injection', () => {
  it('answers a named endpoint with an X-shaped 503 for `times` requests', async () => {
    x.injectFault({ endpoint: 'POST /oauth2/token', kind: 'status', status: 503, times: 1 });
    const failed = await fetch(`${x.url}/oauth2/token`, { method: 'POST' });
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual({ errors: [{ code: 130, message: 'Over capacity' }] });
    expect(await obtainBearer(x)).toMatch(/^AAAA/);
  });

  it('sends malformed JSON, drops connections and adds latency', async () => {
    const bearer = await obtainBearer(x);
    const headers = { authorization: `Bearer ${bearer}` };
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'malformed-json', times: 1 });
    const malformed = await fetch(`${x.url}/2/tweets?ids=1`, { headers });
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();

    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'drop', times: 1 });
    await expect(fetch(`${x.url}/2/tweets?ids=1`, { headers })).rejects.toThrow();

    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'latency', latencyMs: 150, times: 1 });
    const started = performance.now();
    const slow = await fetch(`${x.url}/2/tweets?ids=1`, { headers });
    expect(slow.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(x.requestLog().some((entry) => entry.status === 0)).toBe(true);
  });

  it('hits about `share` of the requests, reproducibly for a seed', async () => {
    const bearer = await obtainBearer(x);
    const id = await (
      await control('POST', '/faults', {
        endpoint: 'GET /2/tweets',
        kind: 'status',
        status: 500,
        share: 0.5,
      })
    ).json();
    expect(id).toHaveProperty('id');
    let failures = 0;
    for (let index = 0; index < 40; index += 1) {
      const response = await fetch(`${x.url}/2/tweets?ids=1`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      if (response.status === 500) {
        failures += 1;
        expect(await response.json()).toMatchObject({
          title: 'Internal Server Error',
          status: 500,
        });
      }
    }
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    await control('DELETE', '/faults');
    const clean = await fetch(`${x.url}/2/tweets?ids=1`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(clean.status).toBe(200);
  });
});

describe('persistence', () => {
  it('keeps apps, users and tokens across restarts in a 0600 file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x-emulator-'));
    const statePath = join(dir, 'state.json');
    try {
      const first = await startEmulator({ statePath });
      const dave = first.addUser({ screenName: 'dave' });
      const access = await threeLegged(first, dave);
      const bearer = await obtainBearer(first);
      await first.close();
      expect(statSync(statePath).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(statePath, 'utf8'))).toHaveProperty('version', 1);

      const second = await startEmulator({ statePath });
      try {
        expect(second.users.map((candidate) => candidate.screenName)).toContain('dave');
        const me = await signedFetch(second, {
          method: 'GET',
          path: '/1.1/account/verify_credentials.json',
          token: access,
        });
        expect(me.status).toBe(200);
        expect(await obtainBearer(second)).toBe(bearer);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
