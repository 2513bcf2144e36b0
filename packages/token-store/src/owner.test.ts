import { describe, expect, it } from 'vitest';
import { TokenStoreErrorCode } from './errors.js';
import { MAX_OWNER_ID_LENGTH, ownerKey, validateOwner } from './owner.js';

function codeOf(appId: unknown, userId: unknown): string | undefined {
  try {
    validateOwner(appId, userId);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('validateOwner', () => {
  it('accepts ordinary ids, Unicode and the longest allowed', () => {
    expect(validateOwner('app', 'user')).toEqual({ appId: 'app', userId: 'user' });
    expect(codeOf('my-app', 'émoji-🔑-ユーザー')).toBeUndefined();
    expect(codeOf('a'.repeat(MAX_OWNER_ID_LENGTH), '1')).toBeUndefined();
    expect(codeOf('app', 'with space and : * ? [ ] % _ \' "')).toBeUndefined();
  });

  it('refuses empty, long, non-string, control-character and malformed ids', () => {
    const invalid = TokenStoreErrorCode.InvalidArgument;
    for (const bad of [
      '',
      'a'.repeat(MAX_OWNER_ID_LENGTH + 1),
      'nul\u0000inside',
      'new\nline',
      'tab\t',
      'del\u007f',
      'c1\u0085',
      'lone\uD800surrogate',
      '\uDC00',
      undefined,
      null,
      42,
      { toString: () => 'app' },
    ]) {
      expect(codeOf(bad, 'user'), String(bad)).toBe(invalid);
      expect(codeOf('app', bad), String(bad)).toBe(invalid);
    }
  });

  it('never echoes the id in the message', () => {
    try {
      validateOwner('app', `${'x'.repeat(300)}SECRET`);
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRET');
      expect((error as Error).message).toContain('userId');
    }
  });

  it('gives distinct owners distinct map keys', () => {
    expect(ownerKey({ appId: 'ab', userId: 'c' })).not.toBe(ownerKey({ appId: 'a', userId: 'bc' }));
  });
});
