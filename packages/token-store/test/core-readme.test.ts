import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('runs the README quick start as written against the built package', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const quickStart = readme.split('## Quick start')[1]?.match(/```js\n([\s\S]*?)```/)?.[1];
  expect(quickStart).toBeDefined();
  // Inside the package, so `@x-oauth/token-store` resolves to the package's own build by name.
  const script = new URL('../.quick-start.core-readme.test-run.mjs', import.meta.url);
  await writeFile(script, quickStart as string);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(script)], {
      cwd: packageDir,
      env: { PATH: process.env.PATH ?? '' },
    });
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('true');
    expect(lines[1]).toMatch(
      /^1 active \{"accessToken":"\[redacted\]","refreshToken":"\[redacted\]","expiresAt":"[^"]+","scopes":\["tweet\.read","users\.read","offline\.access"\],"tokenType":"bearer"\}$/,
    );
    expect(stdout).not.toContain('access-token-from-x');
  } finally {
    await rm(script, { force: true });
  }
});
