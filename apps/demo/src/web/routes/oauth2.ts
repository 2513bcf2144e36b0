// OAuth 2.0 with PKCE: pick scopes, sign in on X, come back, store the token set; then
// refresh it (as needed, or forced) and revoke it.
import {
  createAuthorization,
  exchangeCode,
  handleCallback,
  oauth2Auth,
  openTransaction,
  refreshToken,
  sealTransaction,
  type TokenSet,
  X_SCOPES,
  type XScope,
} from '@x-oauth/client';
import { Hono } from 'hono';
import { maskToken } from '../../mask.js';
import { recordingFetch } from '../../wire/recorder.js';
import type { WebContext } from '../context.js';
import { clearCookie, PKCE_COOKIE, readCookie, setSealedCookie } from '../cookies.js';
import { describeError } from '../describe-error.js';
import { setFlash, takeFlash } from '../flash.js';
import { html } from '../html.js';
import { layout } from '../layout.js';
import { replaceOtherKind, revokeAtX } from '../revoke.js';
import { endSession, sessionUserId, startSession } from '../session.js';
import { clientFor } from '../user-client.js';
import { parseUser } from '../x-data.js';

/** Checked by default: enough to read who signed in, post, and refresh without the user. */
export const DEFAULT_SCOPES: readonly XScope[] = [
  'tweet.read',
  'tweet.write',
  'users.read',
  'offline.access',
];
/** The demo needs these to learn who signed in (`GET /2/users/me`). */
const REQUIRED_SCOPES: readonly XScope[] = ['tweet.read', 'users.read'];
const TRANSACTION_MAX_AGE_MS = 10 * 60_000;

function isOfferedScope(value: string): value is XScope {
  return (X_SCOPES as readonly string[]).includes(value);
}

/** The routes under /oauth2. */
export function oauth2Routes(web: WebContext): Hono {
  const routes = new Hono();

  routes.get('/oauth2', async (c) => {
    const boxes = X_SCOPES.map(
      (scope) =>
        html`<label><input type="checkbox" name="scope" value="${scope}"${DEFAULT_SCOPES.includes(scope) ? html` checked` : ''}> <code>${scope}</code></label> `,
    );
    return c.html(
      layout(
        { title: 'OAuth 2.0 with PKCE', flash: await takeFlash(c, web) },
        html`<h1>OAuth 2.0 Authorization Code with PKCE</h1>
<p>Pick the scopes to ask for, then approve them on X. <code>tweet.read</code> and <code>users.read</code> are needed to learn who you are; <code>offline.access</code> brings a refresh token.</p>
<form method="post" action="/oauth2/login" id="oauth2-form">
<fieldset><legend>Scopes</legend>
${boxes}
</fieldset>
<p><button type="submit" id="oauth2-sign-in">Sign in with X (OAuth 2.0)</button></p>
</form>
<p class="muted">The pending transaction (state and code verifier) travels in a sealed, HttpOnly, SameSite=Lax cookie limited to <code>/oauth2/callback</code>; the redirect URI is <code>${web.redirectUri}</code>.</p>`,
      ),
    );
  });

  routes.post('/oauth2/login', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const picked = body.scope;
    const values = (Array.isArray(picked) ? picked : [picked]).filter(
      (value): value is string => typeof value === 'string',
    );
    const scopes = values.filter(isOfferedScope);
    const missing = REQUIRED_SCOPES.filter((scope) => !scopes.includes(scope));
    if (missing.length > 0) {
      await setFlash(c, web, {
        kind: 'error',
        text: `Keep ${missing.join(' and ')}: the demo needs them to read who signed in.`,
      });
      return c.redirect('/oauth2', 303);
    }
    const { url, transaction } = await createAuthorization({
      clientId: web.config.oauth2Client.clientId,
      redirectUri: web.redirectUri,
      scopes,
      endpoints: web.config.pkceEndpoints,
    });
    setSealedCookie(c, web, PKCE_COOKIE, await sealTransaction(transaction, web.cookieKey));
    return c.redirect(url, 303);
  });

  routes.get('/oauth2/callback', async (c) => {
    const sealed = readCookie(c, PKCE_COOKIE);
    // Single-use: cleared before anything else, whatever happens next.
    clearCookie(c, web, PKCE_COOKIE);
    if (sealed === undefined) {
      await setFlash(c, web, {
        kind: 'error',
        text: 'No sign-in is pending in this browser (or it took longer than 10 minutes): start again.',
      });
      return c.redirect('/oauth2', 303);
    }
    try {
      const transaction = await openTransaction(sealed, web.cookieKey, {
        maxAgeMs: TRANSACTION_MAX_AGE_MS,
      });
      const code = handleCallback(c.req.url, transaction);
      const tokenSet = await exchangeCode({
        client: web.config.oauth2Client,
        code,
        transaction,
        endpoints: web.config.pkceEndpoints,
        fetch: recordingFetch(),
      });
      const me = parseUser(await clientFor(web, oauth2Auth({ tokenSet })).get('/2/users/me'));
      const replaced = await replaceOtherKind(web, me.id, 'oauth2');
      await web.store.writer.putOAuth2(web.config.appId, me.id, tokenSet);
      await startSession(c, web, me.id, me);
      await setFlash(c, web, {
        kind: 'ok',
        text: `Signed in as @${me.username} with OAuth 2.0 (scopes: ${tokenSet.scopes.join(' ')}).${replaced === undefined ? '' : ` ${replaced}`}`,
      });
      return c.redirect('/me', 303);
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `Sign-in failed. ${describeError(error)}` });
      return c.redirect('/oauth2', 303);
    }
  });

  routes.post('/oauth2/refresh', async (c) => {
    const userId = await sessionUserId(c, web);
    if (userId === undefined) return c.redirect('/me', 303);
    const body = await c.req.parseBody();
    const record = await web.store.writer.get(web.config.appId, userId);
    if (record?.kind !== 'oauth2') {
      await setFlash(c, web, { kind: 'error', text: 'No OAuth 2.0 token set is stored for you.' });
      return c.redirect('/me', 303);
    }
    if (record.tokenSet.refreshToken === undefined) {
      await setFlash(c, web, {
        kind: 'error',
        text: 'Nothing to refresh with: you signed in without the offline.access scope, so X gave no refresh token. When the access token expires, sign in again (with offline.access checked to get one).',
      });
      return c.redirect('/me', 303);
    }
    const before = record.tokenSet.accessToken;
    const refresh = (current: TokenSet, signal: AbortSignal) =>
      refreshToken({
        client: web.config.oauth2Client,
        tokenSet: current,
        endpoints: web.config.pkceEndpoints,
        signal,
        fetch: recordingFetch(),
      });
    try {
      const fresh = await web.store.writer.getFreshTokenSet(
        web.config.appId,
        userId,
        refresh,
        // Forced: as if X had refused this access token, which makes the store refresh now.
        body.mode === 'force' ? { rejectedAccessToken: before } : undefined,
      );
      await setFlash(
        c,
        web,
        fresh.accessToken === before
          ? { kind: 'ok', text: 'The access token is still valid: no refresh was needed.' }
          : {
              kind: 'ok',
              text: `Refreshed: the new access token is ${maskToken(fresh.accessToken)}.`,
            },
      );
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `Refresh failed. ${describeError(error)}` });
    }
    return c.redirect('/me', 303);
  });

  routes.post('/oauth2/revoke', async (c) => {
    const userId = await sessionUserId(c, web);
    if (userId === undefined) return c.redirect('/me', 303);
    const record = await web.store.writer.get(web.config.appId, userId);
    if (record?.kind !== 'oauth2') {
      await setFlash(c, web, { kind: 'error', text: 'No OAuth 2.0 token set is stored for you.' });
      return c.redirect('/me', 303);
    }
    try {
      await revokeAtX(web, record);
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `Revocation failed. ${describeError(error)}` });
      return c.redirect('/me', 303);
    }
    await web.store.writer.delete(web.config.appId, userId);
    await endSession(c, web);
    await setFlash(c, web, {
      kind: 'ok',
      text: 'Revoked the tokens at X, deleted them from the store, and signed you out.',
    });
    return c.redirect('/', 303);
  });

  return routes;
}
