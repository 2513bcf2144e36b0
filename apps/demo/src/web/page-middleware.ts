// Around every request: a wire recorder for the requests to X it causes; on HTML pages, the
// wire panel and the session's CSRF token in every POST form; the requests kept in the
// session's log (and, for a form submission, carried to the page it redirects to).
import type { MiddlewareHandler } from 'hono';
import { WireRecorder, withWireRecorder } from '../wire/recorder.js';
import type { WebContext } from './context.js';
import { CSRF_FIELD } from './guard.js';
import { escapeHtml } from './html.js';
import { currentSession, ensureSession } from './session.js';
import { appendWire } from './sessions.js';
import { wirePanel } from './wire-view.js';

const POST_FORM = /<form\b[^>]*\bmethod="post"[^>]*>/g;

/** The middleware; place it after the Host check and before the POST guard. */
export function pageMiddleware(web: WebContext): MiddlewareHandler {
  const target = web.config.mode === 'emulator' ? 'the emulator' : 'X';
  return async (c, next) => {
    const recorder = new WireRecorder();
    await withWireRecorder(recorder, () => next());
    const own = recorder.entries;
    const isHtml = (c.res.headers.get('content-type') ?? '').startsWith('text/html');
    const session = isHtml ? await ensureSession(c, web) : await currentSession(c, web);
    if (session !== undefined) appendWire(session, own);
    if (c.res.status >= 300 && c.res.status < 400) {
      // Post, redirect, get: the page after a form shows what the form sent.
      if (session !== undefined) session.carried.push(...own);
      return;
    }
    if (!isHtml) return;
    const shown = session === undefined ? own : [...session.carried, ...own];
    if (session !== undefined) session.carried = [];
    const page = await c.res.text();
    const csrf =
      session === undefined
        ? ''
        : `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(session.csrfToken)}">`;
    const body = page
      .replace(POST_FORM, (tag) => `${tag}${csrf}`)
      .replace('</main>', `${wirePanel(shown, target).value}\n</main>`);
    const headers = new Headers(c.res.headers);
    headers.delete('content-length');
    c.res = new Response(body, { status: c.res.status, headers });
  };
}
