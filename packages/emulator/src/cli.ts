#!/usr/bin/env node
// `x-oauth-emulator` (and `pnpm emulator`): starts the emulator on a fixed loopback port and
// prints what a developer pastes into a client's config.
import { parseArgs } from 'node:util';
import { startEmulator } from './start-emulator.js';
import type { Emulator } from './types.js';

/** The CLI's default port: fixed, so client configs and callback URLs can be written once. */
export const DEFAULT_CLI_PORT = 8976;

/** The CLI's default proxy port, next to the emulator's. */
export const DEFAULT_CLI_PROXY_PORT = 8977;

const USAGE = `Usage: x-oauth-emulator [--port 8976] [--host 127.0.0.1] [--seed x-oauth] [--state file.json] [--control] [--tls] [--proxy] [--proxy-port 8977] [--ca-dir dir]

  --port     TCP port (default ${DEFAULT_CLI_PORT})
  --host     loopback interface to listen on (default 127.0.0.1)
  --seed     seed of the deterministic app credentials (default x-oauth)
  --state    JSON file that keeps apps, users and tokens across restarts
  --control  enable the HTTP control routes under /__emulator/
  --tls      serve HTTPS with a certificate for api.x.com, x.com, twitter.com, ... and the
             loopback names, signed by a local CA (created on first use; path printed)
  --proxy    also run an HTTP CONNECT proxy that tunnels X's host names to the emulator and
             refuses every other host (implies --tls)
  --proxy-port  the proxy's port (default ${DEFAULT_CLI_PROXY_PORT})
  --ca-dir   directory of the local CA (default ~/.x-oauth-emulator)
`;

function describe(emulator: Emulator): string {
  const { app, publicApp } = emulator;
  const lines = [
    `x-oauth emulator listening on ${emulator.url}`,
    ...(emulator.caCertPath === undefined
      ? []
      : [`CA certificate (trust it in your client, never system-wide): ${emulator.caCertPath}`]),
    ...(emulator.proxyUrl === undefined
      ? []
      : [`Forward proxy for X's host names (HTTPS_PROXY):              ${emulator.proxyUrl}`]),
    '',
    `App "${app.name}" (id ${app.id}, ${app.permission})`,
    `  consumer key (API Key):          ${app.consumerKey}`,
    `  consumer secret (API Secret):    ${app.consumerSecret}`,
    `  OAuth 2.0 client id:             ${app.clientId}`,
    `  OAuth 2.0 client secret:         ${app.clientSecret ?? ''}`,
    `Public OAuth 2.0 client "${publicApp.name}"`,
    `  client id:                       ${publicApp.clientId}`,
    `  consumer key / secret:           ${publicApp.consumerKey} / ${publicApp.consumerSecret}`,
    'Callback URLs (plus oob for the PIN flow):',
    ...app.callbackUrls.map((url) => `  ${url}`),
    'Users:',
    ...emulator.users.map((user) => `  @${user.screenName} (id ${user.id})`),
    '',
    'These are test credentials of a local emulator; never use them against the real X.',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      state: { type: 'string' },
      control: { type: 'boolean' },
      tls: { type: 'boolean' },
      proxy: { type: 'boolean' },
      'proxy-port': { type: 'string' },
      'ca-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    process.stdout.write(USAGE);
    return;
  }
  const port = values.port === undefined ? DEFAULT_CLI_PORT : Number(values.port);
  const emulator = await startEmulator({
    port,
    ...(values.host === undefined ? {} : { host: values.host }),
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values.state === undefined ? {} : { statePath: values.state }),
    control: values.control === true,
    ...(values.tls === true || values.proxy === true || values['ca-dir'] !== undefined
      ? { tls: values['ca-dir'] === undefined ? true : { caDir: values['ca-dir'] } }
      : {}),
    ...(values.proxy === true
      ? {
          proxy: true,
          proxyPort:
            values['proxy-port'] === undefined
              ? DEFAULT_CLI_PROXY_PORT
              : Number(values['proxy-port']),
        }
      : {}),
  });
  // Ctrl-C reaches the whole process group, and `pnpm emulator` forwards it again: a second
  // signal while stopping must not kill the process by default (which pnpm reports as a
  // failure, ELIFECYCLE), so the handlers stay and later signals are ignored.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Printed once the handlers are in place: whoever waits for this line may Ctrl-C at once.
  process.stdout.write(`${describe(emulator)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `x-oauth-emulator: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`,
  );
  process.exit(1);
});
