// The front page: what the demo points at, who is signed in, and the flows.
import { Hono } from 'hono';
import type { WebContext } from '../context.js';
import { takeFlash } from '../flash.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { sessionUserId } from '../session.js';

/** The route of `/`. */
export function homeRoutes(web: WebContext): Hono {
  const routes = new Hono();

  routes.get('/', async (c) => {
    const flash = await takeFlash(c, web);
    const userId = await sessionUserId(c, web);
    const record =
      userId === undefined ? undefined : await web.store.reader.get(web.config.appId, userId);
    const status =
      record === undefined
        ? html`<p id="session" data-signed-in="false">Not signed in.</p>`
        : html`<p id="session" data-signed-in="true">Signed in as user <code>${record.userId}</code> (${record.kind === 'oauth1' ? 'OAuth 1.0a' : 'OAuth 2.0'}): <a href="/me">your page</a>.</p>`;
    const target =
      web.config.mode === 'emulator'
        ? html`the local X emulator at <code>${web.config.apiBaseUrl}</code>`
        : html`the real X (<code>${web.config.apiBaseUrl}</code>)`;
    return c.html(
      layout(
        { title: 'Home', flash },
        html`<h1>x-oauth demo</h1>
<p>Every way to authenticate to the X API, with the <code>@x-oauth</code> packages, against ${target}.</p>
${status}
<ul>
<li><a href="/oauth2">OAuth 2.0 with PKCE</a>: pick scopes, sign in, see the token set's scopes and expiry, refresh, revoke.</li>
<li><a href="/oauth1">Sign in with X (OAuth 1.0a)</a>: <code>authenticate</code> and <code>authorize</code>.</li>
<li><a href="/me">Your page</a>: who you are, post, your stored token (masked), your rate limits, live.</li>
<li><a href="/app-only">App-only</a>: the app's bearer token, a recent search, invalidation.</li>
</ul>
<p class="muted">Tokens are kept encrypted in <code>@x-oauth/token-store</code>; cookies hold sealed values only, and never a token.</p>`,
      ),
    );
  });

  return routes;
}
