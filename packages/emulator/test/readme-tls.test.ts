// Runs the README's "Unmodified clients" commands as written, against an emulator with the
// proxy: HOME points at a fresh directory, so `~/.x-oauth-emulator/ca.pem` is the CA made on
// first use; only the fixed CLI ports (8976, 8977) are swapped for the test's free ports.
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const SEEDED_TWEET = 'Hello from the x-oauth emulator #xoauth';
let home: string;
let x: Emulator;
let blocks: { lang: string; code: string }[];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'emu-readme-home-'));
  x = await startEmulator({ proxy: true, tls: { caDir: join(home, '.x-oauth-emulator') } });
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split("## Unmodified clients: X's host names over HTTPS")[1] ?? '';
  blocks = [...(section.split('\n## ')[0] ?? '').matchAll(/```(\w+)\n([\s\S]*?)```/g)].map(
    (match) => ({
      lang: match[1] as string,
      code: (match[2] as string)
        .replaceAll('127.0.0.1:8977', new URL(x.proxyUrl as string).host)
        .replaceAll('localhost:8976', `localhost:${x.port}`),
    }),
  );
});
afterAll(async () => {
  await x.close();
});

function block(lang: string, contains: string): string {
  const found = blocks.find(
    (candidate) => candidate.lang === lang && candidate.code.includes(contains),
  );
  if (found === undefined) throw new Error(`README has no ${lang} block with ${contains}`);
  return found.code;
}

describe('README: unmodified clients', () => {
  it('prints the CA path and the proxy URL from the CLI flags it documents', () => {
    expect(block('sh', 'x-oauth-emulator')).toContain('--proxy');
    expect(x.caCertPath).toBe(join(home, '.x-oauth-emulator', 'ca.pem'));
  });

  it('curl with --proxy and --cacert', async () => {
    const { stdout } = await run('bash', ['-c', block('sh', 'curl')], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
    });
    expect(JSON.parse(stdout)).toMatchObject({ token_type: 'bearer' });
  });

  it('Python requests + tweepy with HTTPS_PROXY and REQUESTS_CA_BUNDLE', async () => {
    const script = join(home, 'search.py');
    await writeFile(script, block('python', 'tweepy'));
    const { stdout } = await run('/usr/bin/python3', [script], {
      env: {
        PATH: '/usr/bin:/bin',
        HOME: home,
        HTTPS_PROXY: x.proxyUrl as string,
        REQUESTS_CA_BUNDLE: join(home, '.x-oauth-emulator', 'ca.pem'),
      },
    });
    expect(stdout.trim()).toBe(SEEDED_TWEET);
  }, 20_000);

  it('twitter-api-v2 with an https-proxy-agent and NODE_EXTRA_CA_CERTS', async () => {
    // Inside the package, so twitter-api-v2 and https-proxy-agent resolve from its devDependencies.
    const script = join(packageDir, '.readme-twitter-api-v2.test-run.mjs');
    await writeFile(script, block('js', 'twitter-api-v2'));
    try {
      const { stdout } = await run(process.execPath, [script], {
        cwd: packageDir,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: home,
          NODE_EXTRA_CA_CERTS: join(home, '.x-oauth-emulator', 'ca.pem'),
        },
      });
      expect(stdout.trim()).toBe(SEEDED_TWEET);
    } finally {
      await rm(script, { force: true });
    }
  }, 20_000);
});
