import { describe, expect, it } from 'vitest';
import { json, TOKEN, v1Error } from '../test/fake-fetch.js';
import { checkAppOnlyResponse, parseAppOnlyError } from './app-only-response.js';
import { BearerError, BearerErrorCode } from './errors.js';

const unsupported = (host: string) => ({
  title: 'Unsupported Authentication',
  detail:
    'Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint.  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].',
  type: `https://${host}/2/problems/unsupported-authentication`,
  status: 403,
});

describe('parseAppOnlyError', () => {
  it('turns 401 code 89 into BEARER_INVALID_TOKEN', () => {
    const error = parseAppOnlyError(401, {
      errors: [{ code: 89, message: 'Invalid or expired token.' }],
    });
    expect(error).toMatchObject({ code: BearerErrorCode.InvalidToken, status: 401, xCode: 89 });
  });

  it("turns v2's 401 problem into BEARER_INVALID_TOKEN", () => {
    const error = parseAppOnlyError(401, {
      title: 'Unauthorized',
      type: 'about:blank',
      status: 401,
      detail: 'Unauthorized',
    });
    expect(error).toMatchObject({
      code: BearerErrorCode.InvalidToken,
      status: 401,
      xCode: undefined,
    });
  });

  it.each(['api.twitter.com', 'api.x.com'])(
    'turns the v2 Unsupported Authentication problem under %s into BEARER_USER_CONTEXT_REQUIRED',
    (host) => {
      const error = parseAppOnlyError(403, unsupported(host));
      expect(error).toMatchObject({
        code: BearerErrorCode.UserContextRequired,
        status: 403,
        problemType: `https://${host}/2/problems/unsupported-authentication`,
      });
    },
  );

  it('turns v1.1 code 220 into BEARER_USER_CONTEXT_REQUIRED', () => {
    const error = parseAppOnlyError(403, {
      errors: [{ code: 220, message: 'Your credentials do not allow access to this resource' }],
    });
    expect(error).toMatchObject({ code: BearerErrorCode.UserContextRequired, xCode: 220 });
  });

  it('leaves every other answer to the caller', () => {
    expect(parseAppOnlyError(200, { data: [] })).toBeUndefined();
    expect(
      parseAppOnlyError(403, { title: 'Forbidden', type: 'about:blank', status: 403 }),
    ).toBeUndefined();
    expect(
      parseAppOnlyError(403, { type: 'https://api.x.com/2/problems/client-forbidden' }),
    ).toBeUndefined();
    expect(
      parseAppOnlyError(403, { errors: [{ code: 187, message: 'Status is a duplicate.' }] }),
    ).toBeUndefined();
    expect(parseAppOnlyError(429, { errors: [{ code: 88 }] })).toBeUndefined();
    expect(parseAppOnlyError(404, undefined)).toBeUndefined();
    expect(parseAppOnlyError(403, 'not an object')).toBeUndefined();
  });
});

describe('checkAppOnlyResponse', () => {
  it('resolves to the same, still readable response when it is not an app-only failure', async () => {
    const response = json(200, { data: [{ id: '1' }] });
    const checked = await checkAppOnlyResponse(response);
    expect(checked).toBe(response);
    const forbidden = json(403, { title: 'Forbidden', type: 'about:blank', status: 403 });
    const same = await checkAppOnlyResponse(forbidden);
    expect(await same.json()).toMatchObject({ title: 'Forbidden' });
  });

  it('throws the app-only errors', async () => {
    await expect(
      checkAppOnlyResponse(v1Error(401, 89, 'Invalid or expired token.')),
    ).rejects.toMatchObject({
      code: BearerErrorCode.InvalidToken,
    });
    await expect(
      checkAppOnlyResponse(json(403, unsupported('api.twitter.com'))),
    ).rejects.toBeInstanceOf(BearerError);
    await expect(checkAppOnlyResponse(new Response('nope', { status: 401 }))).rejects.toMatchObject(
      {
        code: BearerErrorCode.InvalidToken,
        xCode: undefined,
      },
    );
  });

  it('never echoes the body', async () => {
    try {
      await checkAppOnlyResponse(v1Error(401, 89, `token ${TOKEN} is bad`));
    } catch (error) {
      expect(String(error)).not.toContain(TOKEN);
    }
  });
});
