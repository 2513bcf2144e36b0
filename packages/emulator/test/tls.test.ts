// HTTPS with X's host names, the local CA and the forward proxy, over real sockets.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { type AddressInfo, createServer as createNetServer, connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { signRequest } from '@x-oauth/oauth1-signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator, X_HOST_NAMES } from '../src/index.js';
import { proxiedFetch } from './proxied.js';

const run = promisify(execFile);
let caDir: string;
let x: Emulator;

beforeAll(async () => {
  caDir = mkdtempSync(join(tmpdir(), 'emu-tls-ca-'));
  x = await startEmulator({ proxy: true, tls: { caDir } });
});
afterAll(async () => {
  await x.close();
});

function handshake(
  servername: string,
  ca: string | undefined,
): Promise<{ authorized: boolean; altNames: string }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: x.port,
      servername,
      ...(ca === undefined ? {} : { ca }),
    });
    socket.once('secureConnect', () => {
      const altNames = socket.getPeerCertificate().subjectaltname ?? '';
      socket.end();
      resolve({ authorized: socket.authorized, altNames });
    });
    socket.once('error', reject);
  });
}

/** Sends one raw request to the proxy and returns the status line and the whole answer. */
function rawProxy(text: string): Promise<string> {
  const proxy = new URL(x.proxyUrl as string);
  return new Promise((resolve, reject) => {
    const socket = netConnect(Number(proxy.port), proxy.hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.once('end', () => resolve(answer));
    socket.once('error', reject);
  });
}

describe('the local CA', () => {
  it('is created on first use with a 0600 key in a 0700 directory, and reused', async () => {
    expect(x.caCertPath).toBe(join(caDir, 'ca.pem'));
    expect(statSync(join(caDir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(caDir).mode & 0o777).toBe(0o700);
    const before = readFileSync(x.caCertPath as string, 'utf8');
    const again = await startEmulator({ tls: { caDir } });
    try {
      expect(readFileSync(again.caCertPath as string, 'utf8')).toBe(before);
      expect(again.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(again.proxyUrl).toBeUndefined();
    } finally {
      await again.close();
    }
  });

  it('signs with a CA passed as files', async () => {
    const other = await startEmulator({
      tls: { caCertPath: join(caDir, 'ca.pem'), caKeyPath: join(caDir, 'ca-key.pem') },
    });
    try {
      const ca = readFileSync(join(caDir, 'ca.pem'), 'utf8');
      const socket = tlsConnect({ host: '127.0.0.1', port: other.port, servername: 'x.com', ca });
      const authorized = await new Promise<boolean>((resolve, reject) => {
        socket.once('secureConnect', () => resolve(socket.authorized));
        socket.once('error', reject);
      });
      socket.end();
      expect(authorized).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('refuses half a CA and a missing CA file with clear errors', async () => {
    await expect(startEmulator({ tls: { caCertPath: join(caDir, 'ca.pem') } })).rejects.toThrow(
      /caCertPath and tls\.caKeyPath go together/,
    );
    await expect(
      startEmulator({ tls: { caCertPath: join(caDir, 'nope.pem'), caKeyPath: 'nope-key.pem' } }),
    ).rejects.toMatchObject({ code: 'EMULATOR_CERTIFICATE' });
    await expect(startEmulator({ proxy: true, tls: false })).rejects.toThrow(/proxy needs tls/);
  });
});

describe('TLS with X host names', () => {
  it.each([...X_HOST_NAMES, 'localhost'])(
    'verifies %s (SNI) against the CA, and not without it',
    async (name) => {
      const ca = readFileSync(x.caCertPath as string, 'utf8');
      const verified = await handshake(name, ca);
      expect(verified.authorized).toBe(true);
      expect(verified.altNames).toContain(`DNS:${name}`);
      await expect(handshake(name, undefined)).rejects.toThrow(/certificate/i);
    },
  );

  it('verifies https://127.0.0.1 by its IP name', async () => {
    const ca = readFileSync(x.caCertPath as string, 'utf8');
    const socket = tlsConnect({ host: '127.0.0.1', port: x.port, ca });
    const authorized = await new Promise<boolean>((resolve, reject) => {
      socket.once('secureConnect', () => resolve(socket.authorized));
      socket.once('error', reject);
    });
    socket.end();
    expect(authorized).toBe(true);
  });
});

describe('the forward proxy', () => {
  it('tunnels api.x.com to the emulator', async () => {
    const response = await proxiedFetch(x)('https://api.x.com/2/users/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('json');
  });

  it.each(['example.com:443', 'api.x.com.evil.test:443', 'api.x.com:80', '127.0.0.1:443'])(
    'refuses CONNECT %s with a 403 naming the rule',
    async (target) => {
      const answer = await rawProxy(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 403 /);
      expect(answer).toContain("tunnels only X's host names");
      expect(answer).toContain(`CONNECT ${target}`);
    },
  );

  it('never dials a refused host: a decoy listener on loopback sees no connection', async () => {
    let dialled = 0;
    const decoy = createNetServer((socket) => {
      dialled += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => decoy.listen(0, '127.0.0.1', resolve));
    const { port } = decoy.address() as AddressInfo;
    try {
      for (const target of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        const answer = await rawProxy(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
        expect(answer).toMatch(/^HTTP\/1\.1 403 /);
      }
      const plain = await rawProxy(
        `GET http://127.0.0.1:${port}/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
      );
      expect(plain).toMatch(/^HTTP\/1\.1 403 /);
      expect(dialled).toBe(0);
    } finally {
      await new Promise<void>((resolve) => decoy.close(() => resolve()));
    }
  });

  it('refuses plain-HTTP absolute-form requests, to X hosts or others', async () => {
    for (const target of ['http://example.com/', 'http://api.x.com/2/users/me']) {
      const status = await new Promise<number>((resolve, reject) => {
        const proxy = new URL(x.proxyUrl as string);
        const outgoing = httpRequest(
          {
            host: proxy.hostname,
            port: proxy.port,
            path: target,
            headers: { host: new URL(target).host },
          },
          (incoming) => {
            incoming.resume();
            resolve(incoming.statusCode ?? 0);
          },
        );
        outgoing.on('error', reject);
        outgoing.end();
      });
      expect(status).toBe(403);
    }
    // Nothing reached the emulator: the refusals happened in the proxy, which connects nowhere else.
    expect(x.requestLog().some((entry) => entry.path === '/')).toBe(false);
  });
});

describe('OAuth 1.0a base string', () => {
  it('is built from https://api.x.com/… when the client addresses api.x.com', async () => {
    const send = proxiedFetch(x);
    const token = x.issueOAuth1Token(x.app.id, x.users[0]?.id as string);
    const consumer = { key: x.app.consumerKey, secret: x.app.consumerSecret };
    const sign = (url: string) =>
      signRequest({
        method: 'GET',
        url,
        consumer,
        token,
        timestamp: Math.floor(x.now() / 1000),
      });
    const path = '/1.1/account/verify_credentials.json';
    const good = await sign(`https://api.x.com${path}`);
    const ok = await send(`https://api.x.com${path}`, {
      headers: { authorization: good.authorization },
    });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { screen_name: string }).screen_name).toBe(x.users[0]?.screenName);
    // Signed for the plain loopback URL but sent to https://api.x.com: the base strings differ.
    const wrong = await sign(`http://127.0.0.1:${x.port}${path}`);
    const refused = await send(`https://api.x.com${path}`, {
      headers: { authorization: wrong.authorization },
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ errors: [{ code: 32 }] });
  });

  it('stays http://127.0.0.1:port/… on a plain loopback emulator', async () => {
    const plain = await startEmulator();
    try {
      const token = plain.issueOAuth1Token(plain.app.id, plain.users[0]?.id as string);
      const url = `${plain.url}/1.1/account/verify_credentials.json`;
      const signed = await signRequest({
        method: 'GET',
        url,
        consumer: { key: plain.app.consumerKey, secret: plain.app.consumerSecret },
        token,
        timestamp: Math.floor(plain.now() / 1000),
      });
      const response = await fetch(url, { headers: { authorization: signed.authorization } });
      expect(response.status).toBe(200);
    } finally {
      await plain.close();
    }
  });
});

describe('README: curl through the proxy', () => {
  it('gets an app-only bearer token from https://api.x.com with --proxy and --cacert', async () => {
    const { stdout } = await run('curl', [
      '--silent',
      '--proxy',
      x.proxyUrl as string,
      '--cacert',
      x.caCertPath as string,
      '--user',
      `${x.app.consumerKey}:${x.app.consumerSecret}`,
      '--data',
      'grant_type=client_credentials',
      'https://api.x.com/oauth2/token',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ token_type: 'bearer' });
  });
});
