// The PIN page of the out-of-band (oob) flow.
import { escapeHtml, page } from './html.js';

/** Renders the 7-digit PIN the user types into the application, in `<code id="pin">`. */
export function renderPinPage(appName: string, pin: string): string {
  return page(
    'Authorized',
    `<h1>You've granted access to ${escapeHtml(appName)}!</h1>
<p>Next, return to ${escapeHtml(appName)} and enter this PIN to complete the authorization process:</p>
<p><code id="pin">${escapeHtml(pin)}</code></p>`,
  );
}
