import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PkceErrorCode } from './errors.js';
import {
  canRefresh,
  isExpired,
  TokenSet,
  tokenSetFromStorable,
  tokenSetToStorable,
} from './token-set.js';

const fields = {
  accessToken: 'ACCESS-SECRET-abc',
  refreshToken: 'REFRESH-SECRET-xyz',
  expiresAt: Date.UTC(2030, 0, 1),
  scopes: ['tweet.read', 'offline.access'],
  tokenType: 'bearer' as const,
};

describe('TokenSet', () => {
  it('keeps its fields readable', () => {
    const set = new TokenSet(fields);
    expect(set.accessToken).toBe('ACCESS-SECRET-abc');
    expect(set.refreshToken).toBe('REFRESH-SECRET-xyz');
    expect(set.scopes).toEqual(['tweet.read', 'offline.access']);
  });

  it('is frozen, scopes included: a refresh can only return a new set', () => {
    const set = new TokenSet(fields);
    expect(Object.isFrozen(set)).toBe(true);
    expect(Object.isFrozen(set.scopes)).toBe(true);
    expect(Reflect.set(set, 'refreshToken', 'other')).toBe(false);
    expect(set.refreshToken).toBe('REFRESH-SECRET-xyz');
  });

  it('redacts the tokens in JSON.stringify, util.inspect and String', () => {
    const set = new TokenSet(fields);
    const outputs = [
      JSON.stringify(set),
      JSON.stringify({ nested: [set] }),
      inspect(set),
      inspect({ set }, { depth: 5 }),
      `${inspect(set, { showHidden: true })}`,
    ];
    for (const output of outputs) {
      expect(output).not.toContain('SECRET');
      expect(output).toContain('[redacted]');
    }
    expect(JSON.parse(JSON.stringify(set))).toEqual({
      accessToken: '[redacted]',
      refreshToken: '[redacted]',
      expiresAt: '2030-01-01T00:00:00.000Z',
      scopes: ['tweet.read', 'offline.access'],
      tokenType: 'bearer',
    });
  });

  it('round-trips through tokenSetToStorable and tokenSetFromStorable', () => {
    const set = new TokenSet(fields);
    const stored = JSON.parse(JSON.stringify(tokenSetToStorable(set)));
    expect(stored).toEqual({ version: 1, ...fields });
    const restored = tokenSetFromStorable(stored);
    expect(restored).toBeInstanceOf(TokenSet);
    expect(tokenSetToStorable(restored)).toEqual(tokenSetToStorable(set));
    const { refreshToken: _, ...withoutRefresh } = fields;
    expect(tokenSetFromStorable({ version: 1, ...withoutRefresh }).refreshToken).toBeUndefined();
  });

  it('refuses stored data that is not a token set', () => {
    for (const value of [
      null,
      'x',
      { ...fields },
      { version: 2, ...fields },
      { version: 1, ...fields, accessToken: '' },
      { version: 1, ...fields, expiresAt: '2030' },
      { version: 1, ...fields, tokenType: 'mac' },
      { version: 1, ...fields, scopes: [1] },
      { version: 1, ...fields, refreshToken: 5 },
    ]) {
      expect(() => tokenSetFromStorable(value)).toThrow(
        expect.objectContaining({ code: PkceErrorCode.InvalidArgument }),
      );
    }
  });
});

describe('isExpired and canRefresh', () => {
  it('compares expiresAt with the clock and the skew', () => {
    const set = new TokenSet({ ...fields, expiresAt: 10_000 });
    expect(isExpired(set, 0, () => 9_999)).toBe(false);
    expect(isExpired(set, 0, () => 10_000)).toBe(true);
    expect(isExpired(set, 1_000, () => 9_000)).toBe(true);
    expect(isExpired(set, 999, () => 9_000)).toBe(false);
    expect(isExpired(set)).toBe(true);
  });

  it('needs a refresh token and offline.access', () => {
    expect(canRefresh(new TokenSet(fields))).toBe(true);
    expect(canRefresh(new TokenSet({ ...fields, scopes: ['tweet.read'] }))).toBe(false);
    const { refreshToken: _, ...withoutRefresh } = fields;
    expect(canRefresh(new TokenSet(withoutRefresh))).toBe(false);
  });
});
