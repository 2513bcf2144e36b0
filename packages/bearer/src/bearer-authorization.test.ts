import { describe, expect, it } from 'vitest';
import { TOKEN } from '../test/fake-fetch.js';
import { bearerAuthorization } from './bearer-authorization.js';
import { BearerErrorCode } from './errors.js';

describe('bearerAuthorization', () => {
  it('builds the header value with the token verbatim', () => {
    expect(bearerAuthorization(TOKEN)).toBe(`Bearer ${TOKEN}`);
    expect(bearerAuthorization('AAAA%2FAAA%3DAAAAAAAA')).toBe('Bearer AAAA%2FAAA%3DAAAAAAAA');
  });

  it.each(['', ' ', 'a b', 'a\r\nX-Injected: 1', 'é'])('refuses %j without echoing it', (token) => {
    expect(() => bearerAuthorization(token)).toThrow(
      expect.objectContaining({ code: BearerErrorCode.InvalidArgument }),
    );
  });

  it('refuses non-strings', () => {
    // @ts-expect-error: callers without types may pass anything
    expect(() => bearerAuthorization(undefined)).toThrow(/bearer token/);
  });
});
