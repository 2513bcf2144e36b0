import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const script = new URL('./check-layers.mjs', import.meta.url).pathname;
const layers = ['oauth1-signature', 'bearer', 'pkce', 'token-store', 'client'];
let workspace;

async function makeWorkspace(packages) {
  workspace = await mkdtemp(join(tmpdir(), 'layers-'));
  await writeFile(join(workspace, 'package.json'), JSON.stringify({ 'x-oauth': { layers } }));
  for (const [dir, { manifest, source }] of Object.entries(packages)) {
    await mkdir(join(workspace, 'packages', dir, 'src'), { recursive: true });
    await writeFile(join(workspace, 'packages', dir, 'package.json'), JSON.stringify(manifest));
    if (source) await writeFile(join(workspace, 'packages', dir, 'src', 'index.ts'), source);
  }
}

async function check() {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script, workspace]);
    return { code: 0, output: stdout };
  } catch (error) {
    return { code: error.code, output: error.stderr };
  }
}

afterEach(async () => {
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

describe('check-layers', () => {
  it('accepts dependencies on lower layers and test-only use of tools', async () => {
    await makeWorkspace({
      bearer: {
        manifest: {
          name: '@x-oauth/bearer',
          dependencies: { '@x-oauth/oauth1-signature': 'workspace:^' },
          devDependencies: { '@x-oauth/emulator': 'workspace:*' },
        },
        source: "import { signRequest } from '@x-oauth/oauth1-signature';\n",
      },
      emulator: { manifest: { name: '@x-oauth/emulator', 'x-oauth': { tool: true } } },
    });
    expect(await check()).toMatchObject({ code: 0 });
  });

  it('refuses a dependency on the same or a higher layer', async () => {
    await makeWorkspace({
      bearer: {
        manifest: { name: '@x-oauth/bearer', dependencies: { '@x-oauth/pkce': 'workspace:^' } },
      },
    });
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      '@x-oauth/bearer depends on @x-oauth/pkce, which is not below it',
    );
  });

  it('refuses an import in src that is not a lower layer in the dependencies', async () => {
    await makeWorkspace({
      pkce: {
        manifest: { name: '@x-oauth/pkce', dependencies: {} },
        source: "export { x } from '@x-oauth/bearer';\nimport('@x-oauth/client');\n",
      },
    });
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      "imports @x-oauth/bearer, which is not in @x-oauth/pkce's dependencies",
    );
    expect(result.output).toContain('imports @x-oauth/client');
  });

  it('refuses a runtime dependency of a layer on a tool, and an unlisted package', async () => {
    await makeWorkspace({
      client: {
        manifest: { name: '@x-oauth/client', dependencies: { '@x-oauth/emulator': 'workspace:*' } },
      },
      stray: { manifest: { name: '@x-oauth/stray' } },
    });
    const result = await check();
    expect(result.code).toBe(1);
    expect(result.output).toContain('depends at runtime on @x-oauth/emulator');
    expect(result.output).toContain('@x-oauth/stray is neither in "x-oauth".layers');
  });
});
