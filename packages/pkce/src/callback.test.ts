import { constantTimeEqual } from '@x-oauth/internal';
import { describe, expect, it } from 'vitest';
import { handleCallback, isTransactionConsumed } from './callback.js';
import { PkceError, PkceErrorCode } from './errors.js';
import type { PendingTransaction } from './types.js';

function transaction(state = 'expected-state'): PendingTransaction {
  return {
    state,
    codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
    redirectUri: 'https://app.example/callback',
    scopes: ['tweet.read'],
    createdAt: 0,
  };
}

function thrown(run: () => unknown): PkceError {
  try {
    run();
  } catch (error) {
    if (error instanceof PkceError) return error;
    throw error;
  }
  throw new Error('expected a PkceError');
}

describe('handleCallback', () => {
  it('returns the code when the state matches', () => {
    const tx = transaction();
    expect(handleCallback('https://app.example/callback?state=expected-state&code=abc', tx)).toBe(
      'abc',
    );
    expect(isTransactionConsumed(tx)).toBe(true);
  });

  it('accepts a URL object', () => {
    expect(
      handleCallback(
        new URL('https://app.example/callback?code=c1&state=expected-state'),
        transaction(),
      ),
    ).toBe('c1');
  });

  it('is single-use: a second call with the same transaction throws', () => {
    const tx = transaction();
    handleCallback('https://app.example/callback?state=expected-state&code=abc', tx);
    expect(
      thrown(() => handleCallback('https://app.example/callback?state=expected-state&code=abc', tx))
        .code,
    ).toBe(PkceErrorCode.TransactionConsumed);
  });

  it('consumes the transaction even when the callback fails', () => {
    const tx = transaction();
    expect(
      thrown(() => handleCallback('https://app.example/callback?state=other&code=abc', tx)).code,
    ).toBe(PkceErrorCode.StateMismatch);
    expect(
      thrown(() => handleCallback('https://app.example/callback?state=expected-state&code=abc', tx))
        .code,
    ).toBe(PkceErrorCode.TransactionConsumed);
  });

  it('refuses a missing, different or repeated state', () => {
    for (const query of [
      'code=abc',
      'state=expected-statf&code=abc',
      'state=expected-state-longer&code=abc',
      'state=&code=abc',
      'state=expected-state&state=expected-state&code=abc',
    ]) {
      expect(
        thrown(() => handleCallback(`https://app.example/callback?${query}`, transaction())).code,
      ).toBe(PkceErrorCode.StateMismatch);
    }
  });

  it('checks the state before trusting an error', () => {
    const error = thrown(() =>
      handleCallback('https://app.example/callback?error=access_denied&state=x', transaction()),
    );
    expect(error.code).toBe(PkceErrorCode.StateMismatch);
  });

  it('turns error=access_denied into PKCE_ACCESS_DENIED', () => {
    const error = thrown(() =>
      handleCallback(
        'https://app.example/callback?error=access_denied&state=expected-state',
        transaction(),
      ),
    );
    expect(error.code).toBe(PkceErrorCode.AccessDenied);
    expect(error.oauthError).toBe('access_denied');
    expect(error.retryable).toBe(false);
  });

  it('turns other errors into PKCE_AUTHORIZATION_ERROR with code and description', () => {
    const error = thrown(() =>
      handleCallback(
        'https://app.example/callback?error=invalid_scope&error_description=Bad+scope&state=expected-state',
        transaction(),
      ),
    );
    expect(error.code).toBe(PkceErrorCode.AuthorizationError);
    expect(error.oauthError).toBe('invalid_scope');
    expect(error.description).toBe('Bad scope');
    expect(error.message).toContain('invalid_scope');
  });

  it('refuses a callback without a code, or with a repeated code', () => {
    expect(
      thrown(() =>
        handleCallback('https://app.example/callback?state=expected-state', transaction()),
      ).code,
    ).toBe(PkceErrorCode.InvalidCallback);
    expect(
      thrown(() =>
        handleCallback(
          'https://app.example/callback?state=expected-state&code=a&code=b',
          transaction(),
        ),
      ).code,
    ).toBe(PkceErrorCode.InvalidCallback);
    expect(
      thrown(() => handleCallback('/callback?state=expected-state&code=a', transaction())).code,
    ).toBe(PkceErrorCode.InvalidCallback);
  });

  it('never puts the code or state into the error message', () => {
    const error = thrown(() =>
      handleCallback(
        'https://app.example/callback?state=attacker-state&code=SECRETCODE',
        transaction('s3cret'),
      ),
    );
    expect(error.message).not.toContain('SECRETCODE');
    expect(error.message).not.toContain('s3cret');
    expect(error.message).not.toContain('attacker-state');
  });
});

describe('constantTimeEqual', () => {
  it('compares strings exactly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual('', 'a')).toBe(false);
    expect(constantTimeEqual('é', 'e')).toBe(false);
  });
});
