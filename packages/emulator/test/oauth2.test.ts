import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { basic, oauth2Consent, obtainCode, pkcePair, tokenRequest, user } from './helpers.js';

const INVALID_TOKEN = {
  error: 'invalid_request',
  error_description: 'Value passed for the token was invalid.',
};
const INVALID_CODE = {
  error: 'invalid_request',
  error_description: 'Value passed for the authorization code was invalid.',
};
const ALL_SCOPES = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'];
let x: Emulator;

interface TokenBody {
  token_type: string;
  expires_in: number;
  access_token: string;
  scope: string;
  refresh_token?: string;
}

beforeAll(async () => {
  x = await startEmulator();
});
afterAll(async () => {
  await x.close();
});

async function me(accessToken: string): Promise<Response> {
  return fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
}

describe('authorization code with PKCE', () => {
  it('S256, confidential client with HTTP Basic', async () => {
    const alice = user(x, 'alice');
    const { code, verifier, redirectUri } = await obtainCode(x, {
      scopes: ALL_SCOPES,
      user: alice,
    });
    const response = await tokenRequest(x, x.app, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as TokenBody;
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 7200,
      scope: ALL_SCOPES.join(' '),
    });
    expect(body.refresh_token).toBeTruthy();
    const profile = await me(body.access_token);
    expect(profile.status).toBe(200);
    expect(await profile.json()).toEqual({
      data: { id: alice.id, name: alice.name, username: 'alice' },
    });
  });

  it('plain, public client with client_id in the body; no refresh token without offline.access', async () => {
    const bob = user(x, 'bob');
    const { code, verifier, redirectUri } = await obtainCode(x, {
      app: x.publicApp,
      scopes: ['tweet.read', 'users.read'],
      method: 'plain',
      user: bob,
    });
    const response = await tokenRequest(x, x.publicApp, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as TokenBody;
    expect(body.refresh_token).toBeUndefined();
    expect(body.scope).toBe('tweet.read users.read');
    expect(
      ((await (await me(body.access_token)).json()) as { data: { username: string } }).data
        .username,
    ).toBe('bob');
  });

  it('lists the scopes on the consent page and redirects with access_denied on Cancel', async () => {
    const { challenge } = pkcePair();
    const params = {
      response_type: 'code',
      client_id: x.app.clientId,
      redirect_uri: 'http://127.0.0.1:3000/oauth2/callback',
      scope: 'tweet.read users.read',
      state: 'xyz',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const page = await (
      await fetch(`${x.url}/i/oauth2/authorize?${new URLSearchParams(params)}`)
    ).text();
    expect(page).toContain('data-scope="tweet.read"');
    expect(page).toContain('data-scope="users.read"');
    expect(page).toContain('x-oauth Emulator App');
    const response = await oauth2Consent(x, params, 'cancel', user(x, 'alice'));
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('refuses an unknown scope with invalid_request and an unregistered redirect_uri with a page', async () => {
    const { challenge } = pkcePair();
    const base = {
      response_type: 'code',
      client_id: x.app.clientId,
      redirect_uri: 'http://127.0.0.1:3000/oauth2/callback',
      state: 's',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    };
    const badScope = await fetch(
      `${x.url}/i/oauth2/authorize?${new URLSearchParams({ ...base, scope: 'tweet.read everything' })}`,
      {
        redirect: 'manual',
      },
    );
    expect(badScope.status).toBe(302);
    expect(new URL(badScope.headers.get('location') as string).searchParams.get('error')).toBe(
      'invalid_request',
    );
    const badRedirect = await fetch(
      `${x.url}/i/oauth2/authorize?${new URLSearchParams({ ...base, scope: 'tweet.read', redirect_uri: 'http://127.0.0.1:3000/oauth2/callback/' })}`,
      { redirect: 'manual' },
    );
    expect(badRedirect.status).toBe(400);
    expect(badRedirect.headers.get('location')).toBeNull();
  });
});

describe('token endpoint errors', () => {
  it('refuses a reused code and revokes the tokens issued from it', async () => {
    const { code, verifier, redirectUri } = await obtainCode(x, {
      scopes: ALL_SCOPES,
      user: user(x, 'alice'),
    });
    const params = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    };
    const first = (await (await tokenRequest(x, x.app, params)).json()) as TokenBody;
    expect((await me(first.access_token)).status).toBe(200);
    const reuse = await tokenRequest(x, x.app, params);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual(INVALID_CODE);
    expect((await me(first.access_token)).status).toBe(401);
    const refresh = await tokenRequest(x, x.app, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token as string,
    });
    expect(await refresh.json()).toEqual(INVALID_TOKEN);
  });

  it('refuses a wrong verifier, a different redirect_uri and an expired code', async () => {
    const alice = user(x, 'alice');
    const wrongVerifier = await obtainCode(x, { scopes: ['tweet.read'], user: alice });
    const response = await tokenRequest(x, x.app, {
      grant_type: 'authorization_code',
      code: wrongVerifier.code,
      redirect_uri: wrongVerifier.redirectUri,
      code_verifier: pkcePair().verifier,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Value passed for the code verifier did not match the code challenge.',
    });

    const wrongRedirect = await obtainCode(x, { scopes: ['tweet.read'], user: alice });
    const redirectResponse = await tokenRequest(x, x.app, {
      grant_type: 'authorization_code',
      code: wrongRedirect.code,
      redirect_uri: 'http://localhost:3000/callback',
      code_verifier: wrongRedirect.verifier,
    });
    expect(redirectResponse.status).toBe(400);
    expect(((await redirectResponse.json()) as { error: string }).error).toBe('invalid_request');

    const expired = await obtainCode(x, { scopes: ['tweet.read'], user: alice });
    x.advanceClock(31_000);
    const expiredResponse = await tokenRequest(x, x.app, {
      grant_type: 'authorization_code',
      code: expired.code,
      redirect_uri: expired.redirectUri,
      code_verifier: expired.verifier,
    });
    expect(await expiredResponse.json()).toEqual(INVALID_CODE);
  });

  it('needs HTTP Basic for a confidential client (unauthorized_client) and a known client_id (invalid_client)', async () => {
    const noBasic = await fetch(`${x.url}/2/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: 'x',
        client_id: x.app.clientId,
      }).toString(),
    });
    expect(noBasic.status).toBe(401);
    expect(await noBasic.json()).toEqual({
      error: 'unauthorized_client',
      error_description: 'Missing valid authorization header',
    });
    const wrongSecret = await fetch(`${x.url}/2/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(x.app.clientId, 'wrong'),
      },
      body: 'grant_type=refresh_token&refresh_token=x',
    });
    expect(wrongSecret.status).toBe(401);
    expect(((await wrongSecret.json()) as { error: string }).error).toBe('unauthorized_client');
    const unknown = await fetch(`${x.url}/2/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x&client_id=nobody',
    });
    expect(unknown.status).toBe(401);
    expect(((await unknown.json()) as { error: string }).error).toBe('invalid_client');
  });
});

describe('refresh tokens', () => {
  it("refuses an unknown refresh token with X's invalid_request body", async () => {
    const response = await tokenRequest(x, x.app, {
      grant_type: 'refresh_token',
      refresh_token: 'bm90LWEtdG9rZW4',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual(INVALID_TOKEN);
    const missing = await tokenRequest(x, x.app, { grant_type: 'refresh_token' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('rotate on every use; the old refresh token is refused', async () => {
    const { code, verifier, redirectUri } = await obtainCode(x, {
      scopes: ALL_SCOPES,
      user: user(x, 'bob'),
    });
    const first = (await (
      await tokenRequest(x, x.app, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
      })
    ).json()) as TokenBody;
    const rotated = await tokenRequest(x, x.app, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token as string,
    });
    expect(rotated.status).toBe(200);
    const second = (await rotated.json()) as TokenBody;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    const old = await tokenRequest(x, x.app, {
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token as string,
    });
    expect(old.status).toBe(400);
    expect(await old.json()).toEqual(INVALID_TOKEN);
    // Lenient mode: the rotated session survives the stale refresh.
    expect((await me(second.access_token)).status).toBe(200);
  });

  it('in strict mode, reuse of a spent refresh token revokes the whole family', async () => {
    x.setStrictRefreshReuse(true);
    try {
      const { code, verifier, redirectUri } = await obtainCode(x, {
        scopes: ALL_SCOPES,
        user: user(x, 'alice'),
      });
      const first = (await (
        await tokenRequest(x, x.app, {
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          code_verifier: verifier,
        })
      ).json()) as TokenBody;
      const second = (await (
        await tokenRequest(x, x.app, {
          grant_type: 'refresh_token',
          refresh_token: first.refresh_token as string,
        })
      ).json()) as TokenBody;
      const race = await tokenRequest(x, x.app, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
      });
      expect(await race.json()).toEqual(INVALID_TOKEN);
      expect((await me(second.access_token)).status).toBe(401);
      const next = await tokenRequest(x, x.app, {
        grant_type: 'refresh_token',
        refresh_token: second.refresh_token as string,
      });
      expect(await next.json()).toEqual(INVALID_TOKEN);
    } finally {
      x.setStrictRefreshReuse(false);
    }
  });

  it('access tokens die after 2 hours on the emulator clock; a refresh still works', async () => {
    const issued = x.issueOAuth2Token(x.app.id, user(x, 'alice').id, ALL_SCOPES);
    expect(issued.expiresIn).toBe(7200);
    expect((await me(issued.accessToken)).status).toBe(200);
    x.advanceClock(7_199_000);
    expect((await me(issued.accessToken)).status).toBe(200);
    x.advanceClock(2_000);
    const expired = await me(issued.accessToken);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({
      title: 'Unauthorized',
      type: 'about:blank',
      status: 401,
      detail: 'Unauthorized',
    });
    const refreshed = await tokenRequest(x, x.app, {
      grant_type: 'refresh_token',
      refresh_token: issued.refreshToken as string,
    });
    expect(refreshed.status).toBe(200);
  });
});

describe('POST /2/oauth2/revoke', () => {
  it('revokes access and refresh tokens', async () => {
    const issued = x.issueOAuth2Token(x.publicApp.id, user(x, 'bob').id, ALL_SCOPES);
    const revoke = (token: string): Promise<Response> =>
      fetch(`${x.url}/2/oauth2/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, client_id: x.publicApp.clientId }).toString(),
      });
    const first = await revoke(issued.accessToken);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ revoked: true });
    expect((await me(issued.accessToken)).status).toBe(401);
    await revoke(issued.refreshToken as string);
    const refresh = await tokenRequest(x, x.publicApp, {
      grant_type: 'refresh_token',
      refresh_token: issued.refreshToken as string,
    });
    expect(await refresh.json()).toEqual(INVALID_TOKEN);
  });
});
