// `x-oauth tokens list|revoke|rotate-key`: what the store holds (masked), revoking a user's
// tokens at X and deleting them, and rotating the store's encryption key.
import { invalidateOAuth1Token, isXApiError, revokeToken, XApiErrorCode } from '@x-oauth/client';
import type { TokenRecord } from '@x-oauth/token-store';
import { addKeyToKeyFile, ensureDataDir } from '../../key-file.js';
import { maskToken } from '../../mask.js';
import { recordingFetch } from '../../wire/recorder.js';
import { optionValue } from '../args.js';
import type { CliContext } from '../context.js';
import { CliError, CliErrorCode } from '../errors.js';
import { clock, describeError } from '../format.js';
import { forgetUser, type KnownUser, readCliUsers } from '../users-file.js';

/** Dispatches `tokens <subcommand>`. */
export async function tokens(context: CliContext): Promise<number> {
  const subcommand = context.args.positionals[1];
  switch (subcommand) {
    case 'list':
      return list(context);
    case 'revoke':
      return revoke(context);
    case 'rotate-key':
      return rotateKey(context);
    default:
      throw new CliError(CliErrorCode.Usage, 'Usage: x-oauth tokens list|revoke|rotate-key.');
  }
}

/** One line per signed-in user: owner, kind, status, version and masked tokens. */
async function list(context: CliContext): Promise<number> {
  const { io } = context;
  const file = readCliUsers(context.dataDir);
  if (file.users.length === 0) {
    io.err('No signed-in users: run `x-oauth login pin` or `x-oauth login oauth2`.\n');
    return 0;
  }
  const store = await context.openStore();
  for (const user of file.users) {
    const marker = file.current[user.appId] === user.userId ? '*' : ' ';
    const owner = `${marker} @${user.screenName} (user ${user.userId}, app ${maskToken(user.appId)})`;
    let record: TokenRecord | undefined;
    try {
      record = await store.reader.get(user.appId, user.userId);
    } catch (error) {
      io.out(`${owner}  unreadable: ${describeError(error)}\n`);
      continue;
    }
    io.out(`${owner}  ${record === undefined ? 'no tokens stored' : describeRecord(record)}\n`);
  }
  return 0;
}

function describeRecord(record: TokenRecord): string {
  const head = `${record.kind} ${record.status} v${record.version}`;
  if (record.kind === 'oauth1') {
    const { oauth1 } = record;
    return `${head}  token ${maskToken(oauth1.key)}  secret (hidden)  access ${oauth1.accessLevel}`;
  }
  const { tokenSet } = record;
  const expiry =
    tokenSet.expiresAt === undefined ? 'no expiry' : `expires ${clock(tokenSet.expiresAt)}`;
  const refresh =
    tokenSet.refreshToken === undefined
      ? 'no refresh'
      : `refresh ${maskToken(tokenSet.refreshToken)}`;
  return `${head}  access ${maskToken(tokenSet.accessToken)}  ${refresh}  ${expiry}  scopes ${tokenSet.scopes.join(' ')}`;
}

/** Revokes a user's tokens at X (OAuth 2.0 revoke, OAuth 1.0a invalidate) and deletes them. */
async function revoke(context: CliContext): Promise<number> {
  const { io } = context;
  const config = context.config();
  const file = readCliUsers(context.dataDir);
  const userId = optionValue(context.args, 'user') ?? file.current[config.appId];
  if (userId === undefined) {
    throw new CliError(
      CliErrorCode.NotSignedIn,
      'Nobody is signed in for this app: nothing to revoke.',
    );
  }
  const user: KnownUser | undefined = file.users.find(
    (known) => known.appId === config.appId && known.userId === userId,
  );
  const name = user === undefined ? `user ${userId}` : `@${user.screenName}`;
  const store = await context.openStore();
  const record = await store.writer.get(config.appId, userId);
  if (record === undefined) {
    forgetUser(context.dataDir, config.appId, userId);
    io.out(`No tokens were stored for ${name}.\n`);
    return 0;
  }
  if (record.kind === 'oauth2') {
    const { tokenSet } = record;
    const options = {
      client: config.oauth2Client,
      endpoints: config.pkceEndpoints,
      fetch: recordingFetch(),
    };
    // Revoking the refresh token ends the grant; the access token is revoked too, since it
    // would otherwise stay usable until it expires.
    if (tokenSet.refreshToken !== undefined) {
      await revokeToken({
        ...options,
        token: tokenSet.refreshToken,
        tokenTypeHint: 'refresh_token',
      });
    }
    await revokeToken({ ...options, token: tokenSet.accessToken, tokenTypeHint: 'access_token' });
    io.err(`Revoked the OAuth 2.0 tokens of ${name} at X.\n`);
  } else {
    try {
      await invalidateOAuth1Token({
        consumer: config.consumer,
        token: record.oauth1,
        baseUrl: config.apiBaseUrl,
        fetch: recordingFetch(),
      });
      io.err(`Invalidated the OAuth 1.0a token of ${name} at X.\n`);
    } catch (error) {
      // A token X no longer knows is as good as revoked; anything else keeps the local copy,
      // so the revocation can be tried again.
      if (!isXApiError(error, XApiErrorCode.InvalidToken)) throw error;
      io.err(`X no longer accepts the OAuth 1.0a token of ${name}; deleting it.\n`);
    }
  }
  await store.writer.delete(config.appId, userId);
  forgetUser(context.dataDir, config.appId, userId);
  io.out(`Revoked and deleted the tokens of ${name}.\n`);
  return 0;
}

/** Adds a new key to the key file, then re-encrypts every row under it. */
async function rotateKey(context: CliContext): Promise<number> {
  const { io } = context;
  ensureDataDir(context.dataDir);
  let keyId: string;
  let source: string;
  try {
    ({ currentKeyId: keyId, source } = addKeyToKeyFile(context.dataDir, io.env));
  } catch (error) {
    throw new CliError(CliErrorCode.Key, error instanceof Error ? error.message : String(error));
  }
  io.err(`Added key ${keyId} to ${source} (older keys kept, so old rows stay readable).\n`);
  const store = await context.openStore();
  const result = await store.rotate();
  io.out(
    `Re-encrypted ${result.rotated} row(s) under key ${keyId}; ${result.unchanged} already under it, ${result.retried} retried, ${result.failed} failed.\n`,
  );
  for (const failure of result.failures) {
    io.err(
      `  could not re-encrypt app ${maskToken(failure.appId)} user ${failure.userId}: ${failure.code}\n`,
    );
  }
  return result.failed === 0 ? 0 : 1;
}
