import { PkceError, PkceErrorCode } from './errors.js';
import { openValue, type SealingKey, sealValue } from './seal.js';
import { transactionFromStorable, transactionToStorable } from './transaction.js';
import type { Clock, PendingTransaction, RandomSource } from './types.js';

const PURPOSE = 'x-oauth/pkce/transaction';

/**
 * Seals a pending transaction for a cookie, so any instance of a server can finish the flow:
 * AES-256-GCM, cookie-safe characters, bound to this purpose. Set it as an `HttpOnly; Secure;
 * SameSite=Lax; Path=/callback` cookie with a short `Max-Age`; Lax lets it come back on X's
 * top-level redirect.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export async function sealTransaction(
  transaction: PendingTransaction,
  key: SealingKey,
  options: { now?: Clock | undefined; random?: RandomSource | undefined } = {},
): Promise<string> {
  return sealValue(transactionToStorable(transaction), key, { ...options, purpose: PURPOSE });
}

/**
 * Opens a sealed transaction. Throws `PKCE_SEALED_VALUE_INVALID` when it was altered, sealed
 * with another key or is not a transaction, and `PKCE_SEALED_VALUE_EXPIRED` when the
 * authorization started more than `maxAgeMs` ago (ten minutes is plenty for a consent page).
 * The transaction is single-use: clear the cookie when the callback arrives.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.7.1
 */
export async function openTransaction(
  sealed: string,
  key: SealingKey,
  options: { maxAgeMs: number; now?: Clock | undefined },
): Promise<PendingTransaction> {
  const value = await openValue(sealed, key, { ...options, purpose: PURPOSE });
  let transaction: PendingTransaction;
  try {
    transaction = transactionFromStorable(value);
  } catch {
    throw new PkceError(
      PkceErrorCode.SealedValueInvalid,
      'The sealed value is not a pending transaction.',
    );
  }
  // The flow's own age counts too, in case the transaction was sealed again later.
  if ((options.now ?? Date.now)() - transaction.createdAt > options.maxAgeMs) {
    throw new PkceError(
      PkceErrorCode.SealedValueExpired,
      'The authorization started more than maxAgeMs ago: start a new one.',
    );
  }
  return transaction;
}
