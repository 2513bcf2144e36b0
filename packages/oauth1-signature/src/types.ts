import type { KeyAndSecret } from '@x-oauth/internal';

/**
 * Parameters of an `application/x-www-form-urlencoded` body, in any of the usual shapes.
 * A string is parsed as a form body (`+` is a space). Arrays in a record give repeated names.
 */
export type FormInput =
  | string
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[]>>
  | ReadonlyArray<readonly [string, string]>;

/** What {@link signRequest} needs to sign one request. */
export interface SignRequestOptions {
  /** HTTP method, any case (`GET`, `post`); sent upper-cased in the base string. */
  readonly method: string;
  /** Absolute `https:` (or `http:`) URL, query included; its query parameters are signed. */
  readonly url: string | URL;
  /** The app's consumer key and secret. */
  readonly consumer: KeyAndSecret;
  /** The user's access token, or the request token; absent for `POST oauth/request_token`. */
  readonly token?: KeyAndSecret | undefined;
  /**
   * Body parameters of an `application/x-www-form-urlencoded` request; they are signed.
   * JSON, multipart and binary bodies are never signed: send those as the body, not here.
   */
  readonly form?: FormInput | undefined;
  /** `oauth_callback`, for `POST oauth/request_token`: a callback URL or `oob`. */
  readonly callback?: string | undefined;
  /** `oauth_verifier`, for `POST oauth/access_token`: the verifier or the PIN. */
  readonly verifier?: string | undefined;
  /** Nonce to send; a fresh one (32 random bytes, hex) is made when absent. Tests only. */
  readonly nonce?: string | undefined;
  /** `oauth_timestamp` in seconds; the current time when absent. */
  readonly timestamp?: number | string | undefined;
  /** `realm` for the header; never part of the signature base string. */
  readonly realm?: string | undefined;
}

/** The result of {@link signRequest}. `util.inspect` and `JSON.stringify` show it redacted. */
export interface SignedRequest {
  /** The `Authorization` header value: `OAuth oauth_consumer_key="…", …`. */
  readonly authorization: string;
  /** The base64 HMAC-SHA1 signature (`oauth_signature`, before percent-encoding). */
  readonly signature: string;
  /** The signature base string (RFC 5849 §3.4.1). */
  readonly baseString: string;
  /** The `oauth_*` protocol parameters that were sent, `oauth_signature` included. */
  readonly params: Readonly<Record<string, string>>;
  /**
   * The form body serialized as `application/x-www-form-urlencoded` (RFC 3986 encoding),
   * ready to send with the header; `undefined` when no `form` was given.
   */
  readonly body: string | undefined;
}

/** Parsed `Authorization: OAuth …` header. */
export interface ParsedAuthorizationHeader {
  /** The `realm` value, when present (it is never signed). */
  readonly realm: string | undefined;
  /** Every other parameter, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Remembers nonces for as long as their timestamp is inside the accepted window, so a replay
 * is detected. Implement it over Redis or a database to share it between servers.
 */
export interface NonceCache {
  /**
   * Records `nonce` for `scope` (consumer key and token) and reports whether it was new.
   * Returns `false` when the same nonce was already seen for that scope.
   */
  remember(scope: string, nonce: string, timestampSeconds: number): boolean | Promise<boolean>;
}

/** Looks a secret up by its public key; `undefined` when the key is unknown. */
export type SecretLookup = (
  key: string,
  context: { readonly consumerKey: string },
) => string | undefined | Promise<string | undefined>;

/** What {@link verifyRequest} needs to check one incoming request. */
export interface VerifyRequestOptions {
  readonly method: string;
  /** The full URL the request was made to, as the client saw it (scheme, host, path, query). */
  readonly url: string | URL;
  /** The `Authorization` header value (`OAuth …`); `null`/`undefined` when absent. */
  readonly authorization: string | null | undefined;
  /** The parsed form body, when the request was `application/x-www-form-urlencoded`. */
  readonly form?: FormInput | undefined;
  /** Finds the consumer secret for `oauth_consumer_key`. */
  readonly consumerSecret: SecretLookup;
  /** Finds the token secret for `oauth_token`; without it, any request with a token fails. */
  readonly tokenSecret?: SecretLookup | undefined;
  /** Remembers nonces to reject replays; without it, nonces are not checked. */
  readonly nonceCache?: NonceCache | undefined;
  /** Accepted distance between `oauth_timestamp` and now, in seconds. Default 300. */
  readonly timestampWindowSeconds?: number | undefined;
  /** Current time in milliseconds; default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** Why {@link verifyRequest} refused a request. */
export type VerifyFailureReason =
  | 'missing_authorization'
  | 'malformed_authorization'
  | 'missing_parameter'
  | 'unsupported_signature_method'
  | 'unsupported_version'
  | 'stale_timestamp'
  | 'unknown_consumer'
  | 'unknown_token'
  | 'bad_signature'
  | 'reused_nonce';

/** A request whose signature, timestamp and nonce checked out. */
export interface VerifiedRequest {
  readonly ok: true;
  readonly consumerKey: string;
  /** `oauth_token`, when the request carried one. */
  readonly token: string | undefined;
  /** All `oauth_*` parameters from the header (`oauth_callback`, `oauth_verifier`, …). */
  readonly params: Readonly<Record<string, string>>;
  readonly realm: string | undefined;
  readonly timestamp: number;
}

/** A refused request, with the reason and a message safe to log (it holds no secret). */
export interface RejectedRequest {
  readonly ok: false;
  readonly reason: VerifyFailureReason;
  readonly message: string;
  /** The consumer key, when the header named one (useful to pick the app's error reply). */
  readonly consumerKey: string | undefined;
  /** Present when the failure is `stale_timestamp`: the server's time, in seconds. */
  readonly serverTimestamp?: number;
}

/** The result of {@link verifyRequest}. */
export type VerifyResult = VerifiedRequest | RejectedRequest;
