import { describe, expect, it } from 'vitest';
import { TokenStoreErrorCode } from '../../errors.js';
import { DEFAULT_REDIS_PREFIX, escapeGlob, redisKeys, validateRedisPrefix } from './keys.js';

describe('redisKeys', () => {
  const keys = redisKeys(DEFAULT_REDIS_PREFIX);

  it('puts every key under the prefix', () => {
    const owner = { appId: 'app-1', userId: '42' };
    expect(keys.row(owner)).toBe('x-oauth:tokens:row:app-1:42');
    expect(keys.lock(owner)).toBe('x-oauth:tokens:lock:app-1:42');
    expect(keys.keyUsage).toBe('x-oauth:tokens:key-usage');
    expect(keys.rowPattern).toBe('x-oauth:tokens:row:*');
    expect(keys.allPattern).toBe('x-oauth:tokens:*');
  });

  it('encodes ":" and "%" so that distinct owners never share a key', () => {
    const a = keys.row({ appId: 'a:b', userId: 'c' });
    const b = keys.row({ appId: 'a', userId: 'b:c' });
    const c = keys.row({ appId: 'a%3Ab', userId: 'c' });
    expect(new Set([a, b, c]).size).toBe(3);
    expect(a).toBe('x-oauth:tokens:row:a%3Ab:c');
  });

  it('reads the owner back from a row key, and nothing from other keys', () => {
    for (const owner of [
      { appId: 'a:b', userId: 'c' },
      { appId: 'ünïcode 🦊', userId: '*?[x]' },
      { appId: '100%', userId: ' ' },
    ]) {
      expect(keys.ownerOfRowKey(keys.row(owner))).toEqual(owner);
    }
    expect(keys.ownerOfRowKey(keys.lock({ appId: 'a', userId: 'b' }))).toBeUndefined();
    expect(keys.ownerOfRowKey('x-oauth:tokens:row:a:b:c')).toBeUndefined();
    expect(keys.ownerOfRowKey('x-oauth:tokens:row::b')).toBeUndefined();
    expect(keys.ownerOfRowKey('x-oauth:tokens:row:a%3a:b')).toBeUndefined();
    expect(keys.ownerOfRowKey('x-oauth:tokens:row:%E0%A4%A:b')).toBeUndefined();
    expect(keys.ownerOfRowKey('other:row:a:b')).toBeUndefined();
  });

  it('refuses a lone surrogate with a typed error', () => {
    expect(() => keys.row({ appId: 'a\uD800', userId: 'b' })).toThrow(
      expect.objectContaining({ code: TokenStoreErrorCode.InvalidArgument }),
    );
  });

  it('escapes glob characters of the prefix in SCAN patterns', () => {
    expect(escapeGlob('a*b?c[d]e\\f')).toBe('a\\*b\\?c\\[d\\]e\\\\f');
    expect(redisKeys('app[1]:').rowPattern).toBe('app\\[1\\]:row:*');
  });

  it('refuses empty, spaced or non-string prefixes', () => {
    for (const prefix of ['', 'a b', 'a\nb', 'x'.repeat(201), 42, undefined]) {
      expect(() => validateRedisPrefix(prefix)).toThrow(
        expect.objectContaining({ code: TokenStoreErrorCode.InvalidConfig }),
      );
    }
  });
});
