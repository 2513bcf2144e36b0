#!/usr/bin/env node
// `pnpm demo`: starts the X emulator on loopback (unless the environment names a real X app)
// and the web demo on 127.0.0.1:3000 (or PORT), prints where to go and who to sign in as,
// and stops on Ctrl-C.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { type DemoConfig, demoConfig } from './config.js';
import { ensureDataDir } from './key-file.js';
import { maskToken } from './mask.js';
import { openDemoStore } from './store.js';
import { startWebServer } from './web/server.js';

const USAGE = `Usage: pnpm demo [--store <url>] [--data-dir <dir>]

  --store <url>      sqlite:<path> (default: <data-dir>/tokens.sqlite), postgres://… or redis://…
  --data-dir <dir>   where the SQLite file, the key file and the emulator's state live (default .x-oauth)

Environment: PORT (default 3000); X_OAUTH_DEMO_KEY (base64, 32 bytes); for the real X:
X_API_KEY, X_API_SECRET, X_CLIENT_ID, X_CLIENT_SECRET (confidential clients), X_CALLBACK_URL.
`;

// Any of these means "not the in-process emulator" (see demoConfig).
const EXTERNAL_TARGET_VARIABLES = [
  'X_OAUTH_EMULATOR_URL',
  'X_API_KEY',
  'X_API_SECRET',
  'X_CLIENT_ID',
  'X_CLIENT_SECRET',
  'X_CALLBACK_URL',
];

function print(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number (0-65535), not "${value}".`);
  }
  return port;
}

// The emulator's seeded credentials for `x-oauth` in another terminal, in a 0600 file rather
// than on screen (they are only the emulator's, but secrets are never printed).
function writeEmulatorEnv(dataDir: string, emulator: Emulator): string {
  const { app } = emulator;
  const path = join(dataDir, 'emulator.env');
  const lines = [
    `X_OAUTH_EMULATOR_URL=${emulator.url}`,
    `X_API_KEY=${app.consumerKey}`,
    `X_API_SECRET=${app.consumerSecret}`,
    `X_CLIENT_ID=${app.clientId}`,
    ...(app.clientSecret === undefined ? [] : [`X_CLIENT_SECRET=${app.clientSecret}`]),
  ];
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
  return path;
}

function printTarget(
  config: DemoConfig,
  emulator: Emulator | undefined,
  envFile: string | undefined,
): void {
  if (emulator === undefined) {
    print(`Target: ${config.mode === 'x' ? 'the real X' : 'an emulator'} at ${config.apiBaseUrl}`);
    print(`  API key     ${config.consumer.key}`);
    print(`  API secret  ${maskToken(config.consumer.secret)}`);
    print(`  Client id   ${config.oauth2Client.clientId}`);
    return;
  }
  const { app } = emulator;
  print(`X emulator: ${emulator.url} (seeded app "${app.name}")`);
  print(`  API key (consumer key)  ${app.consumerKey}`);
  print(`  API key secret          ${maskToken(app.consumerSecret)}`);
  print(`  OAuth 2.0 client id     ${app.clientId}`);
  print(
    `  OAuth 2.0 client secret ${app.clientSecret === undefined ? 'none' : maskToken(app.clientSecret)}`,
  );
  if (envFile !== undefined)
    print(`  All of them, for the x-oauth CLI: set -a; . ${envFile}; set +a`);
  print('  Sign in as any of (the consent page has a picker):');
  for (const user of emulator.users)
    print(`    @${user.screenName}  ${user.name}  (id ${user.id})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      store: { type: 'string' },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const env = process.env;
  const port = parsePort(env.PORT);
  const dataDir = resolve(values['data-dir'] ?? '.x-oauth');
  ensureDataDir(dataDir);

  const external = EXTERNAL_TARGET_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
  const emulator = external
    ? undefined
    : await startEmulator({ port: 0, statePath: join(dataDir, 'emulator-state.json') });
  const closers: (() => Promise<void>)[] = [];
  if (emulator !== undefined) closers.push(() => emulator.close());
  try {
    const config = emulator === undefined ? demoConfig(env) : demoConfig(env, emulator);
    const { store, description } = await openDemoStore({
      store: values.store,
      dataDir,
      env,
      log: (line) => print(`warning: ${line}`),
    });
    closers.unshift(() => store.close());
    const web = await startWebServer({ config, store, port });
    closers.unshift(() => web.close());
    if (emulator !== undefined) {
      // The seeded callbacks name port 3000; any other port is registered here.
      emulator.addCallbackUrl(emulator.app.id, `${web.url}/callback`);
      emulator.addCallbackUrl(emulator.app.id, `${web.url}/oauth2/callback`);
    }
    const envFile = emulator === undefined ? undefined : writeEmulatorEnv(dataDir, emulator);

    print();
    print(`x-oauth demo: ${web.url}`);
    print();
    printTarget(config, emulator, envFile);
    print(`Tokens: ${description}`);
    print('Stop with Ctrl-C.');
  } catch (error) {
    await closeAll(closers);
    throw error;
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    print(`\n${signal}: stopping.`);
    closeAll(closers).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function closeAll(closers: readonly (() => Promise<void>)[]): Promise<void> {
  for (const close of closers) await close().catch(() => undefined);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
