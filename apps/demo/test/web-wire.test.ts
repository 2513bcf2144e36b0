// The wire inspector in a real Chromium: each page's panel lists the requests to X that page
// (and the form that led to it) caused, with the real method, path, pool and status, the
// Authorization header in masked parts and the OAuth 1.0a base string; the log page keeps the
// session's last 100. No secret or full token appears anywhere.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskToken } from '../src/mask.js';
import {
  signInOAuth1,
  signInOAuth2,
  startHarness,
  userId,
  type WebHarness,
} from './web-harness.js';

let h: WebHarness;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  context = await h.browser.newContext();
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

interface Shown {
  method: string;
  path: string;
  status: string;
  pool: string;
  via: string;
  auth: Record<string, string>;
  scheme: string;
  baseString: string | undefined;
}

async function panel(selector = '#wire .wire-entry'): Promise<Shown[]> {
  return page.$$eval(selector, (entries) =>
    entries.map((entry) => {
      const element = entry as HTMLElement;
      const auth: Record<string, string> = {};
      for (const row of element.querySelectorAll('.wire-auth tr')) {
        const cells = row.querySelectorAll('td');
        auth[cells[0]?.textContent ?? ''] = cells[1]?.textContent ?? '';
      }
      const schemeCell = [...element.querySelectorAll('dt')].find(
        (dt) => dt.textContent === 'Authorization',
      )?.nextElementSibling;
      return {
        method: element.dataset.method ?? '',
        path: element.dataset.path ?? '',
        status: element.dataset.status ?? '',
        pool: element.dataset.pool ?? '',
        via: element.dataset.via ?? '',
        auth,
        scheme: schemeCell?.querySelector('code')?.textContent ?? '',
        baseString: element.querySelector('.wire-base-string')?.textContent ?? undefined,
      };
    }),
  );
}

describe('Wire inspector', () => {
  it('OAuth 1.0a: the sign-in requests, then /2/users/me with its masked header and base string', async () => {
    await signInOAuth1(page, h, 'alice');
    const aliceId = userId(h.x, 'alice');
    const record = await h.store.reader.get(h.config.appId, aliceId);
    if (record?.kind !== 'oauth1') throw new Error('no OAuth 1.0a record');
    const shown = await panel();
    expect(shown.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'POST /oauth/request_token 200',
      'POST /oauth/access_token 200',
      'GET /2/users/me 200',
    ]);
    const me = shown[2] as Shown;
    expect(me.via).toBe('client');
    expect(me.pool).toBe(`user:${maskToken(h.config.consumer.key)}:${aliceId} GET /2/users/me`);
    expect(me.scheme).toBe('OAuth');
    expect(me.auth.oauth_token).toBe(maskToken(record.oauth1.key));
    expect(me.auth.oauth_consumer_key).toBe(maskToken(h.config.consumer.key));
    expect(me.auth.oauth_signature).toBe('••••');
    expect(me.auth.oauth_signature_method).toBe('HMAC-SHA1');
    expect(me.auth.oauth_nonce).toMatch(/^\S{8,}$/);
    const origin = encodeURIComponent(h.x.url);
    expect(me.baseString).toMatch(new RegExp(`^GET&${origin}%2F2%2Fusers%2Fme&`));
    expect(me.baseString).toContain(
      `oauth_token%3D${encodeURIComponent(encodeURIComponent(maskToken(record.oauth1.key)))}`,
    );
    expect(me.baseString).not.toContain('oauth_signature%3D');
    const requestToken = shown[0] as Shown;
    expect(requestToken.via).toBe('token');
    expect(requestToken.auth.oauth_callback).toBe(`${h.web.url}/callback`);
    expect(requestToken.baseString).toMatch(/^POST&/);

    // Posting: the form's requests are shown on the page it leads to.
    await page.fill('#tweet-text', 'seen on the wire');
    await page.click('#post-tweet');
    await page.waitForURL(/\/me\?tweet=\d+$/);
    const afterPost = await panel();
    expect(afterPost.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'POST /2/tweets 201',
      'GET /2/tweets 200',
    ]);
    expect(
      await page.textContent(
        '#wire .wire-entry[data-path="/2/tweets"][data-method="POST"] .wire-daily',
      ),
    ).toMatch(/^app \d+\/\d+ left, resets \d\d:\d\d:\d\dZ; user \d+\/\d+ left/);
    expect(afterPost[0]?.pool).toBe(
      `user:${maskToken(h.config.consumer.key)}:${aliceId} POST /2/tweets`,
    );

    // The log keeps all of them, newest first; nothing secret anywhere.
    await page.goto(`${h.web.url}/log`);
    const logged = await panel('#wire-log .wire-entry');
    expect(logged.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'GET /2/tweets',
      'POST /2/tweets',
      'GET /2/users/me',
      'POST /oauth/access_token',
      'POST /oauth/request_token',
    ]);
    for (const text of [await page.content()]) {
      expect(text).not.toContain(record.oauth1.key);
      expect(text).not.toContain(record.oauth1.secret);
      expect(text).not.toContain(h.config.consumer.secret);
      expect(text).not.toContain(h.config.consumer.key);
    }
  }, 30_000);

  it('OAuth 2.0: token exchange with Basic masked, API calls with Bearer masked', async () => {
    await signInOAuth2(page, h, 'bob');
    const record = await h.store.reader.get(h.config.appId, userId(h.x, 'bob'));
    if (record?.kind !== 'oauth2') throw new Error('no OAuth 2.0 record');
    const shown = await panel();
    expect(shown.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'POST /2/oauth2/token 200',
      'GET /2/users/me 200',
    ]);
    expect(shown[0]?.scheme).toBe('Basic');
    expect(shown[0]?.auth.credentials).toBe('••••');
    expect(shown[1]?.scheme).toBe('Bearer');
    expect(shown[1]?.auth.token).toBe(maskToken(record.tokenSet.accessToken));
    expect(shown[1]?.baseString).toBeUndefined();

    await page.click('#force-refresh');
    await page.waitForURL(`${h.web.url}/me`);
    const refreshed = await panel();
    expect(refreshed.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      'POST /2/oauth2/token 200',
    ]);
    const after = await h.store.reader.get(h.config.appId, userId(h.x, 'bob'));
    const text = await page.content();
    for (const secret of [
      record.tokenSet.accessToken,
      record.tokenSet.refreshToken ?? 'none',
      after?.kind === 'oauth2' ? after.tokenSet.accessToken : 'none',
      h.x.app.clientSecret ?? 'none',
    ]) {
      expect(text).not.toContain(secret);
    }
  }, 30_000);

  it('app-only: the bearer token request and the search, in the app’s pool', async () => {
    await page.goto(`${h.web.url}/app-only`);
    await page.fill('#query', 'xoauth');
    await page.click('#search');
    await page.waitForSelector('#results li');
    const shown = await panel();
    const search = shown.find((entry) => entry.path === '/2/tweets/search/recent');
    expect(search?.status).toBe('200');
    expect(search?.pool).toMatch(/^app:\S+ GET \/2\/tweets\/search\/recent$/);
    expect(search?.scheme).toBe('Bearer');
    const token = await h.web.context.bearer.getToken();
    expect(search?.auth.token).toBe(maskToken(token));
    expect(await page.content()).not.toContain(token);
    const rateLimit = await page.textContent(
      '#wire .wire-entry[data-path="/2/tweets/search/recent"] .wire-rate-limit',
    );
    expect(rateLimit).toMatch(/^\d+\/\d+ left, resets \d\d:\d\d:\d\dZ$/);
  }, 30_000);

  it('an error answer: the panel and the message carry the code and X’s own words', async () => {
    await signInOAuth2(page, h, 'alice');
    const text = `twice ${Date.now()}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      await page.fill('#tweet-text', text);
      await page.click('#post-tweet');
      await page.waitForLoadState();
    }
    const flash = (await page.textContent('#flash')) ?? '';
    expect(flash).toMatch(/^Posting failed\. X_[A-Z_]+: .* X said: .*duplicate/i);
    const refused = page.locator('#wire .wire-entry[data-path="/2/tweets"][data-status="403"]');
    expect(await refused.count()).toBe(1);
    expect(await refused.locator('.wire-error').textContent()).toMatch(
      /^X_[A-Z_]+ \(X: .*duplicate.*\)$/i,
    );
  }, 30_000);
});
