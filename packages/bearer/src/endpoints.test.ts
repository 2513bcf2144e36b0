import { describe, expect, it } from 'vitest';
import { endpointUrl } from './endpoints.js';
import { BearerError, BearerErrorCode } from './errors.js';

function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof BearerError ? error.code : error;
  }
  return undefined;
}

describe('endpointUrl', () => {
  it('defaults to https://api.x.com', () => {
    expect(endpointUrl(undefined, '/oauth2/token').href).toBe('https://api.x.com/oauth2/token');
  });

  it('accepts a string or a URL, with or without a trailing slash, and keeps a path prefix', () => {
    expect(endpointUrl('https://api.x.com/', '/oauth2/token').href).toBe(
      'https://api.x.com/oauth2/token',
    );
    expect(endpointUrl(new URL('https://api.twitter.com'), '/oauth2/token').href).toBe(
      'https://api.twitter.com/oauth2/token',
    );
    expect(endpointUrl('https://proxy.example/x//', '/oauth2/token').href).toBe(
      'https://proxy.example/x/oauth2/token',
    );
    expect(endpointUrl('http://127.0.0.1:4000', '/oauth2/token').href).toBe(
      'http://127.0.0.1:4000/oauth2/token',
    );
  });

  it('refuses plain http to a remote host', () => {
    expect(codeOf(() => endpointUrl('http://api.x.com', '/oauth2/token'))).toBe(
      BearerErrorCode.InsecureEndpoint,
    );
  });

  it('refuses malformed base URLs', () => {
    for (const bad of [
      'api.x.com',
      'ftp://api.x.com',
      'https://k:s@api.x.com',
      'https://api.x.com/?a=1',
      'https://api.x.com/#f',
    ]) {
      expect(codeOf(() => endpointUrl(bad, '/oauth2/token'))).toBe(BearerErrorCode.InvalidArgument);
    }
    // @ts-expect-error: a caller without types may pass anything
    expect(codeOf(() => endpointUrl(42, '/oauth2/token'))).toBe(BearerErrorCode.InvalidArgument);
  });

  it('never puts the userinfo of a refused URL in the message', () => {
    try {
      endpointUrl('https://key:supersecret@api.x.com', '/oauth2/token');
    } catch (error) {
      expect(String(error)).not.toContain('supersecret');
    }
  });
});
