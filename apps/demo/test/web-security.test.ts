// The demo is safe to run with real keys: attacks in a real Chromium. A page served from
// another origin (a second loopback server on another port) submits every state-changing
// POST to the demo with the victim's cookies; nothing may reach X (the emulator's request
// log stays empty) and nothing may change. Also: the Host check (DNS rebinding), the
// Content-Security-Policy, and sign-out ending the session on the server.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { escapeHtml } from '../src/web/html.js';
import {
  signInOAuth1,
  signInOAuth2,
  startHarness,
  userId,
  type WebHarness,
} from './web-harness.js';

let h: WebHarness;
let attacker: Server;
let attackerUrl: string;
let context: BrowserContext;
let page: Page;

// The attacker's page: a form that posts `fields` to `target` as soon as it loads.
function attackPage(target: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(
      ([name, value]) =>
        `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`,
    )
    .join('');
  return `<!doctype html><title>cute cats</title>
<form id="f" method="post" action="${escapeHtml(target)}">${inputs}</form>
<script>document.getElementById('f').submit();</script>`;
}

beforeAll(async () => {
  h = await startHarness();
  attacker = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const target = url.searchParams.get('target') ?? '/';
    const fields = JSON.parse(url.searchParams.get('fields') ?? '{}') as Record<string, string>;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(attackPage(target, fields));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => attacker?.close(() => resolve()));
  await h?.close();
});
beforeEach(async () => {
  context = await h.browser.newContext();
  page = await context.newPage();
});
afterEach(async () => {
  await context.close();
});

/** Lures the signed-in browser to the attacker's page, which posts to the demo. */
async function attack(path: string, fields: Record<string, string> = {}): Promise<number> {
  h.x.clearRequestLog();
  const answered = page.waitForResponse(
    (response) =>
      response.url() === `${h.web.url}${path}` && response.request().method() === 'POST',
  );
  await page.goto(
    `${attackerUrl}/?target=${encodeURIComponent(`${h.web.url}${path}`)}&fields=${encodeURIComponent(JSON.stringify(fields))}`,
  );
  const response = await answered;
  await page.waitForLoadState();
  return response.status();
}

function sentToX(): string[] {
  return h.x.requestLog().map((entry) => `${entry.method} ${entry.path}`);
}

describe('Cross-site POSTs are refused and do nothing', () => {
  it('refuses every state-changing POST of a signed-in OAuth 2.0 user from another origin', async () => {
    await signInOAuth2(page, h, 'alice');
    // The app's bearer token is cached, so invalidating it would reach X.
    await page.goto(`${h.web.url}/app-only`);
    await page.click('#obtain-token');
    await page.waitForURL(`${h.web.url}/app-only`);
    const bearer = await h.web.context.bearer.getToken();
    const before = await h.store.reader.get(h.config.appId, userId(h.x, 'alice'));
    // A real form’s CSRF token, to show that even a leaked one does not help another origin.
    const csrf = (await page.getAttribute('input[name="csrf"]', 'value')) ?? '';
    expect(csrf).not.toBe('');

    const posts: [string, Record<string, string>][] = [
      ['/oauth2/login', { scope: 'tweet.read' }],
      ['/oauth1/login', { mode: 'authorize' }],
      ['/me/tweets', { text: 'pwned' }],
      ['/me/refresh-profile', {}],
      ['/oauth2/refresh', { mode: 'force' }],
      ['/oauth2/revoke', {}],
      ['/oauth1/revoke', {}],
      ['/signout', {}],
      ['/app-only/token', {}],
      ['/app-only/invalidate', {}],
      ['/app-only/invalidate', { csrf }],
      ['/signout', { csrf }],
    ];
    for (const [path, fields] of posts) {
      const status = await attack(path, fields);
      expect(status, path).toBe(403);
      expect(await page.textContent('#problem'), path).toContain('another site');
      expect(sentToX(), path).toEqual([]);
    }

    // Nothing changed: same stored record, same bearer token (still valid at X), still signed in.
    const after = await h.store.reader.get(h.config.appId, userId(h.x, 'alice'));
    expect(after?.version).toBe(before?.version);
    expect(after?.kind === 'oauth2' && after.tokenSet.accessToken).toBe(
      before?.kind === 'oauth2' && before.tokenSet.accessToken,
    );
    expect(h.web.context.bearer.hasToken).toBe(true);
    expect(await h.web.context.bearer.getToken()).toBe(bearer);
    const search = await fetch(`${h.x.url}/2/tweets/search/recent?query=xoauth`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    expect(search.status).toBe(200);
    await page.goto(`${h.web.url}/me`);
    expect(await page.textContent('#screen-name')).toBe('@alice');
    expect(await page.locator('blockquote#posted-tweet').count()).toBe(0);
    expect(h.x.requestLog().some((entry) => entry.path === '/2/tweets')).toBe(false);
  }, 60_000);

  it('refuses an OAuth 1.0a user’s revoke from another origin', async () => {
    await signInOAuth1(page, h, 'bob');
    const before = await h.store.reader.get(h.config.appId, userId(h.x, 'bob'));
    expect(await attack('/oauth1/revoke')).toBe(403);
    expect(sentToX()).toEqual([]);
    expect((await h.store.reader.get(h.config.appId, userId(h.x, 'bob')))?.version).toBe(
      before?.version,
    );
  }, 30_000);

  it('refuses a same-origin-looking POST without the session’s CSRF token', async () => {
    await signInOAuth2(page, h, 'alice');
    h.x.clearRequestLog();
    // A script on the demo's own origin (as XSS would be) still needs the token.
    const status = await page.evaluate(async () => {
      const response = await fetch('/app-only/token', {
        method: 'POST',
        body: new URLSearchParams({ csrf: 'forged' }),
      });
      return response.status;
    });
    expect(status).toBe(403);
    // And a client that sends no Sec-Fetch-Site or Origin (curl) with a copied cookie.
    const cookie = (await context.cookies(h.web.url))
      .filter((entry) => entry.name.startsWith('demo_'))
      .map((entry) => `${entry.name}=${entry.value}`)
      .join('; ');
    const curl = await fetch(`${h.web.url}/me/tweets`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'text=pwned',
      redirect: 'manual',
    });
    expect(curl.status).toBe(403);
    expect(await curl.text()).toContain('CSRF token');
    expect(sentToX()).toEqual([]);
  }, 30_000);
});

describe('Host, CSP, framing', () => {
  it('refuses a request naming another host (DNS rebinding)', async () => {
    const { port } = new URL(h.web.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/me', headers: { host: 'evil.example' } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer.status).toBe(421);
    expect(answer.body).toContain('evil.example');
    expect(answer.body).toContain(h.web.url);
    const own = await fetch(`${h.web.url}/`);
    expect(own.status).toBe(200);
  });

  it('sends a CSP without inline script, frame-ancestors none; pages have no inline script or style', async () => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    await signInOAuth2(page, h, 'alice');
    for (const path of ['/', '/oauth2', '/oauth1', '/me', '/app-only', '/log']) {
      const response = await page.goto(`${h.web.url}${path}`);
      const csp = (await response?.headerValue('content-security-policy')) ?? '';
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("style-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      const text = await page.content();
      expect(text, path).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(text, path).not.toMatch(/<style\b|\sstyle="/);
    }
    expect(violations).toEqual([]);

    // Framed by another origin: Chromium refuses to render the demo.
    await page.setContent(`<iframe id="victim" src="${h.web.url}/me"></iframe>`);
    await page.waitForTimeout(500);
    const frame = page.frames().find((candidate) => candidate.url().startsWith(h.web.url));
    const framedText = frame === undefined ? '' : await frame.content().catch(() => '');
    expect(framedText).not.toContain('@alice');
  }, 30_000);
});

describe('Sign-out', () => {
  it('ends the session on the server: a copied session cookie no longer works', async () => {
    await signInOAuth2(page, h, 'alice');
    const copied = (await context.cookies(h.web.url)).find((c) => c.name === 'demo_session');
    expect(copied).toBeDefined();
    await page.click('#sign-out');
    await page.waitForURL(`${h.web.url}/`);
    expect(await page.getAttribute('#session', 'data-signed-in')).toBe('false');

    const thief = await h.browser.newContext();
    try {
      await thief.addCookies([{ ...(copied as NonNullable<typeof copied>) }]);
      const stolen = await thief.newPage();
      const response = await stolen.goto(`${h.web.url}/me`);
      expect(response?.status()).toBe(401);
      expect(await stolen.textContent('#signed-out')).toBe('Not signed in');
    } finally {
      await thief.close();
    }
    // The token stays stored (sign-out is not revocation).
    expect(await h.store.reader.get(h.config.appId, userId(h.x, 'alice'))).toBeDefined();
  }, 30_000);
});
