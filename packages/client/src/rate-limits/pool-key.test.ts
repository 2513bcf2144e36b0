import { describe, expect, it } from 'vitest';
import { endpointName, endpointTemplate, poolKey } from './pool-key.js';

describe('endpointTemplate', () => {
  it.each([
    ['/2/tweets/1460323737035677698', '/2/tweets/:id'],
    ['/2/users/2244994945/tweets', '/2/users/:id/tweets'],
    ['/2/users/by/username/XDevelopers', '/2/users/by/username/:username'],
    ['/2/tweets/search/recent?query=x', '/2/tweets/search/recent'],
    ['/2/users/me/', '/2/users/me'],
    ['/1.1/statuses/update.json', '/1.1/statuses/update.json'],
    ['/', '/'],
  ])('%s -> %s', (path, template) => {
    expect(endpointTemplate(path)).toBe(template);
  });
});

describe('poolKey', () => {
  it('is the same for api.x.com and api.twitter.com, and for any id', () => {
    const a = poolKey('user:app:1', 'get', 'https://api.x.com/2/tweets/1?expansions=x');
    const b = poolKey('user:app:1', 'GET', 'https://api.twitter.com/2/tweets/2');
    expect(a).toBe(b);
    expect(a).toBe('user:app:1 GET /2/tweets/:id');
  });
  it("keeps the app's pool apart from each user's, and the daily pools apart", () => {
    expect(poolKey('app:k', 'GET', '/2/tweets')).not.toBe(poolKey('user:k:1', 'GET', '/2/tweets'));
    expect(poolKey('user:k:1', 'GET', '/2/tweets')).not.toBe(
      poolKey('user:k:2', 'GET', '/2/tweets'),
    );
    expect(poolKey('app:k', 'POST', '/2/tweets', 'app-24h')).toBe('app:k POST /2/tweets|app-24h');
    expect(endpointName('post', '/2/tweets')).toBe('POST /2/tweets');
  });
});
