import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isSecureEndpoint } from './secure-endpoint.js';

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'LOCALHOST',
    'emulator.localhost',
    'localhost.',
    '127.0.0.1',
    '127.1.2.3',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '[0::1]',
  ])('accepts %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    'example.com',
    'api.x.com',
    '127.0.0.1.evil.com',
    'localhost.evil.com',
    '[::2]',
    'localhost.example.com',
    '128.0.0.1',
    '127.0.0.256',
    '10.0.0.1',
    '0.0.0.0',
    '::',
    '::2',
    '[::ffff:1]',
    '1::1',
    '',
  ])('refuses %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('isSecureEndpoint', () => {
  it('allows https anywhere and http only to loopback, as the URL parser normalises hosts', () => {
    expect(isSecureEndpoint(new URL('https://api.x.com/oauth2/token'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://127.0.0.1:8080'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://[::1]:8080'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://[0:0:0:0:0:0:0:1]/'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://127.1/'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://LocalHost:1/'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://api.x.com/'))).toBe(false);
    expect(isSecureEndpoint(new URL('http://127.0.0.1.nip.io/'))).toBe(false);
    expect(isSecureEndpoint(new URL('ftp://127.0.0.1/'))).toBe(false);
  });
});
