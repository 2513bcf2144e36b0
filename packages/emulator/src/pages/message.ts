// A page with one message, for refusals and dead ends of the browser flows.
import { escapeHtml, page } from './html.js';

/** Renders a titled message page. */
export function renderMessagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p id="message">${escapeHtml(message)}</p>`);
}
