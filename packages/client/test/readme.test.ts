import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

async function runSection(heading: string): Promise<void> {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const section = readme.split(`## ${heading}\n`)[1] ?? '';
  const code = section.match(/```js\n([\s\S]*?)```/)?.[1];
  const expected = section.match(/```text\n([\s\S]*?)```/)?.[1];
  expect(code).toBeDefined();
  expect(expected).toBeDefined();
  // Inside the package, so `@x-oauth/client` resolves to the package's own build by its name.
  const script = new URL('../.readme-section.test-run.mjs', import.meta.url);
  await writeFile(script, code as string);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(script)], {
      cwd: packageDir,
    });
    expect(stdout).toBe(expected);
  } finally {
    await rm(script, { force: true });
  }
}

it('runs the README quick start as written against the built package and the emulator', async () => {
  await runSection('Quick start');
});

it('runs the README telemetry example as written', async () => {
  await runSection('Telemetry');
});
