import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { obtainBearer, signedFetch, user } from './helpers.js';

const UNSUPPORTED = {
  title: 'Unsupported Authentication',
  detail:
    'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
  type: 'https://api.twitter.com/2/problems/unsupported-authentication',
  status: 403,
};
const UNAUTHORIZED = {
  title: 'Unauthorized',
  type: 'about:blank',
  status: 401,
  detail: 'Unauthorized',
};
let x: Emulator;
let bearer: string;

beforeAll(async () => {
  x = await startEmulator();
  bearer = await obtainBearer(x);
});
afterAll(async () => {
  await x.close();
});

function get(path: string, token: string): Promise<Response> {
  return fetch(`${x.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
}

function postTweet(token: string, body: unknown): Promise<Response> {
  return fetch(`${x.url}/2/tweets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('user-context-only endpoints', () => {
  it("refuse app-only with X's Unsupported Authentication problem", async () => {
    const meResponse = await get('/2/users/me', bearer);
    expect(meResponse.status).toBe(403);
    expect(await meResponse.json()).toEqual(UNSUPPORTED);
    const tweet = await postTweet(bearer, { text: 'app-only tweet' });
    expect(tweet.status).toBe(403);
    expect(await tweet.json()).toEqual(UNSUPPORTED);
    const v1 = await get('/1.1/account/verify_credentials.json', bearer);
    expect(v1.status).toBe(403);
    expect(await v1.json()).toEqual({
      errors: [{ code: 220, message: 'Your credentials do not allow access to this resource.' }],
    });
  });

  it('answer a missing or unknown token with 401 problem JSON', async () => {
    const none = await fetch(`${x.url}/2/users/me`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual(UNAUTHORIZED);
    const unknown = await get('/2/users/me', 'not-a-token');
    expect(await unknown.json()).toEqual(UNAUTHORIZED);
    const v1 = await fetch(`${x.url}/1.1/account/verify_credentials.json`);
    expect(v1.status).toBe(400);
    expect(await v1.json()).toEqual({
      errors: [{ code: 215, message: 'Bad Authentication data.' }],
    });
  });
});

describe('OAuth 2.0 scopes', () => {
  it('are enforced: tweet.write is needed to post, users.read and tweet.read for users/me', async () => {
    const alice = user(x, 'alice');
    const readOnly = x.issueOAuth2Token(x.app.id, alice.id, ['tweet.read', 'users.read']);
    const refused = await postTweet(readOnly.accessToken, { text: 'no scope' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      title: 'Forbidden',
      type: 'about:blank',
      status: 403,
      detail: 'Forbidden',
    });
    const usersOnly = x.issueOAuth2Token(x.app.id, alice.id, ['users.read']);
    expect((await get('/2/users/me', usersOnly.accessToken)).status).toBe(403);

    const writer = x.issueOAuth2Token(x.app.id, alice.id, [
      'tweet.read',
      'tweet.write',
      'users.read',
    ]);
    const created = await postTweet(writer.accessToken, { text: 'Hello from a scoped token' });
    expect(created.status).toBe(201);
    const body = (await created.json()) as {
      data: { id: string; text: string; edit_history_tweet_ids: string[] };
    };
    expect(body.data.text).toBe('Hello from a scoped token');
    expect(body.data.edit_history_tweet_ids).toEqual([body.data.id]);
    const duplicate = await postTweet(writer.accessToken, { text: 'Hello from a scoped token' });
    expect(duplicate.status).toBe(403);
    expect(((await duplicate.json()) as { detail: string }).detail).toBe(
      'You are not allowed to create a Tweet with duplicate content.',
    );
    const invalid = await postTweet(writer.accessToken, { txt: 'typo' });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { title: string }).title).toBe('Invalid Request');
  });
});

describe('read endpoints with app-only or user context', () => {
  it('search/recent and tweets lookup', async () => {
    const writer = x.issueOAuth2Token(x.app.id, user(x, 'bob').id, [
      'tweet.read',
      'tweet.write',
      'users.read',
    ]);
    const created = (await (
      await postTweet(writer.accessToken, { text: 'Searchable emulator kiwi' })
    ).json()) as {
      data: { id: string };
    };
    for (const token of [bearer, writer.accessToken]) {
      const search = await get('/2/tweets/search/recent?query=KIWI%20emulator', token);
      expect(search.status).toBe(200);
      const body = (await search.json()) as {
        data: { id: string }[];
        meta: { result_count: number };
      };
      expect(body.data.map((tweet) => tweet.id)).toEqual([created.data.id]);
      expect(body.meta.result_count).toBe(1);
    }
    const empty = await get('/2/tweets/search/recent?query=nothing-matches-this', bearer);
    expect(await empty.json()).toEqual({ meta: { result_count: 0 } });
    const missingQuery = await get('/2/tweets/search/recent', bearer);
    expect(missingQuery.status).toBe(400);

    const lookup = await get(`/2/tweets?ids=${created.data.id},1234`, bearer);
    const lookupBody = (await lookup.json()) as {
      data: { id: string }[];
      errors: { resource_id: string; title: string }[];
    };
    expect(lookupBody.data.map((tweet) => tweet.id)).toEqual([created.data.id]);
    expect(lookupBody.errors[0]).toMatchObject({ resource_id: '1234', title: 'Not Found Error' });
  });

  it('accepts OAuth 1.0a user context on v2 endpoints', async () => {
    const token = x.issueOAuth1Token(x.app.id, user(x, 'alice').id);
    const response = await signedFetch(x, {
      method: 'GET',
      path: '/2/tweets/search/recent?query=hello',
      token: token,
    });
    expect(response.status).toBe(200);
    const tweet = await signedFetch(x, {
      method: 'POST',
      path: '/2/tweets',
      token: token,
      jsonBody: { text: 'OAuth 1.0a on v2' },
    });
    expect(tweet.status).toBe(201);
  });
});
