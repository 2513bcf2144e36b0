import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TokenStoreErrorCode } from '../errors.js';
import {
  createKeyring,
  isKeyring,
  type KeyringConfig,
  keyById,
  keyFromPassphrase,
} from './keyring.js';

const raw = randomBytes(32);
const base64 = raw.toString('base64');
const base64url = raw.toString('base64url');

function configError(config: unknown): string | undefined {
  try {
    createKeyring(config as KeyringConfig);
  } catch (error) {
    const message = (error as Error).message;
    expect(message).not.toContain(base64);
    expect(message).not.toContain(base64url);
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('createKeyring', () => {
  it('accepts base64, unpadded base64, base64url and raw bytes as the same key', () => {
    const forms = [base64, base64.replace(/=$/, ''), base64url, new Uint8Array(raw), `${base64}\n`];
    const exported = forms.map((key) => {
      const keyring = createKeyring({ currentKeyId: 'k1', keys: { k1: key } });
      return keyById(keyring, 'k1')?.export().toString('hex');
    });
    expect(new Set(exported)).toEqual(new Set([raw.toString('hex')]));
  });

  it('looks keys up by id and knows its current key', () => {
    const keyring = createKeyring({
      currentKeyId: 'new_2',
      keys: { 'old-1': base64, new_2: randomBytes(32).toString('base64') },
    });
    expect(keyring.currentKeyId).toBe('new_2');
    expect(keyring.keyIds).toEqual(['old-1', 'new_2']);
    expect(keyring.has('old-1')).toBe(true);
    expect(keyring.has('nope')).toBe(false);
    expect(keyById(keyring, 'nope')).toBeUndefined();
    expect(isKeyring(keyring)).toBe(true);
    expect(isKeyring({ currentKeyId: 'k1' })).toBe(false);
  });

  it('never shows a key in JSON or inspect', () => {
    const keyring = createKeyring({ currentKeyId: 'k1', keys: { k1: base64 } });
    for (const text of [
      JSON.stringify(keyring),
      inspect(keyring, { depth: 10, showHidden: true }),
    ]) {
      expect(text).not.toContain(base64);
      expect(text).not.toContain(base64url);
      expect(text).not.toContain(raw.toString('hex'));
      expect(text).toContain('k1');
    }
  });

  it('refuses malformed configuration with TOKEN_STORE_INVALID_CONFIG', () => {
    const good = { k1: base64 };
    const invalid = TokenStoreErrorCode.InvalidConfig;
    expect(configError(undefined)).toBe(invalid);
    expect(configError({ currentKeyId: 'k1' })).toBe(invalid);
    expect(configError({ currentKeyId: 'k1', keys: {} })).toBe(invalid);
    expect(configError({ currentKeyId: 'k1', keys: [base64] })).toBe(invalid);
    expect(configError({ currentKeyId: 'k2', keys: good })).toBe(invalid);
    expect(configError({ keys: good })).toBe(invalid);
    expect(configError({ currentKeyId: 'bad.id', keys: { 'bad.id': base64 } })).toBe(invalid);
    expect(configError({ currentKeyId: '', keys: { '': base64 } })).toBe(invalid);
    expect(configError({ currentKeyId: 'k', keys: { ['k'.repeat(33)]: base64, k: base64 } })).toBe(
      invalid,
    );
    // Wrong sizes, wrong alphabets, mixed alphabets, non-canonical trailing bits, not a key.
    for (const key of [
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(64).toString('hex'),
      `${base64url.slice(0, 42)}+`,
      `${base64.slice(0, 42)}B=`,
      'not a key at all',
      new Uint8Array(31),
      Buffer.alloc(32).toString('base64'),
      42,
      null,
    ]) {
      expect(configError({ currentKeyId: 'k1', keys: { k1: key } })).toBe(invalid);
    }
  });
});

describe('keyFromPassphrase', () => {
  it('derives the same 32-byte key from the same passphrase and salt, and another with another salt', async () => {
    const parameters = { N: 2 ** 14, r: 8, p: 1 };
    const salt = 'a-random-salt-of-16+';
    const first = await keyFromPassphrase('correct horse battery staple', salt, parameters);
    const second = await keyFromPassphrase('correct horse battery staple', salt, parameters);
    const other = await keyFromPassphrase('correct horse battery staple', `${salt}!`, parameters);
    expect(first).toHaveLength(32);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(true);
    expect(Buffer.from(first).equals(Buffer.from(other))).toBe(false);
    expect(createKeyring({ currentKeyId: 'p1', keys: { p1: first } }).currentKeyId).toBe('p1');
  });

  it('refuses short passphrases, short salts and weak parameters', async () => {
    const code = { code: TokenStoreErrorCode.InvalidConfig };
    await expect(keyFromPassphrase('short', 'a-random-salt-of-16+')).rejects.toMatchObject(code);
    await expect(keyFromPassphrase('long enough passphrase', 'short')).rejects.toMatchObject(code);
    await expect(
      keyFromPassphrase('long enough passphrase', 'a-random-salt-of-16+', { N: 1024 }),
    ).rejects.toMatchObject(code);
    await expect(
      keyFromPassphrase('long enough passphrase', 'a-random-salt-of-16+', { N: 20_000 }),
    ).rejects.toMatchObject(code);
  });
});
