// The wire inspector's pure parts: the masked Authorization header, the masked base string
// (the one @x-oauth/oauth1-signature signs, with only the key and token replaced), the log cap.
import { percentEncode, signRequest } from '@x-oauth/oauth1-signature';
import { describe, expect, it } from 'vitest';
import { maskToken } from '../src/mask.js';
import { appendWire, type DemoSession, WIRE_LOG_SIZE } from '../src/web/sessions.js';
import { describeAuthorization, maskedBaseString } from '../src/wire/authorization.js';
import type { WireEntry } from '../src/wire/entry.js';
import { maskIdentity } from '../src/wire/recorder.js';

const consumer = { key: 'ck-0123456789abcdefghij', secret: 'cs-secret-0123456789abcdef' };
const token = { key: '12345-tokenvalue0123456789', secret: 'ts-secret-0123456789abcdef' };

describe('describeAuthorization', () => {
  it('parses an OAuth 1.0a header and masks the key, token and signature', async () => {
    const signed = await signRequest({
      method: 'POST',
      url: 'https://api.x.com/2/tweets',
      consumer,
      token,
    });
    const parts = describeAuthorization(signed.authorization);
    expect(parts.scheme).toBe('OAuth');
    const byName = Object.fromEntries(parts.parameters.map((p) => [p.name, p.value]));
    expect(byName.oauth_token).toBe(maskToken(token.key));
    expect(byName.oauth_consumer_key).toBe(maskToken(consumer.key));
    expect(byName.oauth_signature).toBe('••••');
    expect(byName.oauth_signature_method).toBe('HMAC-SHA1');
    const text = JSON.stringify(parts);
    for (const secret of [
      token.key,
      token.secret,
      consumer.key,
      consumer.secret,
      signed.signature,
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('masks Bearer tokens and hides Basic credentials entirely', () => {
    const bearer = describeAuthorization('Bearer AAAAAAAAAAAAAAAAAAAAA-long-bearer-token');
    expect(bearer).toEqual({
      scheme: 'Bearer',
      parameters: [{ name: 'token', value: 'AAAA…oken', masked: true }],
    });
    const basic = describeAuthorization(`Basic ${Buffer.from('id:secret').toString('base64')}`);
    expect(basic.parameters).toEqual([{ name: 'credentials', value: '••••', masked: true }]);
    expect(describeAuthorization(undefined)).toEqual({ scheme: 'none', parameters: [] });
  });
});

describe('maskedBaseString', () => {
  it('is the signed base string with only the key and token masked', async () => {
    const url = 'https://api.x.com/1.1/statuses/update.json?include_entities=true';
    const form = 'status=Hello%20Ladies%20%2B%20Gentlemen';
    const signed = await signRequest({ method: 'POST', url, consumer, token, form });
    const masked = maskedBaseString('POST', url, form, signed.authorization);
    const twice = (value: string) => percentEncode(percentEncode(value));
    expect(masked).toBe(
      signed.baseString
        .replace(twice(consumer.key), twice(maskToken(consumer.key)))
        .replace(twice(token.key), twice(maskToken(token.key))),
    );
    expect(masked).not.toContain(percentEncode(token.key));
    expect(maskedBaseString('GET', url, undefined, 'Bearer abc')).toBeUndefined();
  });

  it('redacts credential-like query and form values', async () => {
    const url = 'https://api.x.com/oauth/access_token?oauth_verifier=secret-verifier';
    const signed = await signRequest({ method: 'POST', url, consumer, token });
    const masked = maskedBaseString('POST', url, 'code=abc', signed.authorization) ?? '';
    expect(masked).not.toContain('secret-verifier');
    expect(masked).toContain('%255Bredacted%255D');
  });
});

describe('the session log', () => {
  it('keeps the last 100 requests', () => {
    const session = { wire: [] as WireEntry[] } as unknown as DemoSession;
    const entry = (seq: number) => ({ seq }) as WireEntry;
    appendWire(
      session,
      Array.from({ length: 70 }, (_, i) => entry(i + 1)),
    );
    appendWire(
      session,
      Array.from({ length: 50 }, (_, i) => entry(i + 71)),
    );
    expect(session.wire).toHaveLength(WIRE_LOG_SIZE);
    expect(session.wire[0]?.seq).toBe(21);
    expect(session.wire.at(-1)?.seq).toBe(120);
  });

  it('masks the app key in a pool identity', () => {
    expect(maskIdentity('user:ck-0123456789abcdefghij:42')).toBe('user:ck-0…ghij:42');
    expect(maskIdentity('app:ck-0123456789abcdefghij')).toBe('app:ck-0…ghij');
  });
});
