// Helpers for the tests: real HTTP with fetch, signing with @x-oauth/oauth1-signature, and
// reading the consent pages the way a browser would (hidden fields, select, buttons).
import { createHash, randomBytes } from 'node:crypto';
import { signRequest } from '@x-oauth/oauth1-signature';
import type { Emulator, EmulatorApp, EmulatorUser } from '../src/index.js';

/** Form content type exactly as X documents it for oauth2/token. */
export const FORM_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';

/** Parses a `k=v&…` body. */
export function parseForm(text: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(text));
}

/** The value of a hidden input on a page. */
export function hiddenField(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (match === null) throw new Error(`No hidden field ${name} on the page.`);
  return match[1] as string;
}

/** The user preselected in the page's user picker. */
export function selectedUser(html: string): string | undefined {
  return /<option value="([^"]+)" selected>/.exec(html)?.[1];
}

/** Sends an OAuth 1.0a signed request with the app's consumer credentials and an optional token. */
export async function signedFetch(
  x: Emulator,
  input: {
    method: string;
    path: string;
    app?: EmulatorApp;
    token?: { key: string; secret: string };
    form?: Record<string, string>;
    callback?: string;
    verifier?: string;
    timestamp?: number;
    nonce?: string;
    headers?: Record<string, string>;
    jsonBody?: unknown;
  },
): Promise<Response> {
  const app = input.app ?? x.app;
  const url = `${x.url}${input.path}`;
  const signed = await signRequest({
    method: input.method,
    url,
    consumer: { key: app.consumerKey, secret: app.consumerSecret },
    token: input.token,
    form: input.form,
    callback: input.callback,
    verifier: input.verifier,
    timestamp: input.timestamp ?? Math.floor(x.now() / 1000),
    nonce: input.nonce,
  });
  const headers: Record<string, string> = { authorization: signed.authorization, ...input.headers };
  let body: string | undefined;
  if (signed.body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = signed.body;
  } else if (input.jsonBody !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(input.jsonBody);
  }
  return fetch(url, {
    method: input.method,
    headers,
    redirect: 'manual',
    ...(body === undefined ? {} : { body }),
  });
}

/** POST /oauth/request_token with a callback; returns the request token pair. */
export async function obtainRequestToken(
  x: Emulator,
  callback: string,
  app: EmulatorApp = x.app,
  path = '/oauth/request_token',
): Promise<{ key: string; secret: string }> {
  const response = await signedFetch(x, { method: 'POST', path, app, callback });
  if (response.status !== 200)
    throw new Error(`request_token failed: ${response.status} ${await response.text()}`);
  const body = parseForm(await response.text());
  return { key: body.oauth_token as string, secret: body.oauth_token_secret as string };
}

/** Opens a consent page and submits it as a browser would; returns the raw response. */
export async function submitOAuth1Consent(
  x: Emulator,
  requestToken: string,
  action: 'authorize' | 'cancel',
  user: EmulatorUser,
  page = '/oauth/authorize',
): Promise<Response> {
  const html = await (
    await fetch(`${x.url}${page}?oauth_token=${encodeURIComponent(requestToken)}`)
  ).text();
  return fetch(`${x.url}${page}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      oauth_token: hiddenField(html, 'oauth_token'),
      consent_nonce: hiddenField(html, 'consent_nonce'),
      user_id: user.id,
      action,
    }).toString(),
    redirect: 'manual',
  });
}

/** The whole 3-legged callback flow for `user`; returns the access token pair and the response body. */
export async function threeLegged(
  x: Emulator,
  user: EmulatorUser,
  callback = 'http://127.0.0.1:3000/callback',
): Promise<{ key: string; secret: string; body: Record<string, string> }> {
  const requestToken = await obtainRequestToken(x, callback);
  const consent = await submitOAuth1Consent(x, requestToken.key, 'authorize', user);
  const location = new URL(consent.headers.get('location') as string);
  const verifier = location.searchParams.get('oauth_verifier') as string;
  const response = await signedFetch(x, {
    method: 'POST',
    path: '/oauth/access_token',
    token: requestToken,
    verifier,
  });
  const body = parseForm(await response.text());
  return { key: body.oauth_token as string, secret: body.oauth_token_secret as string, body };
}

/** HTTP Basic value of X's app-only scheme (each half RFC 1738-encoded). */
export function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(user)}:${encodeURIComponent(password)}`).toString('base64')}`;
}

/** POST /oauth2/token for the app's bearer token. */
export async function obtainBearer(x: Emulator, app: EmulatorApp = x.app): Promise<string> {
  const response = await fetch(`${x.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: basic(app.consumerKey, app.consumerSecret),
      'content-type': FORM_TYPE,
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

/** A PKCE verifier and its S256 challenge (RFC 7636 §4.1-4.2). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Opens the OAuth 2.0 consent page and submits it; returns the redirect response. */
export async function oauth2Consent(
  x: Emulator,
  params: Record<string, string>,
  action: 'authorize' | 'cancel',
  user: EmulatorUser,
): Promise<Response> {
  const page = await fetch(`${x.url}/i/oauth2/authorize?${new URLSearchParams(params)}`, {
    redirect: 'manual',
  });
  if (page.status !== 200) return page;
  const html = await page.text();
  return fetch(`${x.url}/i/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      request_id: hiddenField(html, 'request_id'),
      user_id: user.id,
      action,
    }).toString(),
    redirect: 'manual',
  });
}

/** The seeded user with a screen name. */
export function user(x: Emulator, screenName: string): EmulatorUser {
  const found = x.users.find((candidate) => candidate.screenName === screenName);
  if (found === undefined) throw new Error(`No user ${screenName}`);
  return found;
}

/** The 3-legged PKCE flow up to the code; returns the code and what was sent. */
export async function obtainCode(
  x: Emulator,
  input: {
    app?: EmulatorApp;
    scopes: string[];
    method?: 'S256' | 'plain';
    redirectUri?: string;
    user: EmulatorUser;
  },
): Promise<{ code: string; verifier: string; redirectUri: string; state: string }> {
  const app = input.app ?? x.app;
  const redirectUri = input.redirectUri ?? 'http://127.0.0.1:3000/oauth2/callback';
  const { verifier, challenge } = pkcePair();
  const method = input.method ?? 'S256';
  const state = randomBytes(12).toString('hex');
  const response = await oauth2Consent(
    x,
    {
      response_type: 'code',
      client_id: app.clientId,
      redirect_uri: redirectUri,
      scope: input.scopes.join(' '),
      state,
      code_challenge: method === 'S256' ? challenge : verifier,
      code_challenge_method: method,
    },
    'authorize',
    input.user,
  );
  const location = new URL(response.headers.get('location') as string);
  if (location.searchParams.get('state') !== state) throw new Error('state was not echoed');
  return { code: location.searchParams.get('code') as string, verifier, redirectUri, state };
}

/** POST /2/oauth2/token with the client's authentication (Basic for confidential clients). */
export function tokenRequest(
  x: Emulator,
  app: EmulatorApp,
  params: Record<string, string>,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const body = new URLSearchParams(params);
  if (app.clientType === 'confidential') {
    headers.authorization = basic(app.clientId, app.clientSecret as string);
  } else {
    body.set('client_id', app.clientId);
  }
  return fetch(`${x.url}/2/oauth2/token`, { method: 'POST', headers, body: body.toString() });
}
