import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAuthorization,
  endpointsFromBaseUrl,
  exchangeCode,
  type FetchLike,
  handleCallback,
  oauth2Auth,
  refreshToken,
  revokeToken,
  TokenSet,
  XApiErrorCode,
  XClient,
} from '../src/index.js';
import { consentRedirect, logOf, user } from './helpers.js';

let x: Emulator;
let client: { clientId: string; clientSecret: string };

beforeAll(async () => {
  x = await startEmulator({ port: 0, strictRefreshReuse: true });
  client = { clientId: x.app.clientId, clientSecret: x.app.clientSecret as string };
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
});

function issue(scopes: string[], expiresAt = Date.now() + 7_200_000, name = 'alice'): TokenSet {
  const issued = x.issueOAuth2Token(x.app.id, user(x, name).id, scopes);
  return new TokenSet({
    accessToken: issued.accessToken,
    ...(issued.refreshToken === undefined ? {} : { refreshToken: issued.refreshToken }),
    expiresAt,
    scopes: issued.scope.split(' '),
    tokenType: 'bearer',
  });
}

const ALL = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'];

describe('OAuth 2.0 user context', () => {
  it('runs the PKCE flow through the consent page, then calls the API', async () => {
    const redirectUri = 'http://127.0.0.1:3000/oauth2/callback';
    const endpoints = endpointsFromBaseUrl(x.url);
    const { url, transaction } = await createAuthorization({
      clientId: client.clientId,
      redirectUri,
      scopes: ['tweet.read', 'tweet.write', 'users.read', 'offline.access'],
      endpoints,
    });
    const callback = await consentRedirect(url, { userId: user(x, 'bob').id });
    const code = handleCallback(callback, transaction);
    const tokenSet = await exchangeCode({ client, code, transaction, endpoints });
    const api = new XClient({
      auth: oauth2Auth({ tokenSet, client, userId: user(x, 'bob').id }),
      baseUrl: x.url,
    });
    expect((await api.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
      'bob',
    );
    const posted = await api.post<{ data: { text: string } }>('/2/tweets', {
      json: { text: `pkce ${Date.now()}` },
    });
    expect(posted.data.text).toMatch(/^pkce /);
    expect(api.identity).toBe(`user:${client.clientId}:${user(x, 'bob').id}`);
  });

  it('checks scopes before sending: nothing reaches X', async () => {
    const api = new XClient({
      auth: oauth2Auth({ tokenSet: issue(['tweet.read', 'users.read']), client }),
      baseUrl: x.url,
    });
    await expect(api.post('/2/tweets', { json: { text: 'no scope' } })).rejects.toMatchObject({
      code: XApiErrorCode.InsufficientScope,
      endpoint: 'POST /2/tweets',
    });
    const readOnly = new XClient({
      auth: oauth2Auth({ tokenSet: issue(['tweet.read']) }),
      baseUrl: x.url,
    });
    await expect(readOnly.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.InsufficientScope,
    });
    expect(x.requestLog()).toHaveLength(0);
  });

  it('refreshes a set that is about to expire before sending, and hands the new set to onRefresh', async () => {
    const stored: TokenSet[] = [];
    const first = issue(ALL, Date.now() + 10_000);
    const api = new XClient({
      auth: oauth2Auth({ tokenSet: first, client, onRefresh: (next) => void stored.push(next) }),
      baseUrl: x.url,
    });
    // Five at once: one refresh (a second with the same refresh token would revoke the login).
    await Promise.all([1, 2, 3, 4, 5].map(() => api.get('/2/users/me')));
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.refreshToken).not.toBe(first.refreshToken);
    expect(logOf(x, 'GET /2/users/me').every((entry) => entry.status === 200)).toBe(true);
  });

  it('an onRefresh that throws fails the request, but the new set is kept for the next one', async () => {
    let calls = 0;
    const api = new XClient({
      auth: oauth2Auth({
        tokenSet: issue(ALL, Date.now() + 1000),
        client,
        onRefresh: () => {
          calls += 1;
          throw new Error('database down');
        },
      }),
      baseUrl: x.url,
    });
    await expect(api.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.RefreshFailed,
      deadGrant: false,
    });
    expect((await api.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
      'alice',
    );
    expect(calls).toBe(1);
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
  });

  it('on 401 refreshes once and retries once', async () => {
    const api = new XClient({ auth: oauth2Auth({ tokenSet: issue(ALL), client }), baseUrl: x.url });
    // X's clock passes the access token's expiry while ours does not.
    x.advanceClock(7_300_000);
    try {
      expect((await api.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
        'alice',
      );
    } finally {
      x.advanceClock(-7_300_000);
    }
    expect(logOf(x, 'GET /2/users/me').map((entry) => entry.status)).toEqual([401, 200]);
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
  });

  it('concurrent 401s for a revoked token share one refresh, and the rotated token is kept', async () => {
    const stored: TokenSet[] = [];
    const first = issue(ALL);
    const api = new XClient({
      auth: oauth2Auth({ tokenSet: first, client, onRefresh: (next) => void stored.push(next) }),
      baseUrl: x.url,
    });
    const endpoints = endpointsFromBaseUrl(x.url);
    await revokeToken({
      client,
      token: first.accessToken,
      tokenTypeHint: 'access_token',
      endpoints,
    });
    x.clearRequestLog();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map(() => api.get<{ data: { username: string } }>('/2/users/me')),
    );
    expect(results.map((result) => result.data.username)).toEqual(Array(5).fill('alice'));
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
    expect(stored).toHaveLength(1);
    const statuses = logOf(x, 'GET /2/users/me').map((entry) => entry.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    // Strict reuse is on: the refresh token handed to onRefresh is the live one.
    const [next] = stored;
    if (next === undefined) throw new Error('no refreshed set');
    expect((await refreshToken({ client, tokenSet: next, endpoints })).accessToken).toBeDefined();
  });

  it('a 401 for the old token right after a refresh retries with the new one, refreshing nothing', async () => {
    const stored: TokenSet[] = [];
    const first = issue(ALL, Date.now() + 3 * 60_000);
    let held = false;
    let arrived: () => void = () => undefined;
    const atFetch = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The first request is authorized with the old token, then held on its way out.
    const holdFirst: FetchLike = async (input, init) => {
      if (!held && input.includes('/2/users/me')) {
        held = true;
        arrived();
        await released;
      }
      return fetch(input, init);
    };
    const api = new XClient({
      auth: oauth2Auth({ tokenSet: first, client, onRefresh: (next) => void stored.push(next) }),
      baseUrl: x.url,
      fetch: holdFirst,
    });
    const endpoints = endpointsFromBaseUrl(x.url);
    await revokeToken({
      client,
      token: first.accessToken,
      tokenTypeHint: 'access_token',
      endpoints,
    });
    x.clearRequestLog();
    const late = api.get<{ data: { username: string } }>('/2/users/me');
    await atFetch;
    expect((await api.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
      'alice',
    );
    release();
    expect((await late).data.username).toBe('alice');
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
    expect(logOf(x, 'GET /2/users/me').map((entry) => entry.status)).toEqual([401, 200, 401, 200]);
    expect(stored).toHaveLength(1);
    const [next] = stored;
    if (next === undefined) throw new Error('no refreshed set');
    expect((await refreshToken({ client, tokenSet: next, endpoints })).accessToken).toBeDefined();
  });

  it('never loops: a 401 after the refresh is thrown', async () => {
    const api = new XClient({ auth: oauth2Auth({ tokenSet: issue(ALL), client }), baseUrl: x.url });
    x.injectFault({ endpoint: 'GET /2/users/me', kind: 'status', status: 401 });
    await expect(api.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.Unauthorized,
      status: 401,
    });
    expect(logOf(x, 'GET /2/users/me')).toHaveLength(2);
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
  });

  it('a dead refresh token fails with X_REFRESH_FAILED and deadGrant, after one try', async () => {
    const api = new XClient({ auth: oauth2Auth({ tokenSet: issue(ALL), client }), baseUrl: x.url });
    x.revokeUserTokens(x.app.id, user(x, 'alice').id);
    await expect(api.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.RefreshFailed,
      deadGrant: true,
      causeCode: 'PKCE_REFRESH_TOKEN_DEAD',
    });
    expect(logOf(x, 'GET /2/users/me')).toHaveLength(1);
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(1);
  });

  it('without a refresh token (no offline.access) a 401 is thrown at once', async () => {
    const api = new XClient({
      auth: oauth2Auth({ tokenSet: issue(['tweet.read', 'users.read']), client }),
      baseUrl: x.url,
    });
    x.revokeUserTokens(x.app.id, user(x, 'alice').id);
    await expect(api.get('/2/users/me')).rejects.toMatchObject({
      code: XApiErrorCode.Unauthorized,
    });
    expect(logOf(x, 'POST /2/oauth2/token')).toHaveLength(0);
  });
});
