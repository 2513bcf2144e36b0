import { encodeBase64Url } from '@x-oauth/internal';
import { describe, expect, it } from 'vitest';
import { PkceError, PkceErrorCode } from './errors.js';
import { openValue, sealValue } from './seal.js';
import { openTransaction, sealTransaction } from './seal-transaction.js';
import type { PendingTransaction } from './types.js';

const key = new Uint8Array(32).map((_, index) => index);
const otherKey = new Uint8Array(32).fill(7);
const t0 = 1_700_000_000_000;

const transaction: PendingTransaction = {
  state: 'state-123',
  codeVerifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk',
  redirectUri: 'https://app.example/callback',
  scopes: ['tweet.read', 'users.read', 'offline.access'],
  createdAt: t0,
};

async function rejection(promise: Promise<unknown>): Promise<PkceError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PkceError) return error;
    throw error;
  }
  throw new Error('expected a PkceError');
}

describe('sealValue / openValue', () => {
  it('round-trips any JSON value in a cookie-safe, versioned string', async () => {
    const value = { secret: 'oauth1 token secret', list: [1, 'two', null], nested: { ok: true } };
    const sealed = await sealValue(value, key, { now: () => t0 });
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('oauth1');
    await expect(openValue(sealed, key, { maxAgeMs: 1000, now: () => t0 + 1000 })).resolves.toEqual(
      value,
    );
  });

  it('uses a fresh IV every time', async () => {
    const first = await sealValue('same', key);
    const second = await sealValue('same', key);
    expect(first).not.toBe(second);
  });

  it('accepts the key as base64 or base64url, padded or not', async () => {
    let binary = '';
    for (const byte of key) binary += String.fromCharCode(byte);
    const base64 = btoa(binary);
    const sealed = await sealValue(42, base64);
    for (const form of [base64, base64.replace(/=+$/, ''), encodeBase64Url(key), key]) {
      await expect(openValue(sealed, form, { maxAgeMs: 60_000 })).resolves.toBe(42);
    }
  });

  it('refuses keys that are not 32 bytes', async () => {
    for (const bad of [
      new Uint8Array(16),
      new Uint8Array(33),
      'c2hvcnQ',
      'not base64 at all!',
      '',
    ]) {
      expect((await rejection(sealValue(1, bad))).code).toBe(PkceErrorCode.InvalidKey);
    }
  });

  it('detects tampering with any part', async () => {
    const sealed = await sealValue({ admin: false }, key);
    const [version, iv, ciphertext] = sealed.split('.') as [string, string, string];
    const flip = (text: string, at: number) =>
      text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const tampered = [
      `${version}.${flip(iv, 3)}.${ciphertext}`,
      `${version}.${iv}.${flip(ciphertext, 5)}`,
      `${version}.${iv}.${flip(ciphertext, ciphertext.length - 2)}`,
      `${version}.${iv}.${ciphertext.slice(0, -4)}`,
      `v2.${iv}.${ciphertext}`,
      `${version}.${iv}`,
      `${sealed}.extra`,
      `${version}.${iv}.${ciphertext}=`,
      '',
    ];
    for (const candidate of tampered) {
      expect((await rejection(openValue(candidate, key, { maxAgeMs: 60_000 }))).code).toBe(
        PkceErrorCode.SealedValueInvalid,
      );
    }
  });

  it('refuses another key and another purpose', async () => {
    const sealed = await sealValue('x', key, { purpose: 'session' });
    expect(
      (await rejection(openValue(sealed, otherKey, { maxAgeMs: 60_000, purpose: 'session' }))).code,
    ).toBe(PkceErrorCode.SealedValueInvalid);
    expect((await rejection(openValue(sealed, key, { maxAgeMs: 60_000 }))).code).toBe(
      PkceErrorCode.SealedValueInvalid,
    );
    await expect(openValue(sealed, key, { maxAgeMs: 60_000, purpose: 'session' })).resolves.toBe(
      'x',
    );
  });

  it('refuses values older than maxAgeMs', async () => {
    const sealed = await sealValue('x', key, { now: () => t0 });
    await expect(
      openValue(sealed, key, { maxAgeMs: 600_000, now: () => t0 + 600_000 }),
    ).resolves.toBe('x');
    expect(
      (await rejection(openValue(sealed, key, { maxAgeMs: 600_000, now: () => t0 + 600_001 })))
        .code,
    ).toBe(PkceErrorCode.SealedValueExpired);
  });

  it('requires a positive maxAgeMs', async () => {
    const sealed = await sealValue('x', key);
    for (const maxAgeMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect((await rejection(openValue(sealed, key, { maxAgeMs }))).code).toBe(
        PkceErrorCode.InvalidArgument,
      );
    }
  });
});

describe('sealTransaction / openTransaction', () => {
  it('round-trips a pending transaction', async () => {
    const sealed = await sealTransaction(transaction, key, { now: () => t0 });
    expect(sealed).not.toContain(transaction.codeVerifier);
    const opened = await openTransaction(sealed, key, { maxAgeMs: 600_000, now: () => t0 + 5_000 });
    expect(opened).toEqual(transaction);
    expect(Object.isFrozen(opened)).toBe(true);
  });

  it('refuses a value sealed for another purpose', async () => {
    const sealed = await sealValue({ ...transaction }, key);
    expect((await rejection(openTransaction(sealed, key, { maxAgeMs: 600_000 }))).code).toBe(
      PkceErrorCode.SealedValueInvalid,
    );
  });

  it('counts the age from the start of the authorization', async () => {
    const sealed = await sealTransaction(transaction, key, { now: () => t0 + 500_000 });
    expect(
      (
        await rejection(
          openTransaction(sealed, key, { maxAgeMs: 600_000, now: () => t0 + 600_001 }),
        )
      ).code,
    ).toBe(PkceErrorCode.SealedValueExpired);
  });

  it('detects a wrong key and tampering', async () => {
    const sealed = await sealTransaction(transaction, key);
    expect((await rejection(openTransaction(sealed, otherKey, { maxAgeMs: 600_000 }))).code).toBe(
      PkceErrorCode.SealedValueInvalid,
    );
    const broken = `${sealed.slice(0, -3)}${sealed.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    expect((await rejection(openTransaction(broken, key, { maxAgeMs: 600_000 }))).code).toBe(
      PkceErrorCode.SealedValueInvalid,
    );
  });
});
