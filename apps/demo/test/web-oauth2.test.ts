// OAuth 2.0 with PKCE in a real Chromium: scopes picked on the demo's page, the emulator's
// consent page clicked, then the user page (who, scopes, expiry, masked tokens, posting, rate
// limits), refresh and revoke.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskToken } from '../src/mask.js';
import { consent, startHarness, userId, type WebHarness } from './web-harness.js';

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

async function storedSet(screenName: string) {
  const record = await h.store.reader.get(h.config.appId, userId(h.x, screenName));
  if (record?.kind !== 'oauth2') throw new Error('no OAuth 2.0 record');
  return record.tokenSet;
}

async function signIn(screenName: string, adjust?: (page: Page) => Promise<void>): Promise<void> {
  await page.goto(`${h.web.url}/oauth2`);
  if (adjust !== undefined) await adjust(page);
  await page.click('#oauth2-sign-in');
  await consent(page, h.x, screenName);
  await page.waitForURL(`${h.web.url}/me`);
}

describe('OAuth 2.0 with PKCE', () => {
  it('signs in and shows who, the scopes, the expiry and the masked tokens', async () => {
    await signIn('bob');
    expect(await page.textContent('#screen-name')).toBe('@bob');
    expect(await page.textContent('#flash')).toContain('Signed in as @bob with OAuth 2.0');
    const scopes = await page.$$eval('#scopes li', (items) =>
      items.map((item) => item.dataset.scope),
    );
    expect(scopes.sort()).toEqual(['offline.access', 'tweet.read', 'tweet.write', 'users.read']);
    const expiresAt = Date.parse((await page.getAttribute('#expires-at', 'datetime')) ?? '');
    expect(expiresAt - Date.now()).toBeGreaterThan(100 * 60_000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(2 * 60 * 60_000);

    const tokens = await storedSet('bob');
    expect(await page.textContent('#access-token')).toBe(maskToken(tokens.accessToken));
    expect(await page.textContent('#refresh-token')).toBe(maskToken(tokens.refreshToken ?? ''));
    const htmlText = await page.content();
    expect(htmlText).not.toContain(tokens.accessToken);
    expect(htmlText).not.toContain(tokens.refreshToken);
    // The session cookie is sealed and HttpOnly, and holds no token.
    const cookies = await context.cookies(h.web.url);
    const session = cookies.find((cookie) => cookie.name === 'demo_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
    expect(session?.value).toMatch(/^v1\./);
    expect(cookies.find((cookie) => cookie.name === 'demo_pkce')).toBeUndefined();
  });

  it('posts a Tweet and shows it, with the rate-limit pools live', async () => {
    await signIn('alice');
    const text = `Hello from the web demo ${Date.now()}`;
    await page.fill('#tweet-text', text);
    await page.click('#post-tweet');
    await page.waitForURL(/\/me\?tweet=\d+$/);
    expect(await page.textContent('#posted-tweet')).toBe(text);
    expect(await page.textContent('#flash')).toMatch(/^Posted Tweet \d+\.$/);

    const pools = await page.$$eval('#rate-limits tbody tr', (rows) =>
      rows.map((row) => row.querySelector('td')?.textContent ?? ''),
    );
    expect(pools).toEqual(expect.arrayContaining(['POST /2/tweets', 'GET /2/tweets']));
    // Who the user is was asked once, at sign-in: loading /me again spends no GET /2/users/me.
    const live = await page.evaluate(async () => (await fetch('/me/rate-limits.json')).json());
    expect(live).toEqual(
      expect.arrayContaining([expect.objectContaining({ pool: 'POST /2/tweets', kind: 'window' })]),
    );
    // Live: a request made elsewhere (here "ask X again who I am", which calls
    // GET /2/users/me) shows up in the table within a few seconds, without reloading the page.
    const askAgain = () =>
      page.evaluate(async () => {
        const csrf = document.querySelector<HTMLInputElement>('input[name="csrf"]')?.value ?? '';
        await fetch('/me/refresh-profile', { method: 'POST', body: new URLSearchParams({ csrf }) });
      });
    const remaining = () =>
      page.$$eval('#rate-limits tbody tr', (rows) =>
        rows
          .find((row) => row.querySelector('td')?.textContent === 'GET /2/users/me')
          ?.querySelectorAll('td')[2]
          ?.textContent?.trim(),
      );
    expect(await remaining()).toBeUndefined();
    await askAgain();
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('#rate-limits tbody tr')].some(
          (row) => row.querySelector('td')?.textContent === 'GET /2/users/me',
        ),
      undefined,
      { timeout: 5000 },
    );
    const shown = await remaining();
    expect(shown).toMatch(/^\d+ \/ 75$/);
    await askAgain();
    await page.waitForFunction(
      (before) =>
        [...document.querySelectorAll('#rate-limits tbody tr')].some(
          (row) =>
            row.querySelector('td')?.textContent === 'GET /2/users/me' &&
            row.querySelectorAll('td')[2]?.textContent?.trim() !== before,
        ),
      shown,
      { timeout: 5000 },
    );
    expect(Number.parseInt((await remaining()) ?? '', 10)).toBe(
      Number.parseInt(shown ?? '', 10) - 1,
    );
  }, 20_000);

  it('asks for the scopes picked, and refuses to go without the ones it needs', async () => {
    await page.goto(`${h.web.url}/oauth2`);
    await page.uncheck('input[value="users.read"]');
    await page.click('#oauth2-sign-in');
    expect(await page.textContent('#flash')).toContain('Keep users.read');

    await signIn('bob', async (form) => {
      await form.uncheck('input[value="offline.access"]');
      await form.uncheck('input[value="tweet.write"]');
      await form.check('input[value="like.read"]');
    });
    const scopes = await page.$$eval('#scopes li', (items) =>
      items.map((item) => item.dataset.scope),
    );
    expect(scopes.sort()).toEqual(['like.read', 'tweet.read', 'users.read']);
    expect(await page.textContent('#refresh-token')).toContain('none');
  });

  it('refreshes when asked: a new access token, masked', async () => {
    await signIn('bob');
    const before = await page.textContent('#access-token');
    await page.click('#refresh');
    expect(await page.textContent('#flash')).toContain('still valid');
    expect(await page.textContent('#access-token')).toBe(before);

    await page.click('#force-refresh');
    expect(await page.textContent('#flash')).toContain('Refreshed');
    const after = await page.textContent('#access-token');
    expect(after).not.toBe(before);
    const tokens = await storedSet('bob');
    expect(after).toBe(maskToken(tokens.accessToken));
    expect(await page.content()).not.toContain(tokens.accessToken);
    // The refreshed token works: who am I still answers.
    expect(await page.textContent('#screen-name')).toBe('@bob');
  });

  it('revokes: the tokens die at X, leave the store, and the user is signed out', async () => {
    await signIn('alice');
    const tokens = await storedSet('alice');
    await page.click('#revoke');
    await page.waitForURL(`${h.web.url}/`);
    expect(await page.textContent('#flash')).toContain('signed you out');
    expect(await page.getAttribute('#session', 'data-signed-in')).toBe('false');
    expect(await h.store.reader.get(h.config.appId, userId(h.x, 'alice'))).toBeUndefined();
    const answer = await fetch(`${h.x.url}/2/users/me`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(answer.status).toBe(401);
    await page.goto(`${h.web.url}/me`);
    expect(await page.textContent('#signed-out')).toBe('Not signed in');
  });

  it('refuses a replayed callback and a tampered session cookie', async () => {
    await page.goto(`${h.web.url}/oauth2`);
    await page.click('#oauth2-sign-in');
    await consent(page, h.x, 'bob');
    await page.waitForURL(`${h.web.url}/me`);
    // The transaction cookie was cleared on arrival: a callback now finds nothing pending,
    // and nothing is sent to the token endpoint.
    const replay = h.x
      .requestLog()
      .filter((entry) => entry.endpoint === 'POST /2/oauth2/token').length;
    await page.goto(`${h.web.url}/oauth2/callback?state=x&code=y`);
    await page.waitForURL(`${h.web.url}/oauth2`);
    expect(await page.textContent('#flash')).toContain('No sign-in is pending');
    expect(
      h.x.requestLog().filter((entry) => entry.endpoint === 'POST /2/oauth2/token'),
    ).toHaveLength(replay);

    const [session] = (await context.cookies(h.web.url)).filter(
      (cookie) => cookie.name === 'demo_session',
    );
    if (session === undefined) throw new Error('no session cookie');
    const flipped = `${session.value.slice(0, -2)}${session.value.endsWith('AA') ? 'BB' : 'AA'}`;
    await context.addCookies([{ ...session, value: flipped }]);
    await page.goto(`${h.web.url}/me`);
    expect(await page.textContent('#signed-out')).toBe('Not signed in');
  });

  it('reports a cancelled consent', async () => {
    await page.goto(`${h.web.url}/oauth2`);
    await page.click('#oauth2-sign-in');
    await consent(page, h.x, 'bob', 'cancel');
    await page.waitForURL(`${h.web.url}/oauth2`);
    expect(await page.textContent('#flash')).toContain('PKCE_ACCESS_DENIED');
  });
});
