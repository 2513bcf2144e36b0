import { describe, expect, it } from 'vitest';
import { PkceErrorCode } from './errors.js';
import { isXScope, parseScopeString, validateScopes, X_SCOPES } from './scopes.js';

describe('scopes', () => {
  it('lists X scopes, offline.access included', () => {
    expect(X_SCOPES).toHaveLength(22);
    expect(X_SCOPES).toContain('offline.access');
    expect(X_SCOPES).toContain('tweet.moderate.write');
    expect(X_SCOPES).toContain('media.write');
    expect(isXScope('users.read')).toBe(true);
    expect(isXScope('users.write')).toBe(false);
    expect(isXScope(42)).toBe(false);
  });

  it('validates requested scopes and drops duplicates in order', () => {
    expect(validateScopes(['users.read', 'tweet.read', 'users.read'])).toEqual([
      'users.read',
      'tweet.read',
    ]);
  });

  it('refuses empty and unknown scopes with PKCE_INVALID_SCOPE', () => {
    expect(() => validateScopes([])).toThrow(
      expect.objectContaining({ code: PkceErrorCode.InvalidScope }),
    );
    expect(() => validateScopes(['tweet.read', 'tweet.delete'])).toThrow(
      expect.objectContaining({
        code: PkceErrorCode.InvalidScope,
        message: expect.stringContaining('"tweet.delete"'),
      }),
    );
    expect(() => validateScopes(['tweet.read users.read'])).toThrow(
      expect.objectContaining({ code: PkceErrorCode.InvalidScope }),
    );
  });

  it('parses a space-delimited scope parameter', () => {
    expect(parseScopeString('tweet.read users.read  offline.access')).toEqual([
      'tweet.read',
      'users.read',
      'offline.access',
    ]);
    expect(parseScopeString('')).toEqual([]);
  });
});
