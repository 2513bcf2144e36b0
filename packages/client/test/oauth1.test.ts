import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authenticateUrl,
  authorizeUrl,
  getAccessToken,
  getRequestToken,
  handleOAuth1Callback,
  invalidateOAuth1Token,
  oauth1Auth,
  openRequestToken,
  sealRequestToken,
  XApiErrorCode,
  XClient,
} from '../src/index.js';
import { consentRedirect, logOf, submitConsent, user } from './helpers.js';

const CALLBACK = 'http://127.0.0.1:3000/callback';
const SEALING_KEY = new Uint8Array(32).fill(7);
let x: Emulator;
let consumer: { key: string; secret: string };

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
  consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
});

function clientFor(userName = 'alice', level?: 'read' | 'read-write') {
  const issued = x.issueOAuth1Token(x.app.id, user(x, userName).id, level);
  return new XClient({
    auth: oauth1Auth({ consumer, token: issued }),
    baseUrl: x.url,
  });
}

describe('OAuth 1.0a user context against the emulator', () => {
  it('signs a form body: POST /1.1/statuses/update.json', async () => {
    const client = clientFor();
    const status = `form body with spaces, + and ü ${Date.now()}`;
    const tweet = await client.post<{ text: string; id_str: string }>('/1.1/statuses/update.json', {
      form: { status },
    });
    expect(tweet.text).toBe(status);
  });

  it('does not sign a JSON body: POST /2/tweets', async () => {
    const client = clientFor();
    const text = `json body ${Date.now()}`;
    const response = await client.request<{ data: { id: string; text: string } }>(
      'POST',
      '/2/tweets',
      {
        json: { text },
      },
    );
    expect(response.status).toBe(201);
    expect(response.data.data.text).toBe(text);
  });

  it('signs query parameters: GET /2/tweets/search/recent?query=', async () => {
    const client = clientFor();
    const found = await client.get<{ data?: { text: string }[] }>('/2/tweets/search/recent', {
      query: { query: 'hello emulator' },
    });
    expect(found.data?.[0]?.text).toContain('Hello from the x-oauth emulator');
  });

  it('reads GET /1.1/account/verify_credentials.json and GET /2/users/me', async () => {
    const client = clientFor('bob');
    expect(
      (await client.get<{ screen_name: string }>('/1.1/account/verify_credentials.json'))
        .screen_name,
    ).toBe('bob');
    expect((await client.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
      'bob',
    );
    expect(client.identity).toBe(`user:${consumer.key}:${user(x, 'bob').id}`);
  });

  it('reports a wrong token secret as X_AUTHENTICATION_FAILED (error 32) and does not retry', async () => {
    const issued = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const client = new XClient({
      auth: oauth1Auth({ consumer, token: { key: issued.key, secret: 'wrong-secret' } }),
      baseUrl: x.url,
    });
    await expect(client.get('/1.1/account/verify_credentials.json')).rejects.toMatchObject({
      code: XApiErrorCode.AuthenticationFailed,
      xCode: 32,
      status: 401,
    });
    expect(logOf(x, 'GET /1.1/account/verify_credentials.json')).toHaveLength(1);
  });

  it('reports a read-only token writing as X_INSUFFICIENT_PERMISSION (v2 problem and v1.1 body)', async () => {
    const client = clientFor('alice', 'read');
    await expect(
      client.post('/2/tweets', { json: { text: `ro ${Date.now()}` } }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.InsufficientPermission,
    });
    await expect(
      client.post('/1.1/statuses/update.json', { form: { status: `ro ${Date.now()}` } }),
    ).rejects.toMatchObject({ code: XApiErrorCode.InsufficientPermission, status: 401 });
  });
});

describe('clock skew', () => {
  it("corrects the clock from X's Date header on error 135 and retries once", async () => {
    x.advanceClock(20 * 60_000);
    try {
      const client = clientFor();
      const me = await client.get<{ screen_name: string }>('/1.1/account/verify_credentials.json');
      expect(me.screen_name).toBe('alice');
      const log = logOf(x, 'GET /1.1/account/verify_credentials.json');
      expect(log.map((entry) => entry.status)).toEqual([401, 200]);
      expect(client.clockOffsetMs).toBeGreaterThan(19 * 60_000);
      // Learned once: the next request is signed right the first time.
      await client.get('/1.1/account/verify_credentials.json');
      expect(logOf(x, 'GET /1.1/account/verify_credentials.json')).toHaveLength(3);
    } finally {
      x.advanceClock(-20 * 60_000);
    }
  });

  it('also corrects a v2 plain 401 when the Date header is far off', async () => {
    x.advanceClock(-30 * 60_000);
    try {
      const client = clientFor();
      expect((await client.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
        'alice',
      );
      expect(logOf(x, 'GET /2/users/me').map((entry) => entry.status)).toEqual([401, 200]);
    } finally {
      x.advanceClock(30 * 60_000);
    }
  });

  it('retries only once: a second 135 is thrown', async () => {
    // The emulator's clock is far off and cannot be learned: the client's own clock jumps too.
    let local = Date.now();
    const issued = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const client = new XClient({
      auth: oauth1Auth({ consumer, token: issued }),
      baseUrl: x.url,
      now: () => {
        local -= 40 * 60_000;
        return local;
      },
    });
    await expect(client.get('/1.1/account/verify_credentials.json')).rejects.toMatchObject({
      code: XApiErrorCode.TimestampOutOfBounds,
      xCode: 135,
    });
    expect(logOf(x, 'GET /1.1/account/verify_credentials.json')).toHaveLength(2);
  });
});

describe('3-legged flow, PIN flow, sealing and revocation', () => {
  it('runs the callback flow with a sealed request token and x_auth_access_type', async () => {
    const requestToken = await getRequestToken({
      consumer,
      callback: CALLBACK,
      accessType: 'read',
      baseUrl: x.url,
    });
    expect(requestToken.callbackConfirmed).toBe(true);
    // The cookie may land on another instance: only the sealing key is shared.
    const cookie = await sealRequestToken(requestToken, SEALING_KEY);
    expect(cookie).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(cookie).not.toContain(requestToken.secret);

    const url = authorizeUrl(requestToken, { baseUrl: x.url, screenName: 'bob', forceLogin: true });
    expect(new URL(url).searchParams.get('screen_name')).toBe('bob');
    expect(new URL(url).searchParams.get('force_login')).toBe('true');
    const callback = await consentRedirect(url, { userId: user(x, 'bob').id });
    expect(callback.startsWith(CALLBACK)).toBe(true);

    const opened = await openRequestToken(cookie, SEALING_KEY);
    const verifier = handleOAuth1Callback(callback, opened);
    const access = await getAccessToken({
      consumer,
      requestToken: opened,
      verifier,
      baseUrl: x.url,
    });
    expect(access.screenName).toBe('bob');
    expect(access.userId).toBe(user(x, 'bob').id);

    const client = new XClient({ auth: oauth1Auth({ consumer, token: access }), baseUrl: x.url });
    expect((await client.get<{ data: { username: string } }>('/2/users/me')).data.username).toBe(
      'bob',
    );
    // accessType 'read': the token cannot write.
    await expect(
      client.post('/2/tweets', { json: { text: `read ${Date.now()}` } }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.InsufficientPermission,
    });
  });

  it('runs the PIN flow (callback oob), reading the PIN off the consent page', async () => {
    const requestToken = await getRequestToken({ consumer, callback: 'oob', baseUrl: x.url });
    const page = await submitConsent(authorizeUrl(requestToken.key, { baseUrl: x.url }), {
      userId: user(x, 'alice').id,
    });
    expect(page.status).toBe(200);
    const pin = /<code id="pin">(\d+)<\/code>/.exec(await page.text())?.[1];
    expect(pin).toMatch(/^\d{7}$/);
    const access = await getAccessToken({
      consumer,
      requestToken,
      verifier: pin as string,
      baseUrl: x.url,
    });
    expect(access.screenName).toBe('alice');
  });

  it('completes the flow through oauth/authenticate (Sign in with X)', async () => {
    const requestToken = await getRequestToken({ consumer, callback: CALLBACK, baseUrl: x.url });
    const callback = await consentRedirect(authenticateUrl(requestToken, { baseUrl: x.url }), {
      userId: user(x, 'alice').id,
    });
    const verifier = handleOAuth1Callback(callback, requestToken);
    const access = await getAccessToken({ consumer, requestToken, verifier, baseUrl: x.url });
    expect(access.screenName).toBe('alice');
    expect(new URL(authenticateUrl('tok', { forceLogin: true })).href).toBe(
      'https://api.x.com/oauth/authenticate?oauth_token=tok&force_login=true',
    );
  });

  it('refuses a wrong PIN (X_INVALID_VERIFIER), a cancelled consent and a foreign callback', async () => {
    const requestToken = await getRequestToken({ consumer, callback: CALLBACK, baseUrl: x.url });
    await consentRedirect(authorizeUrl(requestToken, { baseUrl: x.url }));
    await expect(
      getAccessToken({ consumer, requestToken, verifier: '0000000', baseUrl: x.url }),
    ).rejects.toMatchObject({ code: XApiErrorCode.InvalidVerifier, status: 401 });

    const cancelled = await getRequestToken({ consumer, callback: CALLBACK, baseUrl: x.url });
    const callback = await consentRedirect(authorizeUrl(cancelled, { baseUrl: x.url }), {
      action: 'cancel',
    });
    expect(() => handleOAuth1Callback(callback, cancelled)).toThrow(
      expect.objectContaining({ code: XApiErrorCode.AccessDenied }),
    );
    expect(() =>
      handleOAuth1Callback(`${CALLBACK}?oauth_token=other&oauth_verifier=v`, cancelled),
    ).toThrow(expect.objectContaining({ code: XApiErrorCode.CallbackMismatch }));
  });

  it('refuses an unregistered callback with X_CALLBACK_NOT_APPROVED (error 415)', async () => {
    await expect(
      getRequestToken({ consumer, callback: 'https://evil.example/cb', baseUrl: x.url }),
    ).rejects.toMatchObject({ code: XApiErrorCode.CallbackNotApproved, xCode: 415 });
  });

  it('refuses a tampered, foreign-key or expired sealed request token', async () => {
    const sealed = await sealRequestToken({ key: 'k', secret: 's' }, SEALING_KEY);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    await expect(openRequestToken(tampered, SEALING_KEY)).rejects.toMatchObject({
      code: XApiErrorCode.SealedValueInvalid,
    });
    await expect(openRequestToken(sealed, new Uint8Array(32).fill(8))).rejects.toMatchObject({
      code: XApiErrorCode.SealedValueInvalid,
    });
    await expect(
      openRequestToken(sealed, SEALING_KEY, { now: () => Date.now() + 16 * 60_000 }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.SealedValueInvalid,
      causeCode: 'PKCE_SEALED_VALUE_EXPIRED',
    });
  });

  it('revokes a user token: afterwards X answers X_INVALID_TOKEN (error 89)', async () => {
    const issued = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const token = issued;
    await invalidateOAuth1Token({ consumer, token, baseUrl: x.url });
    const client = new XClient({ auth: oauth1Auth({ consumer, token }), baseUrl: x.url });
    await expect(client.get('/1.1/account/verify_credentials.json')).rejects.toMatchObject({
      code: XApiErrorCode.InvalidToken,
      xCode: 89,
    });
  });

  it('corrects the clock in the flows too (error 135 on oauth/request_token)', async () => {
    x.advanceClock(15 * 60_000);
    try {
      const token = await getRequestToken({ consumer, callback: 'oob', baseUrl: x.url });
      expect(token.callbackConfirmed).toBe(true);
      expect(logOf(x, 'POST /oauth/request_token').map((entry) => entry.status)).toEqual([
        401, 200,
      ]);
    } finally {
      x.advanceClock(-15 * 60_000);
    }
  });
});
