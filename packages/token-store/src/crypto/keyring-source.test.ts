import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenStoreErrorCode } from '../errors.js';
import {
  createKeyringSource,
  isKeyringSource,
  keyringFromEnv,
  keyringFromFile,
} from './keyring-source.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const directories: string[] = [];

afterEach(() => {
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function keyringFile(content: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'x-oauth-keyring-'));
  directories.push(directory);
  const path = join(directory, 'keyring.json');
  writeFileSync(path, content);
  return path;
}

describe('keyring sources', () => {
  it('re-reads a file once the interval passed, and keeps the last good keyring on a bad read', () => {
    let now = 1_000;
    const path = keyringFile(JSON.stringify({ currentKeyId: 'k1', keys: { k1 } }));
    const source = keyringFromFile(path, { reloadIntervalMs: 100, now: () => now });
    expect(isKeyringSource(source)).toBe(true);
    expect(source.current().currentKeyId).toBe('k1');
    writeFileSync(path, JSON.stringify({ currentKeyId: 'k2', keys: { k1, k2 } }));
    now += 99;
    expect(source.current().currentKeyId).toBe('k1');
    now += 1;
    expect(source.current().currentKeyId).toBe('k2');
    expect(source.current().keyIds).toEqual(['k1', 'k2']);
    writeFileSync(path, '{"currentKeyId": "k3", "keys": {');
    now += 100;
    expect(source.current().currentKeyId).toBe('k2');
    expect(source.reload()).toBe(false);
  });

  it('reads an environment variable and a function of the app', () => {
    process.env.X_OAUTH_TEST_KEYRING = JSON.stringify({ currentKeyId: 'k2', keys: { k2 } });
    try {
      expect(keyringFromEnv('X_OAUTH_TEST_KEYRING').current().currentKeyId).toBe('k2');
    } finally {
      delete process.env.X_OAUTH_TEST_KEYRING;
    }
    let config = { currentKeyId: 'k1', keys: { k1 } as Record<string, string> };
    const source = createKeyringSource({ load: () => config, reloadIntervalMs: 0 });
    config = { currentKeyId: 'k2', keys: { k1, k2 } };
    expect(source.current().currentKeyId).toBe('k2');
  });

  it('fails creation with a typed error that never shows the keys, and never prints them', () => {
    const path = keyringFile(`{"currentKeyId":"k1","keys":{"k1":"${k1}"`);
    expect(() => keyringFromFile(path)).toThrowError(
      expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
    );
    try {
      keyringFromFile(path);
    } catch (error) {
      expect(String(error)).not.toContain(k1);
    }
    expect(() => keyringFromEnv('X_OAUTH_TEST_KEYRING_MISSING')).toThrowError(
      /X_OAUTH_TEST_KEYRING_MISSING is not set/,
    );
    const source = createKeyringSource({ load: () => ({ currentKeyId: 'k1', keys: { k1 } }) });
    expect(JSON.stringify(source)).not.toContain(k1);
    expect(inspect(source, { depth: 5 })).not.toContain(k1);
    expect(() =>
      createKeyringSource({
        load: () => ({ currentKeyId: 'k1', keys: { k1 } }),
        reloadIntervalMs: -1,
      }),
    ).toThrowError(expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }));
  });
});
