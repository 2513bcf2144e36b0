// The wire inspector's HTML: a panel of the requests a page caused, and the log page's table.
// Entries hold masked values only (see wire/authorization.ts); they are escaped like any text.
import type { WireEntry, WireRateLimit } from '../wire/entry.js';
import { html, type SafeHtml } from './html.js';

function windowText(window: WireRateLimit): string {
  return `${window.remaining}/${window.limit} left, resets ${new Date(window.resetAt).toISOString().slice(11, 19)}Z`;
}

function rateLimitText(entry: WireEntry): string {
  return entry.rateLimit === undefined ? 'no rate-limit headers' : windowText(entry.rateLimit);
}

function dailyText(entry: WireEntry): string | undefined {
  const parts = [
    entry.appDaily === undefined ? undefined : `app ${windowText(entry.appDaily)}`,
    entry.userDaily === undefined ? undefined : `user ${windowText(entry.userDaily)}`,
  ].filter((part) => part !== undefined);
  return parts.length === 0 ? undefined : parts.join('; ');
}

/** One request, as a `<details>` element. */
export function wireEntryView(entry: WireEntry): SafeHtml {
  const path = new URL(entry.url).pathname;
  const parameters = entry.authorization.parameters.map(
    (parameter) =>
      html`<tr><td><code>${parameter.name}</code></td><td><code${parameter.masked ? html` class="masked"` : ''}>${parameter.value}</code></td></tr>`,
  );
  const statusClass = entry.status >= 200 && entry.status < 400 ? 'ok' : 'failed';
  return html`<details class="wire-entry" data-method="${entry.method}" data-path="${path}" data-status="${entry.status}" data-pool="${entry.pool ?? ''}" data-via="${entry.via}">
<summary><code class="wire-method">${entry.method}</code> <code class="wire-path">${path}</code> → <span class="wire-status ${statusClass}">${entry.status === 0 ? 'no answer' : entry.status}</span> <span class="muted">${Math.round(entry.durationMs)} ms${entry.attempt > 1 ? `, attempt ${entry.attempt}` : ''}</span>${entry.error === undefined ? '' : html` <span class="wire-error">${entry.error}</span>`}</summary>
<dl>
<dt>URL</dt><dd><code class="wire-url">${entry.url}</code></dd>
<dt>Endpoint</dt><dd><code>${entry.endpoint}</code></dd>
<dt>Pool</dt><dd>${entry.pool === undefined ? html`<span class="muted">none (a token request)</span>` : html`<code class="wire-pool">${entry.pool}</code>`}</dd>
<dt>Authorization</dt><dd><code>${entry.authorization.scheme}</code>${parameters.length === 0 ? '' : html`<table class="wire-auth">${parameters}</table>`}</dd>
${entry.baseString === undefined ? '' : html`<dt>Base string</dt><dd><code class="wire-base-string">${entry.baseString}</code></dd>`}
<dt>Rate limit</dt><dd class="wire-rate-limit">${rateLimitText(entry)}</dd>
${dailyText(entry) === undefined ? '' : html`<dt>Daily caps</dt><dd class="wire-daily">${dailyText(entry)}</dd>`}
<dt>Error</dt><dd>${entry.error ?? html`<span class="muted">none</span>`}</dd>
<dt>Sent at</dt><dd>${new Date(entry.at).toISOString()}</dd>
</dl>
</details>`;
}

/** The panel every page ends with: what this page (and the form that led here) sent to X. */
export function wirePanel(entries: readonly WireEntry[], target: string): SafeHtml {
  return html`<section id="wire" aria-label="Requests to X">
<h2>Requests to ${target} from this page</h2>
${
  entries.length === 0
    ? html`<p class="muted" id="wire-empty">This page sent nothing to X.</p>`
    : entries.map((entry) => wireEntryView(entry))
}
<p class="muted">Secrets and tokens are masked. <a href="/log">The session’s last 100 requests</a>.</p>
</section>`;
}
