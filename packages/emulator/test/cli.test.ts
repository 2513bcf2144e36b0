import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../src/index.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

// The CLI is tested as built: turbo builds before testing (run `pnpm build` first by hand).
describe('x-oauth-emulator CLI', () => {
  it('prints the seeded credentials, serves requests and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [cli, '--port', '0', '--seed', 'cli-test'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('never use them against the real X')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`CLI exited early (${code}): ${output}`)));
    });
    const expected = await startEmulator({ seed: 'cli-test' });
    await expected.close();
    expect(output).toContain(expected.app.consumerKey);
    expect(output).toContain(expected.app.consumerSecret);
    expect(output).toContain(expected.app.clientId);
    expect(output).toContain(expected.publicApp.clientId);
    expect(output).toContain('http://127.0.0.1:8975/callback');
    expect(output).toContain('@alice');
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] as string;
    const response = await fetch(`${url}/2/users/me`);
    expect(response.status).toBe(401);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--proxy prints the CA path and the proxy URL, and the CA exists with a 0600 key', async () => {
    const caDir = join(mkdtempSync(join(tmpdir(), 'emu-cli-ca-')), 'ca');
    const child = spawn(
      process.execPath,
      [cli, '--port', '0', '--proxy', '--proxy-port', '0', '--ca-dir', caDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('never use them against the real X')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`CLI exited early (${code}): ${output}`)));
    });
    try {
      expect(output).toMatch(/listening on https:\/\/127\.0\.0\.1:\d+/);
      expect(output).toContain(
        `CA certificate (trust it in your client, never system-wide): ${join(caDir, 'ca.pem')}`,
      );
      const proxyUrl = /\(HTTPS_PROXY\):\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      expect(proxyUrl).toBeDefined();
      expect(statSync(join(caDir, 'ca-key.pem')).mode & 0o777).toBe(0o600);
      const refused = await fetch(`${proxyUrl}/`, { headers: { host: 'example.com' } });
      expect(refused.status).toBe(403);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a non-loopback host', async () => {
    const child = spawn(process.execPath, [cli, '--host', '0.0.0.0', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(errors).toContain('loopback');
  });
});
