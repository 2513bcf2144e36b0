import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

it('runs the README quick start as written against the built package and the emulator', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split('## Quick start')[1] ?? '';
  const quickStart = section.match(/```js\n([\s\S]*?)```/)?.[1];
  const expected = section.match(/```text\n([\s\S]*?)```/)?.[1];
  expect(quickStart).toBeDefined();
  expect(expected).toBeDefined();
  // Inside the package, so `@x-oauth/client` resolves to the package's own build by its name.
  const script = new URL('../.quick-start.test-run.mjs', import.meta.url);
  await writeFile(script, quickStart as string);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(script)], {
      cwd: packageDir,
    });
    expect(stdout).toBe(expected);
  } finally {
    await rm(script, { force: true });
  }
});
