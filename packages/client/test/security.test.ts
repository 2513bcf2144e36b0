import { inspect } from 'node:util';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appOnlyAuth,
  createAuthorization,
  endpointsFromBaseUrl,
  getAccessToken,
  getRequestToken,
  handleCallback,
  oauth1Auth,
  oauth2Auth,
  obtainBearerToken,
  type RequestEvent,
  type ResponseEvent,
  sealRequestToken,
  TokenSet,
  XApiErrorCode,
  XClient,
} from '../src/index.js';
import { consentRedirect, user } from './helpers.js';

let x: Emulator;
const savedTls = process.env.NODE_TLS_REJECT_UNAUTHORIZED;

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await x.close();
});
beforeEach(() => {
  x.clearRequestLog();
  x.clearFaults();
});
afterEach(() => {
  if (savedTls === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = savedTls;
});

describe('transport security', () => {
  it('refuses plain http to a remote host before sending anything', async () => {
    expect(
      () => new XClient({ auth: appOnlyAuth({ bearerToken: 't' }), baseUrl: 'http://api.x.com' }),
    ).toThrow(expect.objectContaining({ code: XApiErrorCode.InsecureEndpoint }));
    await expect(
      getRequestToken({
        consumer: { key: 'k', secret: 's' },
        callback: 'oob',
        baseUrl: 'http://api.x.com',
      }),
    ).rejects.toMatchObject({ code: XApiErrorCode.InsecureEndpoint });
  });

  it('fails closed when NODE_TLS_REJECT_UNAUTHORIZED=0, checked per request, unless allowInsecureTls', async () => {
    const consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
    const api = new XClient({ auth: appOnlyAuth({ consumer }), baseUrl: x.url });
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).rejects.toMatchObject({
      code: XApiErrorCode.InsecureTls,
    });
    await expect(
      getRequestToken({ consumer, callback: 'oob', baseUrl: x.url }),
    ).rejects.toMatchObject({
      code: XApiErrorCode.InsecureTls,
    });
    expect(x.requestLog()).toHaveLength(0);
    const optedIn = new XClient({
      auth: appOnlyAuth({ consumer }),
      baseUrl: x.url,
      allowInsecureTls: true,
    });
    await expect(optedIn.get('/2/tweets', { query: { ids: '1' } })).resolves.toBeDefined();
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    await expect(api.get('/2/tweets', { query: { ids: '1' } })).resolves.toBeDefined();
  });

  it('does not follow redirects (they could carry the Authorization header elsewhere)', async () => {
    const api = new XClient({
      auth: appOnlyAuth({ bearerToken: 'AAAA' }),
      baseUrl: x.url,
      retries: 0,
    });
    // The consent page of OAuth 2.0 redirects; as an API call its 3xx is an error, not followed.
    await expect(
      api.get('/i/oauth2/authorize', { query: { client_id: 'nope' } }),
    ).rejects.toBeDefined();
  });
});

describe('no secret, token, code or verifier in errors, hooks, inspect or JSON', () => {
  it('holds for every credential kind', async () => {
    const consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
    const oauth1 = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const oauth2 = x.issueOAuth2Token(x.app.id, user(x, 'alice').id, [
      'tweet.read',
      'users.read',
      'offline.access',
    ]);
    const bearer = await obtainBearerToken({ consumer, baseUrl: x.url });
    const requestToken = await getRequestToken({ consumer, callback: 'oob', baseUrl: x.url });
    const endpoints = endpointsFromBaseUrl(x.url);
    const { url, transaction } = await createAuthorization({
      clientId: x.app.clientId,
      redirectUri: 'http://127.0.0.1:3000/oauth2/callback',
      scopes: ['tweet.read', 'users.read'],
      endpoints,
    });
    const callback = await consentRedirect(url);
    const code = handleCallback(callback, transaction);
    const secrets: Record<string, string> = {
      consumerSecret: consumer.secret,
      clientSecret: x.app.clientSecret as string,
      oauth1Token: oauth1.key,
      oauth1TokenSecret: oauth1.secret,
      oauth2AccessToken: oauth2.accessToken,
      oauth2RefreshToken: oauth2.refreshToken as string,
      bearerToken: bearer,
      requestTokenSecret: requestToken.secret,
      pkceCode: code,
      pkceVerifier: transaction.codeVerifier,
    };

    const events: (RequestEvent | ResponseEvent)[] = [];
    const hooks = {
      onRequest: (e: RequestEvent) => events.push(e),
      onResponse: (e: ResponseEvent) => events.push(e),
    };
    const tokenSet = new TokenSet({
      accessToken: oauth2.accessToken,
      refreshToken: oauth2.refreshToken as string,
      expiresAt: Date.now() + 3_600_000,
      scopes: oauth2.scope.split(' '),
      tokenType: 'bearer',
    });
    const client = { clientId: x.app.clientId, clientSecret: x.app.clientSecret as string };
    const strategies = [
      oauth1Auth({ consumer, token: oauth1 }),
      oauth2Auth({ tokenSet, client }),
      appOnlyAuth({ bearerToken: bearer }),
      appOnlyAuth({ consumer }),
    ];
    const clients = strategies.map((auth) => new XClient({ auth, baseUrl: x.url, hooks }));
    const artifacts: unknown[] = [
      requestToken,
      await sealRequestToken(requestToken, new Uint8Array(32)),
      ...strategies,
    ];
    for (const api of clients) {
      // A request that carries the code and verifier in its query, and one that fails.
      await api
        .get('/2/tweets/search/recent', {
          query: { query: 'hello', code, code_verifier: transaction.codeVerifier },
        })
        .catch((error: unknown) => artifacts.push(error));
      await api
        .post('/2/tweets', { json: { text: 'x' } })
        .catch((error: unknown) => artifacts.push(error));
      artifacts.push(api);
    }
    // Failures of every kind: wrong secrets, revoked tokens, dead refresh, wrong verifier.
    const failing = [
      new XClient({
        auth: oauth1Auth({
          consumer: { key: consumer.key, secret: 'nope' },
          token: oauth1,
        }),
        baseUrl: x.url,
        hooks,
      }),
      new XClient({
        auth: appOnlyAuth({ consumer: { key: consumer.key, secret: `${consumer.secret}x` } }),
        baseUrl: x.url,
        hooks,
      }),
    ];
    for (const api of failing)
      await api.get('/2/users/me').catch((error: unknown) => artifacts.push(error));
    await getAccessToken({ consumer, requestToken, verifier: '1234567', baseUrl: x.url }).catch(
      (e: unknown) => artifacts.push(e),
    );
    x.revokeUserTokens(x.app.id, user(x, 'alice').id);
    x.advanceClock(0);
    const revoked = new XClient({ auth: oauth2Auth({ tokenSet, client }), baseUrl: x.url, hooks });
    await revoked.get('/2/users/me').catch((error: unknown) => artifacts.push(error));
    const revoked1 = new XClient({
      auth: oauth1Auth({ consumer, token: oauth1 }),
      baseUrl: x.url,
      hooks,
    });
    await revoked1
      .get('/1.1/account/verify_credentials.json')
      .catch((error: unknown) => artifacts.push(error));

    expect(artifacts.filter((a) => a instanceof Error).length).toBeGreaterThanOrEqual(6);
    expect(events.length).toBeGreaterThan(10);
    const texts = [...artifacts, ...events].flatMap((artifact) => [
      inspect(artifact, { depth: 10, showHidden: true }),
      JSON.stringify(artifact) ?? '',
      artifact instanceof Error ? `${artifact.message} ${artifact.stack}` : '',
    ]);
    for (const [name, secret] of Object.entries(secrets)) {
      expect(secret.length, name).toBeGreaterThan(5);
      for (const text of texts) {
        if (text.includes(secret)) throw new Error(`${name} leaked into: ${text.slice(0, 300)}`);
        // Tokens travel percent-encoded in URLs: check that form too.
        if (text.includes(encodeURIComponent(secret)))
          throw new Error(`${name} leaked (encoded) into: ${text.slice(0, 300)}`);
      }
    }
    // The hooks saw the redacted query and no Authorization header.
    const searched = events.find((event) => event.endpoint === 'GET /2/tweets/search/recent');
    expect(searched?.url).toContain('code=%5Bredacted%5D');
    expect(searched?.url).toContain('query=hello');
    expect(events.every((event) => !('authorization' in event.headers))).toBe(true);
  });
});

describe('hooks', () => {
  it('see every attempt, with status, duration and rate limits; a throwing hook changes nothing', async () => {
    const seen: ResponseEvent[] = [];
    const api = new XClient({
      auth: appOnlyAuth({ consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret } }),
      baseUrl: x.url,
      retries: { sleep: async () => {} },
      hooks: {
        onRequest: () => {
          throw new Error('broken logger');
        },
        onResponse: (event) => seen.push(event),
      },
    });
    x.injectFault({ endpoint: 'GET /2/tweets', kind: 'status', status: 503, times: 1 });
    await api.get('/2/tweets', { query: { ids: '1' } });
    expect(seen.map((event) => [event.attempt, event.status, event.errorCode])).toEqual([
      [1, 503, XApiErrorCode.ServerError],
      [2, 200, undefined],
    ]);
    expect(seen[1]?.rateLimit?.window?.limit).toBeGreaterThan(0);
    expect(seen[1]?.durationMs).toBeGreaterThanOrEqual(0);
    expect(seen[1]?.identity).toBe(`app:${x.app.consumerKey}`);
  });
});
