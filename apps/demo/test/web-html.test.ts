// The pure parts of the web app: escaping, X's JSON narrowed, the rate-limit view.
import { describe, expect, it } from 'vitest';
import { escapeHtml, html } from '../src/web/html.js';
import { rateLimitRows } from '../src/web/rate-limit-view.js';
import { parseTweets, parseUser } from '../src/web/x-data.js';

describe('html', () => {
  it('escapes every interpolated value, but not HTML it made itself', () => {
    const name = '<script>alert("x")</script> & \'you\'';
    expect(escapeHtml(name)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;you&#39;',
    );
    const inner = html`<b>${name}</b>`;
    expect(
      html`<p title="${name}">${inner}${[html`<i>1</i>`, '<2>']}${undefined}${false}</p>`.value,
    ).toBe(`<p title="${escapeHtml(name)}"><b>${escapeHtml(name)}</b><i>1</i>&lt;2&gt;</p>`);
  });
});

describe('x-data', () => {
  it('narrows users and Tweets, and refuses what it does not know', () => {
    expect(parseUser({ data: { id: '1', name: 'A', username: 'a', extra: true } })).toEqual({
      id: '1',
      name: 'A',
      username: 'a',
    });
    expect(() => parseUser({ data: { id: 1, name: 'A', username: 'a' } })).toThrow(/"id"/);
    expect(parseTweets({ meta: { result_count: 0 } })).toEqual([]);
    expect(parseTweets({ data: [{ id: '2', text: 'hi' }] })).toEqual([{ id: '2', text: 'hi' }]);
    expect(() => parseTweets({ data: {} })).toThrow(/not a list/);
  });
});

describe('rateLimitRows', () => {
  it('keeps the identity and the app-wide daily caps, without the identity', () => {
    const pool = (key: string, kind: 'window' | 'app-24h' | 'user-24h') => ({
      key,
      kind,
      limit: 10,
      remaining: 9,
      resetAt: Date.UTC(2026, 0, 1),
    });
    const rows = rateLimitRows(
      [
        pool('user:key:42 GET /2/users/me', 'window'),
        pool('user:key:7 GET /2/users/me', 'window'),
        pool('user:key:42 POST /2/tweets|user-24h', 'user-24h'),
        pool('app:key POST /2/tweets|app-24h', 'app-24h'),
      ],
      'user:key:42',
    );
    expect(rows.map((row) => row.pool)).toEqual([
      'POST /2/tweets|app-24h',
      'GET /2/users/me',
      'POST /2/tweets|user-24h',
    ]);
    expect(rows[0]).toEqual({
      pool: 'POST /2/tweets|app-24h',
      kind: 'app-24h',
      limit: 10,
      remaining: 9,
      resetAt: '2026-01-01T00:00:00.000Z',
    });
  });
});
