// App-only in a real Chromium: obtain the bearer token, search with it, invalidate it.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { maskToken } from '../src/mask.js';
import { signInOAuth1, signInOAuth2, startHarness, type WebHarness } from './web-harness.js';

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

describe('App-only', () => {
  it('obtains the bearer token, searches, and invalidates it', async () => {
    await page.goto(`${h.web.url}/app-only`);
    expect(await page.getAttribute('#bearer-token', 'data-state')).toBe('none');

    await page.click('#obtain-token');
    await page.waitForURL(`${h.web.url}/app-only`);
    const token = await h.web.context.bearer.getToken();
    expect(await page.textContent('#bearer-token')).toBe(maskToken(token));
    expect(await page.content()).not.toContain(token);
    expect(await page.textContent('#flash')).toContain(maskToken(token));

    await page.fill('#query', 'xoauth emulator');
    await page.click('#search');
    await page.waitForURL(/\/app-only\?query=/);
    const results = await page.$$eval('#results li', (items) =>
      items.map((item) => item.textContent),
    );
    expect(results).toContain('Hello from the x-oauth emulator #xoauth');
    const pools = await page.$$eval('#rate-limits tbody tr td:first-child', (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(pools).toContain('GET /2/tweets/search/recent');

    await page.fill('#query', 'nothing-matches-this');
    await page.click('#search');
    await page.waitForSelector('#no-results');

    await page.click('#invalidate-token');
    await page.waitForURL(`${h.web.url}/app-only`);
    expect(await page.textContent('#flash')).toContain('Invalidated');
    expect(await page.getAttribute('#bearer-token', 'data-state')).toBe('none');
    const refused = await fetch(`${h.x.url}/2/tweets/search/recent?query=xoauth`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(401);

    // The next search obtains a new token by itself.
    await page.fill('#query', 'xoauth');
    await page.click('#search');
    await page.waitForSelector('#results li');
    expect(await page.getAttribute('#bearer-token', 'data-state')).toBe('cached');
    expect(await page.textContent('#bearer-token')).not.toBe(maskToken(token));
  });

  it('shows each pool once: no daily cap of the other app key (issue: same pool twice)', async () => {
    // An OAuth 1.0a user and an OAuth 2.0 user both post: POST /2/tweets gets a daily cap under
    // the consumer key and another under the client id.
    for (const signIn of [signInOAuth1, signInOAuth2]) {
      await signIn(page, h, signIn === signInOAuth1 ? 'alice' : 'bob');
      await page.fill('#tweet-text', `pool ${Date.now()}`);
      await page.click('#post-tweet');
      await page.waitForURL(/\/me\?tweet=/);
      await page.click('#sign-out');
      await page.waitForURL(`${h.web.url}/`);
    }
    await page.goto(`${h.web.url}/app-only?query=xoauth`);
    const rows = await page.$$eval('#rate-limits tbody tr', (trs) =>
      trs.map(
        (tr) =>
          `${tr.querySelector('td')?.textContent} ${tr.querySelectorAll('td')[1]?.textContent}`,
      ),
    );
    expect(rows).toContain('GET /2/tweets/search/recent window');
    expect(new Set(rows).size).toBe(rows.length);
    const names = rows.map((row) => row.split(' ').slice(0, -1).join(' '));
    expect(new Set(names).size).toBe(names.length);
    // The users' daily caps are theirs, not the app-only page's... except the consumer key's,
    // which app-only requests share: at most one POST /2/tweets row.
    expect(names.filter((name) => name.startsWith('POST /2/tweets')).length).toBeLessThanOrEqual(1);
  }, 30_000);
});
