// The demo's encryption keys: from X_OAUTH_DEMO_KEY, or generated once into <dataDir>/demo-key
// (0600, in a 0700 directory). A key file is a convenience for a local demo only: a real
// deployment loads its keys from a secret store, the same on every machine.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The keys, by id, and the one new writes use. */
export interface DemoKeys {
  readonly currentKeyId: string;
  readonly keys: Readonly<Record<string, string>>;
  /** Where the keys come from: the environment variable or the key file's path. */
  readonly source: string;
}

/** The key file's name inside the data directory. */
export const KEY_FILE_NAME = 'demo-key';
/** The key id of a key given in `X_OAUTH_DEMO_KEY`. */
export const ENV_KEY_ID = 'env';

/** Creates the data directory (0700) if needed and tightens an existing one. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

/**
 * The demo's keys: `X_OAUTH_DEMO_KEY` (base64, 32 bytes) when set, else the key file, created
 * with one new key the first time (and `log` told so, with the warning that it is for the
 * demo only).
 */
export function loadDemoKeys(
  dataDir: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): DemoKeys {
  const fromEnv = env.X_OAUTH_DEMO_KEY?.trim();
  if (fromEnv !== undefined && fromEnv !== '') {
    return {
      currentKeyId: ENV_KEY_ID,
      keys: { [ENV_KEY_ID]: fromEnv },
      source: 'X_OAUTH_DEMO_KEY',
    };
  }
  ensureDataDir(dataDir);
  const path = join(dataDir, KEY_FILE_NAME);
  const existing = readKeyFile(path);
  if (existing !== undefined) return existing;
  const created = { currentKeyId: 'k1', keys: { k1: newKey() }, source: path };
  writeKeyFile(path, created);
  log(
    `Generated an encryption key in ${path} (mode 0600). This is for the demo only: in production, load the key from your secret store (here: X_OAUTH_DEMO_KEY).`,
  );
  return created;
}

/**
 * Adds a new key to the key file and makes it current, keeping the old ones (rows under them
 * stay readable until `store.rotate()` re-encrypts them). Returns the new keys.
 * @throws {Error} when the keys come from `X_OAUTH_DEMO_KEY` (rotate them where they live).
 */
export function addKeyToKeyFile(dataDir: string, env: NodeJS.ProcessEnv): DemoKeys {
  if (env.X_OAUTH_DEMO_KEY !== undefined && env.X_OAUTH_DEMO_KEY.trim() !== '') {
    throw new Error(
      'The key comes from X_OAUTH_DEMO_KEY: rotate it in your secret store, not in the key file.',
    );
  }
  const path = join(dataDir, KEY_FILE_NAME);
  const current = readKeyFile(path);
  if (current === undefined) throw new Error(`No key file at ${path}: nothing to rotate.`);
  let number = Object.keys(current.keys).length + 1;
  while (current.keys[`k${number}`] !== undefined) number += 1;
  const keyId = `k${number}`;
  const next = { currentKeyId: keyId, keys: { ...current.keys, [keyId]: newKey() }, source: path };
  writeKeyFile(path, next);
  return next;
}

function newKey(): string {
  return randomBytes(32).toString('base64');
}

function readKeyFile(path: string): DemoKeys | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
  const invalid = () => new Error(`The key file ${path} is not valid; restore it or delete it.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const currentKeyId = 'currentKeyId' in parsed ? parsed.currentKeyId : undefined;
  const keys = 'keys' in parsed ? parsed.keys : undefined;
  if (typeof currentKeyId !== 'string' || typeof keys !== 'object' || keys === null) {
    throw invalid();
  }
  const checked: Record<string, string> = {};
  for (const [id, value] of Object.entries(keys)) {
    if (typeof value !== 'string') throw invalid();
    checked[id] = value;
  }
  if (checked[currentKeyId] === undefined) throw invalid();
  return { currentKeyId, keys: checked, source: path };
}

function writeKeyFile(path: string, keys: DemoKeys): void {
  const body = `${JSON.stringify({ currentKeyId: keys.currentKeyId, keys: keys.keys }, null, 2)}\n`;
  // Written beside and renamed, so a crash never leaves a half-written key file.
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, body, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}

function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
