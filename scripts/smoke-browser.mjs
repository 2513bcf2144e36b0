// The browser and edge runtimes of the smoke tests: Chromium (headless, /usr/bin/chromium,
// driven by playwright-core) and workerd (Cloudflare's runtime, from the `workerd` package).
// Both get the installed tarballs bundled by esbuild, as a user's bundler (or wrangler) would,
// with the runtime's export conditions. Chromium runs the ESM program as written (top-level
// await and all); workerd allows no I/O at module scope, so there the program runs as the body
// of the fetch handler. Programs that need a server reach a local emulator through a loopback
// server that also serves the page (X's API sends no CORS headers, so a real page needs the same).
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { build } from 'esbuild';
import { toFunctionModule } from './smoke-quick-start.mjs';

const CHROMIUM = '/usr/bin/chromium';
const workerdBin = (root) =>
  join(root, '.x-oauth/runtimes/workerd/node_modules/workerd/bin/workerd');

export const browserRuntimes = {
  workerd: { label: 'workerd', browser: true },
  chromium: { label: 'Chromium', browser: true },
};

/**
 * Starts a loopback server that serves `files` by path and passes every other request to
 * `upstream` (the emulator), so a page on it reaches the emulator from its own origin.
 */
async function startSite(files, upstream) {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url, 'http://x').pathname];
    if (file) {
      res.writeHead(200, { 'content-type': file.type }).end(file.body);
      return;
    }
    if (!upstream) {
      res.writeHead(404).end();
      return;
    }
    const target = new URL(req.url, upstream);
    const proxied = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    proxied.on('error', () => res.writeHead(502).end());
    req.pipe(proxied);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((r) => server.close(r)),
  };
}

async function bundle(dir, entry, conditions, format) {
  const result = await build({
    entryPoints: [join(dir, entry)],
    absWorkingDir: dir,
    bundle: true,
    write: false,
    format,
    platform: 'neutral',
    mainFields: ['browser', 'module', 'main'],
    conditions,
    target: 'es2022',
    logLevel: 'silent',
    // The CommonJS programs set process.exitCode on failure; browsers have no `process`.
    define: { 'process.exitCode': 'globalThis.__smokeExitCode' },
  });
  return result.outputFiles[0].text;
}

/**
 * Runs the package's browser program (`program.code`, its quick start or a documented
 * browser snippet) in Chromium or workerd; resolves to { code, stdout, stderr } like a process.
 * `context` holds the emulator (url and app) when the program needs one.
 */
export async function runInBrowserRuntime(runtime, { root, dir, format, program, context }) {
  const globals = `globalThis.SMOKE = ${JSON.stringify(context ?? {})};\n`;
  if (runtime === 'chromium') return runChromium(dir, format, program, context, globals);
  return runWorkerd(root, dir, format, program, context);
}

async function runChromium(dir, format, program, context, globals) {
  const { chromium } = await import('playwright-core');
  const source = format === 'esm' ? 'browser-program.mjs' : 'browser-program.cjs';
  await writeFile(join(dir, source), program[format]);
  const js = await bundle(dir, source, ['browser'], format === 'esm' ? 'esm' : 'iife');
  const site = await startSite(
    {
      '/': {
        type: 'text/html',
        body: `<!doctype html><script>${globals}globalThis.SMOKE.baseUrl = location.origin;</script><script ${format === 'esm' ? 'type="module" ' : ''}src="/program.js"></script>`,
      },
      '/program.js': { type: 'text/javascript', body: js },
      '/favicon.ico': { type: 'image/x-icon', body: '' },
    },
    context?.emulatorUrl,
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  let stdout = '';
  let stderr = '';
  try {
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') stderr += `${message.text()}\n`;
      else stdout += `${message.text()}\n`;
    });
    page.on('pageerror', (error) => {
      stderr += `${error.stack ?? error}\n`;
    });
    await page.goto(site.url);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && stderr === '' && !program.done(stdout)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    return { code: stderr === '' && program.done(stdout) ? 0 : 1, stdout, stderr };
  } finally {
    await browser.close();
    await site.close();
  }
}

async function runWorkerd(root, dir, format, program, context) {
  // The worker reaches the emulator through a loopback server, which workerd allows only when
  // its network service says so (below).
  const site = await startSite({}, context?.emulatorUrl);
  try {
    return await serveWorker(root, dir, format, program, context, site);
  } finally {
    await site.close();
  }
}

async function serveWorker(root, dir, format, program, context, site) {
  const globals = `globalThis.SMOKE = ${JSON.stringify({ ...context, baseUrl: site.url })};\n`;
  const source = format === 'esm' ? 'worker-program.mjs' : 'worker-program.cjs';
  await writeFile(join(dir, source), toFunctionModule(program[format], format));
  const entry = `${globals}import * as program from './${source}';
const main = program.main ?? program.default.main;
export default {
  async fetch() {
    const lines = [];
    const log = console.log;
    console.log = (...values) => lines.push(values.map(String).join(' '));
    try {
      await main();
      return new Response(lines.join('\\n'));
    } catch (error) {
      return new Response(lines.join('\\n') + '\\n' + (error?.stack ?? String(error)), { status: 500 });
    } finally {
      console.log = log;
    }
  },
};
`;
  await writeFile(join(dir, 'worker-entry.mjs'), entry);
  const js = await bundle(dir, 'worker-entry.mjs', ['workerd', 'worker', 'browser'], 'esm');
  await writeFile(join(dir, 'worker.js'), js);
  const port = await new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address();
      probe.close(() => resolve(p));
    });
  });
  await writeFile(
    join(dir, 'workerd.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  globalOutbound = "loopback",
);
`,
  );
  const child = spawn(workerdBin(root), ['serve', 'workerd.capnp'], { cwd: dir });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/`);
        const stdout = `${await response.text()}\n`;
        const ok = response.status === 200 && program.done(stdout);
        return { code: ok ? 0 : 1, stdout, stderr };
      } catch (error) {
        if (Date.now() > deadline || child.exitCode !== null) {
          return { code: 1, stdout: '', stderr: `${stderr}\n${error.message}` };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
}
