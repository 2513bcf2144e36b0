import { describe, expect, it } from 'vitest';
import { codeOf, isXOAuthError, XOAuthError } from './error.js';

class PackageError extends XOAuthError<'PKG_A' | 'PKG_B'> {
  static override readonly brand: string = '@x-oauth/test/PackageError';
}
class LimitError extends PackageError {
  static override readonly brand: string = '@x-oauth/test/LimitError';
}

// What a second bundle of the same package holds: another class object with the same brand.
function loadSecondCopy() {
  class PackageErrorCopy extends XOAuthError<'PKG_A' | 'PKG_B'> {
    static override readonly brand: string = '@x-oauth/test/PackageError';
  }
  return PackageErrorCopy;
}

describe('XOAuthError', () => {
  it('carries code, status, retryable and retryAt', () => {
    const retryAt = new Date(1_700_000_000_000);
    const error = new PackageError('PKG_A', 'Try later.', { status: 429, retryAt });
    expect(error).toMatchObject({ code: 'PKG_A', status: 429, retryable: true, retryAt });
    expect(error.name).toBe('PackageError');
    expect(error.message).toBe('Try later.');
    expect(new PackageError('PKG_B', 'No.').retryable).toBe(false);
    expect(new PackageError('PKG_B', 'No.', { retryable: true }).retryAt).toBeUndefined();
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'PackageError',
      code: 'PKG_A',
      message: 'Try later.',
      status: 429,
      retryable: true,
      retryAt: '2023-11-14T22:13:20.000Z',
    });
  });

  it('is recognised across copies of the class by brand, subclasses included', () => {
    const Copy = loadSecondCopy();
    const fromCopy = new Copy('PKG_A', 'x');
    expect(fromCopy instanceof PackageError).toBe(true);
    expect(new PackageError('PKG_A', 'x') instanceof Copy).toBe(true);
    expect(new LimitError('PKG_A', 'x') instanceof PackageError).toBe(true);
    expect(new LimitError('PKG_A', 'x') instanceof Error).toBe(true);
    expect(fromCopy instanceof LimitError).toBe(false);
    expect(new Error('x') instanceof PackageError).toBe(false);
    expect({ code: 'PKG_A' } instanceof PackageError).toBe(false);
  });

  it('has a guard that matches any x-oauth error and, optionally, its code', () => {
    const error = new (loadSecondCopy())('PKG_A', 'x');
    expect(isXOAuthError(error)).toBe(true);
    expect(isXOAuthError(error, 'PKG_A')).toBe(true);
    expect(isXOAuthError(error, 'PKG_B')).toBe(false);
    expect(isXOAuthError(new Error('x'))).toBe(false);
    expect(isXOAuthError(undefined)).toBe(false);
  });

  it('keeps the cause', () => {
    const cause = new Error('socket hang up');
    expect(new PackageError('PKG_A', 'x', { cause }).cause).toBe(cause);
  });
});

describe('codeOf', () => {
  it('reads a string code only', () => {
    expect(codeOf(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
    expect(codeOf({ code: 5 })).toBeUndefined();
    expect(codeOf(null)).toBeUndefined();
  });
});
