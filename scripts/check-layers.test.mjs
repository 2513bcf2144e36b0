import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const script = new URL('./check-layers.mjs', import.meta.url).pathname;
const layers = ['oauth1-signature', 'bearer', 'pkce', 'token-store', 'client'];
let workspace;

async function makeWorkspace(packages, config = { layers }) {
  workspace = await mkdtemp(join(tmpdir(), 'layers-'));
  await writeFile(join(workspace, 'package.json'), JSON.stringify({ 'x-oauth': config }));
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

  describe('the bundled package of shared code', () => {
    const config = { layers: ['internal', ...layers], bundled: ['internal'] };
    const internal = {
      manifest: { name: '@x-oauth/internal', private: true },
      source: 'export const x = 1;\n',
    };

    it('may be imported by any layer that lists it as a dev dependency', async () => {
      await makeWorkspace(
        {
          internal,
          'oauth1-signature': {
            manifest: {
              name: '@x-oauth/oauth1-signature',
              devDependencies: { '@x-oauth/internal': 'workspace:*' },
            },
            source: "import { x } from '@x-oauth/internal';\n",
          },
        },
        config,
      );
      expect(await check()).toMatchObject({ code: 0 });
    });

    it('refuses it as a runtime dependency of a published package, or unlisted', async () => {
      await makeWorkspace(
        {
          internal,
          bearer: {
            manifest: {
              name: '@x-oauth/bearer',
              dependencies: { '@x-oauth/internal': 'workspace:*' },
            },
          },
          pkce: {
            manifest: { name: '@x-oauth/pkce' },
            source: "import { x } from '@x-oauth/internal';\n",
          },
        },
        config,
      );
      const result = await check();
      expect(result.code).toBe(1);
      expect(result.output).toContain(
        '@x-oauth/bearer depends at runtime on @x-oauth/internal, which is never published',
      );
      expect(result.output).toContain(
        "imports @x-oauth/internal, which is not in @x-oauth/pkce's devDependencies",
      );
    });

    it('must be private, first in the layers, and may use no other package', async () => {
      await makeWorkspace(
        {
          internal: {
            manifest: {
              name: '@x-oauth/internal',
              dependencies: { '@x-oauth/oauth1-signature': 'workspace:^' },
            },
            source: "import { signRequest } from '@x-oauth/oauth1-signature';\n",
          },
        },
        { layers: ['oauth1-signature', 'internal'], bundled: ['internal'] },
      );
      const result = await check();
      expect(result.code).toBe(1);
      expect(result.output).toContain(
        '@x-oauth/internal is bundled into the other packages and must never be published',
      );
      expect(result.output).toContain('must be the first of "x-oauth".layers');

      await rm(workspace, { recursive: true, force: true });
      await makeWorkspace(
        {
          internal: {
            manifest: {
              name: '@x-oauth/internal',
              private: true,
              dependencies: { '@x-oauth/bearer': 'workspace:^' },
            },
            source: "import { x } from '@x-oauth/bearer';\n",
          },
        },
        config,
      );
      const second = await check();
      expect(second.code).toBe(1);
      expect(second.output).toContain(
        '@x-oauth/internal depends on @x-oauth/bearer, which is not below it',
      );
      expect(second.output).toContain('@x-oauth/internal may import only no other package');
    });
  });
});
