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
  // Inside the package, so the import resolves to the package's own build by its name.
  const script = new URL('../.quick-start.test-run.mjs', import.meta.url);
  await writeFile(script, quickStart as string);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(script)], {
      cwd: packageDir,
    });
    expect(stdout.split('\n')[0]).toBe('hCtSmYh+iHYCEqBWrE7C7hYmtUk=');
    expect(stdout).toContain('OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog"');
  } finally {
    await rm(script, { force: true });
  }
});
