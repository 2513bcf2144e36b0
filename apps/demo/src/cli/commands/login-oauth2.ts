// `x-oauth login oauth2`: OAuth 2.0 Authorization Code with PKCE for a native app. X redirects
// the browser to a one-shot server on 127.0.0.1 (a callback URL registered for the app).
import { timingSafeEqual } from 'node:crypto';
import { createAuthorization, exchangeCode, handleCallback, oauth2Auth } from '@x-oauth/client';
import { isXScope, PkceError, PkceErrorCode, type XScope } from '@x-oauth/pkce';
import { maskToken } from '../../mask.js';
import { recordingFetch } from '../../wire/recorder.js';
import { optionValue } from '../args.js';
import type { CliContext } from '../context.js';
import { CliError, CliErrorCode } from '../errors.js';
import { clock } from '../format.js';
import { listenForRedirect, type RedirectJudgement } from '../loopback-server.js';
import { clientFor } from '../user-client.js';
import { rememberUser } from '../users-file.js';

/** Where the CLI listens for the redirect; one of the emulator's seeded callback URLs. */
export const REDIRECT_HOST = '127.0.0.1';
export const REDIRECT_PORT = 8975;
export const REDIRECT_PATH = '/callback';

const DEFAULT_SCOPES: readonly XScope[] = [
  'tweet.read',
  'tweet.write',
  'users.read',
  'offline.access',
];
const DEFAULT_TIMEOUT_SECONDS = 300;

/**
 * Runs the PKCE flow through the loopback redirect and stores the token set.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 * @see https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code
 */
export async function loginOAuth2(context: CliContext): Promise<number> {
  const { io, args } = context;
  const config = context.config();
  const scopes = scopesOf(optionValue(args, 'scopes'));
  const timeoutMs = timeoutOf(optionValue(args, 'timeout'));
  const redirectUri = `http://${REDIRECT_HOST}:${REDIRECT_PORT}${REDIRECT_PATH}`;
  const { url, transaction } = await createAuthorization({
    clientId: config.oauth2Client.clientId,
    redirectUri,
    scopes,
    endpoints: config.pkceEndpoints,
  });
  // The redirect is read once, when it arrives, so the browser page can say what happened.
  let outcome: { code: string } | { error: unknown } | undefined;
  const judge = (redirect: URL): RedirectJudgement => {
    if (!stateMatches(redirect, transaction.state)) {
      return {
        settle: false,
        status: 400,
        title: 'Refused',
        message:
          'This request does not belong to the sign-in the x-oauth CLI started (its state is missing or different): it may be forged. Nothing was done; the CLI is still waiting for the real redirect.',
      };
    }
    try {
      outcome = { code: handleCallback(redirect, transaction) };
      return {
        settle: true,
        status: 200,
        title: 'Authorized',
        message:
          'The app was authorized. The x-oauth CLI is finishing the sign-in: return to the terminal. You can close this tab.',
      };
    } catch (error) {
      outcome = { error };
      const cancelled = error instanceof PkceError && error.code === PkceErrorCode.AccessDenied;
      return {
        settle: true,
        status: cancelled ? 200 : 400,
        title: cancelled ? 'Cancelled' : 'Sign-in failed',
        message: cancelled
          ? 'You did not authorize the app, so nobody was signed in and nothing was stored. Run `x-oauth login oauth2` again to retry.'
          : `X sent back an error, so nobody was signed in: ${error instanceof Error ? error.message : 'unknown error'} Run \`x-oauth login oauth2\` again.`,
      };
    }
  };
  const server = await listenForRedirect({
    host: REDIRECT_HOST,
    port: REDIRECT_PORT,
    path: REDIRECT_PATH,
    timeoutMs,
    judge,
  });
  try {
    io.out('Open this URL in a browser and authorize the app:\n');
    io.out(`${url}\n`);
    io.err(`Waiting for the redirect to ${redirectUri}…\n`);
    await server.redirect;
    await server.close();
    if (outcome === undefined) {
      throw new CliError(CliErrorCode.Callback, 'The redirect arrived without being read.');
    }
    if ('error' in outcome) throw outcome.error;
    const { code } = outcome;
    io.err('Exchanging the code for tokens…\n');
    const tokenSet = await exchangeCode({
      client: config.oauth2Client,
      code,
      transaction,
      endpoints: config.pkceEndpoints,
      fetch: recordingFetch(),
    });
    const me = await clientFor(
      config,
      oauth2Auth({ tokenSet, client: config.oauth2Client, endpoints: config.pkceEndpoints }),
    ).get('/2/users/me');
    const user = userOf(me);
    const store = await context.openStore();
    const record = await store.writer.putOAuth2(config.appId, user.id, tokenSet);
    rememberUser(context.dataDir, {
      appId: config.appId,
      userId: user.id,
      screenName: user.username,
    });
    io.out(`Signed in as @${user.username}\n`);
    const expiry =
      tokenSet.expiresAt === undefined ? 'no expiry' : `expires ${clock(tokenSet.expiresAt)}`;
    const refresh =
      tokenSet.refreshToken === undefined ? 'no refresh token' : 'refresh token stored';
    io.err(
      `Stored OAuth 2.0 token set (version ${record.version}): access ${maskToken(tokenSet.accessToken)}, ${expiry}, ${refresh}; scopes ${tokenSet.scopes.join(' ')}.\n`,
    );
    return 0;
  } finally {
    await server.close();
  }
}

function stateMatches(redirect: URL, expected: string): boolean {
  const states = redirect.searchParams.getAll('state');
  if (states.length !== 1) return false;
  const left = Buffer.from(states[0] ?? '');
  const right = Buffer.from(expected);
  return left.length === right.length && timingSafeEqual(left, right);
}

function scopesOf(value: string | undefined): readonly XScope[] {
  if (value === undefined) return DEFAULT_SCOPES;
  const words = value.split(/[\s,]+/).filter((word) => word !== '');
  const scopes: XScope[] = [];
  for (const word of words) {
    if (!isXScope(word)) throw new CliError(CliErrorCode.Usage, `Unknown scope "${word}".`);
    scopes.push(word);
  }
  if (scopes.length === 0) throw new CliError(CliErrorCode.Usage, '--scopes is empty.');
  return scopes;
}

function timeoutOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(CliErrorCode.Usage, '--timeout takes a number of seconds.');
  }
  return seconds * 1000;
}

function userOf(body: unknown): { id: string; username: string } {
  const data = typeof body === 'object' && body !== null && 'data' in body ? body.data : undefined;
  if (typeof data === 'object' && data !== null && 'id' in data && 'username' in data) {
    const { id, username } = data;
    if (typeof id === 'string' && typeof username === 'string') return { id, username };
  }
  throw new CliError(CliErrorCode.Callback, 'GET /2/users/me did not say who signed in.');
}
