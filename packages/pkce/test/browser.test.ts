// The whole flow in a real Chromium page: the built package loaded through an import map,
// the transaction in sessionStorage, the consent page clicked, the token endpoint reached
// through the page's own origin (X's API sends no CORS headers, so a real SPA needs a proxy).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const packages = fileURLToPath(new URL('../..', import.meta.url));
// pkce alone: it has no runtime dependency, so the import map needs no other package.
const distributions: Record<string, string> = {
  pkce: `${packages}/pkce/dist`,
};

const APP_SCRIPT = `
import {
  createAuthorization,
  exchangeCode,
  handleCallback,
  refreshToken,
  transactionFromStorable,
  transactionToStorable,
} from '@x-oauth/pkce';

const config = JSON.parse(document.getElementById('config').textContent);
const client = { clientId: config.clientId };
const endpoints = {
  authorize: config.emulatorUrl + '/i/oauth2/authorize',
  token: location.origin + '/2/oauth2/token',
  revoke: location.origin + '/2/oauth2/revoke',
};
const show = (value) => {
  document.getElementById('result').textContent = JSON.stringify(value);
};

if (location.pathname === '/callback') {
  try {
    const pending = transactionFromStorable(JSON.parse(sessionStorage.getItem('pkce')));
    sessionStorage.removeItem('pkce');
    const code = handleCallback(location.href, pending);
    history.replaceState(null, '', '/');
    const tokens = await exchangeCode({ client, code, transaction: pending, endpoints });
    const refreshed = await refreshToken({ client, tokenSet: tokens, endpoints });
    show({
      scopes: refreshed.scopes,
      gotAccessToken: tokens.accessToken.length > 0,
      gotRefreshToken: typeof tokens.refreshToken === 'string',
      refreshRotated: refreshed.refreshToken !== tokens.refreshToken && typeof refreshed.refreshToken === 'string',
      accessRotated: refreshed.accessToken !== tokens.accessToken,
      expiresInSeconds: Math.round((refreshed.expiresAt - Date.now()) / 1000),
      json: JSON.stringify(refreshed),
      leaked: JSON.stringify(refreshed).includes(refreshed.accessToken),
      pendingCleared: sessionStorage.getItem('pkce') === null,
    });
  } catch (error) {
    show({ error: error.code ?? String(error), message: error.message });
  }
} else {
  document.getElementById('login').addEventListener('click', async () => {
    const { url, transaction } = await createAuthorization({
      clientId: client.clientId,
      redirectUri: location.origin + '/callback',
      scopes: ['tweet.read', 'users.read', 'offline.access'],
      endpoints,
    });
    sessionStorage.setItem('pkce', JSON.stringify(transactionToStorable(transaction)));
    location.assign(url);
  });
  document.getElementById('login').disabled = false;
}
`;

function page(config: { emulatorUrl: string; clientId: string }): string {
  const imports = Object.fromEntries(
    Object.keys(distributions).map((name) => [`@x-oauth/${name}`, `/pkg/${name}/index.js`]),
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>SPA</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="application/json" id="config">${JSON.stringify(config)}</script>
</head><body>
<button id="login" disabled>Sign in with X</button>
<pre id="result"></pre>
<script type="module">${APP_SCRIPT}</script>
</body></html>`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  // Token and revocation requests are form text.
  return Buffer.concat(chunks).toString('utf8');
}

// Forwards /2/oauth2/* to the emulator with only what the token endpoint needs.
async function proxy(
  request: IncomingMessage,
  response: ServerResponse,
  target: string,
): Promise<void> {
  const headers = new Headers();
  for (const name of ['content-type', 'authorization', 'accept']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const upstream = await fetch(new URL(request.url ?? '/', target), {
    method: request.method ?? 'GET',
    headers,
    body: request.method === 'POST' ? await readBody(request) : null,
    redirect: 'manual',
  });
  response.writeHead(upstream.status, {
    'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
  });
  response.end(Buffer.from(await upstream.arrayBuffer()));
}

let x: Emulator;
let spa: Server;
let spaUrl: string;
let browser: Browser | undefined;

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
  spa = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://spa').pathname;
    const distribution = path.match(/^\/pkg\/([a-z0-9-]+)\/([A-Za-z0-9_.-]+\.js(?:\.map)?)$/);
    if (path.startsWith('/2/oauth2/')) {
      proxy(request, response, x.url).catch(() => response.writeHead(502).end());
    } else if (distribution !== null) {
      const directory = distributions[distribution[1] ?? ''];
      if (directory === undefined) return void response.writeHead(404).end();
      readFile(`${directory}/${distribution[2]}`)
        .then((file) => response.writeHead(200, { 'content-type': 'text/javascript' }).end(file))
        .catch(() => response.writeHead(404).end());
    } else if (path === '/' || path === '/callback') {
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(page({ emulatorUrl: x.url, clientId: x.publicApp.clientId }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => spa.listen(0, '127.0.0.1', resolve));
  spaUrl = `http://127.0.0.1:${(spa.address() as AddressInfo).port}`;
  x.addCallbackUrl(x.publicApp.id, `${spaUrl}/callback`);
  // No silent skip: scripts/services.sh installs Debian's chromium wherever the tests run.
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/services.sh (apt-get install chromium).`);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
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
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => spa?.close(resolve));
  await x?.close();
});

describe('in a real browser', () => {
  it('the built package and its dependencies import nothing from node:', async () => {
    for (const directory of Object.values(distributions)) {
      const source = await readFile(`${directory}/index.js`, 'utf8');
      expect(source).not.toMatch(/(?:from\s*|import\s*\(\s*|require\s*\(\s*)["']node:/);
    }
  });

  it('an SPA signs in with a public client, exchanges the code and refreshes', async () => {
    if (browser === undefined) throw new Error('chromium did not start');
    const context = await browser.newContext();
    const tab = await context.newPage();
    const pageErrors: string[] = [];
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await tab.goto(spaUrl);
      await tab.locator('#login:enabled').click();
      await tab.waitForURL((url) => url.href.startsWith(`${x.url}/i/oauth2/authorize?`));
      const authorizeUrl = new URL(tab.url());
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorizeUrl.searchParams.get('client_id')).toBe(x.publicApp.clientId);
      await tab.locator('#authorize').click();
      await tab.locator('#result:not(:empty)').waitFor({ timeout: 20_000 });
      const result = JSON.parse((await tab.locator('#result').textContent()) ?? '{}');
      expect(pageErrors).toEqual([]);
      expect(result).toMatchObject({
        gotAccessToken: true,
        gotRefreshToken: true,
        refreshRotated: true,
        accessRotated: true,
        leaked: false,
        pendingCleared: true,
      });
      expect([...result.scopes].sort()).toEqual(['offline.access', 'tweet.read', 'users.read']);
      expect(result.expiresInSeconds).toBeGreaterThan(7000);
      expect(result.json).toContain('[redacted]');
      // The code was spent and the URL cleaned: no code left in the address bar.
      expect(new URL(tab.url()).search).toBe('');
      // The page talked to the token endpoint through its own origin, as a public client.
      const tokenCalls = x
        .requestLog()
        .filter((entry) => entry.endpoint === 'POST /2/oauth2/token');
      expect(tokenCalls.map((entry) => entry.status)).toEqual([200, 200]);
    } finally {
      await context.close();
    }
  }, 60_000);
});
