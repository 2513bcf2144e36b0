// An XClient for the CLI's current user: OAuth 2.0 through the token store (refreshed under
// the store's lock) when an OAuth 2.0 set is stored, else OAuth 1.0a with the stored pair.
import { type AuthStrategy, appOnlyAuth, oauth1Auth, oauth2Auth, XClient } from '@x-oauth/client';
import type { TokenRecord } from '@x-oauth/token-store';
import type { DemoConfig } from '../config.js';
import { recordedAuth, wireHooks, xErrorFetch } from '../wire/recorder.js';
import type { CliContext } from './context.js';
import { CliError, CliErrorCode } from './errors.js';
import { currentUser, type KnownUser } from './users-file.js';

/** The current user, their stored record, and a client that acts as them. */
export interface UserClient {
  readonly user: KnownUser;
  readonly record: TokenRecord;
  readonly client: XClient;
}

/**
 * A client for the current user of the configured app.
 * @throws {CliError} `CLI_NOT_SIGNED_IN` when no user is signed in or their tokens are gone.
 */
export async function userClient(context: CliContext): Promise<UserClient> {
  const config = context.config();
  const user = currentUser(context.dataDir, config.appId);
  if (user === undefined) {
    throw new CliError(
      CliErrorCode.NotSignedIn,
      'Nobody is signed in for this app: run `x-oauth login pin` or `x-oauth login oauth2` first.',
    );
  }
  const store = await context.openStore();
  const record = await store.reader.get(config.appId, user.userId);
  if (record === undefined) {
    throw new CliError(
      CliErrorCode.NotSignedIn,
      `No tokens are stored for @${user.screenName} in this store: sign in again.`,
    );
  }
  const auth: AuthStrategy =
    record.kind === 'oauth2'
      ? oauth2Auth({
          store: store.writer,
          appId: config.appId,
          userId: user.userId,
          client: config.oauth2Client,
          endpoints: config.pkceEndpoints,
        })
      : oauth1Auth({
          consumer: config.consumer,
          token: record.oauth1,
          userId: user.userId,
        });
  return { user, record, client: clientFor(config, auth) };
}

/** A client that acts as the app (app-only bearer token obtained with the consumer keys). */
export function appClient(config: DemoConfig): XClient {
  return clientFor(config, appOnlyAuth({ consumer: config.consumer }));
}

/**
 * A client on the configured base URL with the given auth, reporting to the wire recorder
 * (`--verbose`) and noting X's words in error answers (shown under the error line).
 */
export function clientFor(config: DemoConfig, auth: AuthStrategy): XClient {
  // A CLI answers at once: a 429 is reported with its reset time rather than waited out.
  return new XClient({
    auth: recordedAuth(auth),
    baseUrl: config.apiBaseUrl,
    rateLimit: { onLimit: 'throw' },
    hooks: wireHooks,
    fetch: xErrorFetch(),
  });
}
