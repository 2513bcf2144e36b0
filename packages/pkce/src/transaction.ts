import { hideSecrets, REDACTED } from '@x-oauth/internal';
import { isValidCodeVerifier } from './code-challenge.js';
import { PkceError, PkceErrorCode } from './errors.js';
import { member } from './response-body.js';
import { isXScope, type XScope } from './scopes.js';
import type { PendingTransaction } from './types.js';

/** A pending transaction as plain JSON data, from {@link transactionToStorable}. */
export interface StorableTransaction {
  readonly state: string;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly createdAt: number;
}

function redactedView(transaction: PendingTransaction): Record<string, unknown> {
  return { ...transaction, state: REDACTED, codeVerifier: REDACTED };
}

/**
 * Freezes a pending transaction. `util.inspect`, `console.log` and `JSON.stringify` show its
 * state and verifier redacted, so a stray log line cannot leak them; store it with
 * {@link transactionToStorable} (or {@link sealTransaction}) instead. The hooks are
 * non-enumerable, so spreading the transaction does not copy them.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 */
export function freezeTransaction(fields: PendingTransaction): PendingTransaction {
  const transaction: PendingTransaction = {
    state: fields.state,
    codeVerifier: fields.codeVerifier,
    redirectUri: fields.redirectUri,
    scopes: Object.freeze([...fields.scopes]),
    createdAt: fields.createdAt,
  };
  return Object.freeze(
    hideSecrets(transaction, 'PendingTransaction', () => redactedView(transaction)),
  );
}

/**
 * The transaction as plain data, verifier included, to keep it across the redirect, for
 * example `sessionStorage.setItem('pkce', JSON.stringify(transactionToStorable(tx)))` in a
 * single-page app. On a server, prefer {@link sealTransaction}.
 */
export function transactionToStorable(transaction: PendingTransaction): StorableTransaction {
  return {
    state: transaction.state,
    codeVerifier: transaction.codeVerifier,
    redirectUri: transaction.redirectUri,
    scopes: [...transaction.scopes],
    createdAt: transaction.createdAt,
  };
}

/**
 * Checks data from {@link transactionToStorable} (read back from storage, so untrusted) and
 * returns the frozen transaction.
 * @throws {PkceError} `PKCE_INVALID_ARGUMENT` when it is not a pending transaction.
 */
export function transactionFromStorable(value: unknown): PendingTransaction {
  const state = member(value, 'state');
  const codeVerifier = member(value, 'codeVerifier');
  const redirectUri = member(value, 'redirectUri');
  const scopes = member(value, 'scopes');
  const createdAt = member(value, 'createdAt');
  if (
    typeof state !== 'string' ||
    state.length === 0 ||
    !isValidCodeVerifier(codeVerifier) ||
    typeof redirectUri !== 'string' ||
    !Array.isArray(scopes) ||
    !scopes.every(isXScope) ||
    typeof createdAt !== 'number'
  ) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'The stored value is not a pending transaction; start a new authorization.',
    );
  }
  const validScopes: XScope[] = scopes.filter(isXScope);
  return freezeTransaction({ state, codeVerifier, redirectUri, scopes: validScopes, createdAt });
}
