// Why an error happened, when its message says "see cause": the chain of causes, each as
// `CODE: message` for the packages' typed errors (whose messages never hold a secret) and as
// its code or name alone for anything else (whose message might).
import { BearerError } from '@x-oauth/bearer';
import { XApiError } from '@x-oauth/client';
import { OAuth1Error } from '@x-oauth/oauth1-signature';
import { PkceError } from '@x-oauth/pkce';
import { TokenStoreError } from '@x-oauth/token-store';

const MAX_DEPTH = 3;

/** Errors of the packages: their messages are safe to show. */
export function isPackageError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof XApiError ||
    error instanceof PkceError ||
    error instanceof BearerError ||
    error instanceof TokenStoreError ||
    error instanceof OAuth1Error
  );
}

function one(cause: unknown): string | undefined {
  if (isPackageError(cause)) return `${cause.code}: ${cause.message}`;
  if (cause instanceof Error) {
    // The client's "no refresh token" marker: a fixed sentence, no data.
    if (cause.name === 'NothingToRefresh') return cause.message;
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.name;
    return code;
  }
  return undefined;
}

/** ` Cause: …; …` for the error's causes, or '' when it has none. */
export function describeCauses(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null || !('cause' in current)) break;
    current = current.cause;
    const text = one(current);
    if (text === undefined) break;
    parts.push(text);
  }
  return parts.length === 0 ? '' : ` Cause: ${parts.join('; caused by ')}`;
}
