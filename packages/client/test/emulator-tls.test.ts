// XClient against the emulator's X host names over TLS: through its CONNECT proxy with
// `baseUrl: 'https://api.x.com'` (a fetch that tunnels, trusting only the emulator's CA), and
// the emulator README's XClient example as written, in a child process (NODE_EXTRA_CA_CERTS
// is read at start-up) running the built package.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appOnlyAuth, isXApiError, oauth1Auth, XClient } from '../src/index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
let home: string;
let x: Emulator;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'client-emu-tls-'));
  x = await startEmulator({ proxy: true, tls: { caDir: join(home, '.x-oauth-emulator') } });
});
afterAll(async () => {
  await x.close();
});

function tunnelAgent(secure: TLSSocket): Agent {
  const agent = new Agent({ keepAlive: false });
  agent.createConnection = (() => secure) as Agent['createConnection'];
  return agent;
}

/** A fetch that opens a CONNECT tunnel through the emulator's proxy for every request. */
function tunnellingFetch(): (input: string, init: RequestInit) => Promise<Response> {
  const proxy = new URL(x.proxyUrl as string);
  const ca = readFileSync(x.caCertPath as string, 'utf8');
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(input);
      const connect = httpRequest({
        host: proxy.hostname,
        port: proxy.port,
        method: 'CONNECT',
        path: `${target.hostname}:443`,
      });
      connect.once('connect', (answer, socket) => {
        if (answer.statusCode !== 200) {
          socket.destroy();
          reject(new Error(`proxy answered ${answer.statusCode}`));
          return;
        }
        const outgoing = httpsRequest(
          target,
          {
            method: init.method ?? 'GET',
            headers: Object.fromEntries(new Headers(init.headers)),
            // An agent whose only connection is this tunnelled TLS socket: nothing else is dialled.
            agent: tunnelAgent(tlsConnect({ socket, servername: target.hostname, ca })),
          },
          (incoming) => {
            const chunks: Buffer[] = [];
            incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
            incoming.on('end', () => {
              const headers = new Headers();
              for (const [name, value] of Object.entries(incoming.headers))
                for (const one of Array.isArray(value) ? value : [value ?? ''])
                  headers.append(name, one);
              socket.destroy();
              resolve(
                new Response(Buffer.concat(chunks), { status: incoming.statusCode ?? 0, headers }),
              );
            });
          },
        );
        outgoing.on('error', reject);
        outgoing.end(typeof init.body === 'string' ? init.body : undefined);
      });
      connect.on('error', reject);
      connect.end();
    });
}

it('XClient signs OAuth 1.0a for https://api.x.com and posts through the proxy', async () => {
  const consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
  const issued = x.issueOAuth1Token(x.app.id, x.app.ownerId);
  const alice = new XClient({
    auth: oauth1Auth({ consumer, token: issued }),
    baseUrl: 'https://api.x.com',
    fetch: tunnellingFetch(),
  });
  const me = (await alice.get('/2/users/me')) as { data: { username: string } };
  expect(me.data.username).toBe('alice');
  const text = `through the proxy ${Date.now()}`;
  const posted = (await alice.post('/2/tweets', { json: { text } })) as { data: { id: string } };
  const read = (await alice.get('/2/tweets', { query: { ids: posted.data.id } })) as {
    data: { text: string }[];
  };
  expect(read.data[0]?.text).toBe(text);

  // App-only through the proxy too; a user endpoint refuses it with a typed error.
  const app = new XClient({
    auth: appOnlyAuth({ consumer }),
    baseUrl: 'https://api.x.com',
    fetch: tunnellingFetch(),
  });
  const found = (await app.get('/2/tweets/search/recent', { query: { query: text } })) as {
    data: { id: string }[];
  };
  expect(found.data.map((tweet) => tweet.id)).toEqual([posted.data.id]);
  const refused = await app.get('/2/users/me').catch((error: unknown) => error);
  expect(isXApiError(refused)).toBe(true);
});

it("runs the emulator README's XClient example as written, with NODE_EXTRA_CA_CERTS", async () => {
  const readme = await readFile(new URL('../../emulator/README.md', import.meta.url), 'utf8');
  const section = readme.split("## Unmodified clients: X's host names over HTTPS")[1] ?? '';
  const example = [...section.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((match) => match[1] as string)
    .find((code) => code.includes('@x-oauth/client'));
  if (example === undefined) throw new Error('The emulator README has no XClient example.');
  // Inside the package, so `@x-oauth/client` resolves to its own build by its name.
  const script = new URL('../.emulator-readme-xclient.test-run.mjs', import.meta.url);
  await writeFile(script, example.replaceAll('localhost:8976', `localhost:${x.port}`));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(script)], {
      cwd: packageDir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        NODE_EXTRA_CA_CERTS: x.caCertPath as string,
      },
    });
    expect(stdout.trim()).toBe('Hello from the x-oauth emulator #xoauth');
  } finally {
    await rm(script, { force: true });
  }
}, 20_000);
