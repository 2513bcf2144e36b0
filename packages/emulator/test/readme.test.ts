import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('runs the README quick start as written against the built package', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const quickStart = readme.split('## Quick start')[1]?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (quickStart === undefined) throw new Error('README quick start is missing');
  // Inside the package, so `@x-oauth/emulator` resolves to the package's own build by its name.
  const script = new URL('../.quick-start.test-run.mjs', import.meta.url);
  await writeFile(script, quickStart);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(script)], {
      cwd: packageDir,
    });
    const [searchLine = ''] = stdout.split('\n');
    expect(searchLine).toMatch(/^200 \d+ /);
    expect(stdout).toContain("username: 'alice'");
  } finally {
    await rm(script, { force: true });
  }
}, 20_000);
