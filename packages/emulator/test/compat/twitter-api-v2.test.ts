// Compatibility: twitter-api-v2 1.29 from npm, unmodified, against the emulator through its
// forward proxy and CA, as a user would wire it (an https-proxy-agent as `httpAgent`).
import { ApiResponseError, TwitterApi } from 'twitter-api-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeConsent, type Emulator, startEmulator } from '../../src/index.js';
import { user } from '../helpers.js';
import { proxiedFetch, trustingProxyAgent } from '../proxied.js';
import { compatCaDir } from './ca-dir.js';

let x: Emulator;
let settings: { httpAgent: ReturnType<typeof trustingProxyAgent> };

beforeAll(async () => {
  x = await startEmulator({ proxy: true, tls: { caDir: compatCaDir() } });
  settings = { httpAgent: trustingProxyAgent(x) };
});
afterAll(async () => {
  await x.close();
});

function consumer(): { appKey: string; appSecret: string } {
  return { appKey: x.app.consumerKey, appSecret: x.app.consumerSecret };
}

function userClient(screenName: string): TwitterApi {
  const token = x.issueOAuth1Token(x.app.id, user(x, screenName).id, 'read-write');
  return new TwitterApi(
    { ...consumer(), accessToken: token.key, accessSecret: token.secret },
    settings,
  );
}

async function refusalCode(call: Promise<unknown>): Promise<number | undefined> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiResponseError)
      return error.errors?.[0] && 'code' in error.errors[0]
        ? (error.errors[0].code as number)
        : undefined;
    throw error;
  }
  throw new Error('The request was not refused.');
}

describe('twitter-api-v2 1.29 through the proxy', () => {
  it('OAuth 1.0a PIN login', async () => {
    const link = await new TwitterApi(consumer(), settings).generateAuthLink('oob', {
      linkMode: 'authorize',
    });
    expect(link.url).toMatch(/^https:\/\/api\.x\.com\/oauth\/authorize\?oauth_token=/);
    const bob = user(x, 'bob');
    const outcome = await completeConsent(link.url, { fetch: proxiedFetch(x), userId: bob.id });
    if (outcome.kind !== 'pin') throw new Error('expected a PIN');
    const pending = new TwitterApi(
      { ...consumer(), accessToken: link.oauth_token, accessSecret: link.oauth_token_secret },
      settings,
    );
    const login = await pending.login(outcome.pin);
    expect(login.screenName).toBe('bob');
    expect(login.userId).toBe(bob.id);
    expect((await login.client.v1.verifyCredentials()).screen_name).toBe('bob');
  });

  it('OAuth 1.0a callback login', async () => {
    const callback = 'http://127.0.0.1:3000/callback';
    const link = await new TwitterApi(consumer(), settings).generateAuthLink(callback);
    expect(link.url).toMatch(/^https:\/\/api\.x\.com\/oauth\/authenticate\?oauth_token=/);
    const alice = user(x, 'alice');
    const outcome = await completeConsent(link.url, { fetch: proxiedFetch(x), userId: alice.id });
    if (outcome.kind !== 'redirect') throw new Error('expected a redirect');
    const back = new URL(outcome.location);
    expect(`${back.origin}${back.pathname}`).toBe(callback);
    expect(back.searchParams.get('oauth_token')).toBe(link.oauth_token);
    const pending = new TwitterApi(
      { ...consumer(), accessToken: link.oauth_token, accessSecret: link.oauth_token_secret },
      settings,
    );
    const login = await pending.login(back.searchParams.get('oauth_verifier') as string);
    expect(login.screenName).toBe('alice');
    expect((await login.client.v2.me()).data.username).toBe('alice');
  });

  it('v1.1 form post, read back over v2', async () => {
    const client = userClient('alice');
    const text = `form post ${Date.now()}`;
    const posted = await client.v1.tweet(text);
    expect(posted.text).toBe(text);
    const read = await client.v2.tweets([posted.id_str]);
    expect(read.data[0]).toMatchObject({ id: posted.id_str, text });
  });

  it('v1.1 query post (parameters in the query string, no body)', async () => {
    const client = userClient('alice');
    const text = `query post ${Date.now()}`;
    const posted = (await client.v1.post('statuses/update.json', undefined, {
      query: { status: text },
    })) as { id_str: string; text: string };
    expect(posted.text).toBe(text);
    const read = await client.v2.tweets([posted.id_str]);
    expect(read.data[0]).toMatchObject({ id: posted.id_str, text });
  });

  it('v2 JSON post, read back', async () => {
    const client = userClient('bob');
    const text = `json post ${Date.now()}`;
    const posted = await client.v2.tweet(text);
    expect(posted.data.text).toBe(text);
    const read = await client.v2.tweets([posted.data.id]);
    expect(read.data[0]).toMatchObject({ id: posted.data.id, text });
  });

  it('app-only bearer and recent search', async () => {
    const marker = `needle${Date.now()}`;
    const posted = await userClient('alice').v2.tweet(`find the ${marker}`);
    const app = await new TwitterApi(consumer(), settings).appLogin();
    const found = await app.v2.search(marker);
    expect(found.tweets.map((tweet) => tweet.id)).toEqual([posted.data.id]);
  });

  it('OAuth 2.0 PKCE login as a public client, refresh with rotation, revoke', async () => {
    const redirectUri = 'http://127.0.0.1:3000/oauth2/callback';
    const start = new TwitterApi({ clientId: x.publicApp.clientId }, settings);
    const link = start.generateOAuth2AuthLink(redirectUri, {
      scope: ['tweet.read', 'users.read', 'offline.access'],
    });
    expect(link.url).toMatch(/^https:\/\/x\.com\/i\/oauth2\/authorize\?/);
    const bob = user(x, 'bob');
    const outcome = await completeConsent(link.url, { fetch: proxiedFetch(x), userId: bob.id });
    if (outcome.kind !== 'redirect') throw new Error('expected a redirect');
    const back = new URL(outcome.location);
    expect(back.searchParams.get('state')).toBe(link.state);
    const login = await start.loginWithOAuth2({
      code: back.searchParams.get('code') as string,
      codeVerifier: link.codeVerifier,
      redirectUri,
    });
    expect((await login.client.v2.me()).data.username).toBe('bob');

    const refreshed = await start.refreshOAuth2Token(login.refreshToken as string);
    expect(refreshed.refreshToken).toBeDefined();
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);
    expect((await refreshed.client.v2.me()).data.username).toBe('bob');
    // The spent refresh token is refused.
    await expect(start.refreshOAuth2Token(login.refreshToken as string)).rejects.toBeInstanceOf(
      ApiResponseError,
    );

    await start.revokeOAuth2Token(refreshed.accessToken, 'access_token');
    await expect(refreshed.client.v2.me()).rejects.toMatchObject({ code: 401 });
  });

  it('OAuth 2.0 PKCE login as a confidential client', async () => {
    const redirectUri = 'http://127.0.0.1:3000/oauth2/callback';
    const start = new TwitterApi(
      { clientId: x.app.clientId, clientSecret: x.app.clientSecret as string },
      settings,
    );
    const link = start.generateOAuth2AuthLink(redirectUri, { scope: ['tweet.read', 'users.read'] });
    const alice = user(x, 'alice');
    const outcome = await completeConsent(link.url, { fetch: proxiedFetch(x), userId: alice.id });
    if (outcome.kind !== 'redirect') throw new Error('expected a redirect');
    const login = await start.loginWithOAuth2({
      code: new URL(outcome.location).searchParams.get('code') as string,
      codeVerifier: link.codeVerifier,
      redirectUri,
    });
    expect((await login.client.v2.me()).data.username).toBe('alice');
  });

  it('refuses a bad signature with code 32', async () => {
    const token = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const forged = new TwitterApi(
      {
        ...consumer(),
        appSecret: 'not-the-secret',
        accessToken: token.key,
        accessSecret: token.secret,
      },
      settings,
    );
    expect(await refusalCode(forged.v1.verifyCredentials())).toBe(32);
  });

  it('refuses a revoked token with code 89', async () => {
    const client = userClient('bob');
    expect((await client.v1.verifyCredentials()).screen_name).toBe('bob');
    x.revokeUserTokens(x.app.id, user(x, 'bob').id);
    expect(await refusalCode(client.v1.verifyCredentials())).toBe(89);
  });
});
