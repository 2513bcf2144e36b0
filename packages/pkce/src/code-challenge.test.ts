import { describe, expect, it } from 'vitest';
import {
  computeCodeChallenge,
  generateCodeVerifier,
  isValidCodeVerifier,
} from './code-challenge.js';
import { PkceErrorCode } from './errors.js';

describe('computeCodeChallenge', () => {
  it('matches the RFC 7636 Appendix B vector', async () => {
    await expect(computeCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('returns the verifier itself for plain', async () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    await expect(computeCodeChallenge(verifier, 'plain')).resolves.toBe(verifier);
  });

  it('refuses verifiers RFC 7636 §4.1 does not allow', async () => {
    for (const bad of [
      'short',
      'a'.repeat(42),
      'a'.repeat(129),
      `${'a'.repeat(42)} `,
      `${'a'.repeat(42)}+`,
    ]) {
      await expect(computeCodeChallenge(bad)).rejects.toMatchObject({
        code: PkceErrorCode.InvalidArgument,
      });
    }
    await expect(computeCodeChallenge('a'.repeat(43))).resolves.toHaveLength(43);
    await expect(computeCodeChallenge(`${'a'.repeat(124)}-._~`)).resolves.toHaveLength(43);
  });
});

describe('generateCodeVerifier', () => {
  it('is 43 base64url characters from 32 random bytes', () => {
    let requested = 0;
    const verifier = generateCodeVerifier((bytes) => {
      requested = bytes.length;
      bytes.fill(0xff);
    });
    expect(requested).toBe(32);
    expect(verifier).toBe(`${'_'.repeat(42)}8`);
    expect(isValidCodeVerifier(verifier)).toBe(true);
  });

  it('differs every time with the default random source', () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => generateCodeVerifier()));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
