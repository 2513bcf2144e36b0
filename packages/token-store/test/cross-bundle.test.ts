// Every entry point (main, sqlite, postgres, redis) and both builds (ESM, CJS) carry their own
// copy of TokenStoreError and of the shared base class: each must recognise the others' errors.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

describe('TokenStoreError across bundles', () => {
  it('is recognised by the guard and instanceof of every other build and entry', async () => {
    const esm = await import('../dist/index.js');
    const cjs = require('../dist/index.cjs') as typeof esm;
    const sqliteEsm = await import('../dist/sqlite.js');
    const sqliteCjs = require('../dist/sqlite.cjs') as typeof sqliteEsm;
    expect(esm.TokenStoreError).not.toBe(cjs.TokenStoreError);

    const thrown: unknown[] = [];
    for (const create of [sqliteEsm.createSqliteBackend, sqliteCjs.createSqliteBackend]) {
      try {
        create({ path: '' });
      } catch (error) {
        thrown.push(error);
      }
    }
    try {
      cjs.createKeyring({ currentKeyId: 'k1', keys: { k1: 'too short' } });
    } catch (error) {
      thrown.push(error);
    }
    expect(thrown).toHaveLength(3);
    for (const error of thrown) {
      for (const build of [esm, cjs]) {
        expect(build.isTokenStoreError(error)).toBe(true);
        expect(error instanceof build.TokenStoreError).toBe(true);
        expect(build.isTokenStoreError(error, build.TokenStoreErrorCode.InvalidConfig)).toBe(true);
        expect(build.isTokenStoreError(error, build.TokenStoreErrorCode.NotFound)).toBe(false);
      }
    }
    expect(esm.isTokenStoreError(new Error('x'))).toBe(false);
  });
});
