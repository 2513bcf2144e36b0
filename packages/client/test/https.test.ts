// The default transport over real TLS on loopback, with a throwaway self-signed certificate
// for "localhost" made by openssl: an untrusted certificate is refused, and with the
// certificate trusted (NODE_EXTRA_CA_CERTS, read at start-up, so in a child process running
// the built package) the request goes through, while a host name the certificate does not
// name is refused.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appOnlyAuth, XApiError, XApiErrorCode, XClient } from '../src/index.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

let directory: string;
let server: Server;
let port: number;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'x-oauth-https-'));
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost',
    '-keyout',
    join(directory, 'key.pem'),
    '-out',
    join(directory, 'cert.pem'),
  ]);
  server = createServer(
    {
      key: await readFile(join(directory, 'key.pem')),
      cert: await readFile(join(directory, 'cert.pem')),
    },
    (request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ data: { path: request.url, tls: true } }));
    },
  );
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await rm(directory, { recursive: true, force: true });
});

it('refuses a certificate nobody trusts, as a network error with its code', async () => {
  const client = new XClient({
    auth: appOnlyAuth({ bearerToken: 'AAAA' }),
    baseUrl: `https://localhost:${port}`,
    retries: 0,
  });
  const failure = await client.get('/2/users/me').catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(XApiError);
  expect((failure as XApiError).code).toBe(XApiErrorCode.NetworkError);
  expect((failure as XApiError).causeCode).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
});

it('sends over TLS once the certificate is trusted, and checks the host name (built package)', async () => {
  const script = `
import { appOnlyAuth, XClient } from '@x-oauth/client';
const auth = appOnlyAuth({ bearerToken: 'AAAA' });
const named = new XClient({ auth, baseUrl: 'https://localhost:${port}', retries: 0 });
const data = await named.get('/2/users/me', { query: { a: 'b' } });
const unnamed = new XClient({ auth, baseUrl: 'https://127.0.0.1:${port}', retries: 0 });
const failure = await unnamed.get('/2/users/me').catch((error) => error);
console.log(JSON.stringify({ data, code: failure.code, causeCode: failure.causeCode }));
`;
  const file = new URL('../.https.test-run.mjs', import.meta.url);
  await writeFile(file, script);
  try {
    const { stdout } = await run(process.execPath, [fileURLToPath(file)], {
      cwd: packageDir,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: join(directory, 'cert.pem') },
    });
    expect(JSON.parse(stdout)).toEqual({
      data: { data: { path: '/2/users/me?a=b', tls: true } },
      code: XApiErrorCode.NetworkError,
      causeCode: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  } finally {
    await rm(file, { force: true });
  }
});
