import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { consent } from './consent.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Inside the package, so `@x-oauth/pkce` resolves to the package's own build by its name.
const script = new URL('../.quick-start.test-run.mjs', import.meta.url);
let x: Emulator;
let child: ChildProcess | undefined;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  x = await startEmulator({ port: 0 });
});

afterAll(async () => {
  child?.kill();
  await rm(script, { force: true });
  await x?.close();
});

it('runs the README web-server quick start as written against the emulator', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const quickStart = readme.split('## Quick start')[1]?.match(/```js\n([\s\S]*?)```/)?.[1];
  expect(quickStart).toBeDefined();
  await writeFile(script, quickStart as string);

  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/oauth2/callback`;
  x.addCallbackUrl(x.app.id, redirectUri);
  const started = spawn(process.execPath, [fileURLToPath(script)], {
    cwd: packageDir,
    env: {
      ...process.env,
      X_BASE_URL: x.url,
      X_CLIENT_ID: x.app.clientId,
      X_CLIENT_SECRET: x.app.clientSecret,
      X_REDIRECT_URI: redirectUri,
      COOKIE_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let stderr = '';
  started.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    started.stdout?.once('data', (chunk) => resolve(String(chunk)));
    started.once('exit', (code) => reject(new Error(`quick start exited (${code}): ${stderr}`)));
  });
  expect(firstLine.trim()).toBe(`Open http://127.0.0.1:${port}/login`);

  const login = await fetch(`http://127.0.0.1:${port}/login`, { redirect: 'manual' });
  expect(login.status).toBe(302);
  const setCookie = login.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(
    /^pkce=v1\.[A-Za-z0-9_.-]+; Path=\/oauth2\/callback; HttpOnly; Secure; SameSite=Lax; Max-Age=600$/,
  );
  const authorizeUrl = login.headers.get('location') ?? '';
  expect(authorizeUrl.startsWith(`${x.url}/i/oauth2/authorize?`)).toBe(true);

  const callbackUrl = await consent(authorizeUrl);
  const cookie = setCookie.split(';')[0] ?? '';
  const callback = await fetch(callbackUrl, { headers: { cookie } });
  expect(await callback.text()).toBe('Signed in. Scopes: tweet.read users.read offline.access\n');
  expect(callback.status).toBe(200);
  expect(callback.headers.get('set-cookie')).toContain('pkce=;');

  // The cookie is single-use in practice: the callback cleared it, and the code is spent.
  const replay = await fetch(callbackUrl, { headers: { cookie } });
  expect(replay.status).toBe(400);
  expect(await replay.text()).toMatch(/^PKCE_INVALID_GRANT: /);

  // Without the cookie (another browser, a forged link) nothing is exchanged.
  const forged = await fetch(callbackUrl);
  expect(await forged.text()).toMatch(/^PKCE_SEALED_VALUE_INVALID: /);
});
