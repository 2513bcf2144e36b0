import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isDeadGrant, isRetryable, PkceError, PkceErrorCode } from './errors.js';
import { processTokenResponse } from './token-response.js';

const now = () => 1_700_000_000_000;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

async function rejection(promise: Promise<unknown>): Promise<PkceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PkceError) return error;
    throw error;
  }
  throw new Error('expected a PkceError');
}

const xSuccess = {
  token_type: 'bearer',
  expires_in: 7200,
  access_token: 'ACCESS-TOKEN-VALUE',
  scope: 'tweet.read users.read offline.access',
  refresh_token: 'REFRESH-TOKEN-VALUE',
};

describe('processTokenResponse: success', () => {
  it("parses X's answer into a TokenSet with expiresAt from the clock", async () => {
    const set = await processTokenResponse(json(200, xSuccess), {
      grantType: 'authorization_code',
      now,
    });
    expect(set.accessToken).toBe('ACCESS-TOKEN-VALUE');
    expect(set.refreshToken).toBe('REFRESH-TOKEN-VALUE');
    expect(set.expiresAt).toBe(1_700_000_000_000 + 7_200_000);
    expect(set.scopes).toEqual(['tweet.read', 'users.read', 'offline.access']);
    expect(set.tokenType).toBe('bearer');
  });

  it('has no refresh token without offline.access', async () => {
    const { refresh_token: _, ...withoutRefresh } = xSuccess;
    const set = await processTokenResponse(json(200, { ...withoutRefresh, scope: 'tweet.read' }), {
      grantType: 'authorization_code',
      now,
    });
    expect(set.refreshToken).toBeUndefined();
    expect('refreshToken' in set).toBe(false);
  });

  it('falls back to the given scopes when the answer has none (RFC 6749 §5.1)', async () => {
    const { scope: _, ...withoutScope } = xSuccess;
    const set = await processTokenResponse(json(200, withoutScope), {
      grantType: 'refresh_token',
      fallbackScopes: ['tweet.read', 'offline.access'],
    });
    expect(set.scopes).toEqual(['tweet.read', 'offline.access']);
  });

  it('accepts Bearer in any case and keeps unknown granted scopes', async () => {
    const set = await processTokenResponse(
      json(200, { ...xSuccess, token_type: 'Bearer', scope: 'tweet.read future.scope' }),
      {
        grantType: 'authorization_code',
      },
    );
    expect(set.tokenType).toBe('bearer');
    expect(set.scopes).toEqual(['tweet.read', 'future.scope']);
  });

  it.each([
    ['a body that is not JSON', new Response('<html>oops</html>', { status: 200 })],
    ['an array', json(200, [xSuccess])],
    ['no access_token', json(200, { ...xSuccess, access_token: undefined })],
    ['an empty access_token', json(200, { ...xSuccess, access_token: '' })],
    ['a mac token', json(200, { ...xSuccess, token_type: 'mac' })],
    ['no expires_in', json(200, { ...xSuccess, expires_in: undefined })],
    ['a string expires_in', json(200, { ...xSuccess, expires_in: '7200' })],
    ['a negative expires_in', json(200, { ...xSuccess, expires_in: -1 })],
    ['a numeric scope', json(200, { ...xSuccess, scope: 42 })],
    ['an empty refresh_token', json(200, { ...xSuccess, refresh_token: '' })],
    ['a 201', json(201, xSuccess)],
  ])('refuses %s with PKCE_INVALID_RESPONSE', async (_, response) => {
    const error = await rejection(
      processTokenResponse(response, { grantType: 'authorization_code' }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidResponse);
    expect(isDeadGrant(error)).toBe(false);
    expect(error.message).not.toContain('ACCESS-TOKEN-VALUE');
    expect(error.message).not.toContain('REFRESH-TOKEN-VALUE');
  });
});

describe('processTokenResponse: errors', () => {
  const deadToken = {
    error: 'invalid_request',
    error_description: 'Value passed for the token was invalid.',
  };
  const badCode = {
    error: 'invalid_request',
    error_description: 'Value passed for the authorization code was invalid.',
  };
  const badVerifier = {
    error: 'invalid_request',
    error_description: 'Value passed for the code verifier did not match the code challenge.',
  };

  it("classifies X's dead refresh token answer as PKCE_REFRESH_TOKEN_DEAD", async () => {
    const error = await rejection(
      processTokenResponse(json(400, deadToken), { grantType: 'refresh_token' }),
    );
    expect(error.code).toBe(PkceErrorCode.RefreshTokenDead);
    expect(error.status).toBe(400);
    expect(error.oauthError).toBe('invalid_request');
    expect(error.description).toBe('Value passed for the token was invalid.');
    expect(isDeadGrant(error)).toBe(true);
    expect(isRetryable(error)).toBe(false);
  });

  it('classifies invalid_grant on a refresh as a dead refresh token', async () => {
    const error = await rejection(
      processTokenResponse(json(400, { error: 'invalid_grant' }), { grantType: 'refresh_token' }),
    );
    expect(error.code).toBe(PkceErrorCode.RefreshTokenDead);
  });

  it('keeps other invalid_request answers to a refresh apart from a dead token', async () => {
    const error = await rejection(
      processTokenResponse(
        json(400, {
          error: 'invalid_request',
          error_description: 'Missing required parameter [refresh_token].',
        }),
        {
          grantType: 'refresh_token',
        },
      ),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidRequest);
    expect(isDeadGrant(error)).toBe(false);
  });

  it.each([
    ['a bad or reused code', badCode],
    ['a verifier that does not match', badVerifier],
    ['invalid_grant', { error: 'invalid_grant', error_description: 'expired' }],
    [
      'a redirect URI that differs',
      {
        error: 'invalid_request',
        error_description:
          'Value passed for the redirect uri did not match the uri of the authorization code.',
      },
    ],
  ])('classifies %s on a code exchange as PKCE_INVALID_GRANT', async (_, body) => {
    const error = await rejection(
      processTokenResponse(json(400, body), { grantType: 'authorization_code' }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidGrant);
    expect(isDeadGrant(error)).toBe(true);
  });

  it('classifies invalid_client and a 401 unauthorized_client as PKCE_INVALID_CLIENT', async () => {
    for (const [status, body] of [
      [401, { error: 'invalid_client', error_description: 'Client authentication failed.' }],
      [
        401,
        { error: 'unauthorized_client', error_description: 'Missing valid authorization header' },
      ],
      [400, { error: 'invalid_client' }],
    ] as const) {
      const error = await rejection(
        processTokenResponse(json(status, body), { grantType: 'authorization_code' }),
      );
      expect(error.code).toBe(PkceErrorCode.InvalidClient);
      expect(error.retryable).toBe(false);
    }
  });

  it('treats 429 as retryable and reads Retry-After or x-rate-limit-reset', async () => {
    const first = await rejection(
      processTokenResponse(json(429, { title: 'Too Many Requests' }, { 'retry-after': '30' }), {
        grantType: 'refresh_token',
        now,
      }),
    );
    expect(first.code).toBe(PkceErrorCode.RateLimited);
    expect(first.retryable).toBe(true);
    expect(first.retryAt).toEqual(new Date(now() + 30_000));
    expect(isDeadGrant(first)).toBe(false);
    const second = await rejection(
      processTokenResponse(
        json(
          429,
          { title: 'Too Many Requests' },
          { 'x-rate-limit-reset': String(1_700_000_000 + 90) },
        ),
        { grantType: 'refresh_token', now },
      ),
    );
    expect(second.retryAt).toEqual(new Date((1_700_000_000 + 90) * 1000));
  });

  it('treats 5xx, JSON or not, as retryable and never as a dead grant', async () => {
    for (const response of [
      json(503, { title: 'Service Unavailable' }),
      new Response('Bad gateway', { status: 502 }),
      json(500, deadToken),
    ]) {
      const error = await rejection(processTokenResponse(response, { grantType: 'refresh_token' }));
      expect(error.code).toBe(PkceErrorCode.ServerError);
      expect(error.retryable).toBe(true);
      expect(isDeadGrant(error)).toBe(false);
    }
  });

  it('reports a 4xx without an OAuth error as PKCE_INVALID_RESPONSE', async () => {
    const error = await rejection(
      processTokenResponse(new Response('<html>', { status: 403 }), {
        grantType: 'authorization_code',
      }),
    );
    expect(error.code).toBe(PkceErrorCode.InvalidResponse);
    expect(error.status).toBe(403);
  });

  it('reports other OAuth errors as PKCE_OAUTH_ERROR', async () => {
    const error = await rejection(
      processTokenResponse(json(400, { error: 'unsupported_grant_type' }), {
        grantType: 'authorization_code',
      }),
    );
    expect(error.code).toBe(PkceErrorCode.OAuthError);
    expect(error.oauthError).toBe('unsupported_grant_type');
  });

  it('puts no token or body into the error, its inspection or its JSON', async () => {
    const body = {
      error: 'invalid_request',
      access_token: 'LEAKED-TOKEN',
      refresh_token: 'LEAKED-REFRESH',
    };
    const error = await rejection(
      processTokenResponse(json(400, body), { grantType: 'refresh_token' }),
    );
    for (const text of [
      error.message,
      inspect(error),
      JSON.stringify(error),
      String(error.stack),
    ]) {
      expect(text).not.toContain('LEAKED');
    }
  });
});
