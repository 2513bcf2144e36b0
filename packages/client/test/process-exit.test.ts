import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// Requests with the default 30 s timeout, in flight together, then nothing: the process must
// end on its own, so no timeout timer may outlive its requests. A leftover timer would hold
// the child for 30 s, past this test's time limit.
const script = `
import { startEmulator } from '@x-oauth/emulator';
import { appOnlyAuth, XClient } from '@x-oauth/client';

const x = await startEmulator({ port: 0 });
const client = new XClient({
  auth: appOnlyAuth({ consumer: { key: x.app.consumerKey, secret: x.app.consumerSecret } }),
  baseUrl: x.url,
});
const answers = await Promise.all(
  Array.from({ length: 10 }, () => client.get('/2/tweets/search/recent', { query: { query: 'emulator' } })),
);
await x.close();
console.log(answers.length);
`;

it('lets the process exit once requests are done (the built package, against the emulator)', async () => {
  // Inside the package, so `@x-oauth/client` resolves to the package's own build by its name.
  const file = new URL('../.process-exit.test-run.mjs', import.meta.url);
  await writeFile(file, script);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(file)], {
      cwd: packageDir,
    });
    expect(stdout).toBe('10\n');
  } finally {
    await rm(file, { force: true });
  }
});
