// The ESM and CJS builds each carry their own copy of PkceError (and of the shared base
// class): errors from one must still be recognised by the other's guards and instanceof.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('PkceError across bundles', () => {
  it('is recognised by the guards and instanceof of the other build', async () => {
    const esm = await import('../dist/index.js');
    const cjs = require('../dist/index.cjs') as typeof esm;
    expect(esm.PkceError).not.toBe(cjs.PkceError);

    const thrown = (() => {
      try {
        cjs.validateScopes(['not.a.scope']);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(esm.isPkceError(thrown, esm.PkceErrorCode.InvalidScope)).toBe(true);
    expect(thrown instanceof esm.PkceError).toBe(true);

    const dead = new cjs.PkceError(cjs.PkceErrorCode.RefreshTokenDead, 'Authorize again.');
    expect(esm.isDeadGrant(dead)).toBe(true);
    expect(esm.isRetryable(dead)).toBe(false);
    const busy = new cjs.PkceError(cjs.PkceErrorCode.RateLimited, 'Later.', {
      status: 429,
      retryable: true,
      retryAt: new Date(0),
    });
    expect(esm.isRetryable(busy)).toBe(true);
    expect(esm.isPkceError(new Error('x'))).toBe(false);
  });
});
