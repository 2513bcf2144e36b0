import { describe, expect, it } from 'vitest';
import * as web from './index.js';
import { createMemoryNonceCache } from './memory-nonce-cache.js';
import { signRequest, verifyRequest } from './node.js';
import type { VerifyRequestOptions } from './types.js';

const consumer = { key: 'consumer-key', secret: 'consumer-secret' };
const token = { key: 'token-key', secret: 'token-secret' };
const url = 'https://api.x.com/1.1/statuses/update.json?include_entities=true';
const now = 1_700_000_000_000;

async function signed(overrides: Record<string, unknown> = {}) {
  return signRequest({
    method: 'POST',
    url,
    consumer,
    token,
    form: { status: 'hello world' },
    timestamp: now / 1000,
    ...overrides,
  });
}

function options(
  authorization: string,
  overrides: Partial<VerifyRequestOptions> = {},
): VerifyRequestOptions {
  return {
    method: 'POST',
    url,
    authorization,
    form: 'status=hello%20world',
    consumerSecret: (key) => (key === consumer.key ? consumer.secret : undefined),
    tokenSecret: (key, { consumerKey }) =>
      key === token.key && consumerKey === consumer.key ? token.secret : undefined,
    now: () => now,
    ...overrides,
  };
}

describe('verifyRequest', () => {
  it('accepts the signed example of RFC 5849 §1.2 (realm, no oauth_version)', async () => {
    const result = await verifyRequest({
      method: 'GET',
      url: 'http://photos.example.net/photos?file=vacation.jpg&size=original',
      authorization:
        'OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03", oauth_token="nnch734d00sl2jdk", oauth_signature_method="HMAC-SHA1", oauth_timestamp="137131202", oauth_nonce="chapoH", oauth_signature="MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D"',
      consumerSecret: () => 'kd94hf93k423kf44',
      tokenSecret: () => 'pfkkdhi9sl3r4s00',
      now: () => 137131202_000,
    });
    expect(result).toMatchObject({
      ok: true,
      consumerKey: 'dpf43f3p2l4k3l03',
      token: 'nnch734d00sl2jdk',
      realm: 'Photos',
    });
  });

  it('accepts a request signed by signRequest and reports its parameters', async () => {
    const request = await signed({ verifier: '1234567' });
    const result = await verifyRequest(options(request.authorization));
    expect(result).toMatchObject({
      ok: true,
      consumerKey: consumer.key,
      token: token.key,
      timestamp: now / 1000,
    });
    expect(result.ok && result.params.oauth_verifier).toBe('1234567');
  });

  it('accepts on the Web Crypto entry too', async () => {
    const request = await signed();
    expect((await web.verifyRequest(options(request.authorization))).ok).toBe(true);
  });

  it('rejects a changed body, method, URL or secret as bad_signature', async () => {
    const { authorization } = await signed();
    const changes: Array<Partial<VerifyRequestOptions>> = [
      { form: 'status=hello%20World' },
      { method: 'PUT' },
      { url: url.replace('true', 'false') },
      { url: url.replace('api.x.com', 'api.twitter.com') },
      { consumerSecret: () => 'consumer-secreT' },
      { tokenSecret: () => 'token-secreT' },
    ];
    for (const change of changes) {
      expect(await verifyRequest(options(authorization, change))).toMatchObject({
        ok: false,
        reason: 'bad_signature',
      });
    }
  });

  it('rejects a timestamp outside the window and tells the server time', async () => {
    const { authorization } = await signed({ timestamp: now / 1000 - 301 });
    expect(await verifyRequest(options(authorization))).toMatchObject({
      ok: false,
      reason: 'stale_timestamp',
      serverTimestamp: now / 1000,
    });
    const inWindow = await signed({ timestamp: now / 1000 + 300 });
    expect((await verifyRequest(options(inWindow.authorization))).ok).toBe(true);
    expect((await verifyRequest(options(authorization, { timestampWindowSeconds: 600 }))).ok).toBe(
      true,
    );
  });

  it('rejects a replayed nonce, but a bad signature does not burn the nonce', async () => {
    const nonceCache = createMemoryNonceCache({ now: () => now });
    const request = await signed({ nonce: 'same-nonce' });
    const forged = request.authorization.replace(
      /oauth_signature="[^"]+"/,
      'oauth_signature="AAAA"',
    );
    expect(await verifyRequest(options(forged, { nonceCache }))).toMatchObject({
      reason: 'bad_signature',
    });
    expect((await verifyRequest(options(request.authorization, { nonceCache }))).ok).toBe(true);
    expect(await verifyRequest(options(request.authorization, { nonceCache }))).toMatchObject({
      ok: false,
      reason: 'reused_nonce',
    });
  });

  it('scopes nonces by consumer and token', async () => {
    const nonceCache = createMemoryNonceCache({ now: () => now });
    const withToken = await signed({ nonce: 'n1' });
    const withoutToken = await signed({ nonce: 'n1', token: undefined });
    expect((await verifyRequest(options(withToken.authorization, { nonceCache }))).ok).toBe(true);
    expect((await verifyRequest(options(withoutToken.authorization, { nonceCache }))).ok).toBe(
      true,
    );
  });

  it('forgets nonces once their timestamp has left the window', async () => {
    let clock = now;
    const nonceCache = createMemoryNonceCache({ now: () => clock, windowSeconds: 300 });
    expect(nonceCache.remember('scope', 'n', now / 1000)).toBe(true);
    expect(nonceCache.remember('scope', 'n', now / 1000)).toBe(false);
    clock += 301_000;
    expect(nonceCache.remember('scope', 'n', now / 1000)).toBe(true);
  });

  it('reports unknown consumers and tokens', async () => {
    const { authorization } = await signed();
    expect(
      await verifyRequest(options(authorization, { consumerSecret: () => undefined })),
    ).toMatchObject({
      reason: 'unknown_consumer',
    });
    expect(
      await verifyRequest(options(authorization, { tokenSecret: async () => undefined })),
    ).toMatchObject({
      reason: 'unknown_token',
      consumerKey: consumer.key,
    });
    expect(await verifyRequest(options(authorization, { tokenSecret: undefined }))).toMatchObject({
      reason: 'unknown_token',
    });
  });

  it('reports missing or malformed headers and unsupported methods', async () => {
    const { authorization } = await signed();
    expect(await verifyRequest(options(''))).toMatchObject({ reason: 'missing_authorization' });
    expect(await verifyRequest({ ...options(''), authorization: null })).toMatchObject({
      reason: 'missing_authorization',
    });
    expect(await verifyRequest(options('Bearer abc'))).toMatchObject({
      reason: 'malformed_authorization',
    });
    expect(
      await verifyRequest(options(authorization.replace(/, oauth_nonce="[^"]+"/, ''))),
    ).toMatchObject({
      reason: 'missing_parameter',
    });
    expect(
      await verifyRequest(options(authorization.replace('HMAC-SHA1', 'PLAINTEXT'))),
    ).toMatchObject({
      reason: 'unsupported_signature_method',
    });
    expect(
      await verifyRequest(
        options(authorization.replace('oauth_version="1.0"', 'oauth_version="2.0"')),
      ),
    ).toMatchObject({
      reason: 'unsupported_version',
    });
  });

  it('never puts a secret or the signature in a rejection message', async () => {
    const { authorization, signature } = await signed();
    const result = await verifyRequest(options(authorization, { consumerSecret: () => 'wrong' }));
    expect(result.ok).toBe(false);
    const shown = JSON.stringify(result);
    for (const secret of [
      consumer.secret,
      token.secret,
      signature,
      encodeURIComponent(signature),
    ]) {
      expect(shown).not.toContain(secret);
    }
  });
});
