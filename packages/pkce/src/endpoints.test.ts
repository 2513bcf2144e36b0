import { describe, expect, it } from 'vitest';
import {
  endpointsFromBaseUrl,
  resolveEndpoints,
  secureEndpointUrl,
  X_ENDPOINTS,
} from './endpoints.js';
import { PkceErrorCode } from './errors.js';

describe('endpoints', () => {
  it("defaults to X's endpoints", () => {
    expect(X_ENDPOINTS).toEqual({
      authorize: 'https://x.com/i/oauth2/authorize',
      token: 'https://api.x.com/2/oauth2/token',
      revoke: 'https://api.x.com/2/oauth2/revoke',
    });
    expect(resolveEndpoints(undefined)).toEqual(X_ENDPOINTS);
    expect(resolveEndpoints({ token: 'https://proxy.example/token' })).toEqual({
      ...X_ENDPOINTS,
      token: 'https://proxy.example/token',
    });
  });

  it('derives all three from one origin, as the emulator serves them', () => {
    expect(endpointsFromBaseUrl('http://127.0.0.1:8080/')).toEqual({
      authorize: 'http://127.0.0.1:8080/i/oauth2/authorize',
      token: 'http://127.0.0.1:8080/2/oauth2/token',
      revoke: 'http://127.0.0.1:8080/2/oauth2/revoke',
    });
    expect(() => endpointsFromBaseUrl('not a url')).toThrow(
      expect.objectContaining({ code: PkceErrorCode.InvalidArgument }),
    );
  });

  it('accepts https anywhere and http on loopback only', () => {
    for (const ok of [
      'https://api.x.com/2/oauth2/token',
      'http://127.0.0.1:1/t',
      'http://localhost:1/t',
      'http://[::1]:1/t',
    ]) {
      expect(secureEndpointUrl(ok, 'token').href).toBe(new URL(ok).href);
    }
    for (const bad of ['http://api.x.com/2/oauth2/token', 'http://10.0.0.1/t', 'ftp://x.com/t']) {
      expect(() => secureEndpointUrl(bad, 'token')).toThrow(
        expect.objectContaining({ code: PkceErrorCode.InsecureEndpoint }),
      );
    }
    expect(() => secureEndpointUrl('https://id:secret@api.x.com/t', 'token')).toThrow(
      expect.objectContaining({ code: PkceErrorCode.InvalidArgument }),
    );
  });
});
