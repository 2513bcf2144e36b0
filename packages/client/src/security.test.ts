import { afterEach, describe, expect, it } from 'vitest';
import { XApiErrorCode } from './errors.js';
import { assertSecureEndpoint, assertTlsVerified, tlsVerificationDisabled } from './security.js';

const saved = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
afterEach(() => {
  if (saved === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  else process.env.NODE_TLS_REJECT_UNAUTHORIZED = saved;
});

describe('security rules', () => {
  it('allows https anywhere and http only to loopback', () => {
    expect(() => assertSecureEndpoint(new URL('https://api.x.com'))).not.toThrow();
    expect(() => assertSecureEndpoint(new URL('http://127.0.0.1:8976'))).not.toThrow();
    expect(() => assertSecureEndpoint(new URL('http://localhost:1'))).not.toThrow();
    expect(() => assertSecureEndpoint(new URL('http://api.x.com'))).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InsecureEndpoint }),
    );
    expect(() => assertSecureEndpoint(new URL('https://u:p@api.x.com'))).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InvalidArgument }),
    );
  });

  it('fails closed when certificate checks are off, unless opted in by name', () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    expect(tlsVerificationDisabled()).toBe(true);
    expect(() => assertTlsVerified(false)).toThrow(
      expect.objectContaining({ code: XApiErrorCode.InsecureTls }),
    );
    expect(() => assertTlsVerified(true)).not.toThrow();
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';
    expect(() => assertTlsVerified(false)).not.toThrow();
  });
});
