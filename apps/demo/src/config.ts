// Where the demo points: the emulator (the default, no configuration) or the real X (with the
// credentials of a developer app in the environment).
import type { EmulatorApp } from '@x-oauth/emulator';
import { endpointsFromBaseUrl, type OAuth2Endpoints, X_ENDPOINTS } from '@x-oauth/pkce';

/** Everything the demo needs to know about its target. */
export interface DemoConfig {
  readonly mode: 'emulator' | 'x';
  /** Base of the API (`/2/...`, `/oauth/...`, `/oauth2/token`): the emulator URL or `https://api.x.com`. */
  readonly apiBaseUrl: string;
  /** Where `/oauth/authorize` and `/oauth/authenticate` live: the emulator URL or `https://api.x.com`. */
  readonly oauth1BaseUrl: string;
  /** OAuth 2.0 authorize, token and revoke endpoints. */
  readonly pkceEndpoints: OAuth2Endpoints;
  /** OAuth 1.0a consumer key and secret (X's "API Key" and "API Key Secret"). */
  readonly consumer: { key: string; secret: string };
  /** OAuth 2.0 client; `clientSecret` only for a confidential client. */
  readonly oauth2Client: { clientId: string; clientSecret?: string };
  /** OAuth 1.0a callback URL (`X_CALLBACK_URL`), when configured. */
  readonly callbackUrl?: string;
  /** The token store's app id: the consumer key. */
  readonly appId: string;
}

/** The parts of a running emulator the configuration reads. */
export interface DemoEmulator {
  readonly url: string;
  readonly app: EmulatorApp;
  readonly publicApp: EmulatorApp;
}

/** Thrown when the environment does not describe a usable target; the message names the variable. */
export class DemoConfigError extends Error {
  readonly code = 'DEMO_CONFIG_ERROR';
  /** The environment variable that is missing or wrong. */
  readonly variable: string;

  constructor(variable: string, message: string) {
    super(message);
    this.name = 'DemoConfigError';
    this.variable = variable;
  }
}

const X_API_BASE_URL = 'https://api.x.com';
const CREDENTIAL_VARIABLES = [
  'X_API_KEY',
  'X_API_SECRET',
  'X_CLIENT_ID',
  'X_CLIENT_SECRET',
  'X_CALLBACK_URL',
] as const;

/**
 * The demo's target, from the environment:
 * - `X_OAUTH_EMULATOR_URL` set (and no `emulator` given): an emulator started elsewhere (by
 *   `pnpm demo`), with its seeded credentials in `X_API_KEY`, `X_API_SECRET`, `X_CLIENT_ID`,
 *   `X_CLIENT_SECRET`;
 * - else any of `X_API_KEY`, `X_API_SECRET`, `X_CLIENT_ID`, `X_CLIENT_SECRET`, `X_CALLBACK_URL`
 *   set: the real X (api.x.com, x.com), `X_API_KEY`, `X_API_SECRET` and `X_CLIENT_ID` required;
 * - else the given in-process emulator's seeded confidential app.
 * @throws {DemoConfigError} naming the variable that is missing or malformed.
 */
export function demoConfig(env: NodeJS.ProcessEnv, emulator?: DemoEmulator): DemoConfig {
  const emulatorUrl = nonEmpty(env.X_OAUTH_EMULATOR_URL);
  if (emulatorUrl !== undefined && emulator === undefined) {
    return fromCredentials(env, 'emulator', checkUrl(emulatorUrl, 'X_OAUTH_EMULATOR_URL'));
  }
  if (CREDENTIAL_VARIABLES.some((name) => nonEmpty(env[name]) !== undefined)) {
    return fromCredentials(env, 'x', undefined);
  }
  if (emulator !== undefined) return fromEmulator(emulator);
  throw new DemoConfigError(
    'X_OAUTH_EMULATOR_URL',
    "No target: set X_OAUTH_EMULATOR_URL and the emulator's credentials (`pnpm demo` writes them to .x-oauth/emulator.env), or X_API_KEY, X_API_SECRET and X_CLIENT_ID for the real X.",
  );
}

function fromEmulator(emulator: DemoEmulator): DemoConfig {
  const { app } = emulator;
  const url = emulator.url.replace(/\/+$/, '');
  return Object.freeze({
    mode: 'emulator',
    apiBaseUrl: url,
    oauth1BaseUrl: url,
    pkceEndpoints: endpointsFromBaseUrl(url),
    consumer: { key: app.consumerKey, secret: app.consumerSecret },
    oauth2Client:
      app.clientSecret === undefined
        ? { clientId: app.clientId }
        : { clientId: app.clientId, clientSecret: app.clientSecret },
    appId: app.consumerKey,
  });
}

function fromCredentials(
  env: NodeJS.ProcessEnv,
  mode: DemoConfig['mode'],
  emulatorUrl: string | undefined,
): DemoConfig {
  const target = mode === 'x' ? 'the real X' : `the emulator at ${emulatorUrl ?? ''}`;
  const key = required(env, 'X_API_KEY', target);
  const secret = required(env, 'X_API_SECRET', target);
  const clientId = required(env, 'X_CLIENT_ID', target);
  const clientSecret = nonEmpty(env.X_CLIENT_SECRET);
  const callback = nonEmpty(env.X_CALLBACK_URL);
  // Kept as written: X compares callback URLs exactly.
  if (callback !== undefined) checkUrl(callback, 'X_CALLBACK_URL');
  const callbackUrl = callback;
  const base = emulatorUrl ?? X_API_BASE_URL;
  return Object.freeze({
    mode,
    apiBaseUrl: base,
    oauth1BaseUrl: base,
    pkceEndpoints: emulatorUrl === undefined ? X_ENDPOINTS : endpointsFromBaseUrl(emulatorUrl),
    consumer: { key, secret },
    oauth2Client: clientSecret === undefined ? { clientId } : { clientId, clientSecret },
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
    appId: key,
  });
}

function required(env: NodeJS.ProcessEnv, name: string, target: string): string {
  const value = nonEmpty(env[name]);
  if (value === undefined) {
    throw new DemoConfigError(name, `${name} is not set: it is needed to target ${target}.`);
  }
  return value;
}

function checkUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new DemoConfigError(name, `${name} is not an absolute URL.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DemoConfigError(name, `${name} must be an http(s) URL.`);
  }
  return url.href.replace(/\/+$/, '');
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
