// The frame every page shares: title, navigation, a one-time message, the page's content.
import { type HtmlValue, html, type SafeHtml } from './html.js';

/** A one-time message shown at the top of the next page (see flash.ts). */
export interface Flash {
  readonly kind: 'ok' | 'error';
  readonly text: string;
}

/** What the frame needs besides the content. */
export interface LayoutOptions {
  readonly title: string;
  readonly flash?: Flash | undefined;
  /** Extra markup for `<head>` (a refresh script, for example). */
  readonly head?: SafeHtml | undefined;
}

/** A whole page. */
export function layout(options: LayoutOptions, content: HtmlValue): string {
  const flash =
    options.flash === undefined
      ? ''
      : html`<p class="flash ${options.flash.kind}" role="status" id="flash">${options.flash.text}</p>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · x-oauth demo</title>
<link rel="stylesheet" href="/style.css">
<script src="/app.js" defer></script>
${options.head}
</head>
<body>
<header><nav>
<strong><a href="/">x-oauth demo</a></strong>
<a href="/oauth2">OAuth 2.0 (PKCE)</a>
<a href="/oauth1">Sign in with X (OAuth 1.0a)</a>
<a href="/app-only">App-only</a>
<a href="/me">My page</a>
<a href="/log">Wire log</a>
</nav></header>
<main>
${flash}
${content}
</main>
</body>
</html>`.value;
}
