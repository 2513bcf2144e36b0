// The ESM and CJS builds each carry their own copy of BearerError (and of the shared base
// class): errors from one must still be recognised by the other.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('BearerError across bundles', () => {
  it('is recognised by the guard and instanceof of the other build', async () => {
    const esm = await import('../dist/index.js');
    const cjs = require('../dist/index.cjs') as typeof esm;
    expect(esm.BearerError).not.toBe(cjs.BearerError);

    const fromCjs = new cjs.BearerError(cjs.BearerErrorCode.TooManyRequests, 'Slow down.', {
      status: 429,
      retryAt: new Date(1_700_000_000_000),
    });
    expect(esm.isBearerError(fromCjs)).toBe(true);
    expect(esm.isBearerError(fromCjs, esm.BearerErrorCode.TooManyRequests)).toBe(true);
    expect(esm.isBearerError(fromCjs, esm.BearerErrorCode.InvalidToken)).toBe(false);
    expect(fromCjs instanceof esm.BearerError).toBe(true);
    expect(fromCjs.name).toBe('BearerError');

    // A real failure thrown by the CJS build, checked with the ESM guard.
    const thrown = await cjs
      .obtainBearerToken({ consumer: { key: '', secret: 's' } })
      .catch((error: unknown) => error);
    expect(esm.isBearerError(thrown, esm.BearerErrorCode.InvalidArgument)).toBe(true);
    expect(new Error('x') instanceof esm.BearerError).toBe(false);
  });
});
