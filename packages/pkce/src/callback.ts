import { constantTimeEqual } from '@x-oauth/internal';
import { PkceError, PkceErrorCode } from './errors.js';
import type { PendingTransaction } from './types.js';

// Transactions handleCallback has seen. A WeakSet, so the objects are not kept alive and no
// field has to be added to (or mutable on) the caller's transaction.
const consumed = new WeakSet<object>();

/**
 * Reads the redirect back from X's consent page: checks `state` against the transaction in
 * constant time, turns `error=` into a typed error, and returns the authorization code.
 *
 * A state is single-use (RFC 9700 §4.7.1): this call consumes the transaction object, so a
 * second call with it throws `PKCE_TRANSACTION_CONSUMED`, whatever the first call's outcome.
 * Delete your stored copy too (clear the cookie, remove it from `sessionStorage`).
 *
 * @returns the authorization code, to pass to `exchangeCode` with the same transaction.
 * @throws {PkceError} `PKCE_STATE_MISMATCH`, `PKCE_ACCESS_DENIED`, `PKCE_AUTHORIZATION_ERROR`,
 *   `PKCE_INVALID_CALLBACK` or `PKCE_TRANSACTION_CONSUMED`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export function handleCallback(
  callbackUrl: string | URL,
  transaction: Pick<PendingTransaction, 'state'>,
): string {
  if (typeof transaction !== 'object' || transaction === null) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'transaction must be the pending transaction.',
    );
  }
  if (consumed.has(transaction)) {
    throw new PkceError(
      PkceErrorCode.TransactionConsumed,
      'This transaction was already used for a callback; a state is single-use. Start a new authorization.',
    );
  }
  consumed.add(transaction);

  let url: URL;
  try {
    url = new URL(String(callbackUrl));
  } catch {
    throw new PkceError(PkceErrorCode.InvalidCallback, 'callbackUrl is not an absolute URL.');
  }
  const parameters = url.searchParams;

  // State first: an error= that does not carry our state may be forged and says nothing.
  const states = parameters.getAll('state');
  const state = states[0];
  if (
    states.length !== 1 ||
    state === undefined ||
    typeof transaction.state !== 'string' ||
    !constantTimeEqual(state, transaction.state)
  ) {
    throw new PkceError(
      PkceErrorCode.StateMismatch,
      'The callback state is missing or does not match the transaction: the response may be forged (CSRF) or from another attempt. Start a new authorization.',
    );
  }

  for (const name of ['code', 'error', 'error_description'] as const) {
    if (parameters.getAll(name).length > 1) {
      throw new PkceError(
        PkceErrorCode.InvalidCallback,
        `The callback repeats the "${name}" parameter (RFC 6749 §3.1 forbids it).`,
      );
    }
  }

  const error = parameters.get('error');
  if (error !== null) {
    const description = parameters.get('error_description') ?? undefined;
    const details =
      description === undefined ? { oauthError: error } : { oauthError: error, description };
    if (error === 'access_denied') {
      throw new PkceError(
        PkceErrorCode.AccessDenied,
        'The user did not authorize the app (access_denied).',
        details,
      );
    }
    throw new PkceError(
      PkceErrorCode.AuthorizationError,
      `The authorization server refused the request: ${truncate(error)}${
        description === undefined ? '' : ` (${truncate(description)})`
      }.`,
      details,
    );
  }

  const code = parameters.get('code');
  if (code === null || code.length === 0) {
    throw new PkceError(
      PkceErrorCode.InvalidCallback,
      'The callback URL has neither a code nor an error: pass the full URL the browser was redirected to.',
    );
  }
  return code;
}

/**
 * True when `handleCallback` has already been called with this transaction object.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export function isTransactionConsumed(transaction: object): boolean {
  return consumed.has(transaction);
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
