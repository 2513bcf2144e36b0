// `x-oauth tokens rotate-key` (a child process) while the web demo runs and a user is signed in
// in Chromium. Without the token store's rolling rotation (a keyring the store re-reads), the
// running demo cannot read rows under the new key: the page then says why and what to do
// (restart), instead of a bare 500.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runCli } from './cli-process.js';
import { signInOAuth2, startHarness, type WebHarness } from './web-harness.js';

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
  it('explains a key it has not loaded, with the way out', async () => {
    await signInOAuth2(page, h, 'alice');
    expect(await page.textContent('#screen-name')).toBe('@alice');
    const rotated = await runCli(['tokens', 'rotate-key', '--data-dir', h.dataDir], h.dataDir, {
      X_OAUTH_EMULATOR_URL: h.x.url,
      X_API_KEY: h.x.app.consumerKey,
      X_API_SECRET: h.x.app.consumerSecret,
      X_CLIENT_ID: h.x.app.clientId,
      X_CLIENT_SECRET: h.x.app.clientSecret,
    });
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toMatch(/Re-encrypted 1 row\(s\)/);
    const response = await page.goto(`${h.web.url}/me`);
    expect(response?.status()).toBe(503);
    const problem = (await page.textContent('#problem')) ?? '';
    expect(problem).toContain('x-oauth tokens rotate-key');
    expect(problem).toContain('Restart the demo');
    expect(problem).toContain('TOKEN_STORE_UNKNOWN_KEY_ID');
  }, 30_000);
});
