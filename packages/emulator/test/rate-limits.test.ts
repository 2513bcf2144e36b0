import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { obtainBearer, signedFetch, user } from './helpers.js';

let x: Emulator;

beforeAll(async () => {
  x = await startEmulator({
    rateLimits: {
      'GET /2/tweets/search/recent': { limit: 2, appLimit: 3, windowSeconds: 60 },
      'GET /1.1/account/verify_credentials.json': { limit: 1, windowSeconds: 60 },
      'POST /2/tweets': { limit: 10, windowSeconds: 60, userDaily: 2, appDaily: 3 },
    },
  });
});
afterAll(async () => {
  await x.close();
});

function search(token: string): Promise<Response> {
  return fetch(`${x.url}/2/tweets/search/recent?query=hello`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

describe('rate limits', () => {
  it("exhaust, answer 429 with X's body and headers, and reset after the window", async () => {
    const bearer = await obtainBearer(x);
    const seen: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await search(bearer);
      expect(response.status).toBe(200);
      seen.push(response.headers.get('x-rate-limit-remaining') as string);
      expect(response.headers.get('x-rate-limit-limit')).toBe('3');
    }
    expect(seen).toEqual(['2', '1', '0']);
    const limited = await search(bearer);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    });
    const reset = Number(limited.headers.get('x-rate-limit-reset'));
    expect(reset * 1000).toBeGreaterThan(x.now());
    expect(reset * 1000 - x.now()).toBeLessThanOrEqual(61_000);

    // The user pool is separate from the app-only pool.
    const userToken = x.issueOAuth2Token(x.app.id, user(x, 'alice').id, [
      'tweet.read',
      'users.read',
    ]);
    const userResponse = await search(userToken.accessToken);
    expect(userResponse.status).toBe(200);
    expect(userResponse.headers.get('x-rate-limit-limit')).toBe('2');
    expect(userResponse.headers.get('x-rate-limit-remaining')).toBe('1');
    // And each user has their own.
    const bobToken = x.issueOAuth2Token(x.app.id, user(x, 'bob').id, ['tweet.read', 'users.read']);
    expect((await search(bobToken.accessToken)).headers.get('x-rate-limit-remaining')).toBe('1');

    x.advanceClock(61_000);
    const after = await search(bearer);
    expect(after.status).toBe(200);
    expect(after.headers.get('x-rate-limit-remaining')).toBe('2');
  });

  it('answer v1.1 endpoints with code 88', async () => {
    const token = x.issueOAuth1Token(x.app.id, user(x, 'bob').id);
    const credentials = token;
    const first = await signedFetch(x, {
      method: 'GET',
      path: '/1.1/account/verify_credentials.json',
      token: credentials,
    });
    expect(first.status).toBe(200);
    const second = await signedFetch(x, {
      method: 'GET',
      path: '/1.1/account/verify_credentials.json',
      token: credentials,
    });
    expect(second.status).toBe(429);
    expect(await second.json()).toEqual({ errors: [{ code: 88, message: 'Rate limit exceeded' }] });
    expect(second.headers.get('x-rate-limit-remaining')).toBe('0');
  });

  it('apply 24-hour caps per user and per app on POST /2/tweets', async () => {
    const post = (token: string, text: string): Promise<Response> =>
      fetch(`${x.url}/2/tweets`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ text }),
      });
    const scopes = ['tweet.read', 'tweet.write', 'users.read'];
    const alice = x.issueOAuth2Token(x.app.id, user(x, 'alice').id, scopes).accessToken;
    const bob = x.issueOAuth2Token(x.app.id, user(x, 'bob').id, scopes).accessToken;
    const first = await post(alice, 'daily 1');
    expect(first.status).toBe(201);
    expect(first.headers.get('x-user-limit-24hour-limit')).toBe('2');
    expect(first.headers.get('x-user-limit-24hour-remaining')).toBe('1');
    expect(first.headers.get('x-app-limit-24hour-limit')).toBe('3');
    expect(first.headers.get('x-app-limit-24hour-remaining')).toBe('2');
    expect(Number(first.headers.get('x-app-limit-24hour-reset'))).toBeGreaterThan(
      x.now() / 1000 + 86_000,
    );
    expect((await post(alice, 'daily 2')).status).toBe(201);
    const userCapped = await post(alice, 'daily 3');
    expect(userCapped.status).toBe(429);
    expect(userCapped.headers.get('x-user-limit-24hour-remaining')).toBe('0');
    expect((await post(bob, 'daily bob 1')).status).toBe(201);
    const appCapped = await post(bob, 'daily bob 2');
    expect(appCapped.status).toBe(429);
    expect(appCapped.headers.get('x-app-limit-24hour-remaining')).toBe('0');
    expect(appCapped.headers.get('x-user-limit-24hour-remaining')).toBe('1');
  });

  it('put rate-limit headers on every response of a known endpoint, errors included', async () => {
    const response = await fetch(`${x.url}/2/users/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-rate-limit-limit')).not.toBeNull();
    expect(response.headers.get('x-rate-limit-remaining')).not.toBeNull();
    expect(response.headers.get('x-rate-limit-reset')).not.toBeNull();
    expect(response.headers.get('date')).not.toBeNull();
  });
});
