// App-only: the app's bearer token (obtained with the API key and secret, cached), a recent
// search with it, and its invalidation.
import { appOnlyAuth } from '@x-oauth/client';
import { Hono } from 'hono';
import { maskToken } from '../../mask.js';
import type { WebContext } from '../context.js';
import { describeError } from '../describe-error.js';
import { setFlash, takeFlash } from '../flash.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { rateLimitRows, rateLimitTable } from '../rate-limit-view.js';
import { clientFor } from '../user-client.js';
import { parseTweets } from '../x-data.js';

const MAX_QUERY_LENGTH = 512;

/** The routes under /app-only. */
export function appOnlyRoutes(web: WebContext): Hono {
  const routes = new Hono();
  // The consumer key names the app's pools (the provider alone would make them `app:app`).
  const client = clientFor(
    web,
    appOnlyAuth({ provider: web.bearer, appKey: web.config.consumer.key }),
  );

  routes.get('/app-only', async (c) => {
    const flash = await takeFlash(c, web);
    const query = (c.req.query('query') ?? '').trim().slice(0, MAX_QUERY_LENGTH);
    let results: SafeHtml | string = '';
    if (query !== '') {
      try {
        const tweets = parseTweets(
          await client.get('/2/tweets/search/recent', { query: { query } }),
        );
        const items = tweets.map((tweet) => html`<li data-id="${tweet.id}">${tweet.text}</li>`);
        results = html`<h2>Results for <q>${query}</q></h2>
${tweets.length === 0 ? html`<p id="no-results">No Tweet matches.</p>` : html`<ul id="results" class="tweets">${items}</ul>`}`;
      } catch (error) {
        results = html`<p class="flash error" id="problem">Search failed. ${describeError(error)}</p>`;
      }
    }
    // Cached: reading it sends nothing.
    const token = web.bearer.hasToken ? maskToken(await web.bearer.getToken()) : undefined;
    const rows = rateLimitRows(await client.rateLimits(), client.identity);
    return c.html(
      layout(
        { title: 'App-only', flash },
        html`<h1>App-only (OAuth 2.0 bearer token)</h1>
<p>The app acts as itself, not as a user: the API key and secret buy one bearer token (<code>POST /oauth2/token</code>), cached and shared by every request.</p>
<h2>Bearer token</h2>
<p>${token === undefined ? html`<span id="bearer-token" data-state="none">none cached</span>` : html`<span class="token" id="bearer-token" data-state="cached">${token}</span>`}</p>
<form method="post" action="/app-only/token" class="inline"><button type="submit" id="obtain-token" class="secondary">Obtain</button></form>
<form method="post" action="/app-only/invalidate" class="inline"><button type="submit" id="invalidate-token">Invalidate</button></form>
<h2>Recent search</h2>
<form method="get" action="/app-only" id="search-form">
<p><input type="text" name="query" id="query" value="${query}" placeholder="xoauth" maxlength="${MAX_QUERY_LENGTH}" required></p>
<p><button type="submit" id="search">Search (GET /2/tweets/search/recent)</button></p>
</form>
${results}
<h2>Rate limits</h2>
${rateLimitTable(rows, '/app-only/rate-limits.json')}`,
      ),
    );
  });

  routes.get('/app-only/rate-limits.json', async (c) =>
    c.json(rateLimitRows(await client.rateLimits(), client.identity)),
  );

  routes.post('/app-only/token', async (c) => {
    try {
      const token = await web.bearer.getToken();
      await setFlash(c, web, { kind: 'ok', text: `Bearer token ${maskToken(token)} is ready.` });
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `No token. ${describeError(error)}` });
    }
    return c.redirect('/app-only', 303);
  });

  routes.post('/app-only/invalidate', async (c) => {
    try {
      await web.bearer.invalidate();
      await setFlash(c, web, {
        kind: 'ok',
        text: 'Invalidated the bearer token at X; the next request obtains a new one.',
      });
    } catch (error) {
      await setFlash(c, web, {
        kind: 'error',
        text: `Invalidation failed. ${describeError(error)}`,
      });
    }
    return c.redirect('/app-only', 303);
  });

  return routes;
}
