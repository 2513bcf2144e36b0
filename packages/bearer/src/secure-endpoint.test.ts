import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isSecureEndpoint } from './secure-endpoint.js';

describe('isLoopbackHost', () => {
  it.each(['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])(
    '%s is loopback',
    (host) => expect(isLoopbackHost(host)).toBe(true),
  );
  it.each(['api.x.com', '10.0.0.1', '127.0.0.1.evil.com', 'localhost.evil.com', '[::2]'])(
    '%s is not loopback',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );
});

describe('isSecureEndpoint', () => {
  it('accepts https anywhere and http only on loopback', () => {
    expect(isSecureEndpoint(new URL('https://api.x.com'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://127.0.0.1:8080'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://[::1]:8080'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://localhost'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://api.x.com'))).toBe(false);
    expect(isSecureEndpoint(new URL('ftp://127.0.0.1'))).toBe(false);
  });
});
