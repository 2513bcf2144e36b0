// `x-oauth login pin`: the PIN flow (OAuth 1.0a with callback `oob`), for apps without a web
// server: the user opens the authorize URL, approves, and types the PIN X shows.
import { authorizeUrl, getAccessToken, getRequestToken } from '@x-oauth/client';
import { recordingFetch } from '../../wire/recorder.js';
import { optionValue } from '../args.js';
import type { CliContext } from '../context.js';
import { CliError, CliErrorCode } from '../errors.js';
import { rememberUser } from '../users-file.js';

/**
 * Runs the PIN flow and stores the user's OAuth 1.0a token and secret.
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/pin-based-oauth
 */
export async function loginPin(context: CliContext): Promise<number> {
  const { io } = context;
  const config = context.config();
  const access = optionValue(context.args, 'access');
  if (access !== undefined && access !== 'read' && access !== 'write') {
    throw new CliError(CliErrorCode.Usage, '--access must be read or write.');
  }
  io.err(`Requesting a request token from ${config.apiBaseUrl}…\n`);
  const requestToken = await getRequestToken({
    consumer: config.consumer,
    callback: 'oob',
    baseUrl: config.apiBaseUrl,
    accessType: access,
    fetch: recordingFetch(),
  });
  io.out('Open this URL in a browser, authorize the app, then type the PIN it shows:\n');
  io.out(`${authorizeUrl(requestToken, { baseUrl: config.oauth1BaseUrl })}\n`);
  io.err('PIN: ');
  const line = await io.readLine();
  // A piped PIN is not echoed: end the prompt's line so what follows starts on its own.
  if (!io.interactive) io.err('\n');
  const pin = line?.trim() ?? '';
  if (pin === '') throw new CliError(CliErrorCode.NoInput, 'No PIN was typed; nothing was stored.');
  const token = await getAccessToken({
    consumer: config.consumer,
    requestToken,
    verifier: pin,
    baseUrl: config.apiBaseUrl,
    fetch: recordingFetch(),
  });
  const store = await context.openStore();
  const record = await store.writer.putOAuth1(config.appId, token.userId, {
    key: token.key,
    secret: token.secret,
    xUserId: token.userId,
    screenName: token.screenName,
    // X's access_token answer does not say the level; without x_auth_access_type the token
    // carries the app's permission, which for the demo's apps is read-write.
    accessLevel: access === 'read' ? 'read' : 'read-write',
  });
  rememberUser(context.dataDir, {
    appId: config.appId,
    userId: token.userId,
    screenName: token.screenName,
  });
  io.out(`Signed in as @${token.screenName}\n`);
  io.err(`Stored OAuth 1.0a credentials (version ${record.version}) for user ${token.userId}.\n`);
  return 0;
}
