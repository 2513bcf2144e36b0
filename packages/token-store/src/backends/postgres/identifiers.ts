// Schema and role names end up in SQL text (DDL cannot take parameters), so they are limited to
// plain lower-case identifiers: no quoting rules to get wrong, no case surprises in psql.

import { TokenStoreError, TokenStoreErrorCode } from '../../errors.js';

const PLAIN_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Returns `name` as a quoted SQL identifier after checking it is a plain lower-case identifier
 * (`^[a-z_][a-z0-9_]{0,62}$`); throws `TOKEN_STORE_INVALID_CONFIG` otherwise.
 */
export function quoteIdentifier(name: unknown, what: string): string {
  return `"${checkIdentifier(name, what)}"`;
}

/** Checks `name` like {@link quoteIdentifier} and returns it as a quoted SQL string literal. */
export function quoteIdentifierLiteral(name: unknown, what: string): string {
  return `'${checkIdentifier(name, what)}'`;
}

/** Checks that `name` is a plain lower-case identifier and returns it unchanged. */
export function checkIdentifier(name: unknown, what: string): string {
  if (typeof name !== 'string' || !PLAIN_IDENTIFIER.test(name)) {
    throw new TokenStoreError(
      TokenStoreErrorCode.InvalidConfig,
      `${what} must match ^[a-z_][a-z0-9_]{0,62}$ (lower-case letters, digits, underscores).`,
    );
  }
  return name;
}
