// The wire log: the session's last 100 requests to X, newest first.
import { Hono } from 'hono';
import type { WebContext } from '../context.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { currentSession } from '../session.js';
import { WIRE_LOG_SIZE } from '../sessions.js';
import { wireEntryView } from '../wire-view.js';

/** The route of `/log`. */
export function logRoutes(web: WebContext): Hono {
  const routes = new Hono();
  routes.get('/log', async (c) => {
    const session = await currentSession(c, web);
    const entries = [...(session?.wire ?? [])].reverse();
    return c.html(
      layout(
        { title: 'Wire log' },
        html`<h1>Wire log</h1>
<p>The last ${WIRE_LOG_SIZE} requests this browser session caused, newest first: method, URL, the <code>Authorization</code> header in parts (secrets and tokens masked), the OAuth 1.0a signature base string, status, rate limit, X's error and time. Open one to see it all.</p>
<div id="wire-log" data-count="${entries.length}">
${entries.length === 0 ? html`<p class="muted">Nothing sent yet.</p>` : entries.map((entry) => wireEntryView(entry))}
</div>`,
      ),
    );
  });
  return routes;
}
