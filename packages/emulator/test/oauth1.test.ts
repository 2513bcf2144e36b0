import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import {
  hiddenField,
  obtainRequestToken,
  parseForm,
  selectedUser,
  signedFetch,
  submitOAuth1Consent,
  threeLegged,
  user,
} from './helpers.js';

const CALLBACK = 'http://127.0.0.1:3000/callback';
let x: Emulator;

beforeAll(async () => {
  x = await startEmulator();
});
afterAll(async () => {
  await x.close();
});

describe('3-legged callback flow', () => {
  it('issues a request token, redirects with a verifier and exchanges it for an access token', async () => {
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/request_token',
      callback: CALLBACK,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html;charset=utf-8');
    const requestToken = parseForm(await response.text());
    expect(requestToken.oauth_callback_confirmed).toBe('true');
    expect(requestToken.oauth_token).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    const page = await fetch(
      `${x.url}/oauth/authorize?oauth_token=${requestToken.oauth_token}&screen_name=bob`,
    );
    const html = await page.text();
    expect(html).toContain('x-oauth Emulator App');
    expect(html).toContain('id="authorize"');
    expect(html).toContain('id="cancel"');
    expect(selectedUser(html)).toBe(user(x, 'bob').id);

    const consent = await submitOAuth1Consent(
      x,
      requestToken.oauth_token as string,
      'authorize',
      user(x, 'alice'),
    );
    expect(consent.status).toBe(302);
    const location = new URL(consent.headers.get('location') as string);
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('oauth_token')).toBe(requestToken.oauth_token);
    const verifier = location.searchParams.get('oauth_verifier') as string;

    const exchange = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: {
        key: requestToken.oauth_token as string,
        secret: requestToken.oauth_token_secret as string,
      },
      verifier,
    });
    expect(exchange.status).toBe(200);
    const access = parseForm(await exchange.text());
    expect(access.user_id).toBe(user(x, 'alice').id);
    expect(access.screen_name).toBe('alice');
    expect(access.oauth_token?.startsWith(`${access.user_id}-`)).toBe(true);

    const me = await signedFetch(x, {
      method: 'GET',
      path: '/1.1/account/verify_credentials.json',
      token: { key: access.oauth_token as string, secret: access.oauth_token_secret as string },
    });
    expect(me.status).toBe(200);
    const text = await me.text();
    // X writes 64-bit ids as bare numbers (and id_str for JavaScript).
    expect(text).toContain(`"id":${access.user_id}`);
    expect(JSON.parse(text)).toMatchObject({ id_str: access.user_id, screen_name: 'alice' });
  });

  it('refuses a request token and a verifier a second time (single use)', async () => {
    const requestToken = await obtainRequestToken(x, CALLBACK);
    const consent = await submitOAuth1Consent(x, requestToken.key, 'authorize', user(x, 'alice'));
    const verifier = new URL(consent.headers.get('location') as string).searchParams.get(
      'oauth_verifier',
    ) as string;
    const first = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: requestToken,
      verifier,
    });
    expect(first.status).toBe(200);
    const second = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: requestToken,
      verifier,
    });
    expect(second.status).toBe(401);
    expect(await second.json()).toEqual({
      errors: [{ code: 89, message: 'Invalid or expired token.' }],
    });
  });

  it("answers a wrong verifier with X's plain-text error and spends the request token", async () => {
    const requestToken = await obtainRequestToken(x, CALLBACK);
    const consent = await submitOAuth1Consent(x, requestToken.key, 'authorize', user(x, 'alice'));
    const verifier = new URL(consent.headers.get('location') as string).searchParams.get(
      'oauth_verifier',
    ) as string;
    const wrong = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: requestToken,
      verifier: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toBe(
      'Error processing your OAuth request: Invalid oauth_verifier parameter',
    );
    const retry = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: requestToken,
      verifier,
    });
    expect(retry.status).toBe(401);
  });

  it('expires request tokens after requestTokenTtlSeconds', async () => {
    const requestToken = await obtainRequestToken(x, CALLBACK);
    x.advanceClock(901_000);
    try {
      const page = await fetch(`${x.url}/oauth/authorize?oauth_token=${requestToken.key}`);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('There is no request token');
    } finally {
      x.advanceClock(-901_000);
    }
  });

  it("accepts X's lenient access_token form: token and verifier as query parameters, consumer-signed", async () => {
    const requestToken = await obtainRequestToken(x, CALLBACK);
    const consent = await submitOAuth1Consent(x, requestToken.key, 'authorize', user(x, 'bob'));
    const verifier = new URL(consent.headers.get('location') as string).searchParams.get(
      'oauth_verifier',
    ) as string;
    const response = await signedFetch(x, {
      method: 'POST',
      path: `/oauth/access_token?oauth_token=${requestToken.key}&oauth_verifier=${verifier}`,
    });
    expect(response.status).toBe(200);
    expect(parseForm(await response.text()).screen_name).toBe('bob');
  });

  it('redirects with denied=<request token> on Cancel, and the token is dead', async () => {
    const requestToken = await obtainRequestToken(x, CALLBACK);
    const consent = await submitOAuth1Consent(x, requestToken.key, 'cancel', user(x, 'alice'));
    expect(consent.status).toBe(302);
    const location = new URL(consent.headers.get('location') as string);
    expect(location.searchParams.get('denied')).toBe(requestToken.key);
    expect(location.searchParams.has('oauth_verifier')).toBe(false);
    const page = await fetch(`${x.url}/oauth/authorize?oauth_token=${requestToken.key}`);
    expect(page.status).toBe(400);
  });

  it('takes oauth_callback from the query string as well as from the header', async () => {
    const response = await signedFetch(x, {
      method: 'POST',
      path: `/oauth/request_token?oauth_callback=${encodeURIComponent(CALLBACK)}`,
    });
    expect(response.status).toBe(200);
    expect(parseForm(await response.text()).oauth_callback_confirmed).toBe('true');
  });
});

describe('PIN flow', () => {
  it('shows a 7-digit PIN that works as the verifier', async () => {
    const requestToken = await obtainRequestToken(x, 'oob');
    const consent = await submitOAuth1Consent(x, requestToken.key, 'authorize', user(x, 'alice'));
    expect(consent.status).toBe(200);
    const html = await consent.text();
    const pin = /<code id="pin">(\d+)<\/code>/.exec(html)?.[1] as string;
    expect(pin).toMatch(/^\d{7}$/);
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: requestToken,
      verifier: pin,
    });
    expect(response.status).toBe(200);
    expect(parseForm(await response.text()).screen_name).toBe('alice');
  });
});

describe('oauth/authenticate', () => {
  it('skips the page for a logged-in user who already authorized the app, unless force_login=true', async () => {
    const alice = user(x, 'alice');
    const first = await obtainRequestToken(x, CALLBACK);
    const consent = await submitOAuth1Consent(
      x,
      first.key,
      'authorize',
      alice,
      '/oauth/authenticate',
    );
    const cookie = consent.headers.getSetCookie()[0]?.split(';')[0] as string;
    expect(cookie).toContain('x_emulator_user=');

    const second = await obtainRequestToken(x, CALLBACK);
    const skipped = await fetch(`${x.url}/oauth/authenticate?oauth_token=${second.key}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(skipped.status).toBe(302);
    const verifier = new URL(skipped.headers.get('location') as string).searchParams.get(
      'oauth_verifier',
    );
    expect(verifier).toBeTruthy();

    const third = await obtainRequestToken(x, CALLBACK);
    const forced = await fetch(
      `${x.url}/oauth/authenticate?oauth_token=${third.key}&force_login=true`,
      {
        headers: { cookie },
        redirect: 'manual',
      },
    );
    expect(forced.status).toBe(200);
    const html = await forced.text();
    expect(hiddenField(html, 'oauth_token')).toBe(third.key);
    expect(html).toContain('action="/oauth/authenticate"');

    const authorizePage = await fetch(`${x.url}/oauth/authorize?oauth_token=${third.key}`, {
      headers: { cookie },
    });
    expect(authorizePage.status).toBe(200);
  });
});

describe('request_token errors', () => {
  it('refuses an unregistered callback with 403 code 415', async () => {
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/request_token',
      callback: 'https://evil.example/callback',
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      errors: [
        {
          code: 415,
          message:
            'Callback URL not approved for this client application. Approved callback URLs can be adjusted in your application settings',
        },
      ],
    });
  });

  it('requires oauth_callback', async () => {
    const response = await signedFetch(x, { method: 'POST', path: '/oauth/request_token' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ code: 215, message: 'Bad Authentication data.' }],
    });
  });

  it('accepts a callback added with addCallbackUrl', async () => {
    x.addCallbackUrl(x.app.id, 'http://127.0.0.1:4999/cb');
    await expect(obtainRequestToken(x, 'http://127.0.0.1:4999/cb')).resolves.toHaveProperty('key');
  });
});

describe('signature checks on every signed request', () => {
  it('answers a bad signature with 401 code 32', async () => {
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/request_token',
      callback: CALLBACK,
      app: { ...x.app, consumerSecret: 'wrong' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ code: 32, message: 'Could not authenticate you.' }],
    });
  });

  it('answers a stale timestamp with code 135 and a Date header from the emulator clock', async () => {
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/request_token',
      callback: CALLBACK,
      timestamp: Math.floor(x.now() / 1000) - 3600,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ code: 135, message: 'Timestamp out of bounds.' }],
    });
    const date = Date.parse(response.headers.get('date') as string);
    expect(Math.abs(date - x.now())).toBeLessThan(2000);
  });

  it('follows advanceClock in the Date header and the timestamp window', async () => {
    x.advanceClock(3_600_000);
    try {
      const stale = await signedFetch(x, {
        method: 'POST',
        path: '/oauth/request_token',
        callback: CALLBACK,
        timestamp: Math.floor(Date.now() / 1000),
      });
      expect(stale.status).toBe(401);
      const serverNow = Date.parse(stale.headers.get('date') as string);
      expect(serverNow - Date.now()).toBeGreaterThan(3_500_000);
      const corrected = await signedFetch(x, {
        method: 'POST',
        path: '/oauth/request_token',
        callback: CALLBACK,
        timestamp: Math.floor(serverNow / 1000),
      });
      expect(corrected.status).toBe(200);
    } finally {
      x.advanceClock(-3_600_000);
    }
  });

  it('rejects a replayed nonce', async () => {
    const nonce = 'fixed-nonce-for-replay-test';
    const first = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/request_token',
      callback: CALLBACK,
      nonce,
    });
    expect(first.status).toBe(200);
    const replay = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/request_token',
      callback: CALLBACK,
      nonce,
    });
    expect(replay.status).toBe(401);
    expect(await replay.json()).toEqual({
      errors: [{ code: 32, message: 'Could not authenticate you.' }],
    });
  });

  it('answers an unknown access token with 401 code 89', async () => {
    const response = await signedFetch(x, {
      method: 'GET',
      path: '/1.1/account/verify_credentials.json',
      token: { key: '123-unknown', secret: 'whatever' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      errors: [{ code: 89, message: 'Invalid or expired token.' }],
    });
  });

  it('signs the form body: a tampered status fails with code 32', async () => {
    const access = await threeLegged(x, user(x, 'alice'));
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/1.1/statuses/update.json',
      token: access,
      form: { status: 'original text' },
    });
    expect(response.status).toBe(200);
    const { signRequest } = await import('@x-oauth/oauth1-signature');
    const url = `${x.url}/1.1/statuses/update.json`;
    const signed = await signRequest({
      method: 'POST',
      url,
      consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
      token: access,
      form: { status: 'signed text' },
      timestamp: Math.floor(x.now() / 1000),
    });
    const tampered = await fetch(url, {
      method: 'POST',
      headers: {
        authorization: signed.authorization,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'status=tampered+text',
    });
    expect(tampered.status).toBe(401);
    expect(await tampered.json()).toEqual({
      errors: [{ code: 32, message: 'Could not authenticate you.' }],
    });
  });
});

describe('access levels and revocation', () => {
  it('limits a token to read with x_auth_access_type=read', async () => {
    const response = await signedFetch(x, {
      method: 'POST',
      path: `/oauth/request_token?x_auth_access_type=read`,
      callback: CALLBACK,
    });
    const requestToken = parseForm(await response.text());
    const page = await (
      await fetch(`${x.url}/oauth/authorize?oauth_token=${requestToken.oauth_token}`)
    ).text();
    expect(page).toContain('<span id="access-level">read</span>');
    const consent = await submitOAuth1Consent(
      x,
      requestToken.oauth_token as string,
      'authorize',
      user(x, 'bob'),
    );
    const verifier = new URL(consent.headers.get('location') as string).searchParams.get(
      'oauth_verifier',
    ) as string;
    const exchange = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: {
        key: requestToken.oauth_token as string,
        secret: requestToken.oauth_token_secret as string,
      },
      verifier,
    });
    const access = parseForm(await exchange.text());
    const token = {
      key: access.oauth_token as string,
      secret: access.oauth_token_secret as string,
    };
    const v1 = await signedFetch(x, {
      method: 'POST',
      path: '/1.1/statuses/update.json',
      token,
      form: { status: 'read only?' },
    });
    expect(v1.status).toBe(401);
    expect(await v1.json()).toEqual({
      request: '/1.1/statuses/update.json',
      error: 'Read-only application cannot POST.',
    });
    const v2 = await signedFetch(x, {
      method: 'POST',
      path: '/2/tweets',
      token,
      jsonBody: { text: 'read only?' },
    });
    expect(v2.status).toBe(403);
    expect(await v2.json()).toMatchObject({
      type: 'https://api.twitter.com/2/problems/oauth1-permissions',
    });
  });

  it('revokes a token with POST /1.1/oauth/invalidate_token', async () => {
    const access = await threeLegged(x, user(x, 'bob'));
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/1.1/oauth/invalidate_token',
      token: access,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ access_token: access.key });
    const after = await signedFetch(x, {
      method: 'GET',
      path: '/1.1/account/verify_credentials.json',
      token: access,
    });
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({
      errors: [{ code: 89, message: 'Invalid or expired token.' }],
    });
  });

  it("invalidates the app's user tokens when its permission changes", async () => {
    const other = await startEmulator();
    try {
      const access = await threeLegged(other, user(other, 'alice'));
      const before = await signedFetch(other, {
        method: 'GET',
        path: '/1.1/account/verify_credentials.json',
        token: access,
      });
      expect(before.status).toBe(200);
      const bob = user(other, 'bob').id;
      const oauth2 = other.issueOAuth2Token(other.app.id, bob, ['tweet.read', 'users.read']);
      const unaffected = other.issueOAuth2Token(other.publicApp.id, bob, [
        'tweet.read',
        'users.read',
      ]);
      other.setAppPermission(other.app.id, 'read-write-dm');
      const me = (token: string): Promise<Response> =>
        fetch(`${other.url}/2/users/me`, { headers: { authorization: `Bearer ${token}` } });
      expect((await me(oauth2.accessToken)).status).toBe(401);
      expect((await me(unaffected.accessToken)).status).toBe(200);
      const after = await signedFetch(other, {
        method: 'GET',
        path: '/1.1/account/verify_credentials.json',
        token: access,
      });
      expect(after.status).toBe(401);
      expect(await after.json()).toEqual({
        errors: [{ code: 89, message: 'Invalid or expired token.' }],
      });
    } finally {
      await other.close();
    }
  });
});

describe('interoperability', () => {
  it('completes the flow signed by the independent oauth-1.0a package', async () => {
    const oauth = new OAuth({
      consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
    });
    const post = async (
      url: string,
      data: Record<string, string>,
      token?: OAuth.Token,
    ): Promise<Response> => {
      const header = oauth.toHeader(oauth.authorize({ url, method: 'POST', data }, token));
      // oauth-1.0a moves oauth_* data into the header; only the rest belongs in the body.
      const body = Object.entries(data).filter(([name]) => !name.startsWith('oauth_'));
      return fetch(url, {
        method: 'POST',
        headers: { ...header, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body).toString(),
      });
    };
    const requestTokenResponse = await post(`${x.url}/oauth/request_token`, {
      oauth_callback: CALLBACK,
    });
    expect(requestTokenResponse.status).toBe(200);
    const requestToken = parseForm(await requestTokenResponse.text());
    const consent = await submitOAuth1Consent(
      x,
      requestToken.oauth_token as string,
      'authorize',
      user(x, 'alice'),
    );
    const verifier = new URL(consent.headers.get('location') as string).searchParams.get(
      'oauth_verifier',
    ) as string;
    const exchange = await post(
      `${x.url}/oauth/access_token`,
      { oauth_verifier: verifier },
      {
        key: requestToken.oauth_token as string,
        secret: requestToken.oauth_token_secret as string,
      },
    );
    expect(exchange.status).toBe(200);
    const access = parseForm(await exchange.text());
    const tweet = await post(
      `${x.url}/1.1/statuses/update.json`,
      { status: 'Signed by oauth-1.0a! ~*()' },
      { key: access.oauth_token as string, secret: access.oauth_token_secret as string },
    );
    expect(tweet.status).toBe(200);
    expect(await tweet.json()).toMatchObject({ text: 'Signed by oauth-1.0a! ~*()' });
  });
});
