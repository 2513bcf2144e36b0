// Shared by the web end-to-end tests: the emulator and the web app in this process (port 0,
// callbacks registered), a SQLite token store in a temp directory, and one Chromium.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import type { TokenStore } from '@x-oauth/token-store';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type DemoConfig, demoConfig } from '../src/config.js';
import { openDemoStore } from '../src/store.js';
import { startWebServer, type WebServer } from '../src/web/server.js';

export interface WebHarness {
  readonly dataDir: string;
  readonly x: Emulator;
  readonly web: WebServer;
  readonly config: DemoConfig;
  readonly store: TokenStore;
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Starts everything. With `keyFile`, the store's key is generated into `<dataDir>/demo-key`
 * (as `npm run demo` does without X_OAUTH_DEMO_KEY), so `x-oauth tokens rotate-key` can rotate it.
 */
export async function startHarness(options: { keyFile?: boolean } = {}): Promise<WebHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'x-oauth-demo-web-'));
  const x = await startEmulator({ port: 0 });
  const config = demoConfig({}, x);
  const { store } = await openDemoStore({
    dataDir,
    env: options.keyFile === true ? {} : { X_OAUTH_DEMO_KEY: randomBytes(32).toString('base64') },
    log: () => undefined,
  });
  const web = await startWebServer({ config, store, port: 0, log: () => undefined });
  x.addCallbackUrl(x.app.id, `${web.url}/callback`);
  x.addCallbackUrl(x.app.id, `${web.url}/oauth2/callback`);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    dataDir,
    x,
    web,
    config,
    store,
    browser,
    async close() {
      await browser.close();
      await web.close();
      await store.close();
      await x.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** On the emulator's consent page: picks the user and presses Authorize (or Cancel). */
export async function consent(
  page: Page,
  x: Emulator,
  screenName: string,
  action: 'authorize' | 'cancel' = 'authorize',
): Promise<void> {
  const user = x.users.find((candidate) => candidate.screenName === screenName);
  if (user === undefined) throw new Error(`no emulator user @${screenName}`);
  await page.waitForURL((url) => url.origin === x.url);
  await page.selectOption('select[name="user_id"]', user.id);
  await page.click(`#${action}`);
}

/** The user id of an emulator user. */
export function userId(x: Emulator, screenName: string): string {
  const user = x.users.find((candidate) => candidate.screenName === screenName);
  if (user === undefined) throw new Error(`no emulator user @${screenName}`);
  return user.id;
}

/** Signs `screenName` in with OAuth 2.0 on `page`, ending on /me. */
export async function signInOAuth2(
  page: Page,
  h: WebHarness,
  screenName: string,
  adjust?: (page: Page) => Promise<void>,
): Promise<void> {
  await page.goto(`${h.web.url}/oauth2`);
  if (adjust !== undefined) await adjust(page);
  await page.click('#oauth2-sign-in');
  await consent(page, h.x, screenName);
  await page.waitForURL(`${h.web.url}/me`);
}

/** Signs `screenName` in with OAuth 1.0a ("authorize") on `page`, ending on /me. */
export async function signInOAuth1(page: Page, h: WebHarness, screenName: string): Promise<void> {
  await page.goto(`${h.web.url}/oauth1`);
  await page.click('#sign-in-authorize');
  await consent(page, h.x, screenName);
  await page.waitForURL(`${h.web.url}/me`);
}
