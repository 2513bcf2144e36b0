// Requests the demo refuses before any route runs: a Host header that is not the demo's own
// (DNS rebinding: another name resolving to 127.0.0.1), and a state-changing POST that comes
// from another site (Sec-Fetch-Site or Origin says so) or lacks the session's CSRF token.
// Every POST changes something (starts a sign-in, posts, refreshes, revokes, signs out,
// obtains or invalidates the bearer token), so every POST is checked.
import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { WebContext } from './context.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { currentSession } from './session.js';

/** The form field that carries the session's CSRF token. */
export const CSRF_FIELD = 'csrf';

/** Refuses requests whose `Host` is not the demo's own origin's (421). */
export function hostCheck(web: WebContext): MiddlewareHandler {
  const expected = new URL(web.origin).host.toLowerCase();
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase();
    if (host !== expected) {
      return c.text(
        `Refused: this demo answers only to ${web.origin} (the request named host "${host.slice(0, 100)}"). Open ${web.origin}/ instead.\n`,
        421,
      );
    }
    await next();
  };
}

/** Why a POST is refused, or undefined when it may go on. */
export async function crossSiteProblem(c: Context, web: WebContext): Promise<string | undefined> {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') {
    return `the browser says it came from another site (Sec-Fetch-Site: ${site.slice(0, 40)})`;
  }
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== web.origin) {
    return `it came from ${origin === 'null' ? 'an opaque origin' : origin.slice(0, 100)}, not ${web.origin}`;
  }
  const session = await currentSession(c, web);
  if (session === undefined) return 'there is no session (cookies off, expired, or signed out)';
  const body = await c.req.parseBody();
  const sent = body[CSRF_FIELD];
  if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
    return 'its CSRF token is missing or not this session’s';
  }
  return undefined;
}

/** Refuses cross-site and tokenless POSTs (403) before they reach a route. */
export function postGuard(web: WebContext): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const problem = await crossSiteProblem(c, web);
    if (problem !== undefined) {
      return c.html(
        layout(
          { title: 'Refused' },
          html`<h1>Refused</h1>
<p id="problem">Nothing was done: this form was refused because ${problem}. Submit forms from the demo’s own pages at <a href="/">${web.origin}</a>.</p>`,
        ),
        403,
      );
    }
    await next();
  };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const X_ORIGINS = [
  'https://x.com',
  'https://api.x.com',
  'https://twitter.com',
  'https://api.twitter.com',
];

/** The Content-Security-Policy: scripts and styles from files of this origin only. */
export function contentSecurityPolicy(web: WebContext): string {
  // Forms post here, and the sign-in forms are redirected to X's consent page: form-action
  // covers redirect targets in Chromium, so X's (or the emulator's) origins are listed.
  const consent = new Set([
    new URL(web.config.oauth1BaseUrl).origin,
    new URL(web.config.pkceEndpoints.authorize).origin,
    // The real X's consent pages may send the browser on between its own hosts.
    ...(web.config.mode === 'x' ? X_ORIGINS : []),
  ]);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    `form-action 'self' ${[...consent].join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}
