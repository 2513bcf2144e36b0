import { verifyRequest } from '@x-oauth/oauth1-signature';
import { describe, expect, it } from 'vitest';
import { CONSUMER, fakeFetch, json, OWNER, TOKEN, v1Error } from '../test/fake-fetch.js';
import { BearerError, BearerErrorCode } from './errors.js';
import {
  invalidateBearerToken,
  invalidateBearerTokenRequest,
  processInvalidateBearerTokenResponse,
} from './invalidate-token.js';

async function rejection(promise: Promise<unknown>): Promise<BearerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof BearerError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const ok = () => json(200, { access_token: TOKEN });

describe('invalidateBearerTokenRequest', () => {
  it('signs with OAuth 1.0a (app keys + owner token) when an owner token is given', async () => {
    const fake = fakeFetch(ok);
    await invalidateBearerTokenRequest({
      consumer: CONSUMER,
      token: TOKEN,
      ownerToken: OWNER,
      fetch: fake.fetch,
    });
    const [request] = fake.requests;
    expect(request?.url).toBe('https://api.x.com/oauth2/invalidate_token');
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('content-type')).toBe(
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
    const authorization = request?.headers.get('authorization') ?? '';
    expect(authorization).toMatch(/^OAuth /);
    expect(authorization).toContain(`oauth_token="${encodeURIComponent(OWNER.key)}"`);
    // The token travels in the body, form-encoded (its %-escapes escaped again), never in the URL.
    expect(request?.body).toBe(`access_token=${encodeURIComponent(TOKEN)}`);
    expect(new URLSearchParams(request?.body).get('access_token')).toBe(TOKEN);
    expect(request?.url).not.toContain('access_token');
    const verified = await verifyRequest({
      method: 'POST',
      url: request?.url ?? '',
      authorization,
      form: request?.body ?? '',
      consumerSecret: (key) => (key === CONSUMER.key ? CONSUMER.secret : undefined),
      tokenSecret: (key) => (key === OWNER.key ? OWNER.secret : undefined),
    });
    expect(verified.ok).toBe(true);
  });

  it('uses HTTP Basic with the app keys when no owner token is given', async () => {
    const fake = fakeFetch(ok);
    await invalidateBearerTokenRequest({ consumer: CONSUMER, token: TOKEN, fetch: fake.fetch });
    const [request] = fake.requests;
    expect(request?.headers.get('authorization')).toBe(
      'Basic eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw==',
    );
    expect(new URLSearchParams(request?.body).get('access_token')).toBe(TOKEN);
  });

  it('lets `authentication` force Basic even with an owner token', async () => {
    const fake = fakeFetch(ok);
    await invalidateBearerTokenRequest({
      consumer: CONSUMER,
      token: TOKEN,
      ownerToken: OWNER,
      authentication: 'basic',
      fetch: fake.fetch,
    });
    expect(fake.requests[0]?.headers.get('authorization')).toMatch(/^Basic /);
  });

  it('refuses bad options before anything is sent', async () => {
    const fake = fakeFetch(ok);
    const cases = [
      { consumer: CONSUMER, token: TOKEN, authentication: 'oauth1' as const },
      { consumer: CONSUMER, token: '' },
      { consumer: CONSUMER, token: 'two words' },
      { consumer: CONSUMER, token: TOKEN, ownerToken: { key: 'k', secret: '' } },
    ];
    for (const options of cases) {
      const error = await rejection(
        invalidateBearerTokenRequest({ ...options, fetch: fake.fetch }),
      );
      expect(error.code).toBe(BearerErrorCode.InvalidArgument);
      expect(error.message).not.toContain(TOKEN);
    }
    const insecure = await rejection(
      invalidateBearerTokenRequest({
        consumer: CONSUMER,
        token: TOKEN,
        fetch: fake.fetch,
        baseUrl: 'http://x.example',
      }),
    );
    expect(insecure.code).toBe(BearerErrorCode.InsecureEndpoint);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('processInvalidateBearerTokenResponse', () => {
  it("accepts X's documented answer", async () => {
    await expect(processInvalidateBearerTokenResponse(ok())).resolves.toBeUndefined();
  });

  it('refuses a success without the revoked access_token', async () => {
    for (const response of [
      json(200, {}),
      new Response('ok', { status: 200 }),
      json(200, { access_token: 1 }),
    ]) {
      const error = await rejection(processInvalidateBearerTokenResponse(response));
      expect(error.code).toBe(BearerErrorCode.InvalidResponse);
    }
  });

  it.each([
    [
      v1Error(403, 348, 'Client application is not permitted to to invalidate this token.'),
      BearerErrorCode.InvalidationRefused,
      348,
    ],
    [
      v1Error(403, 99, 'Unable to verify your credentials', 'authenticity_token_error'),
      BearerErrorCode.InvalidClientCredentials,
      99,
    ],
    [v1Error(401, 89, 'Invalid or expired token.'), BearerErrorCode.InvalidClientCredentials, 89],
    [v1Error(401, 32, 'Could not authenticate you.'), BearerErrorCode.InvalidClientCredentials, 32],
    [v1Error(401, 135, 'Timestamp out of bounds.'), BearerErrorCode.InvalidClientCredentials, 135],
    [
      v1Error(403, 170, 'Missing required parameter: access_token', 'forbidden_missing_parameter'),
      BearerErrorCode.InvalidRequest,
      170,
    ],
    [v1Error(429, 88, 'Rate limit exceeded'), BearerErrorCode.TooManyRequests, 88],
    [v1Error(500, 131, 'Internal error'), BearerErrorCode.UnexpectedStatus, 131],
  ])('maps X error %#', async (response, code, xCode) => {
    const error = await rejection(processInvalidateBearerTokenResponse(response));
    expect(error).toMatchObject({ code, xCode, status: response.status });
  });

  it("says that error 89 on a signed invalidation is about the owner's token", async () => {
    const error = await rejection(
      processInvalidateBearerTokenResponse(v1Error(401, 89, 'Invalid or expired token.')),
    );
    expect(error.message).toMatch(/owner's access token/);
  });
});

describe('invalidateBearerToken', () => {
  it('composes the request and the processing, resolving to nothing', async () => {
    const fake = fakeFetch(ok);
    await expect(
      invalidateBearerToken({
        consumer: CONSUMER,
        token: TOKEN,
        ownerToken: OWNER,
        fetch: fake.fetch,
      }),
    ).resolves.toBeUndefined();
    expect(fake.requests).toHaveLength(1);
  });
});
