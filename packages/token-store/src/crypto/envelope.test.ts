import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenStoreError, TokenStoreErrorCode } from '../errors.js';
import { associatedData, type EnvelopeBinding, openEnvelope, sealEnvelope } from './envelope.js';
import { createKeyring } from './keyring.js';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const keyring = createKeyring({ currentKeyId: 'k1', keys: { k1, k2 } });
const binding: EnvelopeBinding = { appId: 'app', userId: 'user', kind: 'oauth2' };
const plaintext = '{"accessToken":"AT-SECRET-123","refreshToken":"RT-SECRET-456"}';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TokenStoreError);
    const typed = error as TokenStoreError;
    // No message ever echoes the plaintext, a key or the envelope.
    expect(typed.message).not.toContain('SECRET');
    expect(typed.message).not.toContain(k1);
    return typed.code;
  }
  return undefined;
}

function replacePart(envelope: string, index: number, value: string): string {
  const parts = envelope.split('.');
  parts[index] = value;
  return parts.join('.');
}

function flipLastByte(base64url: string): string {
  const bytes = Buffer.from(base64url, 'base64url');
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
  return bytes.toString('base64url');
}

function flipFirstByte(base64url: string): string {
  const bytes = Buffer.from(base64url, 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x80;
  return bytes.toString('base64url');
}

describe('envelope', () => {
  it('round-trips, in the documented format, under the current key', () => {
    const sealed = sealEnvelope(plaintext, keyring, binding);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.envelope).toMatch(/^xts1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed.envelope).not.toContain('SECRET');
    expect(openEnvelope(sealed.envelope, keyring, binding)).toBe(plaintext);
  });

  it('uses a fresh IV from the injected random source on every write', () => {
    const first = sealEnvelope(plaintext, keyring, binding);
    const second = sealEnvelope(plaintext, keyring, binding);
    expect(first.envelope.split('.')[2]).not.toBe(second.envelope.split('.')[2]);
    let calls = 0;
    const fixed = sealEnvelope(plaintext, keyring, binding, {
      random: (bytes) => {
        calls++;
        bytes.fill(7);
      },
    });
    expect(calls).toBe(1);
    expect(fixed.envelope.split('.')[2]).toBe(Buffer.alloc(12, 7).toString('base64url'));
    expect(openEnvelope(fixed.envelope, keyring, binding)).toBe(plaintext);
  });

  it('binds app, user and kind, joined by NUL, under a label', () => {
    expect(associatedData(binding)).toBe('x-oauth/token-store/v1\u0000app\u0000user\u0000oauth2');
    const sealed = sealEnvelope(plaintext, keyring, binding).envelope;
    for (const other of [
      { ...binding, userId: 'other-user' },
      { ...binding, appId: 'other-app' },
      { ...binding, kind: 'oauth1' as const },
      // Moving the boundary between fields must not keep the AAD equal.
      { ...binding, appId: 'appu', userId: 'ser' },
    ]) {
      expect(codeOf(() => openEnvelope(sealed, keyring, other))).toBe(
        TokenStoreErrorCode.DecryptionFailed,
      );
    }
  });

  it('detects tampering of each part with a typed error', () => {
    const sealed = sealEnvelope(plaintext, keyring, binding).envelope;
    const [, , iv, body] = sealed.split('.') as [string, string, string, string];
    const cases: Array<[string, string]> = [
      [replacePart(sealed, 0, 'xts2'), TokenStoreErrorCode.CorruptRow],
      [replacePart(sealed, 1, 'k2'), TokenStoreErrorCode.DecryptionFailed],
      [replacePart(sealed, 1, 'k9'), TokenStoreErrorCode.UnknownKeyId],
      [replacePart(sealed, 1, 'bad.id'), TokenStoreErrorCode.CorruptRow],
      [replacePart(sealed, 2, flipFirstByte(iv)), TokenStoreErrorCode.DecryptionFailed],
      [replacePart(sealed, 2, iv.slice(0, 12)), TokenStoreErrorCode.CorruptRow],
      // The first byte is ciphertext, the last one is the tag.
      [replacePart(sealed, 3, flipFirstByte(body)), TokenStoreErrorCode.DecryptionFailed],
      [replacePart(sealed, 3, flipLastByte(body)), TokenStoreErrorCode.DecryptionFailed],
      [replacePart(sealed, 3, body.slice(0, 20)), TokenStoreErrorCode.CorruptRow],
      [replacePart(sealed, 3, `${body}!`), TokenStoreErrorCode.CorruptRow],
      [`${sealed}.extra`, TokenStoreErrorCode.CorruptRow],
      ['', TokenStoreErrorCode.CorruptRow],
    ];
    for (const [envelope, code] of cases) {
      expect(
        codeOf(() => openEnvelope(envelope, keyring, binding)),
        envelope,
      ).toBe(code);
    }
    expect(codeOf(() => openEnvelope(42, keyring, binding))).toBe(TokenStoreErrorCode.CorruptRow);
  });

  it('accepts only the canonical base64url of the IV and the body', () => {
    const sealed = sealEnvelope(plaintext, keyring, binding).envelope;
    const [, , iv, body] = sealed.split('.') as [string, string, string, string];
    // Node's decoder would take each of these to the same (or nearly the same) bytes.
    const base64 = (text: string) => text.replace(/-/g, '+').replace(/_/g, '/');
    const lastBitsSet = (text: string) => {
      // The body's last character carries unused low bits when its length is not a multiple
      // of three bytes; setting one changes the text but not the decoded bytes.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const last = alphabet.indexOf(text.slice(-1));
      return `${text.slice(0, -1)}${alphabet[last ^ 1]}`;
    };
    const withPlusOrSlash = body.includes('-') || body.includes('_') ? base64(body) : undefined;
    const cases: Array<[number, string]> = [
      [2, `${iv}==`],
      [2, ` ${iv}`],
      [2, `${iv.slice(0, 8)}\n${iv.slice(8)}`],
      [2, ''],
      [3, `${body}=`],
      [3, `${body.slice(0, 40)} ${body.slice(40)}`],
      [3, `${body}\u00e9`],
      [3, ''],
      ...(Buffer.from(body, 'base64url').length % 3 === 0
        ? []
        : ([[3, lastBitsSet(body)]] as Array<[number, string]>)),
      ...(withPlusOrSlash === undefined ? [] : ([[3, withPlusOrSlash]] as Array<[number, string]>)),
    ];
    for (const [index, value] of cases) {
      expect(codeOf(() => openEnvelope(replacePart(sealed, index, value), keyring, binding))).toBe(
        TokenStoreErrorCode.CorruptRow,
      );
    }
    // Fewer than four fields, and empty leading fields.
    for (const envelope of [
      'xts1',
      'xts1.k1',
      `xts1.k1.${iv}`,
      `.k1.${iv}.${body}`,
      `xts1..${iv}.${body}`,
    ]) {
      expect(
        codeOf(() => openEnvelope(envelope, keyring, binding)),
        envelope,
      ).toBe(TokenStoreErrorCode.CorruptRow);
    }
    expect(openEnvelope(sealed, keyring, binding)).toBe(plaintext);
  });

  it('decrypts multi-byte UTF-8 text, whatever its length, long after short and short after long', () => {
    for (const text of [
      'é',
      '漢字',
      '😀'.repeat(100),
      `${'a'.repeat(15)}é${'b'.repeat(17)}`,
      // Longer than the buffers a seal and an open reuse: they grow, and what follows still fits.
      `${'c'.repeat(9_000)}é`,
      'd',
    ]) {
      const sealed = sealEnvelope(text, keyring, binding).envelope;
      expect(openEnvelope(sealed, keyring, binding)).toBe(text);
    }
  });

  it('refuses a wrong key under the right id, and names an unknown key id', () => {
    const sealed = sealEnvelope(plaintext, keyring, binding).envelope;
    const wrong = createKeyring({
      currentKeyId: 'k1',
      keys: { k1: randomBytes(32).toString('base64') },
    });
    expect(codeOf(() => openEnvelope(sealed, wrong, binding))).toBe(
      TokenStoreErrorCode.DecryptionFailed,
    );
    const withoutK1 = createKeyring({ currentKeyId: 'k2', keys: { k2 } });
    try {
      openEnvelope(sealed, withoutK1, binding);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: TokenStoreErrorCode.UnknownKeyId, keyId: 'k1' });
    }
  });

  it('reads rows under an older key after the current key changed', () => {
    const old = sealEnvelope(plaintext, keyring, binding).envelope;
    const rotated = createKeyring({ currentKeyId: 'k2', keys: { k1, k2 } });
    expect(openEnvelope(old, rotated, binding)).toBe(plaintext);
    const fresh = sealEnvelope(plaintext, rotated, binding);
    expect(fresh.keyId).toBe('k2');
    expect(fresh.envelope.startsWith('xts1.k2.')).toBe(true);
  });
});
