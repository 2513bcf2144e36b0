import { describeRedacted, inspectSymbol, type KeyAndSecret, REDACTED } from '@x-oauth/internal';
import type { TokenSet } from '@x-oauth/pkce';
import type { RecordKind, RecordStatus } from './backend.js';

/**
 * An injectable clock, milliseconds since the epoch; `Date.now` by default.
 */
export type Clock = () => number;

/**
 * Fills `bytes` with cryptographically strong random values (`crypto.randomFillSync` by
 * default); tests inject a deterministic one.
 */
export type RandomSource = (bytes: Uint8Array) => void;

/**
 * The app permission an OAuth 1.0a access token carries (X's `x-access-level` header).
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-1-0a/obtaining-user-access-tokens
 */
export type OAuth1AccessLevel = 'read' | 'read-write' | 'read-write-dm';

/**
 * The fields of {@link OAuth1Credentials}.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-1-0a/obtaining-user-access-tokens
 */
export interface OAuth1CredentialsFields extends KeyAndSecret {
  /** The user's access token (`oauth_token`). Secret. */
  readonly key: string;
  /** The user's access token secret (`oauth_token_secret`). Secret. */
  readonly secret: string;
  /** The X user id `POST oauth/access_token` returned (`user_id`). */
  readonly xUserId: string;
  /** The X screen name `POST oauth/access_token` returned (`screen_name`). */
  readonly screenName: string;
  /** The app permission the token carries. */
  readonly accessLevel: OAuth1AccessLevel;
}

/**
 * A user's OAuth 1.0a access token and secret (`{ key, secret }`, so it signs as the `token`
 * of `@x-oauth/oauth1-signature` and `@x-oauth/client` as is), with who they belong to.
 * Immutable (frozen). The fields read as usual, but `JSON.stringify`, `util.inspect` and
 * `console.log` show the key and secret redacted, so a stray log line leaks nothing.
 *
 * @see https://docs.x.com/fundamentals/authentication/oauth-1-0a/obtaining-user-access-tokens
 */
export class OAuth1Credentials implements OAuth1CredentialsFields {
  readonly key: string;
  readonly secret: string;
  readonly xUserId: string;
  readonly screenName: string;
  readonly accessLevel: OAuth1AccessLevel;

  constructor(fields: OAuth1CredentialsFields) {
    this.key = fields.key;
    this.secret = fields.secret;
    this.xUserId = fields.xUserId;
    this.screenName = fields.screenName;
    this.accessLevel = fields.accessLevel;
    Object.freeze(this);
  }

  /** A loggable copy: the key and secret replaced by `[redacted]`. */
  toJSON(): Record<string, unknown> {
    return {
      key: REDACTED,
      secret: REDACTED,
      xUserId: this.xUserId,
      screenName: this.screenName,
      accessLevel: this.accessLevel,
    };
  }

  /** What `util.inspect` and `console.log` print in Node: the redacted copy. */
  [inspectSymbol](): string {
    return describeRedacted('OAuth1Credentials', this.toJSON());
  }
}

/** What every record has, whatever its kind. */
export interface TokenRecordBase {
  /** Your app's id (any non-secret string naming the X app, e.g. its client id). */
  readonly appId: string;
  /** Your id for the user (e.g. your database's user id, or the X user id). */
  readonly userId: string;
  /** Grows by one on every write (1 for the first); pass it back as `expectedVersion`. */
  readonly version: number;
  /** `needs_reauth` once the grant is dead; the row is kept until you replace or delete it. */
  readonly status: RecordStatus;
  /** When the record was last written, in ms since the epoch (the store's clock). */
  readonly updatedAt: number;
}

/** A stored OAuth 1.0a record. */
export interface OAuth1Record extends TokenRecordBase {
  readonly kind: 'oauth1';
  readonly oauth1: OAuth1Credentials;
}

/** A stored OAuth 2.0 record. */
export interface OAuth2Record extends TokenRecordBase {
  readonly kind: 'oauth2';
  readonly tokenSet: TokenSet;
}

/**
 * One user's tokens for one app, decrypted. Secrets inside (`oauth1`, `tokenSet`) redact
 * themselves in `JSON.stringify` and `util.inspect`; the other fields are not secret.
 */
export type TokenRecord = OAuth1Record | OAuth2Record;

/** Re-exported from the backend contract, for convenience. */
export type { RecordKind, RecordStatus };

/** Options of a write. */
export interface WriteOptions {
  /**
   * Write only if the stored version is still this one (0: only if there is no record yet);
   * otherwise reject with `TOKEN_STORE_VERSION_CONFLICT` and write nothing. Without it, the
   * write replaces whatever is stored (still by compare-and-swap, retried a few times).
   */
  expectedVersion?: number | undefined;
}

/**
 * Refreshes a token set, e.g. with `@x-oauth/pkce`'s `refreshToken({ client, tokenSet:
 * current, endpoints, signal })`. It must honour `signal`: the store aborts it after
 * `tokenRequestTimeoutMs`, before its cross-process lock can expire.
 */
export type RefreshCallback = (current: TokenSet, signal: AbortSignal) => Promise<TokenSet>;

/**
 * Options of {@link TokenWriter.getFreshTokenSet}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
export interface FreshTokenSetOptions {
  /**
   * An access token the API refused (401, `invalid_token`: revoked, or expired by X's clock)
   * although it was not near expiry. If the stored set still holds it, the store refreshes
   * (once, under its lock) however far the set is from expiry; if the stored set holds
   * another token already (a sibling refreshed), that set is returned without a request.
   */
  rejectedAccessToken?: string | undefined;
}

/**
 * The read-only handle, for request paths: it has no method that writes. Every read names
 * its owner (app and user), and the ciphertext is bound to that owner, so one user's record
 * cannot be read as another's.
 */
export interface TokenReader {
  /** The owner's record, decrypted, or undefined when there is none. */
  get(appId: string, userId: string): Promise<TokenRecord | undefined>;
}

/**
 * The writer handle, for authorization flows, refresh and maintenance. Every write is a
 * compare-and-swap on the record's version.
 */
export interface TokenWriter extends TokenReader {
  /** Stores an OAuth 1.0a token and secret (status `active`) and returns the new record. */
  putOAuth1(
    appId: string,
    userId: string,
    credentials: OAuth1CredentialsFields,
    options?: WriteOptions,
  ): Promise<OAuth1Record>;
  /** Stores an OAuth 2.0 token set (status `active`) and returns the new record. */
  putOAuth2(
    appId: string,
    userId: string,
    tokenSet: TokenSet,
    options?: WriteOptions,
  ): Promise<OAuth2Record>;
  /** Deletes the owner's record; resolves false when there was none. */
  delete(appId: string, userId: string, options?: WriteOptions): Promise<boolean>;
  /** Marks the record `needs_reauth` (keeping its content) if its version is still `expectedVersion`. */
  markNeedsReauth(appId: string, userId: string, expectedVersion: number): Promise<TokenRecord>;
  /**
   * A valid access token for the owner, refreshed through `refresh` when it is expired or
   * within `refreshSkewMs` of expiry, safely across callers, processes and machines: one
   * token-endpoint call per expiry, and a rotated refresh token is never lost. After a 401,
   * pass the refused token as `options.rejectedAccessToken` to force that refresh (still one
   * call across every caller that was refused the same token).
   */
  getFreshTokenSet(
    appId: string,
    userId: string,
    refresh: RefreshCallback,
    options?: FreshTokenSetOptions,
  ): Promise<TokenSet>;
}

/** What {@link TokenStore.rotate} did. */
export interface RotateResult {
  /** Rows re-encrypted under the current key. */
  readonly rotated: number;
  /** Rows already under the current key (or deleted meanwhile). */
  readonly unchanged: number;
  /** Compare-and-swap retries (a row written by someone else during rotation). */
  readonly retried: number;
  /** Rows that could not be re-encrypted (unknown key id, wrong key, corrupt); left as they are. */
  readonly failed: number;
  /** Which rows failed and why (owner and error code; never content). */
  readonly failures: readonly { appId: string; userId: string; code: string }[];
}

/** Encryptions per key id, across every process sharing the backend. */
export type KeyUsage = Readonly<Record<string, number>>;

/** The store: a reader handle, a writer handle, and maintenance. */
export interface TokenStore {
  /** The read-only handle: give this to request paths. */
  readonly reader: TokenReader;
  /** The writer handle: give this to authorization flows and refresh. */
  readonly writer: TokenWriter;
  /**
   * Re-encrypts every row that is not under the current key, by compare-and-swap (and under
   * the owner's refresh lock, so a concurrent refresh is never lost). Reads keep working
   * throughout, as long as the keyring still holds the old keys.
   */
  rotate(options?: { pageSize?: number }): Promise<RotateResult>;
  /** Encryptions made under each key of the keyring, summed over every process (flushes first). */
  keyUsage(): Promise<KeyUsage>;
  /** Flushes the key-usage counters and closes the backend. Idempotent. */
  close(): Promise<void>;
}
