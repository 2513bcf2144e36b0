// The safe refresh against the emulator in its strict reuse mode (a spent refresh token
// revokes the grant, as X's theft detection may): many concurrent callers, one token request,
// and the rotated refresh token stored and still working afterwards; and the forced refresh
// after a 401 for an access token that is not near expiry.
import { randomBytes } from 'node:crypto';
import { type Emulator, startEmulator } from '@x-oauth/emulator';
import {
  endpointsFromBaseUrl,
  type OAuth2Client,
  refreshToken,
  revokeToken,
  TokenSet,
} from '@x-oauth/pkce';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createKeyring,
  createMemoryBackend,
  createTokenStore,
  type RefreshCallback,
  TokenStoreErrorCode,
} from '../src/index.js';

let x: Emulator;
const keyring = createKeyring({ currentKeyId: 'k1', keys: { k1: randomBytes(32) } });
const SCOPES = ['tweet.read', 'users.read', 'offline.access'];

beforeAll(async () => {
  x = await startEmulator({ port: 0, strictRefreshReuse: true });
});

afterAll(async () => {
  await x?.close();
});

/** The seeded app as a confidential client. */
function client(): OAuth2Client {
  const { clientId, clientSecret } = x.app;
  if (clientSecret === undefined) throw new Error('the seeded app is confidential');
  return { clientId, clientSecret };
}

function refresh(): RefreshCallback {
  const endpoints = endpointsFromBaseUrl(x.url);
  return (current, signal) =>
    refreshToken({ client: client(), tokenSet: current, endpoints, signal });
}

/** A token set from the emulator, recorded as already expired so the store refreshes it. */
function expiredSetFor(userId: string): TokenSet {
  const issued = x.issueOAuth2Token(x.app.id, userId, SCOPES);
  if (issued.refreshToken === undefined) throw new Error('no refresh token');
  return new TokenSet({
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: Date.now() - 1_000,
    scopes: issued.scope.split(' '),
    tokenType: 'bearer',
  });
}

/** A token set from the emulator that the store considers valid for two more hours. */
function validSetFor(userId: string): TokenSet {
  const issued = x.issueOAuth2Token(x.app.id, userId, SCOPES);
  if (issued.refreshToken === undefined) throw new Error('no refresh token');
  return new TokenSet({
    accessToken: issued.accessToken,
    refreshToken: issued.refreshToken,
    expiresAt: Date.now() + 7_200_000,
    scopes: issued.scope.split(' '),
    tokenType: 'bearer',
  });
}

function usersMe(accessToken: string): Promise<Response> {
  return fetch(`${x.url}/2/users/me`, { headers: { authorization: `Bearer ${accessToken}` } });
}

function tokenCalls(): number {
  return x.requestLog().filter((entry) => entry.endpoint === 'POST /2/oauth2/token').length;
}

it('makes one token request for 100 concurrent callers, and the stored refresh token still works', async () => {
  const user = x.users[0];
  if (user === undefined) throw new Error('no user');
  const backend = createMemoryBackend();
  // Four stores on one backend: four "processes" that share only the backend's lock.
  const stores = Array.from({ length: 4 }, () => createTokenStore({ backend, keyring }));
  const [first] = stores;
  if (first === undefined) throw new Error('no store');
  await first.writer.putOAuth2('app', user.id, expiredSetFor(user.id));
  x.clearRequestLog();

  const results = await Promise.all(
    Array.from({ length: 100 }, (_, index) =>
      stores[index % stores.length]?.writer.getFreshTokenSet('app', user.id, refresh()),
    ),
  );
  expect(tokenCalls()).toBe(1);
  expect(new Set(results.map((set) => set?.accessToken)).size).toBe(1);

  const record = await first.reader.get('app', user.id);
  expect(record).toMatchObject({ version: 2, status: 'active', kind: 'oauth2' });
  if (record?.kind !== 'oauth2') throw new Error('not oauth2');
  expect(record.tokenSet.accessToken).toBe(results[0]?.accessToken);

  // The stored refresh token is the live one: X (strict) accepts it.
  const again = await refreshToken({
    client: client(),
    tokenSet: record.tokenSet,
    endpoints: endpointsFromBaseUrl(x.url),
  });
  expect(again.accessToken).not.toBe(record.tokenSet.accessToken);
  await first.writer.putOAuth2('app', user.id, again, { expectedVersion: 2 });
  const me = await fetch(`${x.url}/2/users/me`, {
    headers: { authorization: `Bearer ${again.accessToken}` },
  });
  expect(me.status).toBe(200);
});

it('keeps a spent refresh token as needs_reauth, without a second token request', async () => {
  const user = x.users[1];
  if (user === undefined) throw new Error('no user');
  const store = createTokenStore({ backend: createMemoryBackend(), keyring });
  const original = expiredSetFor(user.id);
  // Someone (a copy of the row, an old backup) already spent the refresh token.
  await refreshToken({
    client: client(),
    tokenSet: original,
    endpoints: endpointsFromBaseUrl(x.url),
  });
  await store.writer.putOAuth2('app', user.id, original);
  x.clearRequestLog();

  const errors = await Promise.all(
    Array.from({ length: 10 }, () =>
      store.writer.getFreshTokenSet('app', user.id, refresh()).catch((error) => error),
    ),
  );
  for (const error of errors) {
    expect(error).toMatchObject({ code: TokenStoreErrorCode.NeedsReauth });
  }
  expect(tokenCalls()).toBe(1);
  const record = await store.reader.get('app', user.id);
  expect(record).toMatchObject({ status: 'needs_reauth', version: 2 });
  expect(record?.kind === 'oauth2' && record.tokenSet.refreshToken).toBe(original.refreshToken);
});

it('after a 401 for a valid token, a forced refresh gets a working token with one token request', async () => {
  const user = x.users[0];
  if (user === undefined) throw new Error('no user');
  const backend = createMemoryBackend();
  const stores = Array.from({ length: 2 }, () => createTokenStore({ backend, keyring }));
  const [first, second] = stores;
  if (first === undefined || second === undefined) throw new Error('no store');
  const original = validSetFor(user.id);
  await first.writer.putOAuth2('app', user.id, original);
  // Only the access token is revoked (RFC 7009, POST /2/oauth2/revoke): the emulator's
  // revokeUserTokens control would revoke the refresh token too, and so the whole grant.
  await revokeToken({
    client: client(),
    token: original.accessToken,
    tokenTypeHint: 'access_token',
    endpoints: endpointsFromBaseUrl(x.url),
  });
  expect((await usersMe(original.accessToken)).status).toBe(401);
  x.clearRequestLog();

  // Without the refused token, the store has no reason to refresh a set two hours from expiry.
  const unforced = await first.writer.getFreshTokenSet('app', user.id, refresh());
  expect(unforced.accessToken).toBe(original.accessToken);
  expect(tokenCalls()).toBe(0);

  // Ten callers in two "processes" report the same 401.
  const forced = { rejectedAccessToken: original.accessToken };
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, index) =>
      stores[index % 2]?.writer.getFreshTokenSet('app', user.id, refresh(), forced),
    ),
  );
  expect(tokenCalls()).toBe(1);
  const [fresh] = results;
  if (fresh === undefined) throw new Error('no result');
  expect(new Set(results.map((set) => set?.accessToken))).toEqual(new Set([fresh.accessToken]));
  expect(fresh.accessToken).not.toBe(original.accessToken);
  expect((await usersMe(fresh.accessToken)).status).toBe(200);
  expect(await first.reader.get('app', user.id)).toMatchObject({ version: 2, status: 'active' });

  // A late report of the same 401 sends nothing, and the stored (rotated) refresh token is
  // the live one: X (strict) accepts it.
  await second.writer.getFreshTokenSet('app', user.id, refresh(), forced);
  expect(tokenCalls()).toBe(1);
  const record = await second.reader.get('app', user.id);
  if (record?.kind !== 'oauth2') throw new Error('not oauth2');
  const again = await refreshToken({
    client: client(),
    tokenSet: record.tokenSet,
    endpoints: endpointsFromBaseUrl(x.url),
  });
  expect((await usersMe(again.accessToken)).status).toBe(200);
});
