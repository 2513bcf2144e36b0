import { describe, expect, it } from 'vitest';
import type { StoredRow } from '../../backend.js';
import { TokenStoreErrorCode } from '../../errors.js';
import { ROW_FIELDS, rowFromHash, rowToFieldValues } from './row.js';

const owner = { appId: 'app', userId: 'user' };
const row: StoredRow = {
  ...owner,
  kind: 'oauth2',
  version: 7,
  status: 'active',
  keyId: 'k1',
  ciphertext: 'xts1.k1.aaaa.bbbb',
  expiresAt: 1_800_000_000_000,
  updatedAt: 1_700_000_000_000,
};

function asHash(fieldValues: readonly string[]): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let index = 0; index < fieldValues.length; index += 2) {
    hash[fieldValues[index] ?? ''] = fieldValues[index + 1] ?? '';
  }
  return hash;
}

describe('redis row hash', () => {
  it('round-trips every field, with a null expiry too', () => {
    expect(rowFromHash(owner, asHash(rowToFieldValues(row)))).toEqual(row);
    const oauth1: StoredRow = { ...row, kind: 'oauth1', expiresAt: null, status: 'needs_reauth' };
    expect(rowFromHash(owner, asHash(rowToFieldValues(oauth1)))).toEqual(oauth1);
  });

  it('writes exactly the documented fields, and no owner', () => {
    const hash = asHash(rowToFieldValues(row));
    expect(Object.keys(hash).sort()).toEqual([...ROW_FIELDS].sort());
    expect(Object.values(hash)).not.toContain('user');
  });

  it('takes the owner from the key, not from the hash', () => {
    const other = { appId: 'app', userId: 'someone-else' };
    expect(rowFromHash(other, asHash(rowToFieldValues(row)))).toMatchObject(other);
  });

  it('reads an empty hash (no key) as no row', () => {
    expect(rowFromHash(owner, {})).toBeUndefined();
  });

  it('refuses malformed hashes with TOKEN_STORE_CORRUPT_ROW, naming the field only', () => {
    const good = asHash(rowToFieldValues(row));
    const cases: [string, Record<string, string>][] = [
      ['version', { ...good, version: '0' }],
      ['version', { ...good, version: '1.5' }],
      ['kind', { ...good, kind: 'oauth3' }],
      ['status', { ...good, status: 'gone' }],
      ['key_id', { ...good, key_id: '' }],
      ['ciphertext', { ...good, ciphertext: '' }],
      ['expires_at', { ...good, expires_at: 'soon' }],
      ['updated_at', { ...good, updated_at: '99999999999999999999' }],
    ];
    for (const [field, hash] of cases) {
      expect(() => rowFromHash(owner, hash)).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.CorruptRow }),
      );
      expect(() => rowFromHash(owner, hash)).toThrow(field);
    }
    const { ciphertext: _, ...withoutCiphertext } = good;
    expect(() => rowFromHash(owner, withoutCiphertext)).toThrow(/ciphertext/);
    // A hash with fields but no version is a corrupt row, not a missing one.
    const { version: __, ...withoutVersion } = good;
    for (const hash of [withoutVersion, { kind: 'oauth2' }]) {
      expect(() => rowFromHash(owner, hash)).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.CorruptRow }),
      );
      expect(() => rowFromHash(owner, hash)).toThrow(/version/);
    }
  });

  it('refuses to write a row it could not read back, with TOKEN_STORE_INVALID_ARGUMENT', () => {
    const bad: StoredRow[] = [
      { ...row, kind: 'oauth3' as never },
      { ...row, status: 'gone' as never },
      { ...row, keyId: '' },
      { ...row, ciphertext: '' },
      { ...row, updatedAt: 1.5 },
      { ...row, expiresAt: Number.NaN },
      { ...row, expiresAt: 1e17 },
      { ...row, updatedAt: -1 },
    ];
    for (const candidate of bad) {
      expect(() => rowToFieldValues(candidate)).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.InvalidArgument }),
      );
    }
  });
});
