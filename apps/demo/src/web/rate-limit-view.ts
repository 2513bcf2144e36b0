// The rate-limit pools a page shows: those of one identity (a user, or the app), plus the
// app's 24-hour caps every user shares. Identities name ids, never tokens; they are left out
// of the view all the same, as the table is about endpoints.
import type { RateLimitPool } from '@x-oauth/client';
import { html, type SafeHtml } from './html.js';

/** One row of the table (also the JSON the live refresh fetches). */
export interface RateLimitRow {
  readonly pool: string;
  readonly kind: string;
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: string;
}

/**
 * The pools of `identity` and the daily caps of its own app (`app:<appKey>`), by name. The
 * daily caps of the demo's other app key (OAuth 1.0a and app-only count against the consumer
 * key, OAuth 2.0 users against the client id) are not this identity's: showing them made the
 * same pool name appear twice with different counts.
 */
export function rateLimitRows(pools: readonly RateLimitPool[], identity: string): RateLimitRow[] {
  const appKey = identity.split(':')[1] ?? '';
  const ownApp = `app:${appKey} `;
  return pools
    .filter(
      (pool) =>
        pool.key.startsWith(`${identity} `) ||
        (pool.key.startsWith(ownApp) && pool.key.endsWith('|app-24h')),
    )
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((pool) => ({
      pool: pool.key.split(' ').slice(1).join(' '),
      kind: pool.kind,
      limit: pool.limit,
      remaining: pool.remaining,
      resetAt: new Date(pool.resetAt).toISOString(),
    }));
}

/** The table, with an id the live refresh script fills. */
export function rateLimitTable(rows: readonly RateLimitRow[], source: string): SafeHtml {
  const body = rows.map(
    (row) =>
      html`<tr><td><code>${row.pool}</code></td><td>${row.kind}</td><td>${row.remaining} / ${row.limit}</td><td>${row.resetAt}</td></tr>`,
  );
  // /app.js re-reads the rows from `source` every three seconds.
  return html`<table id="rate-limits" data-source="${source}">
<thead><tr><th>Pool</th><th>Kind</th><th>Remaining</th><th>Resets at</th></tr></thead>
<tbody>${body}</tbody>
</table>
<p class="muted" id="rate-limits-updated">Updated live every 3 seconds from the answers' <code>x-rate-limit-*</code> headers.</p>`;
}
