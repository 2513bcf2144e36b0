import { describe, expect, it } from 'vitest';
import { missingScopes } from './scopes.js';

describe('missingScopes', () => {
  it('lists what a known endpoint needs and the set lacks', () => {
    expect(missingScopes('POST /2/tweets', ['tweet.read', 'users.read'])).toEqual(['tweet.write']);
    expect(missingScopes('GET /2/users/me', ['tweet.read'])).toEqual(['users.read']);
    expect(
      missingScopes('GET /2/users/me', ['tweet.read', 'users.read', 'offline.access']),
    ).toEqual([]);
  });
  it('lets unknown endpoints through', () => {
    expect(missingScopes('GET /2/spaces/:id', [])).toEqual([]);
  });
});
