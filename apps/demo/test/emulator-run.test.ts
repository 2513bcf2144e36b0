// Running the emulator as a new user does, in child processes: `pnpm emulator` stops on Ctrl-C
// without pnpm's ELIFECYCLE, and the `x-oauth-emulator` bin is a committed file (so a fresh
// install links it without "Failed to create bin" warnings, before anything is built) that
// runs the built CLI.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIR } from './cli-process.js';

const ROOT = join(APP_DIR, '..', '..');
const EMULATOR_DIR = join(ROOT, 'packages', 'emulator');

/** Starts `command` in its own process group; resolves once it prints "listening on". */
function start(
  command: string,
  args: string[],
): {
  child: ChildProcess;
  output: () => string;
  listening: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const child = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let onListening: (() => void) | undefined;
  const listening = new Promise<void>((resolve) => {
    onListening = resolve;
  });
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
    if (output.includes('listening on')) onListening?.();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, listening, exited };
}

/** Ctrl-C: SIGINT to the whole process group, as a terminal sends it. */
function controlC(child: ChildProcess): void {
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
}

describe('Running the emulator', { timeout: 90_000 }, () => {
  it('`pnpm emulator` stops cleanly on Ctrl-C: exit 0, no ELIFECYCLE', async () => {
    const run = start('pnpm', ['emulator', '--port', '0']);
    try {
      await run.listening;
    } catch (error) {
      controlC(run.child);
      throw error;
    }
    controlC(run.child);
    const { code } = await run.exited;
    expect(run.output()).toMatch(/x-oauth emulator listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(run.output()).not.toContain('ELIFECYCLE');
    expect(run.output()).not.toContain('ERR_PNPM');
    expect(code).toBe(0);
  });

  it('the bin is a committed file outside dist, published, that runs the built CLI', async () => {
    const manifest = JSON.parse(readFileSync(join(EMULATOR_DIR, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      files: string[];
    };
    const bin = manifest.bin['x-oauth-emulator'] ?? '';
    expect(bin).toBe('./bin/x-oauth-emulator.js');
    expect(manifest.files).toContain('bin');
    const path = join(EMULATOR_DIR, bin);
    expect(statSync(path).mode & 0o111).not.toBe(0);
    expect(readFileSync(path, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);

    const run = start(process.execPath, [path, '--port', '0']);
    await run.listening;
    controlC(run.child);
    const { code } = await run.exited;
    expect(code).toBe(0);
  });
});
