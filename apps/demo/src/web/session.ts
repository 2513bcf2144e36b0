// The signed-in session: a sealed cookie holding the user's X id and nothing else. The tokens
// stay in the token store, encrypted; the session only says whose record to read.
import type { Context } from 'hono';
import type { WebContext } from './context.js';
import {
  clearCookie,
  openCookieValue,
  SESSION_COOKIE,
  sealCookieValue,
  setSealedCookie,
} from './cookies.js';

/** Starts a session for `userId` (replacing any other). */
export async function startSession(c: Context, web: WebContext, userId: string): Promise<void> {
  const sealed = await sealCookieValue(web, SESSION_COOKIE, { userId });
  setSealedCookie(c, web, SESSION_COOKIE, sealed);
}

/** The signed-in user's id, or undefined. */
export async function sessionUserId(c: Context, web: WebContext): Promise<string | undefined> {
  const value = await openCookieValue(c, web, SESSION_COOKIE);
  if (typeof value !== 'object' || value === null || !('userId' in value)) return undefined;
  return typeof value.userId === 'string' && value.userId !== '' ? value.userId : undefined;
}

/** Signs out (the stored tokens are the caller's business). */
export function endSession(c: Context, web: WebContext): void {
  clearCookie(c, web, SESSION_COOKIE);
}
