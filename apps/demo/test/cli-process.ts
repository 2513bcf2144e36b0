// Runs the built CLI (`dist/cli.js`) as a child process, the way a user runs `x-oauth`. The
// bundle is rebuilt (CLI entry only, with tsup) when a source file is newer than it.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_PATH = join(APP_DIR, 'dist', 'cli.js');

function newestSource(directory: string): number {
  let newest = 0;
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'web') newest = Math.max(newest, newestSource(path));
    } else if (entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/** Builds `dist/cli.js` unless it is newer than every CLI source file. */
export function ensureCliBuilt(): void {
  let built = 0;
  try {
    built = statSync(CLI_PATH).mtimeMs;
  } catch {
    built = 0;
  }
  if (built > newestSource(join(APP_DIR, 'src'))) return;
  execFileSync(
    'pnpm',
    [
      'exec',
      'tsup',
      '--no-config',
      'src/cli.ts',
      '--format',
      'esm',
      '--target',
      'es2022',
      '--sourcemap',
      '--out-dir',
      'dist',
    ],
    { cwd: APP_DIR, stdio: 'pipe' },
  );
}

/** What a finished run printed. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A running CLI whose output can be waited on and whose stdin can be typed into. */
export interface CliSession {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the first match of `pattern` in stdout (waiting for more output). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  type(text: string): void;
  readonly done: Promise<CliRun>;
}

/** Starts `node dist/cli.js ...args` in `cwd` with exactly `env` (plus PATH). */
export function startCli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): CliSession {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (status) => {
      for (const listener of listeners) listener();
      resolve({ status, stdout, stderr });
    });
  });
  return {
    child,
    done,
    type: (text) => child.stdin.write(text),
    waitForStdout: (pattern, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = stdout.match(pattern);
          if (match !== null) {
            cleanup();
            resolve(match);
          } else if (child.exitCode !== null) {
            cleanup();
            reject(new Error(`The CLI exited without printing ${pattern}:\n${stdout}\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out waiting for ${pattern}:\n${stdout}\n${stderr}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Runs the CLI to completion with stdin closed. */
export async function runCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<CliRun> {
  const session = startCli(args, cwd, env);
  session.child.stdin.end();
  return session.done;
}

/** Builds `dist/start.js` (the `npm run demo` entry) from the current sources. */
export function ensureStartBuilt(): void {
  execFileSync(
    'pnpm',
    [
      'exec',
      'tsup',
      '--no-config',
      'src/start.ts',
      '--format',
      'esm',
      '--target',
      'es2022',
      '--sourcemap',
      '--out-dir',
      'dist',
    ],
    { cwd: APP_DIR, stdio: 'pipe' },
  );
}
