// Pure parts of the web app's defences: the Content-Security-Policy for both targets.
import { describe, expect, it } from 'vitest';
import { demoConfig } from '../src/config.js';
import type { WebContext } from '../src/web/context.js';
import { contentSecurityPolicy } from '../src/web/guard.js';

describe('contentSecurityPolicy', () => {
  it('allows no inline script or style, no framing, and forms only to itself and X', () => {
    const config = demoConfig({
      X_API_KEY: 'key',
      X_API_SECRET: 'secret',
      X_CLIENT_ID: 'client',
      X_CALLBACK_URL: 'http://127.0.0.1:3000/callback',
    });
    const csp = contentSecurityPolicy({ config } as WebContext);
    const directives = new Map(
      csp.split('; ').map((part) => [part.split(' ')[0], part.split(' ').slice(1)] as const),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(
      expect.arrayContaining(["'self'", 'https://x.com', 'https://api.x.com']),
    );
    expect(csp).not.toContain('unsafe');
  });
});

describe('SessionStore', () => {
  it('forgets ended and expired sessions, and keeps at most maxSessions', async () => {
    const { SessionStore } = await import('../src/web/sessions.js');
    let now = 1_000;
    const sessions = new SessionStore({ maxAgeMs: 100, maxSessions: 2, now: () => now });
    const first = sessions.create();
    expect(sessions.get(first.id)).toBe(first);
    expect(first.csrfToken).toMatch(/^[\w-]{32}$/);
    expect(first.csrfToken).not.toBe(first.id);
    sessions.delete(first.id);
    expect(sessions.get(first.id)).toBeUndefined();

    const a = sessions.create();
    const b = sessions.create();
    const c = sessions.create();
    expect(sessions.get(a.id)).toBeUndefined();
    expect(sessions.get(b.id)).toBe(b);
    now += 101;
    expect(sessions.get(c.id)).toBeUndefined();
  });
});
