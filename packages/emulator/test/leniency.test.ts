// What X accepts that a strict reading would refuse, and where each leniency stops.
import { createHash, randomBytes } from 'node:crypto';
import { signRequest } from '@x-oauth/oauth1-signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import {
  basic,
  oauth2Consent,
  obtainRequestToken,
  parseForm,
  signedFetch,
  submitOAuth1Consent,
  tokenRequest,
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

/** A request token authorized by @alice, and its verifier. */
async function authorizedRequestToken(): Promise<{
  token: { key: string; secret: string };
  verifier: string;
}> {
  const token = await obtainRequestToken(x, CALLBACK);
  const consent = await submitOAuth1Consent(x, token.key, 'authorize', user(x, 'alice'));
  const verifier = new URL(consent.headers.get('location') as string).searchParams.get(
    'oauth_verifier',
  ) as string;
  return { token, verifier };
}

function postForm(path: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${x.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

describe('v1.1 POST parameters in the query string', () => {
  it('posts a Tweet from ?status= with no body, signed over the query', async () => {
    const token = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const text = `from the query ${randomBytes(4).toString('hex')}`;
    const response = await signedFetch(x, {
      method: 'POST',
      path: `/1.1/statuses/update.json?status=${encodeURIComponent(text)}`,
      token,
    });
    expect(response.status).toBe(200);
    const tweet = (await response.json()) as { text: string; user: { screen_name: string } };
    expect(tweet.text).toBe(text);
    expect(tweet.user.screen_name).toBe('alice');
  });

  it('refuses a query changed after signing (error 32)', async () => {
    const token = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const signed = await signRequest({
      method: 'POST',
      url: `${x.url}/1.1/statuses/update.json?status=signed`,
      consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret },
      token,
      timestamp: Math.floor(x.now() / 1000),
    });
    const response = await fetch(`${x.url}/1.1/statuses/update.json?status=tampered`, {
      method: 'POST',
      headers: { authorization: signed.authorization },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(32);
  });
});

describe('POST /oauth/access_token without authentication', () => {
  it('exchanges oauth_token and oauth_verifier from the query, unsigned', async () => {
    const { token, verifier } = await authorizedRequestToken();
    const response = await fetch(
      `${x.url}/oauth/access_token?oauth_token=${token.key}&oauth_verifier=${verifier}`,
      { method: 'POST' },
    );
    expect(response.status).toBe(200);
    const body = parseForm(await response.text());
    expect(body.screen_name).toBe('alice');
    expect(body.oauth_token_secret).toMatch(/.{20,}/);
  });

  it('exchanges them from the form body, unsigned, once', async () => {
    const { token, verifier } = await authorizedRequestToken();
    const form = { oauth_token: token.key, oauth_verifier: verifier };
    const first = await postForm('/oauth/access_token', form);
    expect(first.status).toBe(200);
    expect(parseForm(await first.text()).user_id).toBe(user(x, 'alice').id);
    const again = await postForm('/oauth/access_token', form);
    expect(again.status).toBe(401);
  });

  it('refuses a wrong verifier, and the request token is spent by it', async () => {
    const { token, verifier } = await authorizedRequestToken();
    const wrong = await postForm('/oauth/access_token', {
      oauth_token: token.key,
      oauth_verifier: `${verifier}x`,
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Invalid oauth_verifier');
    const right = await postForm('/oauth/access_token', {
      oauth_token: token.key,
      oauth_verifier: verifier,
    });
    expect(right.status).toBe(401);
  });

  it('refuses an unknown or expired request token', async () => {
    const unknown = await postForm('/oauth/access_token', {
      oauth_token: 'no-such-token',
      oauth_verifier: 'v',
    });
    expect(unknown.status).toBe(401);
    const { token, verifier } = await authorizedRequestToken();
    x.advanceClock(16 * 60 * 1000);
    const expired = await postForm('/oauth/access_token', {
      oauth_token: token.key,
      oauth_verifier: verifier,
    });
    expect(expired.status).toBe(401);
  });
});

describe('POST /oauth/access_token signed with oauth_token in the body too', () => {
  it('accepts the base string that lists oauth_token twice (twitter-api-v2 login)', async () => {
    const { token, verifier } = await authorizedRequestToken();
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token,
      form: { oauth_token: token.key, oauth_verifier: verifier },
    });
    expect(response.status).toBe(200);
    expect(parseForm(await response.text()).screen_name).toBe('alice');
  });

  it('still refuses a bad signature (error 32)', async () => {
    const { token, verifier } = await authorizedRequestToken();
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/oauth/access_token',
      token: { key: token.key, secret: 'not-the-secret' },
      form: { oauth_token: token.key, oauth_verifier: verifier },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(32);
  });
});

/** Authorizes with `method` as sent; returns the code and the verifier. */
async function authorizeWith(
  method: string,
  challengeOf: (verifier: string) => string,
): Promise<{ response: Response; verifier: string; redirectUri: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const redirectUri = 'http://127.0.0.1:3000/oauth2/callback';
  const response = await oauth2Consent(
    x,
    {
      response_type: 'code',
      client_id: x.publicApp.clientId,
      redirect_uri: redirectUri,
      scope: 'tweet.read users.read offline.access',
      state: 'state-1',
      code_challenge: challengeOf(verifier),
      code_challenge_method: method,
    },
    'authorize',
    user(x, 'bob'),
  );
  return { response, verifier, redirectUri };
}

const s256 = (verifier: string): string =>
  createHash('sha256').update(verifier).digest('base64url');

function codeOf(response: Response): string {
  return new URL(response.headers.get('location') as string).searchParams.get('code') as string;
}

describe('code_challenge_method', () => {
  it('takes s256 in lower case as S256', async () => {
    const { response, verifier, redirectUri } = await authorizeWith('s256', s256);
    const exchange = await tokenRequest(x, x.publicApp, {
      grant_type: 'authorization_code',
      code: codeOf(response),
      redirect_uri: redirectUri,
      code_verifier: verifier,
    });
    expect(exchange.status).toBe(200);
  });

  it('keeps plain as plain: the verifier itself matches, its hash does not', async () => {
    const plain = await authorizeWith('plain', (verifier) => verifier);
    const ok = await tokenRequest(x, x.publicApp, {
      grant_type: 'authorization_code',
      code: codeOf(plain.response),
      redirect_uri: plain.redirectUri,
      code_verifier: plain.verifier,
    });
    expect(ok.status).toBe(200);
    const hashed = await authorizeWith('plain', s256);
    const refused = await tokenRequest(x, x.publicApp, {
      grant_type: 'authorization_code',
      code: codeOf(hashed.response),
      redirect_uri: hashed.redirectUri,
      code_verifier: hashed.verifier,
    });
    expect(refused.status).toBe(400);
  });

  it('refuses other methods', async () => {
    const { response } = await authorizeWith('S512', s256);
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });
});

function postJson(path: string, body: string, authorization?: string): Promise<Response> {
  return fetch(`${x.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body,
  });
}

describe('JSON bodies on /2/oauth2/token and /2/oauth2/revoke', () => {
  it('exchanges, refreshes and revokes with JSON bodies (public client)', async () => {
    const { response, verifier, redirectUri } = await authorizeWith('S256', s256);
    const exchange = await postJson(
      '/2/oauth2/token',
      JSON.stringify({
        grant_type: 'authorization_code',
        code: codeOf(response),
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: x.publicApp.clientId,
      }),
    );
    expect(exchange.status).toBe(200);
    const tokens = (await exchange.json()) as { access_token: string; refresh_token: string };
    const refresh = await postJson(
      '/2/oauth2/token',
      JSON.stringify({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: x.publicApp.clientId,
      }),
    );
    expect(refresh.status).toBe(200);
    const rotated = (await refresh.json()) as { access_token: string };
    const revoke = await postJson(
      '/2/oauth2/revoke',
      JSON.stringify({ token: rotated.access_token, client_id: x.publicApp.clientId }),
    );
    expect(revoke.status).toBe(200);
    const me = await fetch(`${x.url}/2/users/me`, {
      headers: { authorization: `Bearer ${rotated.access_token}` },
    });
    expect(me.status).toBe(401);
  });

  it('authenticates a confidential client by Basic with a JSON body', async () => {
    const response = await postJson(
      '/2/oauth2/revoke',
      JSON.stringify({ token: 'unknown-token' }),
      basic(x.app.clientId, x.app.clientSecret as string),
    );
    expect(response.status).toBe(200);
  });

  it("refuses malformed JSON with X's invalid_request", async () => {
    for (const body of ['{"grant_type":', '["refresh_token"]', '{"token":{"nested":1}}']) {
      const response = await postJson('/2/oauth2/token', body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
    }
  });
});

describe('Tweet text weighed as twitter-text weighs it', () => {
  let bearer: string;
  beforeAll(() => {
    bearer = x.issueOAuth2Token(x.app.id, user(x, 'bob').id, [
      'tweet.read',
      'tweet.write',
      'users.read',
    ]).accessToken;
  });

  async function postTweet(text: string): Promise<Response> {
    return postJson('/2/tweets', JSON.stringify({ text }), `Bearer ${bearer}`);
  }
  const unique = (): string => randomBytes(3).toString('hex');

  it('counts Latin as 1 and takes 280, refuses 281', async () => {
    const base = `${unique()} `;
    expect((await postTweet(base + 'a'.repeat(280 - base.length))).status).toBe(201);
    const refused = await postTweet(`${unique()} ${'a'.repeat(274)}`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain('longer than 280');
  });

  it('counts CJK and emoji as 2: 280 weighted fit, 281 do not', async () => {
    const tag = unique(); // 6 characters, then a space or 'a ' before the wide ones
    expect((await postTweet(`${tag}a ${'漢'.repeat(136)}`)).status).toBe(201); // 8 + 272
    expect((await postTweet(`${tag} ${'漢'.repeat(137)}`)).status).toBe(400); // 7 + 274
    expect((await postTweet(`${tag}a ${'😀'.repeat(136)}`)).status).toBe(201);
    expect((await postTweet(`${tag} ${'😀'.repeat(137)}`)).status).toBe(400);
  });

  it('counts any URL as 23, however long', async () => {
    const url = `https://example.com/${'p'.repeat(300)}`;
    const tag = unique();
    // 6 + 1 + 23 + 1 + 249 = 280
    const fits = `${tag} ${url} ${'a'.repeat(249)}`;
    expect((await postTweet(fits)).status).toBe(201);
    expect((await postTweet(`${fits}a`)).status).toBe(400);
  });

  it('stores the text NFC-normalised', async () => {
    const response = await postTweet(`${unique()} cafe\u0301`);
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: { text: string } };
    expect(data.text.endsWith('caf\u00e9')).toBe(true);
  });

  it('refuses NUL and a lone surrogate', async () => {
    for (const text of [`${unique()} a\u0000b`, `${unique()} a\ud800b`, `${unique()} \udc00`]) {
      const response = await postTweet(text);
      expect(response.status).toBe(400);
      expect(JSON.stringify(await response.json())).toContain('cannot be posted');
    }
  });

  it('applies to v1.1 statuses/update with error 186', async () => {
    const token = x.issueOAuth1Token(x.app.id, user(x, 'bob').id);
    const status = `${unique()} ${'漢'.repeat(138)}`;
    const response = await signedFetch(x, {
      method: 'POST',
      path: '/1.1/statuses/update.json',
      token,
      form: { status },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(186);
  });
});

describe('headers X sends with its errors', () => {
  it('labels v2 problems application/problem+json', async () => {
    const response = await fetch(`${x.url}/2/users/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(((await response.json()) as { title: string }).title).toBe('Unauthorized');
  });

  it('sends x-rate-limit-* with injected 429 and 503 faults', async () => {
    for (const status of [429, 503]) {
      x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status, times: 1 });
      const response = await fetch(`${x.url}/2/tweets?ids=1`, {
        headers: {
          authorization: `Bearer ${x.issueOAuth2Token(x.app.id, user(x, 'bob').id, ['tweet.read', 'users.read']).accessToken}`,
        },
      });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      const limit = Number(response.headers.get('x-rate-limit-limit'));
      const remaining = Number(response.headers.get('x-rate-limit-remaining'));
      const reset = Number(response.headers.get('x-rate-limit-reset'));
      expect(limit).toBeGreaterThan(0);
      expect(remaining).toBe(status === 429 ? 0 : limit - 1);
      expect(reset).toBeGreaterThan(Math.floor(x.now() / 1000));
      expect(response.headers.get('retry-after')).toBeNull();
    }
  });

  it('sends x-rate-limit-* with a real 429', async () => {
    const small = await startEmulator({
      rateLimits: { 'GET /2/users/me': { limit: 1, windowSeconds: 900 } },
    });
    try {
      const token = small.issueOAuth2Token(small.app.id, user(small, 'bob').id, [
        'tweet.read',
        'users.read',
      ]).accessToken;
      const get = () =>
        fetch(`${small.url}/2/users/me`, { headers: { authorization: `Bearer ${token}` } });
      expect((await get()).status).toBe(200);
      const limited = await get();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(limited.headers.get('x-rate-limit-limit')).toBe('1');
    } finally {
      await small.close();
    }
  });
});
