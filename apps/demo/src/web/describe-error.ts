// What a page says when something failed: the stable code and the message of the package's
// error. Those messages never hold a token or a secret (each package guarantees it), so they
// can be shown; anything else is reduced to a generic line.
import { BearerError } from '@x-oauth/bearer';
import { XApiError } from '@x-oauth/client';
import { PkceError } from '@x-oauth/pkce';
import { TokenStoreError } from '@x-oauth/token-store';
import { describeCauses } from '../describe-cause.js';
import { xSaidAbout } from '../wire/recorder.js';

/** A line that is safe to show to the user. */
export function describeError(error: unknown): string {
  if (
    error instanceof XApiError ||
    error instanceof PkceError ||
    error instanceof BearerError ||
    error instanceof TokenStoreError
  ) {
    const said = xSaidAbout(error);
    return `${error.code}: ${error.message}${describeCauses(error)}${said === undefined ? '' : ` X said: ${said}`}`;
  }
  return 'Unexpected error (see the server log).';
}
