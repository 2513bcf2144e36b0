// `pnpm demo` writes the running emulator's URL and seeded credentials to
// `<dataDir>/emulator.env` (0600). When the environment names no target at all, the CLI reads
// them from there, so `x-oauth` works beside `pnpm demo` with no configuration.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file `pnpm demo` writes into the data directory. */
export const EMULATOR_ENV_FILE = 'emulator.env';

const TARGET_VARIABLES = [
  'X_OAUTH_EMULATOR_URL',
  'X_API_KEY',
  'X_API_SECRET',
  'X_CLIENT_ID',
  'X_CLIENT_SECRET',
  'X_CALLBACK_URL',
] as const;

/**
 * `env`, plus the variables of `<dataDir>/emulator.env` when `env` sets none of the target
 * variables and the file exists; `file` says where they came from.
 */
export function withEmulatorEnv(
  env: NodeJS.ProcessEnv,
  dataDir: string,
): { env: NodeJS.ProcessEnv; file: string | undefined } {
  if (TARGET_VARIABLES.some((name) => (env[name] ?? '').trim() !== '')) {
    return { env, file: undefined };
  }
  const path = join(dataDir, EMULATOR_ENV_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { env, file: undefined };
  }
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const line of text.split('\n')) {
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const name = line.slice(0, equals).trim();
    if ((TARGET_VARIABLES as readonly string[]).includes(name)) {
      merged[name] = line.slice(equals + 1).trim();
    }
  }
  return { env: merged, file: path };
}
