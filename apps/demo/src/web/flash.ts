// A one-time message carried across a redirect (post, redirect, get): sealed, so nobody can
// make the demo display text of their choosing, and cleared once shown.
import type { Context } from 'hono';
import type { WebContext } from './context.js';
import {
  clearCookie,
  FLASH_COOKIE,
  openCookieValue,
  readCookie,
  sealCookieValue,
  setSealedCookie,
} from './cookies.js';
import type { Flash } from './layout.js';

/** Sets the message the next page shows. */
export async function setFlash(c: Context, web: WebContext, flash: Flash): Promise<void> {
  const sealed = await sealCookieValue(web, FLASH_COOKIE, { kind: flash.kind, text: flash.text });
  setSealedCookie(c, web, FLASH_COOKIE, sealed);
}

/** The pending message, if any; clears it. */
export async function takeFlash(c: Context, web: WebContext): Promise<Flash | undefined> {
  if (readCookie(c, FLASH_COOKIE) === undefined) return undefined;
  clearCookie(c, web, FLASH_COOKIE);
  const value = await openCookieValue(c, web, FLASH_COOKIE);
  if (typeof value !== 'object' || value === null) return undefined;
  const kind = 'kind' in value ? value.kind : undefined;
  const text = 'text' in value ? value.text : undefined;
  if ((kind !== 'ok' && kind !== 'error') || typeof text !== 'string') return undefined;
  return { kind, text };
}
