// "Sign in with X", OAuth 1.0a 3-legged: a request token, X's consent page (authenticate or
// authorize), the callback with the verifier, the access token into the token store.
import {
  authenticateUrl,
  authorizeUrl,
  getAccessToken,
  getRequestToken,
  handleOAuth1Callback,
  oauth1Auth,
  openRequestToken,
  sealRequestToken,
} from '@x-oauth/client';
import type { OAuth1AccessLevel } from '@x-oauth/token-store';
import { Hono } from 'hono';
import { recordingFetch } from '../../wire/recorder.js';
import type { WebContext } from '../context.js';
import { clearCookie, OAUTH1_COOKIE, readCookie, setSealedCookie } from '../cookies.js';
import { describeError } from '../describe-error.js';
import { setFlash, takeFlash } from '../flash.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { replaceOtherKind } from '../revoke.js';
import { startSession } from '../session.js';
import { clientFor } from '../user-client.js';
import { parseUser } from '../x-data.js';

// X sends the token's permission in `x-access-level` on OAuth 1.0a answers.
function accessLevelOf(header: string | null): OAuth1AccessLevel {
  return header === 'read' || header === 'read-write-dm' ? header : 'read-write';
}

/** The routes of the OAuth 1.0a sign-in. */
export function oauth1Routes(web: WebContext): Hono {
  const routes = new Hono();

  routes.get('/oauth1', async (c) =>
    c.html(
      layout(
        { title: 'Sign in with X (OAuth 1.0a)', flash: await takeFlash(c, web) },
        html`<h1>Sign in with X (OAuth 1.0a)</h1>
<p><code>oauth/authenticate</code> sends a user who already approved the app straight back; <code>oauth/authorize</code> asks every time.</p>
<form method="post" action="/oauth1/login" class="inline"><input type="hidden" name="mode" value="authenticate"><button type="submit" id="sign-in-authenticate">Sign in with X (authenticate)</button></form>
<form method="post" action="/oauth1/login" class="inline"><input type="hidden" name="mode" value="authorize"><button type="submit" id="sign-in-authorize" class="secondary">Authorize the app (authorize)</button></form>
<p class="muted">The request token's secret waits in a sealed, HttpOnly, SameSite=Lax cookie limited to <code>/callback</code>; the callback URL is <code>${web.oauth1CallbackUrl}</code>.</p>`,
      ),
    ),
  );

  routes.post('/oauth1/login', async (c) => {
    const body = await c.req.parseBody();
    try {
      const requestToken = await getRequestToken({
        consumer: web.config.consumer,
        callback: web.oauth1CallbackUrl,
        baseUrl: web.config.apiBaseUrl,
        fetch: recordingFetch(),
      });
      setSealedCookie(c, web, OAUTH1_COOKIE, await sealRequestToken(requestToken, web.cookieKey));
      const consent = body.mode === 'authorize' ? authorizeUrl : authenticateUrl;
      return c.redirect(consent(requestToken, { baseUrl: web.config.oauth1BaseUrl }), 303);
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `Could not start. ${describeError(error)}` });
      return c.redirect('/oauth1', 303);
    }
  });

  routes.get('/callback', async (c) => {
    const sealed = readCookie(c, OAUTH1_COOKIE);
    clearCookie(c, web, OAUTH1_COOKIE);
    if (sealed === undefined) {
      await setFlash(c, web, {
        kind: 'error',
        text: 'No sign-in is pending in this browser (or it took longer than 15 minutes): start again.',
      });
      return c.redirect('/oauth1', 303);
    }
    try {
      const requestToken = await openRequestToken(sealed, web.cookieKey);
      const verifier = handleOAuth1Callback(c.req.url, requestToken);
      const access = await getAccessToken({
        consumer: web.config.consumer,
        requestToken,
        verifier,
        baseUrl: web.config.apiBaseUrl,
        fetch: recordingFetch(),
      });
      const client = clientFor(
        web,
        oauth1Auth({ consumer: web.config.consumer, token: access, userId: access.userId }),
      );
      const answer = await client.request('GET', '/2/users/me');
      const me = parseUser(answer.data);
      const replaced = await replaceOtherKind(web, access.userId, 'oauth1');
      await web.store.writer.putOAuth1(web.config.appId, access.userId, {
        key: access.key,
        secret: access.secret,
        xUserId: access.userId,
        screenName: access.screenName,
        accessLevel: accessLevelOf(answer.headers.get('x-access-level')),
      });
      await startSession(c, web, access.userId, me);
      await setFlash(c, web, {
        kind: 'ok',
        text: `Signed in as @${me.username} with OAuth 1.0a.${replaced === undefined ? '' : ` ${replaced}`}`,
      });
      return c.redirect('/me', 303);
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `Sign-in failed. ${describeError(error)}` });
      return c.redirect('/oauth1', 303);
    }
  });

  return routes;
}
