import { describe, expect, it } from 'vitest';
import { budgets, kb, measure } from './size-budgets.mjs';

// These bundle the built packages (dist): `turbo run build` runs before the scripts' tests.
describe('size budgets', () => {
  it('has the three budgets of the release issue', () => {
    expect(budgets.map((b) => [b.pkg, b.limit])).toEqual([
      ['oauth1-signature', 3072],
      ['pkce', 6144],
      ['bearer', 4096],
    ]);
  });

  it('tree-shakes: an error class alone is far smaller than signRequest', async () => {
    const errorOnly = await measure({ pkg: 'oauth1-signature', imports: ['OAuth1Error'] });
    const signer = await measure({ pkg: 'oauth1-signature', imports: ['signRequest'] });
    // The module-level signer and verifier are marked pure, so importing neither drops both.
    expect(errorOnly.gzipped * 3).toBeLessThan(signer.gzipped);
    expect(signer.gzipped).toBeLessThan(signer.minified);
    expect(Object.keys(signer.inputs)).toContain('packages/oauth1-signature/dist/index.js');
  });

  it('bundles the browser build, never the node:crypto one', async () => {
    const signer = await measure({ pkg: 'oauth1-signature', imports: ['signRequest'] });
    expect(Object.keys(signer.inputs).some((file) => file.endsWith('dist/node.js'))).toBe(false);
  });

  it('counts code behind a dynamic import apart, as loaded on first use', async () => {
    // bearer's provider imports the OAuth 1.0a signer only when it invalidates a token.
    const provider = await measure({ pkg: 'bearer', imports: ['BearerTokenProvider'] });
    expect(provider.onFirstUse?.gzipped).toBeGreaterThan(2000);
    expect(Object.keys(provider.inputs).some((file) => file.includes('oauth1-signature'))).toBe(
      false,
    );
    const signer = await measure({ pkg: 'oauth1-signature', imports: ['signRequest'] });
    expect(signer.onFirstUse).toBeUndefined();
  });

  it('names an import the package does not export', async () => {
    await expect(measure({ pkg: 'bearer', imports: ['noSuchExport'] })).rejects.toThrow(
      /noSuchExport/,
    );
  });

  it('formats kilobytes', () => {
    expect(kb(3072)).toBe('3.00 KB');
    expect(kb(1536)).toBe('1.50 KB');
  });
});
