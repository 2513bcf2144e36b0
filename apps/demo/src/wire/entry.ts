// One request the demo sent to X (or the emulator), as the wire inspector shows it: nothing in
// it is secret. Tokens, signatures and keys are masked before an entry is made.

/** One part of an `Authorization` header, its value masked where it is a credential. */
export interface WireAuthParameter {
  readonly name: string;
  readonly value: string;
  /** Whether `value` is a masked credential rather than the value sent. */
  readonly masked: boolean;
}

/** The `Authorization` header, parsed into its parts. */
export interface WireAuthorization {
  /** `OAuth` (1.0a), `Bearer`, `Basic`, `none`, or another scheme as sent. */
  readonly scheme: string;
  readonly parameters: readonly WireAuthParameter[];
}

/** A rate-limit window of the answer (`x-rate-limit-*`). */
export interface WireRateLimit {
  readonly limit: number;
  readonly remaining: number;
  readonly resetAt: number;
}

/** One request and its answer. */
export interface WireEntry {
  /** Increasing per recorder, from 1. */
  readonly seq: number;
  /** When it was sent, ms since the epoch. */
  readonly at: number;
  /** `client` for XClient requests (from its hooks), `token` for token and flow requests. */
  readonly via: 'client' | 'token';
  readonly method: string;
  /** The URL with credential-like query values redacted. */
  readonly url: string;
  /** `METHOD /path template`, e.g. `GET /2/users/me`. */
  readonly endpoint: string;
  /** The rate-limit pool the request spends (`<identity> <endpoint>`), for client requests. */
  readonly pool: string | undefined;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly authorization: WireAuthorization;
  /** OAuth 1.0a: the signature base string, its token and key values masked. */
  readonly baseString: string | undefined;
  /** HTTP status; 0 when no answer arrived. */
  readonly status: number;
  readonly durationMs: number;
  readonly rateLimit: WireRateLimit | undefined;
  /** `x-app-limit-24hour-*`: the app's daily cap on the endpoint, all users together. */
  readonly appDaily: WireRateLimit | undefined;
  /** `x-user-limit-24hour-*`: the user's daily cap on the endpoint. */
  readonly userDaily: WireRateLimit | undefined;
  /** X's error (its code and title or message), or the client's stable error code. */
  readonly error: string | undefined;
}
