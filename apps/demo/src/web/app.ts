// The web app: every route, the stylesheet, and a last-resort error page.
import { TokenStoreError, TokenStoreErrorCode } from '@x-oauth/token-store';
import { Hono } from 'hono';
import type { WebContext } from './context.js';
import { describeError } from './describe-error.js';
import { contentSecurityPolicy, hostCheck, postGuard } from './guard.js';
import { html } from './html.js';
import { layout } from './layout.js';
import { pageMiddleware } from './page-middleware.js';
import { appOnlyRoutes } from './routes/app-only.js';
import { homeRoutes } from './routes/home.js';
import { logRoutes } from './routes/log.js';
import { oauth1Routes } from './routes/oauth1.js';
import { oauth2Routes } from './routes/oauth2.js';
import { userRoutes } from './routes/user.js';
import { SCRIPT } from './script.js';
import { STYLESHEET } from './style.js';

/** The Hono app for `web`. */
export function createWebApp(web: WebContext, log: (line: string) => void): Hono {
  const app = new Hono();
  const csp = contentSecurityPolicy(web);
  app.use(async (c, next) => {
    await next();
    // Pages show masked tokens and personal data: not for shared caches, not framable, and
    // no script or style but the demo's own files.
    c.header('cache-control', 'no-store');
    c.header('x-frame-options', 'DENY');
    // same-origin, not no-referrer: with no-referrer the browser sends `Origin: null` on the
    // demo's own form posts, which the POST guard refuses. X still gets no Referer.
    c.header('referrer-policy', 'same-origin');
    c.header('content-security-policy', csp);
    c.header('x-content-type-options', 'nosniff');
  });
  app.use(hostCheck(web));
  app.use(pageMiddleware(web));
  app.use(postGuard(web));
  app.get('/style.css', (c) =>
    c.body(STYLESHEET, 200, { 'content-type': 'text/css; charset=utf-8' }),
  );
  app.get('/app.js', (c) =>
    c.body(SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }),
  );
  app.route('/', homeRoutes(web));
  app.route('/', oauth2Routes(web));
  app.route('/', oauth1Routes(web));
  app.route('/', userRoutes(web));
  app.route('/', appOnlyRoutes(web));
  app.route('/', logRoutes(web));
  app.notFound((c) =>
    c.html(
      layout({ title: 'Not found' }, html`<h1>Not found</h1><p><a href="/">Home</a></p>`),
      404,
    ),
  );
  app.onError((error, c) => {
    if (error instanceof TokenStoreError && error.code === TokenStoreErrorCode.UnknownKeyId) {
      // `x-oauth tokens rotate-key` re-encrypted the rows under a key this process has not
      // loaded (its keyring is read once, at start).
      log(`error: ${error.code}`);
      return c.html(
        layout(
          { title: 'Restart needed' },
          html`<h1>The token store's key changed</h1>
<p id="problem">Your tokens are now encrypted under a key this demo has not loaded: the key was rotated by another process (<code>x-oauth tokens rotate-key</code>) after the demo started. Nothing is lost. Restart the demo (Ctrl-C, then <code>npm run demo</code>) to load the new key. (${error.code})</p>`,
        ),
        503,
      );
    }
    const line = describeError(error);
    // The packages' messages hold no secret; anything else is logged by name only.
    log(`error: ${line === describeError(undefined) ? (error.name ?? 'Error') : line}`);
    return c.html(
      layout({ title: 'Error' }, html`<h1>Something went wrong</h1><p id="problem">${line}</p>`),
      500,
    );
  });
  return app;
}
