import { describe, expect, it, vi } from 'vitest';
import { isTokenStoreError, TokenStoreError, TokenStoreErrorCode } from './errors.js';

describe('TokenStoreError', () => {
  it('carries a code, retryable, and the cause code', () => {
    const cause = Object.assign(new Error('x'), { code: 'ECONNRESET' });
    const error = new TokenStoreError(TokenStoreErrorCode.BackendError, 'failed', {
      retryable: true,
      cause,
    });
    expect(error).toMatchObject({
      name: 'TokenStoreError',
      code: 'TOKEN_STORE_BACKEND_ERROR',
      retryable: true,
      causeCode: 'ECONNRESET',
    });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(isTokenStoreError(error, TokenStoreErrorCode.BackendError)).toBe(true);
    expect(isTokenStoreError(error, TokenStoreErrorCode.NotFound)).toBe(false);
    expect(isTokenStoreError(new Error('x'))).toBe(false);
    expect(isTokenStoreError(null)).toBe(false);
  });

  it('is instanceof across bundled copies of the class (one per entry point)', async () => {
    // A second copy of the module, as tsup's per-entry bundles make: a fresh module instance.
    vi.resetModules();
    const copy: typeof import('./errors.js') = await import('./errors.js');
    expect(copy.TokenStoreError).not.toBe(TokenStoreError);
    const fromCopy = new copy.TokenStoreError(TokenStoreErrorCode.LockTimeout, 'busy');
    expect(fromCopy instanceof TokenStoreError).toBe(true);
    expect(isTokenStoreError(fromCopy, TokenStoreErrorCode.LockTimeout)).toBe(true);
    expect(new TokenStoreError(TokenStoreErrorCode.LockTimeout, 'busy')).toBeInstanceOf(
      copy.TokenStoreError,
    );
    expect(Object.keys(fromCopy)).not.toContain(
      String(Symbol.for('@x-oauth/token-store/TokenStoreError')),
    );
    expect(JSON.stringify(fromCopy)).not.toContain('Symbol');
  });
});
