import { TokenSet } from '@x-oauth/pkce';
import { describe, expect, it } from 'vitest';
import { TokenStoreErrorCode } from './errors.js';
import {
  decodeRecordPayload,
  encodeRecordPayload,
  parseOAuth1,
  parseTokenSet,
} from './record-codec.js';
import { OAuth1Credentials } from './types.js';

const set = new TokenSet({
  accessToken: 'AT-SECRET',
  refreshToken: 'RT-SECRET',
  expiresAt: 1_900_000_000_000,
  scopes: ['tweet.read', 'offline.access'],
  tokenType: 'bearer',
});
const oauth1 = new OAuth1Credentials({
  token: '123-TOKEN-SECRET',
  tokenSecret: 'TS-SECRET',
  xUserId: '123',
  screenName: 'alice',
  accessLevel: 'read-write',
});

function corruptCode(plaintext: string, kind: 'oauth1' | 'oauth2' = 'oauth2'): string | undefined {
  try {
    decodeRecordPayload(plaintext, kind);
  } catch (error) {
    expect((error as Error).message).not.toContain('SECRET');
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('record codec', () => {
  it('round-trips an OAuth 2.0 token set, with and without a refresh token', () => {
    const decoded = decodeRecordPayload(
      encodeRecordPayload({ kind: 'oauth2', tokenSet: set }),
      'oauth2',
    );
    expect(decoded.kind).toBe('oauth2');
    if (decoded.kind !== 'oauth2') return;
    expect(decoded.tokenSet).toBeInstanceOf(TokenSet);
    expect({ ...decoded.tokenSet }).toEqual({ ...set });
    const again = decodeRecordPayload(
      encodeRecordPayload({
        kind: 'oauth2',
        tokenSet: new TokenSet({
          accessToken: 'A',
          expiresAt: 1,
          scopes: ['tweet.read'],
          tokenType: 'bearer',
        }),
      }),
      'oauth2',
    );
    expect(again.kind === 'oauth2' && 'refreshToken' in again.tokenSet).toBe(false);
  });

  it('round-trips OAuth 1.0a credentials', () => {
    const text = encodeRecordPayload({ kind: 'oauth1', oauth1 });
    // The plaintext does hold the secrets (it is what gets encrypted)...
    expect(text).toContain('TS-SECRET');
    const decoded = decodeRecordPayload(text, 'oauth1');
    expect(decoded.kind === 'oauth1' && { ...decoded.oauth1 }).toEqual({ ...oauth1 });
    expect(decoded.kind === 'oauth1' && decoded.oauth1).toBeInstanceOf(OAuth1Credentials);
  });

  it('refuses anything else as a corrupt row, without echoing content', () => {
    const corrupt = TokenStoreErrorCode.CorruptRow;
    const good = JSON.parse(encodeRecordPayload({ kind: 'oauth1', oauth1 }));
    expect(corruptCode('not json SECRET')).toBe(corrupt);
    expect(corruptCode('[]')).toBe(corrupt);
    expect(corruptCode('null')).toBe(corrupt);
    expect(corruptCode('"SECRET"')).toBe(corrupt);
    expect(corruptCode(JSON.stringify({ ...good, format: 2 }), 'oauth1')).toBe(corrupt);
    expect(corruptCode(JSON.stringify(good), 'oauth2')).toBe(corrupt);
    expect(corruptCode(JSON.stringify({ ...good, oauth1: undefined }), 'oauth1')).toBe(corrupt);
    expect(
      corruptCode(
        JSON.stringify({ ...good, oauth1: { ...good.oauth1, accessLevel: 'admin' } }),
        'oauth1',
      ),
    ).toBe(corrupt);
    expect(
      corruptCode(JSON.stringify({ ...good, oauth1: { ...good.oauth1, token: 7 } }), 'oauth1'),
    ).toBe(corrupt);
    expect(
      corruptCode(
        JSON.stringify({ format: 1, kind: 'oauth2', tokenSet: { accessToken: 'SECRET' } }),
      ),
    ).toBe(corrupt);
    expect(corruptCode(JSON.stringify({ format: 1, kind: 'oauth2' }))).toBe(corrupt);
  });

  it('validates caller input as invalid arguments', () => {
    const invalid = { code: TokenStoreErrorCode.InvalidArgument };
    expect(() => parseOAuth1({ ...oauth1, tokenSecret: '' })).toThrow(
      expect.objectContaining(invalid),
    );
    expect(() => parseOAuth1(null)).toThrow(expect.objectContaining(invalid));
    expect(() => parseTokenSet({ accessToken: 'x' })).toThrow(expect.objectContaining(invalid));
    expect(() => parseTokenSet('token')).toThrow(expect.objectContaining(invalid));
    // A plain object with a TokenSet's fields is accepted and becomes a (redacting) TokenSet.
    const parsed = parseTokenSet({ ...set });
    expect(parsed).toBeInstanceOf(TokenSet);
    expect(parsed.refreshToken).toBe('RT-SECRET');
  });
});
