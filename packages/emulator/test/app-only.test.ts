import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { basic, FORM_TYPE, obtainBearer, signedFetch, threeLegged, user } from './helpers.js';

const UNABLE = {
  errors: [
    { code: 99, label: 'authenticity_token_error', message: 'Unable to verify your credentials' },
  ],
};
const NOT_PERMITTED = {
  errors: [
    { code: 348, message: 'Client application is not permitted to to invalidate this token.' },
  ],
};
let x: Emulator;

beforeAll(async () => {
  x = await startEmulator({ bearerTokenMinIntervalMs: 1000 });
});
afterAll(async () => {
  await x.close();
});

function tokenRequest(
  authorization: string | undefined,
  body: string,
  contentType = FORM_TYPE,
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (authorization !== undefined) headers.authorization = authorization;
  return fetch(`${x.url}/oauth2/token`, { method: 'POST', headers, body });
}

describe('POST /oauth2/token', () => {
  it('answers the same bearer token until it is invalidated', async () => {
    const response = await tokenRequest(
      basic(x.app.consumerKey, x.app.consumerSecret),
      'grant_type=client_credentials',
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const body = (await response.json()) as { token_type: string; access_token: string };
    expect(body.token_type).toBe('bearer');
    expect(body.access_token).toMatch(/^AAAAAAAAAAAAAAAAAAAAA/);
    expect(await obtainBearer(x)).toBe(body.access_token);
    const search = await fetch(`${x.url}/2/tweets/search/recent?query=hello`, {
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(search.status).toBe(200);
  });

  it('refuses bad credentials with 403 code 99', async () => {
    const response = await tokenRequest(
      basic(x.app.consumerKey, 'wrong'),
      'grant_type=client_credentials',
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual(UNABLE);
    const none = await tokenRequest(undefined, 'grant_type=client_credentials');
    expect(none.status).toBe(403);
  });

  it('refuses a missing grant_type with 403 code 170', async () => {
    const response = await tokenRequest(basic(x.app.consumerKey, x.app.consumerSecret), '');
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      errors: [
        {
          code: 170,
          label: 'forbidden_missing_parameter',
          message: 'Missing required parameter: grant_type',
        },
      ],
    });
  });

  it('does not read grant_type from a JSON body', async () => {
    const response = await tokenRequest(
      basic(x.app.consumerKey, x.app.consumerSecret),
      JSON.stringify({ grant_type: 'client_credentials' }),
      'application/json',
    );
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: { code: number }[] }).errors[0]?.code).toBe(170);
  });
});

describe('POST /oauth2/invalidate_token', () => {
  it('revokes with HTTP Basic; the old token then fails and a new one is minted', async () => {
    const other = await startEmulator();
    try {
      const token = await obtainBearer(other);
      const response = await fetch(`${other.url}/oauth2/invalidate_token`, {
        method: 'POST',
        headers: {
          authorization: basic(other.app.consumerKey, other.app.consumerSecret),
          'content-type': FORM_TYPE,
        },
        body: new URLSearchParams({ access_token: token }).toString(),
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ access_token: token });

      const v2 = await fetch(`${other.url}/2/tweets?ids=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(v2.status).toBe(401);
      expect(await v2.json()).toEqual({
        title: 'Unauthorized',
        type: 'about:blank',
        status: 401,
        detail: 'Unauthorized',
      });
      const v1 = await fetch(`${other.url}/1.1/account/verify_credentials.json`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(v1.status).toBe(401);
      expect(await v1.json()).toEqual({
        errors: [{ code: 89, message: 'Invalid or expired token.' }],
      });

      const again = await fetch(`${other.url}/oauth2/invalidate_token`, {
        method: 'POST',
        headers: {
          authorization: basic(other.app.consumerKey, other.app.consumerSecret),
          'content-type': FORM_TYPE,
        },
        body: new URLSearchParams({ access_token: token }).toString(),
      });
      expect(again.status).toBe(403);
      expect(await again.json()).toEqual(NOT_PERMITTED);

      const fresh = await obtainBearer(other);
      expect(fresh).not.toBe(token);
    } finally {
      await other.close();
    }
  });

  it('revokes when signed with OAuth 1.0a by the app owner (token in the query, as X documents)', async () => {
    const token = await obtainBearer(x);
    const owner = await threeLegged(x, user(x, 'alice'));
    const notOwner = await threeLegged(x, user(x, 'bob'));
    const path = `/oauth2/invalidate_token?access_token=${encodeURIComponent(token)}`;
    const refused = await signedFetch(x, { method: 'POST', path, token: notOwner });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual(NOT_PERMITTED);
    const response = await signedFetch(x, { method: 'POST', path, token: owner });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ access_token: token });

    // Too frequent: within bearerTokenMinIntervalMs of the invalidation.
    const tooSoon = await tokenRequest(
      basic(x.app.consumerKey, x.app.consumerSecret),
      'grant_type=client_credentials',
    );
    expect(tooSoon.status).toBe(403);
    expect(await tooSoon.json()).toEqual(UNABLE);
    x.advanceClock(1500);
    const later = await obtainBearer(x);
    expect(later).not.toBe(token);
  });

  it('refuses an unknown token with code 348 and bad credentials with code 99', async () => {
    const unknown = await fetch(`${x.url}/oauth2/invalidate_token`, {
      method: 'POST',
      headers: {
        authorization: basic(x.app.consumerKey, x.app.consumerSecret),
        'content-type': FORM_TYPE,
      },
      body: 'access_token=AAAAnot-a-token',
    });
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toEqual(NOT_PERMITTED);
    const badCredentials = await fetch(`${x.url}/oauth2/invalidate_token`, {
      method: 'POST',
      headers: { authorization: basic(x.app.consumerKey, 'nope'), 'content-type': FORM_TYPE },
      body: 'access_token=AAAAnot-a-token',
    });
    expect(badCredentials.status).toBe(403);
    expect(await badCredentials.json()).toEqual(UNABLE);
  });
});
