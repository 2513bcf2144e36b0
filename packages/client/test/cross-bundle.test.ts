// The ESM and CJS builds each carry their own copy of XApiError and RateLimitError (and of the
// shared base class): errors from one must be recognised by the other's guards and instanceof.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('XApiError across bundles', () => {
  it('is recognised by the guards and instanceof of the other build, subclass included', async () => {
    const esm = await import('../dist/index.js');
    const cjs = require('../dist/index.cjs') as typeof esm;
    expect(esm.XApiError).not.toBe(cjs.XApiError);

    const limited = cjs.parseXError(
      429,
      { errors: [{ code: 88, message: 'x' }] },
      {
        retryAfterAt: new Date(1_700_000_000_000),
      },
    );
    expect(limited instanceof esm.RateLimitError).toBe(true);
    expect(limited instanceof esm.XApiError).toBe(true);
    expect(esm.isXApiError(limited, esm.XApiErrorCode.RateLimited)).toBe(true);
    expect(esm.isXOAuthError(limited, esm.XApiErrorCode.RateLimited)).toBe(true);
    expect(limited).toMatchObject({
      name: 'RateLimitError',
      retryable: true,
      retryAt: new Date(1_700_000_000_000),
    });

    const invalid = cjs.parseXError(401, { errors: [{ code: 89, message: 'x' }] });
    expect(invalid instanceof esm.XApiError).toBe(true);
    expect(invalid instanceof esm.RateLimitError).toBe(false);
    expect(esm.isXApiError(invalid, esm.XApiErrorCode.InvalidToken)).toBe(true);
    expect(esm.isXApiError(new Error('x'))).toBe(false);
  });

  it('isXOAuthError matches the errors of the other x-oauth packages, each bundled on its own', async () => {
    const { isXOAuthError } = await import('../dist/index.js');
    const { PkceError, PkceErrorCode } = await import('@x-oauth/pkce');
    const { BearerError, BearerErrorCode } = await import('@x-oauth/bearer');
    const pkce = new PkceError(PkceErrorCode.RateLimited, 'Later.', {
      status: 429,
      retryAt: new Date(0),
    });
    expect(isXOAuthError(pkce, PkceErrorCode.RateLimited)).toBe(true);
    expect(isXOAuthError(new BearerError(BearerErrorCode.InvalidToken, 'x'))).toBe(true);
    expect(isXOAuthError(Object.assign(new Error('x'), { code: PkceErrorCode.RateLimited }))).toBe(
      false,
    );
  });
});
