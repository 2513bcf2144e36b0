import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAuthorization } from './authorization.js';
import { computeCodeChallenge } from './code-challenge.js';
import { endpointsFromBaseUrl } from './endpoints.js';
import { PkceErrorCode } from './errors.js';
import { transactionFromStorable, transactionToStorable } from './transaction.js';

const base = {
  clientId: 'client-123',
  redirectUri: 'https://app.example/callback?x=1',
  scopes: ['tweet.read', 'users.read', 'offline.access'] as const,
};

describe('createAuthorization', () => {
  it("builds X's authorize URL with an S256 challenge of the transaction's verifier", async () => {
    const { url, transaction } = await createAuthorization({
      ...base,
      now: () => 1_700_000_000_000,
    });
    const parsed = new URL(url);
    expect(`${parsed.origin}${parsed.pathname}`).toBe('https://x.com/i/oauth2/authorize');
    const parameters = parsed.searchParams;
    expect(parameters.get('response_type')).toBe('code');
    expect(parameters.get('client_id')).toBe('client-123');
    expect(parameters.get('redirect_uri')).toBe('https://app.example/callback?x=1');
    expect(parameters.get('scope')).toBe('tweet.read users.read offline.access');
    expect(parameters.get('state')).toBe(transaction.state);
    expect(parameters.get('code_challenge_method')).toBe('S256');
    expect(parameters.get('code_challenge')).toBe(
      await computeCodeChallenge(transaction.codeVerifier),
    );
    // Spaces as %20, as in X's documented URLs.
    expect(url).toContain('scope=tweet.read%20users.read%20offline.access');
    expect(transaction).toEqual({
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      codeVerifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      redirectUri: base.redirectUri,
      scopes: ['tweet.read', 'users.read', 'offline.access'],
      createdAt: 1_700_000_000_000,
    });
    expect(Object.isFrozen(transaction)).toBe(true);
  });

  it('shows the transaction redacted in util.inspect and JSON.stringify', async () => {
    const { transaction } = await createAuthorization(base);
    for (const text of [
      inspect(transaction),
      inspect({ nested: transaction }),
      JSON.stringify(transaction),
      JSON.stringify({ nested: transaction }),
    ]) {
      expect(text).not.toContain(transaction.codeVerifier);
      expect(text).not.toContain(transaction.state);
      expect(text).toContain('[redacted]');
    }
  });

  it('stores the transaction only through transactionToStorable, and checks it on the way back', async () => {
    const { transaction } = await createAuthorization(base);
    const stored = JSON.stringify(transactionToStorable(transaction));
    expect(stored).toContain(transaction.codeVerifier);
    const restored = transactionFromStorable(JSON.parse(stored));
    expect(restored).toEqual(transaction);
    expect(Object.isFrozen(restored)).toBe(true);
    expect(JSON.stringify(restored)).not.toContain(transaction.codeVerifier);
    for (const broken of [
      null,
      'text',
      { ...JSON.parse(stored), codeVerifier: 'short' },
      { ...JSON.parse(stored), scopes: ['not.a.scope'] },
      { ...JSON.parse(stored), state: '' },
      { ...JSON.parse(stored), createdAt: 'yesterday' },
    ]) {
      expect(() => transactionFromStorable(broken)).toThrowError(
        expect.objectContaining({ code: 'PKCE_INVALID_ARGUMENT' }),
      );
    }
  });

  it('uses the injected random source for state and verifier', async () => {
    let counter = 0;
    const random = (bytes: Uint8Array) => {
      counter += 1;
      bytes.fill(counter);
    };
    const { transaction } = await createAuthorization({ ...base, random });
    expect(transaction.state).toBe('AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE');
    expect(transaction.codeVerifier).toBe('AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI');
  });

  it('sends plain only when asked for by name', async () => {
    const { url, transaction } = await createAuthorization({ ...base, method: 'plain' });
    const parameters = new URL(url).searchParams;
    expect(parameters.get('code_challenge_method')).toBe('plain');
    expect(parameters.get('code_challenge')).toBe(transaction.codeVerifier);
  });

  it('keeps a caller state and refuses a malformed one', async () => {
    const { transaction } = await createAuthorization({ ...base, state: 'my state 1' });
    expect(transaction.state).toBe('my state 1');
    for (const state of ['', 'a'.repeat(501), 'line\nbreak', 'é']) {
      await expect(createAuthorization({ ...base, state })).rejects.toMatchObject({
        code: PkceErrorCode.InvalidArgument,
      });
    }
  });

  it('uses configurable endpoints and refuses insecure ones', async () => {
    const { url } = await createAuthorization({
      ...base,
      endpoints: endpointsFromBaseUrl('http://127.0.0.1:4000'),
    });
    expect(url.startsWith('http://127.0.0.1:4000/i/oauth2/authorize?response_type=code&')).toBe(
      true,
    );
    await expect(
      createAuthorization({ ...base, endpoints: { authorize: 'http://example.com/authorize' } }),
    ).rejects.toMatchObject({ code: PkceErrorCode.InsecureEndpoint });
  });

  it('refuses bad scopes, client ids and redirect URIs', async () => {
    await expect(createAuthorization({ ...base, scopes: [] })).rejects.toMatchObject({
      code: PkceErrorCode.InvalidScope,
    });
    // @ts-expect-error an unknown scope is a type error too
    await expect(createAuthorization({ ...base, scopes: ['tweet.delete'] })).rejects.toMatchObject({
      code: PkceErrorCode.InvalidScope,
    });
    await expect(createAuthorization({ ...base, clientId: '' })).rejects.toMatchObject({
      code: PkceErrorCode.InvalidArgument,
    });
    for (const redirectUri of ['/callback', 'https://app.example/cb#frag']) {
      await expect(createAuthorization({ ...base, redirectUri })).rejects.toMatchObject({
        code: PkceErrorCode.InvalidArgument,
      });
    }
  });
});
