// The Web Crypto entry, the Node entry and their CJS builds each carry their own copy of
// OAuth1Error (and of the shared base class): each must recognise the others' errors.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('OAuth1Error across bundles', () => {
  it('is recognised by the guard and instanceof of every other build', async () => {
    const web = await import('../dist/index.js');
    const node = (await import('../dist/node.js')) as typeof web;
    const webCjs = require('../dist/index.cjs') as typeof web;
    const nodeCjs = require('../dist/node.cjs') as typeof web;
    const builds = [web, node, webCjs, nodeCjs];
    expect(new Set(builds.map((build) => build.OAuth1Error)).size).toBe(4);

    for (const thrower of builds) {
      const error = await rejectionOf(
        thrower.signRequest({
          method: 'GET',
          url: 'ftp://api.x.com/',
          consumer: { key: 'k', secret: 's' },
        }),
      );
      for (const checker of builds) {
        expect(checker.isOAuth1Error(error, checker.OAuth1ErrorCode.InvalidUrl)).toBe(true);
        expect(checker.isOAuth1Error(error, checker.OAuth1ErrorCode.InvalidMethod)).toBe(false);
        expect(error instanceof checker.OAuth1Error).toBe(true);
      }
      expect(error).toMatchObject({ name: 'OAuth1Error', retryable: false });
    }
    expect(web.isOAuth1Error(new Error('x'))).toBe(false);
  });
});
