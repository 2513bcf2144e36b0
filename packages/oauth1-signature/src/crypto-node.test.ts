import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeCryptoBackend } from './crypto-node.js';

// Keys and data are ASCII (percent-encoded secrets, base strings); base64 of random bytes is.
const ascii = (length: number) => randomBytes(length).toString('base64').slice(0, length);
const reference = (key: string, data: string) =>
  createHmac('sha1', Buffer.from(key, 'latin1')).update(data, 'latin1').digest('base64');

// Key lengths around the 64-byte SHA-1 block (longer keys are hashed first, RFC 2104 §2), and
// data lengths around the 4 KiB scratch buffer, which must grow for longer base strings.
const keyLengths = [0, 1, 20, 63, 64, 65, 86, 200];
const dataLengths = [0, 1, 55, 56, 64, 300, 4032, 4033, 10_000];

describe('the node:crypto backend', () => {
  it('computes with a prepared key the same HMAC-SHA1 as createHmac', () => {
    for (const keyLength of keyLengths) {
      const key = ascii(keyLength);
      const prepared = nodeCryptoBackend.prepareKey(key);
      for (const dataLength of dataLengths) {
        const data = ascii(dataLength);
        const expected = reference(key, data);
        expect(nodeCryptoBackend.hmacSha1Base64WithPreparedKey(prepared, data)).toBe(expected);
        expect(nodeCryptoBackend.hmacSha1Base64(key, data)).toBe(expected);
      }
    }
  });

  it('keeps prepared keys apart: one key signing does not disturb another', () => {
    const [first, second] = [ascii(86), ascii(40)];
    const preparedFirst = nodeCryptoBackend.prepareKey(first);
    const preparedSecond = nodeCryptoBackend.prepareKey(second);
    const data = ascii(500);
    for (let round = 0; round < 3; round++) {
      expect(nodeCryptoBackend.hmacSha1Base64WithPreparedKey(preparedFirst, data)).toBe(
        reference(first, data),
      );
      expect(nodeCryptoBackend.hmacSha1Base64WithPreparedKey(preparedSecond, data)).toBe(
        reference(second, data),
      );
    }
  });
});

describe('the node:crypto backend on a Node without crypto.hash (before 20.12)', () => {
  afterEach(() => {
    vi.doUnmock('node:crypto');
    vi.resetModules();
  });

  it('falls back to createHmac and gives the same HMAC', async () => {
    vi.resetModules();
    vi.doMock('node:crypto', async (importOriginal) => ({
      ...(await importOriginal<typeof import('node:crypto')>()),
      hash: undefined,
    }));
    expect((await import('node:crypto')).hash).toBeUndefined();
    const { nodeCryptoBackend: withoutHash } = await import('./crypto-node.js');
    const key = ascii(86);
    const data = ascii(300);
    expect(withoutHash.hmacSha1Base64WithPreparedKey(withoutHash.prepareKey(key), data)).toBe(
      reference(key, data),
    );
  });
});
