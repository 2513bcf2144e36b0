// The browser's session: a sealed cookie holding a random session id and nothing else; the
// session itself (user id, CSRF token, who the user is, wire log) lives on the server (see
// sessions.ts). Signing in starts a new session id, so an id known before sign-in is useless.
import type { Context } from 'hono';
import type { WebContext } from './context.js';
import {
  clearCookie,
  openCookieValue,
  SESSION_COOKIE,
  sealCookieValue,
  setSealedCookie,
} from './cookies.js';
import type { DemoSession } from './sessions.js';
import type { XUser } from './x-data.js';

const ATTACHED = new WeakMap<Request, DemoSession>();

/** The request's live session, if its cookie names one. */
export async function currentSession(
  c: Context,
  web: WebContext,
): Promise<DemoSession | undefined> {
  const attached = ATTACHED.get(c.req.raw);
  if (attached !== undefined)
    return web.sessions.get(attached.id) === undefined ? undefined : attached;
  const value = await openCookieValue(c, web, SESSION_COOKIE);
  if (typeof value !== 'object' || value === null || !('sid' in value)) return undefined;
  const session = typeof value.sid === 'string' ? web.sessions.get(value.sid) : undefined;
  if (session !== undefined) ATTACHED.set(c.req.raw, session);
  return session;
}

/** The request's session, made (and its cookie set) when there is none. */
export async function ensureSession(c: Context, web: WebContext): Promise<DemoSession> {
  const found = await currentSession(c, web);
  if (found !== undefined) return found;
  const session = web.sessions.create();
  await attach(c, web, session);
  return session;
}

async function attach(c: Context, web: WebContext, session: DemoSession): Promise<void> {
  setSealedCookie(
    c,
    web,
    SESSION_COOKIE,
    await sealCookieValue(web, SESSION_COOKIE, { sid: session.id }),
  );
  ATTACHED.set(c.req.raw, session);
}

/**
 * Signs `userId` in: a new session (new id, new CSRF token) replaces the current one, keeping
 * its wire log.
 */
export async function startSession(
  c: Context,
  web: WebContext,
  userId: string,
  me: XUser | undefined,
): Promise<DemoSession> {
  const previous = await currentSession(c, web);
  const session = web.sessions.create();
  session.userId = userId;
  session.me = me;
  if (previous !== undefined) {
    session.wire.push(...previous.wire);
    session.carried = previous.carried;
    web.sessions.delete(previous.id);
  }
  await attach(c, web, session);
  return session;
}

/** The signed-in user's id, or undefined. */
export async function sessionUserId(c: Context, web: WebContext): Promise<string | undefined> {
  return (await currentSession(c, web))?.userId;
}

/**
 * Signs out: the session ends on the server (its id, and so any copy of the cookie, stops
 * working) and a new signed-out session, with a new id and CSRF token, keeps the wire log.
 */
export async function endSession(c: Context, web: WebContext): Promise<void> {
  const previous = await currentSession(c, web);
  if (previous === undefined) {
    ATTACHED.delete(c.req.raw);
    clearCookie(c, web, SESSION_COOKIE);
    return;
  }
  web.sessions.delete(previous.id);
  const session = web.sessions.create();
  session.wire.push(...previous.wire);
  session.carried = previous.carried;
  await attach(c, web, session);
}
