// `npm run demo` (dist/start.js) as a child process: a busy port is named, with the way to pick
// another, instead of a bare EADDRINUSE.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_DIR, ensureStartBuilt } from './cli-process.js';

let squatter: Server;
let port: number;
let dataDir: string;

beforeAll(async () => {
  ensureStartBuilt();
  squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  const address = squatter.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
  dataDir = mkdtempSync(join(tmpdir(), 'x-oauth-start-'));
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => squatter?.close(() => resolve()));
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('names a busy port and says how to choose another, then exits', async () => {
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        execFile(
          process.execPath,
          [join(APP_DIR, 'dist', 'start.js'), '--data-dir', dataDir],
          { cwd: dataDir, env: { PATH: process.env.PATH, PORT: String(port) }, timeout: 30_000 },
          (error, stdout, stderr) =>
            resolve({
              code: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
              stdout,
              stderr,
            }),
        );
      },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(run.stderr).toContain('PORT=4000 npm run demo');
    expect(run.stderr).not.toMatch(/^demo: .*EADDRINUSE/m);
  }, 40_000);
});
