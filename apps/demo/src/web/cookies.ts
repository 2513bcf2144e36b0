// The demo's cookies: every value sealed (AES-256-GCM) with the run's key, HttpOnly,
// SameSite=Lax (the callbacks are top-level navigations from X, on which Strict cookies are
// not sent), Secure on https, and scoped to the path that reads them.
import { openValue, sealValue } from '@x-oauth/pkce';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { WebContext } from './context.js';

/** One cookie: its name, path, lifetime and sealing purpose. */
export interface CookieSpec {
  readonly name: string;
  readonly path: string;
  readonly maxAgeSeconds: number;
  /** Bound into the ciphertext: a cookie sealed for one purpose cannot be opened as another. */
  readonly purpose: string;
}

// Cookies are not isolated by port: the emulator on 127.0.0.1 sees these and the demo sees
// the emulator's, hence the prefix.
export const SESSION_COOKIE: CookieSpec = {
  name: 'demo_session',
  path: '/',
  maxAgeSeconds: 8 * 60 * 60,
  purpose: 'x-oauth/demo/session',
};
export const PKCE_COOKIE: CookieSpec = {
  name: 'demo_pkce',
  path: '/oauth2/callback',
  maxAgeSeconds: 10 * 60,
  purpose: 'x-oauth/pkce/transaction',
};
export const OAUTH1_COOKIE: CookieSpec = {
  name: 'demo_oauth1',
  path: '/callback',
  maxAgeSeconds: 15 * 60,
  purpose: 'x-oauth/client/oauth1-request-token',
};
export const FLASH_COOKIE: CookieSpec = {
  name: 'demo_flash',
  path: '/',
  maxAgeSeconds: 60,
  purpose: 'x-oauth/demo/flash',
};

/** Sets an already sealed value (from sealTransaction, sealRequestToken or sealCookieValue). */
export function setSealedCookie(
  c: Context,
  web: WebContext,
  spec: CookieSpec,
  sealed: string,
): void {
  setCookie(c, spec.name, sealed, {
    path: spec.path,
    maxAge: spec.maxAgeSeconds,
    httpOnly: true,
    sameSite: 'Lax',
    secure: web.secureCookies,
  });
}

/** Clears a cookie (same name and path). */
export function clearCookie(c: Context, web: WebContext, spec: CookieSpec): void {
  deleteCookie(c, spec.name, { path: spec.path, secure: web.secureCookies });
}

/** The raw cookie value, if any. */
export function readCookie(c: Context, spec: CookieSpec): string | undefined {
  const value = getCookie(c, spec.name);
  return value === undefined || value === '' ? undefined : value;
}

/** Seals a JSON value for `spec` with the run's key. */
export function sealCookieValue(
  web: WebContext,
  spec: CookieSpec,
  value: unknown,
): Promise<string> {
  return sealValue(value, web.cookieKey, { purpose: spec.purpose });
}

/** Opens a cookie sealed for `spec`; undefined when absent, altered, from another run or too old. */
export async function openCookieValue(
  c: Context,
  web: WebContext,
  spec: CookieSpec,
): Promise<unknown> {
  const sealed = readCookie(c, spec);
  if (sealed === undefined) return undefined;
  try {
    return await openValue(sealed, web.cookieKey, {
      purpose: spec.purpose,
      maxAgeMs: spec.maxAgeSeconds * 1000,
    });
  } catch {
    return undefined;
  }
}
