import { describe, expect, it } from 'vitest';
import { redactHeaders, redactUrl } from './redact.js';

describe('redaction', () => {
  it('redacts credential-like query values and user info', () => {
    const url = redactUrl(
      'http://u:p@127.0.0.1/oauth/access_token?oauth_token=T&oauth_verifier=V&code=C&code_verifier=CV&access_token=A&refresh_token=R&query=hello',
    );
    for (const secret of ['=T&', '=V&', '=C&', '=CV&', '=A&', '=R&', 'u:p'])
      expect(url).not.toContain(secret);
    expect(url).toContain('query=hello');
  });
  it('drops Authorization and Cookie headers', () => {
    expect(
      redactHeaders(
        new Headers({
          Authorization: 'Bearer x',
          cookie: 'a=b',
          'content-type': 'application/json',
        }),
      ),
    ).toEqual({ 'content-type': 'application/json' });
    expect(redactHeaders({ 'Proxy-Authorization': 'x', Accept: 'y' })).toEqual({ accept: 'y' });
  });
});
