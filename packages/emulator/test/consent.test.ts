import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeConsent, type Emulator, startEmulator, submitConsent } from '../src/index.js';
import { obtainRequestToken, pkcePair, user } from './helpers.js';

let x: Emulator;
beforeAll(async () => {
  x = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await x.close();
});

function oauth2AuthorizeUrl(state: string): string {
  const { challenge } = pkcePair();
  return `${x.url}/i/oauth2/authorize?${new URLSearchParams({
    response_type: 'code',
    client_id: x.app.clientId,
    redirect_uri: 'http://127.0.0.1:3000/oauth2/callback',
    scope: 'tweet.read users.read',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })}`;
}

describe('completeConsent (the consent pages driven without a browser)', () => {
  it('authorizes an OAuth 2.0 request as the chosen user and returns the redirect', async () => {
    const outcome = await completeConsent(oauth2AuthorizeUrl('s1'), { userId: user(x, 'bob').id });
    expect(outcome.kind).toBe('redirect');
    const location = new URL(outcome.kind === 'redirect' ? outcome.location : '');
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:3000/oauth2/callback');
    expect(location.searchParams.get('state')).toBe('s1');
    expect(location.searchParams.get('code')).toMatch(/.{10,}/);
  });

  it('cancels an OAuth 2.0 request with error=access_denied', async () => {
    const outcome = await completeConsent(oauth2AuthorizeUrl('s2'), { action: 'cancel' });
    expect(outcome.kind === 'redirect' && new URL(outcome.location).searchParams.get('error')).toBe(
      'access_denied',
    );
  });

  it('authorizes an OAuth 1.0a callback flow with oauth_token and oauth_verifier', async () => {
    const requestToken = await obtainRequestToken(x, 'http://127.0.0.1:3000/callback');
    const outcome = await completeConsent(
      `${x.url}/oauth/authorize?oauth_token=${requestToken.key}`,
    );
    const location = new URL(outcome.kind === 'redirect' ? outcome.location : 'http://none/');
    expect(location.searchParams.get('oauth_token')).toBe(requestToken.key);
    expect(location.searchParams.get('oauth_verifier')).toMatch(/.+/);
  });

  it('reads the 7-digit PIN for oob, and denied= on cancel', async () => {
    const pinToken = await obtainRequestToken(x, 'oob');
    const pin = await completeConsent(`${x.url}/oauth/authorize?oauth_token=${pinToken.key}`);
    expect(pin.kind === 'pin' && pin.pin).toMatch(/^\d{7}$/);
    const cancelToken = await obtainRequestToken(x, 'http://127.0.0.1:3000/callback');
    const denied = await completeConsent(
      `${x.url}/oauth/authorize?oauth_token=${cancelToken.key}`,
      {
        action: 'cancel',
      },
    );
    expect(denied.kind === 'redirect' && new URL(denied.location).searchParams.get('denied')).toBe(
      cancelToken.key,
    );
  });

  it('keeps the sign-in cookie, so authenticate skips the page for a returning user', async () => {
    const first = await obtainRequestToken(x, 'http://127.0.0.1:3000/callback');
    const signedIn = await completeConsent(`${x.url}/oauth/authenticate?oauth_token=${first.key}`);
    expect(signedIn.cookie).not.toBe('');
    const second = await obtainRequestToken(x, 'http://127.0.0.1:3000/callback');
    const skipped = await submitConsent(`${x.url}/oauth/authenticate?oauth_token=${second.key}`, {
      cookie: signedIn.cookie,
    });
    expect(skipped.status).toBe(302);
    expect(new URL(skipped.headers.get('location') as string).searchParams.get('oauth_token')).toBe(
      second.key,
    );
  });

  it('says why when the page is neither a redirect nor a PIN', async () => {
    await expect(completeConsent(`${x.url}/oauth/authorize?oauth_token=unknown`)).rejects.toThrow(
      /answered \d{3}/,
    );
  });
});
