// "Sign in with X" (OAuth 1.0a) in a real Chromium: authorize and authenticate through the
// emulator's consent page, then the user page with the OAuth 1.0a token, and revocation.
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

async function storedCredentials(screenName: string) {
  const record = await h.store.reader.get(h.config.appId, userId(h.x, screenName));
  if (record?.kind !== 'oauth1') throw new Error('no OAuth 1.0a record');
  return record.oauth1;
}

describe('Sign in with X (OAuth 1.0a)', () => {
  it('authorize: consent, callback, access token stored, user page with OAuth 1.0a', async () => {
    await page.goto(`${h.web.url}/oauth1`);
    await page.click('#sign-in-authorize');
    expect(new URL(page.url()).pathname).toBe('/oauth/authorize');
    await consent(page, h.x, 'alice');
    await page.waitForURL(`${h.web.url}/me`);
    expect(await page.textContent('#screen-name')).toBe('@alice');
    expect(await page.textContent('#flash')).toContain('Signed in as @alice with OAuth 1.0a');
    expect(await page.getAttribute('#stored-token', 'data-kind')).toBe('oauth1');

    const credentials = await storedCredentials('alice');
    expect(credentials.screenName).toBe('alice');
    expect(await page.textContent('#access-token')).toBe(maskToken(credentials.key));
    const htmlText = await page.content();
    expect(htmlText).not.toContain(credentials.key);
    expect(htmlText).not.toContain(credentials.secret);
    expect(htmlText).not.toContain(h.config.consumer.secret);
    expect((await context.cookies(h.web.url)).map((cookie) => cookie.name)).not.toContain(
      'demo_oauth1',
    );

    // Markup in a Tweet is shown as text, never as markup.
    const text = `<b>Signed</b> with OAuth 1.0a & <script>x()</script> ${Date.now()}`;
    await page.fill('#tweet-text', text);
    await page.click('#post-tweet');
    await page.waitForURL(/\/me\?tweet=\d+$/);
    expect(await page.textContent('#posted-tweet')).toBe(text);
    expect(await page.$$('#rate-limits tbody tr')).not.toHaveLength(0);
  });

  it('authenticate: a returning user goes straight back', async () => {
    await page.goto(`${h.web.url}/oauth1`);
    await page.click('#sign-in-authenticate');
    expect(new URL(page.url()).pathname).toBe('/oauth/authenticate');
    await consent(page, h.x, 'bob');
    await page.waitForURL(`${h.web.url}/me`);
    expect(await page.textContent('#screen-name')).toBe('@bob');

    await page.click('#sign-out');
    await page.waitForURL(`${h.web.url}/`);
    expect(await page.getAttribute('#session', 'data-signed-in')).toBe('false');
    await page.goto(`${h.web.url}/oauth1`);
    await page.click('#sign-in-authenticate');
    // No consent page this time: the emulator remembers bob, as X does.
    await page.waitForURL(`${h.web.url}/me`);
    expect(await page.textContent('#screen-name')).toBe('@bob');
  });

  it('revokes: the token is invalidated at X and the user signed out', async () => {
    await page.goto(`${h.web.url}/oauth1`);
    await page.click('#sign-in-authorize');
    await consent(page, h.x, 'bob');
    await page.waitForURL(`${h.web.url}/me`);
    await page.click('#revoke');
    await page.waitForURL(`${h.web.url}/`);
    expect(await page.textContent('#flash')).toContain('signed you out');
    expect(await h.store.reader.get(h.config.appId, userId(h.x, 'bob'))).toBeUndefined();
    await page.goto(`${h.web.url}/me`);
    expect(await page.textContent('#signed-out')).toBe('Not signed in');
  });

  it('reports a cancelled consent', async () => {
    await page.goto(`${h.web.url}/oauth1`);
    await page.click('#sign-in-authorize');
    await consent(page, h.x, 'alice', 'cancel');
    await page.waitForURL(`${h.web.url}/oauth1`);
    expect(await page.textContent('#flash')).toContain('X_ACCESS_DENIED');
  });
});
