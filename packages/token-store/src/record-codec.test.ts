import { TokenSet, tokenSetFromStorable, tokenSetToStorable } from '@x-oauth/pkce';
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
  key: '123-TOKEN-SECRET',
  secret: 'TS-SECRET',
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

  it('keeps the stored OAuth 1.0a field names of earlier versions, both ways', () => {
    // What every version so far has written: earlier versions must read rows written now,
    // and this one rows written then.
    const stored = {
      format: 1,
      kind: 'oauth1',
      oauth1: {
        token: '123-TOKEN-SECRET',
        tokenSecret: 'TS-SECRET',
        xUserId: '123',
        screenName: 'alice',
        accessLevel: 'read-write',
      },
    };
    expect(JSON.parse(encodeRecordPayload({ kind: 'oauth1', oauth1 }))).toEqual(stored);
    const decoded = decodeRecordPayload(JSON.stringify(stored), 'oauth1');
    expect(decoded.kind === 'oauth1' && { ...decoded.oauth1 }).toEqual({ ...oauth1 });
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
    expect(() => parseOAuth1({ ...oauth1, secret: '' })).toThrow(expect.objectContaining(invalid));
    // The names before the `{ key, secret }` rename get a message that says what to rename.
    const { key, secret, ...rest } = oauth1;
    expect(() => parseOAuth1({ ...rest, token: key, tokenSecret: secret })).toThrow(
      /rename token to key and tokenSecret to secret/,
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

describe('token set checks, against pkce', () => {
  const fields = {
    accessToken: 'AT-SECRET',
    refreshToken: 'RT-SECRET',
    expiresAt: 1_900_000_000_000,
    scopes: ['tweet.read', 'offline.access'],
    tokenType: 'bearer',
  };
  const sparseScopes: string[] = [];
  sparseScopes[1] = 'tweet.read';
  const candidates: unknown[] = [
    fields,
    { ...fields, refreshToken: undefined },
    { ...fields, scopes: [] },
    { ...fields, scopes: sparseScopes },
    { ...fields, accessToken: '' },
    { ...fields, accessToken: 7 },
    { ...fields, refreshToken: '' },
    { ...fields, refreshToken: 5 },
    { ...fields, refreshToken: null },
    { ...fields, expiresAt: '2030' },
    { ...fields, expiresAt: Number.NaN },
    { ...fields, expiresAt: Number.POSITIVE_INFINITY },
    { ...fields, tokenType: 'mac' },
    { ...fields, scopes: 'tweet.read' },
    { ...fields, scopes: ['tweet.read', 1] },
    { ...fields, scopes: undefined },
    { accessToken: 'x' },
    null,
    'token',
  ];

  // The store writes out pkce's checks for speed; both must still agree on every input.
  it('accepts and refuses what tokenSetFromStorable does, with the same result', () => {
    for (const candidate of candidates) {
      let expected: TokenSet | undefined;
      try {
        expected =
          typeof candidate === 'object' && candidate !== null
            ? tokenSetFromStorable({ ...candidate, version: 1 })
            : tokenSetFromStorable(candidate);
      } catch {
        expected = undefined;
      }
      const label = JSON.stringify(candidate);
      if (expected === undefined) {
        expect(() => parseTokenSet(candidate), label).toThrow(
          expect.objectContaining({ code: TokenStoreErrorCode.InvalidArgument }),
        );
        const stored = JSON.stringify({
          format: 1,
          kind: 'oauth2',
          tokenSet: { ...(candidate as object), version: 1 },
        });
        expect(corruptCode(stored), label).toBe(TokenStoreErrorCode.CorruptRow);
      } else {
        const parsed = parseTokenSet(candidate);
        expect(parsed, label).toBeInstanceOf(TokenSet);
        expect(tokenSetToStorable(parsed), label).toEqual(tokenSetToStorable(expected));
        expect(Object.isFrozen(parsed.scopes)).toBe(true);
      }
    }
  });

  it("keeps a valid TokenSet of pkce as it is, and copies a subclass's or a plain object's", () => {
    const set = new TokenSet({ ...fields, tokenType: 'bearer' });
    expect(parseTokenSet(set)).toBe(set);
    // The constructor checks nothing: a TokenSet's fields are still checked before it is kept.
    const empty = new TokenSet({ ...fields, accessToken: '', tokenType: 'bearer' });
    expect(() => parseTokenSet(empty)).toThrow(
      expect.objectContaining({ code: TokenStoreErrorCode.InvalidArgument }),
    );
    class LoggingTokenSet extends TokenSet {}
    const subclassed = new LoggingTokenSet({ ...fields, tokenType: 'bearer' });
    const copied = parseTokenSet(subclassed);
    expect(copied).not.toBe(subclassed);
    expect(Object.getPrototypeOf(copied)).toBe(TokenSet.prototype);
    expect(tokenSetToStorable(copied)).toEqual(tokenSetToStorable(subclassed));
    expect(parseTokenSet({ ...fields })).not.toBe(fields);
  });

  it('refuses a caller object whose getter throws, as an invalid argument', () => {
    const throwing = {
      ...fields,
      get accessToken(): string {
        throw new Error('getter SECRET');
      },
    };
    expect(() => parseTokenSet(throwing)).toThrow(
      expect.objectContaining({ code: TokenStoreErrorCode.InvalidArgument }),
    );
  });

  it('refuses a stored token set of another storable version', () => {
    for (const version of [undefined, 0, 2, '1']) {
      const stored = JSON.stringify({
        format: 1,
        kind: 'oauth2',
        tokenSet: { ...fields, version },
      });
      expect(corruptCode(stored)).toBe(TokenStoreErrorCode.CorruptRow);
    }
  });

  it('encodes exactly the JSON of pkce storable form', () => {
    const withoutRefresh = new TokenSet({
      accessToken: 'AT-SECRET',
      expiresAt: 1,
      scopes: [],
      tokenType: 'bearer',
    });
    // The encoder writes the JSON out by hand: text that needs escaping, odd numbers and
    // scopes must still come out as JSON.stringify writes them.
    const awkward = new TokenSet({
      accessToken: 'quote " backslash \\ slash / newline \n tab \t nul \u0000 del \u007f',
      refreshToken: 'é 漢字 😀 lone \ud800 surrogate \u2028 \u2029',
      expiresAt: -1.5e-7,
      scopes: ['tweet.read', 'a "quoted" \\ scope', '', 'offline.access'],
      tokenType: 'bearer',
    });
    const large = new TokenSet({
      accessToken: 'A'.repeat(5000),
      expiresAt: Number.MAX_SAFE_INTEGER,
      scopes: Array.from({ length: 40 }, (_, index) => `scope.${index}`),
      tokenType: 'bearer',
    });
    const unending = new TokenSet({ ...withoutRefresh, expiresAt: Number.POSITIVE_INFINITY });
    const storedText = (tokenSet: TokenSet) =>
      JSON.stringify({ format: 1, kind: 'oauth2', tokenSet: tokenSetToStorable(tokenSet) });
    // Every UTF-16 code unit, in each kind of text field: escaped exactly where JSON.stringify
    // escapes, written as it is everywhere else.
    const differing: number[] = [];
    for (let unit = 0; unit <= 0xffff; unit++) {
      const text = `a${String.fromCharCode(unit)}b`;
      const tokenSet = new TokenSet({
        accessToken: text,
        refreshToken: text,
        expiresAt: unit,
        scopes: [text, 'tweet.read'],
        tokenType: 'bearer',
      });
      if (encodeRecordPayload({ kind: 'oauth2', tokenSet }) !== storedText(tokenSet)) {
        differing.push(unit);
      }
    }
    expect(differing).toEqual([]);
    for (const tokenSet of [set, withoutRefresh, awkward, large, unending]) {
      const text = encodeRecordPayload({ kind: 'oauth2', tokenSet });
      expect(JSON.parse(text).tokenSet).toEqual(
        JSON.parse(JSON.stringify(tokenSetToStorable(tokenSet))),
      );
      expect(text).toBe(storedText(tokenSet));
    }
  });
});
