// `x-oauth tokens rotate-key` (a child process) while the web demo runs and a user is signed in
// in Chromium: the running demo reads the key file as a keyring source (the token store's
// rolling rotation), so it picks up the new key and every page keeps loading, no restart.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from './cli-process.js';
import { signInOAuth2, startHarness, userId, type WebHarness } from './web-harness.js';

let h: WebHarness;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ensureCliBuilt();
  h = await startHarness({ keyFile: true });
}, 60_000);
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

describe('Key rotation from the CLI while the demo runs', () => {
  it('keeps every page of a signed-in user loading, before and after the rows move to the new key', async () => {
    await signInOAuth2(page, h, 'alice');
    expect(await page.textContent('#screen-name')).toBe('@alice');
    const env = {
      X_OAUTH_EMULATOR_URL: h.x.url,
      X_API_KEY: h.x.app.consumerKey,
      X_API_SECRET: h.x.app.consumerSecret,
      X_CLIENT_ID: h.x.app.clientId,
      X_CLIENT_SECRET: h.x.app.clientSecret,
    };
    // The browser keeps loading pages while the CLI rotates.
    let loading = true;
    const statuses: number[] = [];
    const loads = (async () => {
      while (loading) {
        const response = await page.goto(`${h.web.url}/me`);
        statuses.push(response?.status() ?? 0);
      }
    })();
    for (const round of [2, 3]) {
      const rotated = await runCli(
        ['tokens', 'rotate-key', '--data-dir', h.dataDir],
        h.dataDir,
        env,
      );
      expect(rotated.status, rotated.stderr).toBe(0);
      expect(rotated.stderr).toContain(`Added key k${round}`);
      expect(rotated.stdout).toMatch(
        /Re-encrypted 1 row\(s\) under key k\d; 0 already under it, \d+ retried, 0 failed/,
      );
    }
    loading = false;
    await loads;
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((status) => status === 200)).toBe(true);

    // After the rotations: the page reads and writes (a forced refresh) under the newest key.
    await page.goto(`${h.web.url}/me`);
    expect(await page.textContent('#screen-name')).toBe('@alice');
    await page.click('#force-refresh');
    await page.waitForURL(`${h.web.url}/me`);
    expect(await page.textContent('#flash')).toContain('Refreshed');
    const record = await h.store.reader.get(h.config.appId, userId(h.x, 'alice'));
    expect(record?.kind).toBe('oauth2');
  }, 60_000);
});
