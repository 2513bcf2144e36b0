// `x-oauth bearer`: obtains the app-only bearer token with the consumer keys and shows it
// masked; `--invalidate` revokes it at X.
import { BearerTokenProvider } from '@x-oauth/client';
import { maskToken } from '../../mask.js';
import { recordingFetch } from '../../wire/recorder.js';
import type { CliContext } from '../context.js';
import { CliError, CliErrorCode } from '../errors.js';
import { userClient } from '../user-client.js';

/**
 * Obtains (or with `--invalidate`, invalidates) the app's bearer token. `--owner` signs the
 * invalidation with the current user's OAuth 1.0a token (they must own the app), as X's
 * current docs ask; HTTP Basic with the keys otherwise.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export async function bearer(context: CliContext): Promise<number> {
  const { io, args } = context;
  const config = context.config();
  const provider = new BearerTokenProvider({
    consumer: config.consumer,
    baseUrl: config.apiBaseUrl,
    fetch: recordingFetch(),
  });
  io.err(`Obtaining the app-only bearer token from ${config.apiBaseUrl}…\n`);
  const token = await provider.getToken();
  if (!args.flags.has('invalidate')) {
    io.out(`Bearer token: ${maskToken(token)}\n`);
    return 0;
  }
  let ownerToken: { key: string; secret: string } | undefined;
  if (args.flags.has('owner')) {
    const { record } = await userClient(context);
    if (record.kind !== 'oauth1') {
      throw new CliError(
        CliErrorCode.Usage,
        '--owner needs the current user signed in with OAuth 1.0a (`x-oauth login pin`).',
      );
    }
    ownerToken = record.oauth1;
  }
  await provider.invalidate(ownerToken === undefined ? {} : { ownerToken });
  io.out(`Invalidated bearer token ${maskToken(token)}\n`);
  return 0;
}
