// The signed-in user's page: who they are (GET /2/users/me with their stored tokens), a form
// to post, the stored token (masked), and the rate-limit pools their requests spend, live.
import type { TokenRecord } from '@x-oauth/token-store';
import { Hono } from 'hono';
import { maskToken } from '../../mask.js';
import type { WebContext } from '../context.js';
import { describeError } from '../describe-error.js';
import { setFlash, takeFlash } from '../flash.js';
import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';
import { rateLimitRows, rateLimitTable } from '../rate-limit-view.js';
import { revokeAtX } from '../revoke.js';
import { currentSession, endSession, sessionUserId } from '../session.js';
import { userClient } from '../user-client.js';
import { parseTweet, parseTweets, parseUser, type XTweet, type XUser } from '../x-data.js';

const MAX_TWEET_LENGTH = 280;

function minutesFromNow(at: number): string {
  const minutes = Math.round((at - Date.now()) / 60_000);
  return minutes >= 0 ? `in ${minutes} min` : `${-minutes} min ago`;
}

function storedToken(record: TokenRecord): SafeHtml {
  const common = html`<dt>Store record</dt><dd>version ${record.version}, ${record.status}, written ${new Date(record.updatedAt).toISOString()}</dd>`;
  if (record.kind === 'oauth1') {
    const { oauth1 } = record;
    return html`<dl id="stored-token" data-kind="oauth1">
<dt>Kind</dt><dd>OAuth 1.0a access token</dd>
<dt>Access token</dt><dd class="token" id="access-token">${maskToken(oauth1.key)}</dd>
<dt>Token secret</dt><dd class="muted">never shown</dd>
<dt>Screen name</dt><dd>@${oauth1.screenName}</dd>
<dt>Access level</dt><dd id="access-level">${oauth1.accessLevel}</dd>
${common}
</dl>`;
  }
  const { tokenSet } = record;
  const scopes = tokenSet.scopes.map(
    (scope) => html`<li data-scope="${scope}"><code>${scope}</code></li>`,
  );
  return html`<dl id="stored-token" data-kind="oauth2">
<dt>Kind</dt><dd>OAuth 2.0 token set</dd>
<dt>Access token</dt><dd class="token" id="access-token">${maskToken(tokenSet.accessToken)}</dd>
<dt>Refresh token</dt><dd class="token" id="refresh-token">${tokenSet.refreshToken === undefined ? 'none (no offline.access)' : maskToken(tokenSet.refreshToken)}</dd>
<dt>Expires</dt><dd><time id="expires-at" datetime="${new Date(tokenSet.expiresAt).toISOString()}">${new Date(tokenSet.expiresAt).toISOString()}</time> (${minutesFromNow(tokenSet.expiresAt)})</dd>
<dt>Scopes</dt><dd><ul id="scopes">${scopes}</ul></dd>
${common}
</dl>`;
}

function tokenActions(record: TokenRecord): SafeHtml {
  if (record.kind === 'oauth1') {
    return html`<form method="post" action="/oauth1/revoke" class="inline"><button type="submit" id="revoke">Revoke (invalidate the token at X)</button></form>`;
  }
  if (record.tokenSet.refreshToken === undefined) {
    return html`<p id="no-refresh" class="muted">No refresh: this token set has no refresh token, because the sign-in did not ask for <code>offline.access</code>. When the access token expires, <a href="/oauth2">sign in again</a> (check <code>offline.access</code> to be able to refresh).</p>
<form method="post" action="/oauth2/revoke" class="inline"><button type="submit" id="revoke">Revoke</button></form>`;
  }
  return html`<form method="post" action="/oauth2/refresh" class="inline"><input type="hidden" name="mode" value="normal"><button type="submit" id="refresh" class="secondary">Refresh if needed</button></form>
<form method="post" action="/oauth2/refresh" class="inline"><input type="hidden" name="mode" value="force"><button type="submit" id="force-refresh">Refresh now</button></form>
<form method="post" action="/oauth2/revoke" class="inline"><button type="submit" id="revoke">Revoke</button></form>`;
}

/** The routes under /me. */
export function userRoutes(web: WebContext): Hono {
  const routes = new Hono();

  routes.get('/me', async (c) => {
    const flash = await takeFlash(c, web);
    const session = await currentSession(c, web);
    const userId = session?.userId;
    const found = userId === undefined ? undefined : await userClient(web, userId);
    if (session === undefined || found === undefined) {
      if (userId !== undefined) await endSession(c, web);
      return c.html(
        layout(
          { title: 'Not signed in', flash },
          html`<h1 id="signed-out">Not signed in</h1>
<p>Sign in with <a href="/oauth2">OAuth 2.0 (PKCE)</a> or <a href="/oauth1">OAuth 1.0a ("Sign in with X")</a>.</p>`,
        ),
        401,
      );
    }
    const { client } = found;
    // Who the user is was asked at sign-in and is kept in the session: a page load spends
    // no `GET /2/users/me` (its pool is small); "Refresh" asks again.
    let me: XUser | undefined = session.me;
    let problem: string | undefined;
    if (me === undefined) {
      try {
        me = parseUser(await client.get('/2/users/me'));
        session.me = me;
      } catch (error) {
        problem = describeError(error);
      }
    }
    let posted: XTweet | undefined;
    const postedId = c.req.query('tweet');
    if (postedId !== undefined && /^\d{1,19}$/.test(postedId) && problem === undefined) {
      try {
        posted = parseTweets(await client.get('/2/tweets', { query: { ids: postedId } }))[0];
      } catch (error) {
        problem = describeError(error);
      }
    }
    // Read again: the call may have refreshed the stored set.
    const record =
      (await web.store.reader.get(web.config.appId, found.record.userId)) ?? found.record;
    const rows = rateLimitRows(await client.rateLimits(), client.identity);
    const who =
      me === undefined
        ? html`<h1>Signed in (user ${record.userId})</h1>`
        : html`<h1>${me.name} <span id="screen-name">@${me.username}</span></h1>
<p class="muted">X user id <code id="user-id">${me.id}</code>, from <code>GET /2/users/me</code> with ${record.kind === 'oauth1' ? 'OAuth 1.0a' : 'OAuth 2.0'} user context, asked once and kept for this session.</p>
<form method="post" action="/me/refresh-profile" class="inline"><button type="submit" id="refresh-profile" class="secondary">Ask X again who I am</button></form>`;
    return c.html(
      layout(
        { title: 'My page', flash },
        html`${who}
${problem === undefined ? '' : html`<p class="flash error" id="problem">${problem}</p>`}
<h2>Post</h2>
<form method="post" action="/me/tweets" id="tweet-form">
<p><textarea name="text" id="tweet-text" rows="3" maxlength="${MAX_TWEET_LENGTH}" required></textarea></p>
<p><button type="submit" id="post-tweet">Post (POST /2/tweets)</button></p>
</form>
${posted === undefined ? '' : html`<p>Just posted, read back with <code>GET /2/tweets</code>:</p><blockquote id="posted-tweet" data-id="${posted.id}">${posted.text}</blockquote>`}
<h2>Stored token</h2>
${storedToken(record)}
<p>${tokenActions(record)}
<form method="post" action="/signout" class="inline"><button type="submit" id="sign-out" class="secondary">Sign out (keep the stored token)</button></form></p>
<h2>Rate limits</h2>
${rateLimitTable(rows, '/me/rate-limits.json')}`,
      ),
    );
  });

  routes.get('/me/rate-limits.json', async (c) => {
    const userId = await sessionUserId(c, web);
    const found = userId === undefined ? undefined : await userClient(web, userId);
    if (found === undefined) return c.json({ error: 'not signed in' }, 401);
    return c.json(rateLimitRows(await found.client.rateLimits(), found.client.identity));
  });

  routes.post('/me/tweets', async (c) => {
    const userId = await sessionUserId(c, web);
    const found = userId === undefined ? undefined : await userClient(web, userId);
    if (found === undefined) return c.redirect('/me', 303);
    const body = await c.req.parseBody();
    const text = typeof body.text === 'string' ? body.text.trim() : '';
    if (text === '' || text.length > MAX_TWEET_LENGTH) {
      await setFlash(c, web, { kind: 'error', text: `Write 1 to ${MAX_TWEET_LENGTH} characters.` });
      return c.redirect('/me', 303);
    }
    try {
      const tweet = parseTweet(await found.client.post('/2/tweets', { json: { text } }));
      await setFlash(c, web, { kind: 'ok', text: `Posted Tweet ${tweet.id}.` });
      return c.redirect(`/me?tweet=${encodeURIComponent(tweet.id)}`, 303);
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `Posting failed. ${describeError(error)}` });
      return c.redirect('/me', 303);
    }
  });

  routes.post('/me/refresh-profile', async (c) => {
    const session = await currentSession(c, web);
    const found = session?.userId === undefined ? undefined : await userClient(web, session.userId);
    if (session === undefined || found === undefined) return c.redirect('/me', 303);
    try {
      session.me = parseUser(await found.client.get('/2/users/me'));
      await setFlash(c, web, { kind: 'ok', text: `X says you are @${session.me.username}.` });
    } catch (error) {
      await setFlash(c, web, { kind: 'error', text: `Could not ask. ${describeError(error)}` });
    }
    return c.redirect('/me', 303);
  });

  routes.post('/oauth1/revoke', async (c) => {
    const userId = await sessionUserId(c, web);
    const record =
      userId === undefined ? undefined : await web.store.writer.get(web.config.appId, userId);
    if (userId === undefined || record?.kind !== 'oauth1') return c.redirect('/me', 303);
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
      text: 'Invalidated the token at X, deleted it from the store, and signed you out.',
    });
    return c.redirect('/', 303);
  });

  routes.post('/signout', async (c) => {
    await endSession(c, web);
    await setFlash(c, web, {
      kind: 'ok',
      text: 'Signed out: the session is ended on the server. Your token stays in the store.',
    });
    return c.redirect('/', 303);
  });

  return routes;
}
