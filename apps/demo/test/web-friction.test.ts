// What a new user tripped over in the web app, each fixed and checked in a real Chromium:
// who the user is is asked once per session (reloads spend no GET /2/users/me), refresh
// without offline.access explains itself, and signing in one way while a token of the other
// kind is stored says so and ends the replaced token at X.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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

const usersMe = () => h.x.requestLog().filter((entry) => entry.path === '/2/users/me').length;

describe('Friction fixed', () => {
  it('asks X who the user is once per session, and again on demand', async () => {
    await signInOAuth2(page, h, 'alice');
    h.x.clearRequestLog();
    for (let load = 0; load < 50; load++) {
      await page.goto(`${h.web.url}/me`);
    }
    expect(await page.textContent('#screen-name')).toBe('@alice');
    expect(usersMe()).toBe(0);
    await page.click('#refresh-profile');
    await page.waitForURL(`${h.web.url}/me`);
    expect(await page.textContent('#flash')).toContain('X says you are @alice');
    expect(usersMe()).toBe(1);
  }, 60_000);

  it('without offline.access: no refresh buttons, and a refresh explains why it cannot', async () => {
    await signInOAuth2(page, h, 'bob', async (form) => {
      await form.uncheck('input[value="offline.access"]');
    });
    expect(await page.locator('#refresh').count()).toBe(0);
    expect(await page.locator('#force-refresh').count()).toBe(0);
    expect(await page.textContent('#no-refresh')).toContain('offline.access');
    expect(await page.locator('#revoke').count()).toBe(1);
    // A refresh posted anyway (an old tab) says what is wrong instead of "See cause".
    h.x.clearRequestLog();
    const csrf = (await page.getAttribute('input[name="csrf"]', 'value')) ?? '';
    // The answer redirects to /me, which the fetch follows: its page carries the message.
    const answered = await page.evaluate(async (token) => {
      const response = await fetch('/oauth2/refresh', {
        method: 'POST',
        body: new URLSearchParams({ csrf: token, mode: 'force' }),
      });
      return response.text();
    }, csrf);
    await page.setContent(answered);
    const flash = (await page.textContent('#flash')) ?? '';
    expect(flash).toContain('no refresh token');
    expect(flash).toContain('offline.access');
    expect(flash).not.toContain('See cause');
    expect(h.x.requestLog().filter((entry) => entry.path === '/2/oauth2/token')).toEqual([]);
  }, 30_000);

  it('OAuth 2.0 over a stored OAuth 1.0a token: says so and invalidates the old token at X', async () => {
    await signInOAuth1(page, h, 'alice');
    const old = await h.store.reader.get(h.config.appId, userId(h.x, 'alice'));
    if (old?.kind !== 'oauth1') throw new Error('no OAuth 1.0a record');
    await signInOAuth2(page, h, 'alice');
    const flash = (await page.textContent('#flash')) ?? '';
    expect(flash).toContain('replaces your stored OAuth 1.0a access token');
    expect(flash).toContain('invalidated at X');
    expect(await page.getAttribute('#stored-token', 'data-kind')).toBe('oauth2');
    // The replaced token is dead at X.
    const { signRequest } = await import('@x-oauth/oauth1-signature');
    const url = `${h.x.url}/2/users/me`;
    const signed = await signRequest({
      method: 'GET',
      url,
      consumer: h.config.consumer,
      token: old.oauth1,
    });
    const answer = await fetch(url, { headers: { authorization: signed.authorization } });
    expect(answer.status).toBe(401);
  }, 30_000);

  it('OAuth 1.0a over a stored OAuth 2.0 set: says so and revokes the old tokens at X', async () => {
    await signInOAuth2(page, h, 'bob');
    const old = await h.store.reader.get(h.config.appId, userId(h.x, 'bob'));
    if (old?.kind !== 'oauth2') throw new Error('no OAuth 2.0 record');
    await signInOAuth1(page, h, 'bob');
    const flash = (await page.textContent('#flash')) ?? '';
    expect(flash).toContain('replaces your stored OAuth 2.0 token set');
    expect(flash).toContain('revoked at X');
    const answer = await fetch(`${h.x.url}/2/users/me`, {
      headers: { authorization: `Bearer ${old.tokenSet.accessToken}` },
    });
    expect(answer.status).toBe(401);
  }, 30_000);
});
