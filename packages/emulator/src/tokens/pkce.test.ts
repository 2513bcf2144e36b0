import { describe, expect, it } from 'vitest';
import { pkceMatches } from './pkce.js';

describe('pkceMatches', () => {
  it('accepts the RFC 7636 Appendix B vector with S256', () => {
    expect(
      pkceMatches(
        'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
        'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        'S256',
      ),
    ).toBe(true);
  });

  it('refuses a different verifier, and plain compares verbatim', () => {
    expect(pkceMatches('other', 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', 'S256')).toBe(false);
    expect(pkceMatches('challenge', 'challenge', 'plain')).toBe(true);
    // A plain challenge is not accepted as if it were S256.
    expect(pkceMatches('challenge', 'challenge', 'S256')).toBe(false);
  });
});
