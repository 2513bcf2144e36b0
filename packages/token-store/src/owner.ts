import type { RecordOwner } from './backend.js';
import { TokenStoreError, TokenStoreErrorCode } from './errors.js';

/** The longest app or user id accepted, in UTF-16 code units (fits `varchar(256)` too). */
export const MAX_OWNER_ID_LENGTH = 256;

// C0 controls, DEL and C1 controls: NUL separates the AAD's fields, and the others have no
// business in an id (they hide in logs and break key prefixes).
const CONTROL = /\p{Cc}/u;
// Printable ASCII, the ids most apps use: none of the characters the checks below refuse.
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
// A lone surrogate is not valid UTF-8, so PostgreSQL and Redis clients would mangle it.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks one id of an owner: a non-empty string of at most 256 code units, without control
 * characters or lone surrogates. Throws `TOKEN_STORE_INVALID_ARGUMENT` otherwise.
 */
export function validateOwnerId(value: unknown, name: 'appId' | 'userId'): string {
  // The message names the rule, never the value: ids are not secret, but a caller may have
  // passed a token by mistake.
  if (typeof value !== 'string') {
    throw invalid(`${name} must be a string.`);
  }
  if (value === '') throw invalid(`${name} must not be empty.`);
  if (value.length > MAX_OWNER_ID_LENGTH) {
    throw invalid(`${name} must be at most ${MAX_OWNER_ID_LENGTH} characters.`);
  }
  if (PRINTABLE_ASCII.test(value)) return value;
  if (CONTROL.test(value)) throw invalid(`${name} must not contain control characters.`);
  if (LONE_SURROGATE.test(value)) throw invalid(`${name} must be well-formed Unicode.`);
  return value;
}

/**
 * Checks and returns the owner (app id, user id) of a record; throws
 * `TOKEN_STORE_INVALID_ARGUMENT` when either id is malformed.
 */
export function validateOwner(appId: unknown, userId: unknown): RecordOwner {
  return Object.freeze({
    appId: validateOwnerId(appId, 'appId'),
    userId: validateOwnerId(userId, 'userId'),
  });
}

/** A map key for an owner that no two distinct owners share (ids cannot contain NUL). */
export function ownerKey(owner: RecordOwner): string {
  return `${owner.appId}\u0000${owner.userId}`;
}

function invalid(message: string): TokenStoreError {
  return new TokenStoreError(TokenStoreErrorCode.InvalidArgument, message);
}
