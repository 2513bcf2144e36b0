// No token, secret or key in any error message, util.inspect or JSON.stringify of the store,
// its handles, keyring, records and errors: each can be logged as is.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { PkceError, PkceErrorCode, TokenSet } from '@x-oauth/pkce';
import { expect, it } from 'vitest';
import type { TokenBackend } from '../src/backend.js';
import {
  createKeyring,
  createMemoryBackend,
  createTokenStore,
  OAuth1Credentials,
  TokenStoreError,
} from '../src/index.js';

const keyBytes = randomBytes(32);
const otherKeyBytes = randomBytes(32);
const secrets = [
  'ACCESS-TOKEN-a1b2c3d4e5f6',
  'REFRESH-TOKEN-f6e5d4c3b2a1',
  'OAUTH1-TOKEN-0123456789',
  'OAUTH1-SECRET-9876543210',
];
const keyForms = [keyBytes, otherKeyBytes].flatMap((bytes) => [
  bytes.toString('base64'),
  bytes.toString('base64url'),
  bytes.toString('hex'),
  bytes.toString('base64').slice(0, 20),
]);

function texts(value: unknown): string[] {
  const forms = [
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect(value),
    String(JSON.stringify(value)),
  ];
  if (value instanceof Error) forms.push(value.message, String(value.stack));
  return forms;
}

function expectClean(value: unknown, label: string, ciphertexts: readonly string[] = []): void {
  for (const text of texts(value)) {
    for (const secret of [...secrets, ...keyForms]) {
      expect(text, `${label} shows a secret`).not.toContain(secret);
    }
    if (value instanceof Error) {
      for (const ciphertext of ciphertexts) {
        expect(value.message, `${label} shows a ciphertext`).not.toContain(ciphertext.slice(5, 40));
      }
    }
  }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

it('shows no secret in the store, handles, keyring, records or errors', async () => {
  const backend: TokenBackend = createMemoryBackend();
  const keyring = createKeyring({
    currentKeyId: 'k1',
    keys: { k1: keyBytes.toString('base64'), k0: otherKeyBytes },
  });
  const store = createTokenStore({ backend, keyring });
  const tokenSet = new TokenSet({
    accessToken: secrets[0] as string,
    refreshToken: secrets[1] as string,
    expiresAt: Date.now() - 1,
    scopes: ['tweet.read', 'offline.access'],
    tokenType: 'bearer',
  });
  const oauth2 = await store.writer.putOAuth2('app', 'u2', tokenSet);
  const oauth1 = await store.writer.putOAuth1('app', 'u1', {
    key: secrets[2] as string,
    secret: secrets[3] as string,
    xUserId: '1',
    screenName: 'alice',
    accessLevel: 'read',
  });
  const ciphertexts: string[] = [];
  for await (const row of backend.scanRows()) ciphertexts.push(row.ciphertext);

  const values: Record<string, unknown> = {
    store,
    reader: store.reader,
    writer: store.writer,
    keyring,
    oauth1,
    oauth2,
    read1: await store.reader.get('app', 'u1'),
    read2: await store.writer.get('app', 'u2'),
    credentials: new OAuth1Credentials({
      key: secrets[2] as string,
      secret: secrets[3] as string,
      xUserId: '1',
      screenName: 'alice',
      accessLevel: 'read',
    }),
    rotateResult: await store.rotate(),
    keyUsage: await store.keyUsage(),
  };

  // Errors from every path that handles a secret.
  const stored = await backend.read({ appId: 'app', userId: 'u2' });
  if (stored === undefined) throw new Error('missing');
  await backend.compareAndSwap({ ...stored, userId: 'copied', version: 1 }, 0);
  await backend.compareAndSwap(
    {
      ...stored,
      userId: 'unknown-key',
      version: 1,
      keyId: 'k9',
      ciphertext: stored.ciphertext.replace('.k1.', '.k9.'),
    },
    0,
  );
  await backend.compareAndSwap(
    { ...stored, userId: 'corrupt', version: 1, ciphertext: `${stored.ciphertext}.x` },
    0,
  );
  values.decryptionFailed = await caught(store.reader.get('app', 'copied'));
  values.unknownKey = await caught(store.reader.get('app', 'unknown-key'));
  values.corrupt = await caught(store.reader.get('app', 'corrupt'));
  values.conflict = await caught(
    store.writer.putOAuth2('app', 'u2', tokenSet, { expectedVersion: 0 }),
  );
  values.badArgument = await caught(
    store.writer.putOAuth2('app', secrets[0] as string, { accessToken: secrets[0] } as never),
  );
  values.badUser = await caught(store.reader.get('app', `${secrets[0]}\n`));
  values.wrongKind = await caught(store.writer.getFreshTokenSet('app', 'u1', async () => tokenSet));
  values.refreshFailed = await caught(
    store.writer.getFreshTokenSet('app', 'u2', async () => {
      throw new PkceError(PkceErrorCode.ServerError, 'server error', {
        status: 503,
        retryable: true,
      });
    }),
  );
  values.badRefreshResult = await caught(
    store.writer.getFreshTokenSet('app', 'u2', async () => ({ accessToken: secrets[0] }) as never),
  );
  values.needsReauth = await caught(
    store.writer.getFreshTokenSet('app', 'u2', async () => {
      throw new PkceError(
        PkceErrorCode.RefreshTokenDead,
        'Value passed for the token was invalid.',
        {
          status: 400,
          oauthError: 'invalid_request',
        },
      );
    }),
  );
  values.badKeyring = (() => {
    try {
      createKeyring({ currentKeyId: 'k1', keys: { k1: `${keyBytes.toString('base64')}xx` } });
    } catch (error) {
      return error;
    }
  })();
  values.badConfig = (() => {
    try {
      createTokenStore({ backend, keyring: { k1: keyBytes.toString('base64') } as never });
    } catch (error) {
      return error;
    }
  })();

  const errorLabels = [
    'decryptionFailed',
    'unknownKey',
    'corrupt',
    'conflict',
    'badArgument',
    'badUser',
    'wrongKind',
    'refreshFailed',
    'badRefreshResult',
    'needsReauth',
    'badKeyring',
    'badConfig',
  ];
  for (const label of errorLabels) expect(values[label], label).toBeInstanceOf(TokenStoreError);
  for (const [label, value] of Object.entries(values)) expectClean(value, label, ciphertexts);
  // The whole lot at once, as a logger walking an object would.
  expectClean(values, 'everything');
});
