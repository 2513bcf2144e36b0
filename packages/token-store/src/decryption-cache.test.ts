import { TokenSet } from '@x-oauth/pkce';
import { describe, expect, it } from 'vitest';
import { DecryptionCache } from './decryption-cache.js';
import type { RecordPayload } from './record-codec.js';

const alice = { appId: 'app', userId: 'alice' };
const bob = { appId: 'app', userId: 'bob' };

function payload(label: string): RecordPayload {
  return {
    kind: 'oauth2',
    tokenSet: new TokenSet({
      accessToken: `${label}-access`,
      expiresAt: 1,
      scopes: ['tweet.read'],
      tokenType: 'bearer',
    }),
  };
}

function owner(index: number) {
  return { appId: 'app', userId: `user-${index}` };
}

describe('DecryptionCache', () => {
  it('answers only for the same owner, envelope text, key id and kind', () => {
    const cache = new DecryptionCache(10);
    const remembered = payload('alice');
    cache.remember(alice, 'xts1.k1.iv.body', 'k1', 'oauth2', remembered);
    expect(cache.lookup(alice, 'xts1.k1.iv.body', 'k1', 'oauth2')).toBe(remembered);
    // An equal string built elsewhere is the same bytes, so it hits too.
    expect(cache.lookup(alice, ['xts1', 'k1', 'iv', 'body'].join('.'), 'k1', 'oauth2')).toBe(
      remembered,
    );
    expect(cache.lookup(alice, 'xts1.k1.iv.bodY', 'k1', 'oauth2')).toBeUndefined();
    expect(cache.lookup(alice, 'xts1.k1.iv.body ', 'k1', 'oauth2')).toBeUndefined();
    expect(cache.lookup(alice, 'xts1.k1.iv.body', 'k2', 'oauth2')).toBeUndefined();
    expect(cache.lookup(alice, 'xts1.k1.iv.body', 'k1', 'oauth1')).toBeUndefined();
    expect(cache.lookup(bob, 'xts1.k1.iv.body', 'k1', 'oauth2')).toBeUndefined();
    expect(
      cache.lookup({ appId: 'other', userId: 'alice' }, 'xts1.k1.iv.body', 'k1', 'oauth2'),
    ).toBeUndefined();
  });

  it('keeps one entry per owner, the latest', () => {
    const cache = new DecryptionCache(10);
    cache.remember(alice, 'first', 'k1', 'oauth2', payload('first'));
    const second = payload('second');
    cache.remember(alice, 'second', 'k1', 'oauth2', second);
    expect(cache.size).toBe(1);
    expect(cache.lookup(alice, 'first', 'k1', 'oauth2')).toBeUndefined();
    expect(cache.lookup(alice, 'second', 'k1', 'oauth2')).toBe(second);
  });

  it('forgets an owner, and everything on clear', () => {
    const cache = new DecryptionCache(10);
    cache.remember(alice, 'a', 'k1', 'oauth2', payload('a'));
    cache.remember(bob, 'b', 'k1', 'oauth2', payload('b'));
    cache.forget(alice);
    expect(cache.lookup(alice, 'a', 'k1', 'oauth2')).toBeUndefined();
    expect(cache.lookup(bob, 'b', 'k1', 'oauth2')).toBeDefined();
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.lookup(bob, 'b', 'k1', 'oauth2')).toBeUndefined();
    // Usable again after a clear.
    cache.remember(bob, 'b', 'k1', 'oauth2', payload('b'));
    expect(cache.lookup(bob, 'b', 'k1', 'oauth2')).toBeDefined();
  });

  it('never holds more than its size, evicting entries not read since the hand passed', () => {
    const cache = new DecryptionCache(3);
    for (const index of [0, 1, 2])
      cache.remember(owner(index), `e${index}`, 'k1', 'oauth2', payload(`${index}`));
    // user-0 is read, so it is spared once: user-1 goes first.
    expect(cache.lookup(owner(0), 'e0', 'k1', 'oauth2')).toBeDefined();
    cache.remember(owner(3), 'e3', 'k1', 'oauth2', payload('3'));
    expect(cache.size).toBe(3);
    expect(cache.lookup(owner(1), 'e1', 'k1', 'oauth2')).toBeUndefined();
    expect(cache.lookup(owner(0), 'e0', 'k1', 'oauth2')).toBeDefined();
    for (let index = 4; index < 100; index++) {
      cache.remember(owner(index), `e${index}`, 'k1', 'oauth2', payload(`${index}`));
      expect(cache.size).toBeLessThanOrEqual(3);
    }
    expect(cache.lookup(owner(99), 'e99', 'k1', 'oauth2')).toBeDefined();
  });

  it('reuses the slot of a forgotten entry before evicting another', () => {
    const cache = new DecryptionCache(2);
    cache.remember(alice, 'a', 'k1', 'oauth2', payload('a'));
    cache.remember(bob, 'b', 'k1', 'oauth2', payload('b'));
    cache.forget(alice);
    cache.remember(owner(1), 'c', 'k1', 'oauth2', payload('c'));
    expect(cache.size).toBe(2);
    expect(cache.lookup(bob, 'b', 'k1', 'oauth2')).toBeDefined();
    expect(cache.lookup(owner(1), 'c', 'k1', 'oauth2')).toBeDefined();
  });

  it('holds nothing at size 0', () => {
    const cache = new DecryptionCache(0);
    cache.remember(alice, 'a', 'k1', 'oauth2', payload('a'));
    expect(cache.size).toBe(0);
    expect(cache.lookup(alice, 'a', 'k1', 'oauth2')).toBeUndefined();
  });
});
