import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import { TokenSet, X_ENDPOINTS } from '@x-oauth/pkce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DemoConfigError, demoConfig } from '../src/config.js';
import { addKeyToKeyFile } from '../src/key-file.js';
import { maskToken } from '../src/mask.js';
import { openDemoStore } from '../src/store.js';

const REAL_ENV = {
  X_API_KEY: 'consumer-key-0123456789',
  X_API_SECRET: 'consumer-secret-0123456789',
  X_CLIENT_ID: 'client-id-0123456789',
  X_CLIENT_SECRET: 'client-secret-0123456789',
  X_CALLBACK_URL: 'https://demo.example/callback',
};

describe('demoConfig', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('targets the in-process emulator with its confidential app when nothing is set', () => {
    const config = demoConfig({}, emulator);
    expect(config.mode).toBe('emulator');
    expect(config.apiBaseUrl).toBe(emulator.url);
    expect(config.oauth1BaseUrl).toBe(emulator.url);
    expect(config.pkceEndpoints.token).toBe(`${emulator.url}/2/oauth2/token`);
    expect(config.pkceEndpoints.authorize).toBe(`${emulator.url}/i/oauth2/authorize`);
    expect(config.consumer).toEqual({
      key: emulator.app.consumerKey,
      secret: emulator.app.consumerSecret,
    });
    expect(config.oauth2Client).toEqual({
      clientId: emulator.app.clientId,
      clientSecret: emulator.app.clientSecret,
    });
    expect(config.appId).toBe(emulator.app.consumerKey);
    expect(config.callbackUrl).toBeUndefined();
  });

  it('targets an emulator started elsewhere from X_OAUTH_EMULATOR_URL and its credentials', () => {
    const config = demoConfig({
      X_OAUTH_EMULATOR_URL: `${emulator.url}/`,
      X_API_KEY: emulator.app.consumerKey,
      X_API_SECRET: emulator.app.consumerSecret,
      X_CLIENT_ID: emulator.app.clientId,
    });
    expect(config.mode).toBe('emulator');
    expect(config.apiBaseUrl).toBe(emulator.url);
    expect(config.pkceEndpoints.revoke).toBe(`${emulator.url}/2/oauth2/revoke`);
    expect(config.oauth2Client).toEqual({ clientId: emulator.app.clientId });
  });

  it('names the missing credential of an emulator given by URL', () => {
    expect(() => demoConfig({ X_OAUTH_EMULATOR_URL: emulator.url, X_API_KEY: 'k' })).toThrow(
      /X_API_SECRET is not set/,
    );
  });

  it('targets the real X when the credentials are in the environment', () => {
    const config = demoConfig(REAL_ENV, emulator);
    expect(config.mode).toBe('x');
    expect(config.apiBaseUrl).toBe('https://api.x.com');
    expect(config.oauth1BaseUrl).toBe('https://api.x.com');
    expect(config.pkceEndpoints).toEqual(X_ENDPOINTS);
    expect(config.consumer).toEqual({ key: REAL_ENV.X_API_KEY, secret: REAL_ENV.X_API_SECRET });
    expect(config.oauth2Client).toEqual({
      clientId: REAL_ENV.X_CLIENT_ID,
      clientSecret: REAL_ENV.X_CLIENT_SECRET,
    });
    expect(config.callbackUrl).toBe(REAL_ENV.X_CALLBACK_URL);
    expect(config.appId).toBe(REAL_ENV.X_API_KEY);
  });

  it('gives one clear error naming the missing variable of the real-X config', () => {
    const { X_CLIENT_ID: _dropped, ...partial } = REAL_ENV;
    let caught: unknown;
    try {
      demoConfig(partial);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DemoConfigError);
    expect((caught as DemoConfigError).variable).toBe('X_CLIENT_ID');
    expect((caught as DemoConfigError).message).toBe(
      'X_CLIENT_ID is not set: it is needed to target the real X.',
    );
    expect((caught as DemoConfigError).message).not.toContain(REAL_ENV.X_API_SECRET);
  });

  it('refuses a malformed callback URL and a missing target', () => {
    expect(() => demoConfig({ ...REAL_ENV, X_CALLBACK_URL: 'not a url' })).toThrow(
      /X_CALLBACK_URL is not an absolute URL/,
    );
    expect(() => demoConfig({})).toThrow(/X_OAUTH_EMULATOR_URL/);
  });
});

describe('openDemoStore', () => {
  const directories: string[] = [];
  const temporary = (): string => {
    const directory = mkdtempSync(join(tmpdir(), 'x-oauth-demo-'));
    directories.push(directory);
    return directory;
  };
  afterEach(() => {
    for (const directory of directories.splice(0))
      rmSync(directory, { recursive: true, force: true });
  });

  it('creates the data directory 0700 and the key file 0600, and reuses the key', async () => {
    const dataDir = join(temporary(), '.x-oauth');
    const lines: string[] = [];
    const first = await openDemoStore({ dataDir, env: {}, log: (line) => lines.push(line) });
    expect(first.description).toBe(`SQLite at ${join(dataDir, 'tokens.sqlite')}`);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const keyPath = join(dataDir, 'demo-key');
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'tokens.sqlite')).mode & 0o777).toBe(0o600);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/demo only/);
    const keyFile = readFileSync(keyPath, 'utf8');
    expect(lines[0]).not.toContain(JSON.parse(keyFile).keys.k1);

    const tokenSet = new TokenSet({
      accessToken: 'access-token-0123456789',
      refreshToken: 'refresh-token-0123456789',
      expiresAt: Date.now() + 3_600_000,
      scopes: ['tweet.read', 'users.read'],
      tokenType: 'bearer',
    });
    await first.store.writer.putOAuth2('app', 'user-1', tokenSet);
    await first.store.close();

    const second = await openDemoStore({ dataDir, env: {}, log: (line) => lines.push(line) });
    expect(lines).toHaveLength(1);
    expect(readFileSync(keyPath, 'utf8')).toBe(keyFile);
    const record = await second.store.reader.get('app', 'user-1');
    expect(record?.kind === 'oauth2' ? record.tokenSet.accessToken : undefined).toBe(
      'access-token-0123456789',
    );

    // A new key is added beside the old one, and rotate() re-encrypts under it.
    await second.store.close();
    const keys = addKeyToKeyFile(dataDir, {});
    expect(keys.currentKeyId).toBe('k2');
    expect(Object.keys(keys.keys)).toEqual(['k1', 'k2']);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const third = await openDemoStore({ dataDir, env: {} });
    expect(await third.store.rotate()).toMatchObject({ rotated: 1, failed: 0 });
    await third.store.close();
  });

  it('takes the key from X_OAUTH_DEMO_KEY without writing a key file', async () => {
    const dataDir = temporary();
    const env = { X_OAUTH_DEMO_KEY: Buffer.alloc(32, 7).toString('base64') };
    const { store } = await openDemoStore({ dataDir, env, log: () => undefined });
    expect(() => statSync(join(dataDir, 'demo-key'))).toThrow();
    expect(() => addKeyToKeyFile(dataDir, env)).toThrow(/X_OAUTH_DEMO_KEY/);
    await store.close();
  });

  // The real servers of scripts/services.sh, as the token-store tests use them.
  it.each([
    [
      'PostgreSQL',
      process.env.X_OAUTH_TEST_POSTGRES_ADMIN ??
        'postgres://x_oauth_admin:x_oauth_admin@127.0.0.1:5432/x_oauth_test',
    ],
    ['Redis', process.env.X_OAUTH_TEST_REDIS ?? 'redis://127.0.0.1:6390'],
  ])(
    'keeps tokens in %s from a store URL, encrypted, and describes it without a password',
    async (name, url) => {
      const dataDir = temporary();
      const env = { X_OAUTH_DEMO_KEY: Buffer.alloc(32, 9).toString('base64') };
      const appId = `demo-test-${process.pid}-${Date.now()}`;
      const tokenSet = new TokenSet({
        accessToken: 'access-token-for-the-demo-store-test',
        refreshToken: 'refresh-token-for-the-demo-store-test',
        expiresAt: Date.now() + 7_200_000,
        scopes: ['tweet.read', 'users.read', 'offline.access'],
        tokenType: 'bearer',
      });
      const first = await openDemoStore({ store: url, dataDir, env, log: () => undefined });
      expect(first.description.startsWith(`${name} at `)).toBe(true);
      const password = new URL(url).password;
      if (password !== '') expect(first.description).not.toContain(`:${password}@`);
      try {
        await first.store.writer.putOAuth2(appId, 'user-1', tokenSet);
      } finally {
        await first.store.close();
      }
      // A second process of the demo (a new store over the same URL) reads what the first wrote.
      const second = await openDemoStore({ store: url, dataDir, env, log: () => undefined });
      try {
        const record = await second.store.reader.get(appId, 'user-1');
        expect(record?.kind === 'oauth2' && record.tokenSet.accessToken).toBe(
          'access-token-for-the-demo-store-test',
        );
        expect(await second.store.writer.delete(appId, 'user-1')).toBe(true);
      } finally {
        await second.store.close();
      }
    },
  );

  it('opens SQLite at a given path and refuses an unknown store without showing a password', async () => {
    const dataDir = temporary();
    const path = join(dataDir, 'other.sqlite');
    const { store, description } = await openDemoStore({
      store: `sqlite:${path}`,
      dataDir,
      env: {},
      log: () => undefined,
    });
    expect(description).toBe(`SQLite at ${path}`);
    await store.close();
    await expect(
      openDemoStore({ store: 'mysql://user:hunter2@db/x', dataDir, env: {} }),
    ).rejects.toThrow(/^Unknown store "mysql:\/\/db\/x"/);
  });
});

describe('maskToken', () => {
  it('shows the first and last four characters of a token', () => {
    expect(maskToken('abcdefghijklmnopqrstuvwxyz')).toBe('abcd…wxyz');
  });
  it('hides short values entirely', () => {
    expect(maskToken('')).toBe('••••');
    expect(maskToken('short-token')).toBe('••••');
  });
});
