import { describeRedacted, inspectSymbol, REDACTED } from '@x-oauth/internal';
import type { SignedRequest } from './types.js';

/**
 * The value {@link signRequest} resolves to. Its fields are plain, but `util.inspect`,
 * `console.log` and `JSON.stringify` show the header, signature and token redacted, so a
 * stray log line cannot leak a replayable credential.
 */
export class SignedOAuthRequest implements SignedRequest {
  declare readonly authorization: string;
  declare readonly signature: string;
  declare readonly baseString: string;
  declare readonly params: Readonly<Record<string, string>>;
  declare readonly body: string | undefined;

  constructor(fields: SignedRequest) {
    Object.assign(this, fields);
  }

  /** A loggable copy: parameter names kept, the token, signature and header redacted. */
  toJSON(): Record<string, unknown> {
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.params)) {
      params[name] =
        name === 'oauth_token' || name === 'oauth_signature' || name === 'oauth_verifier'
          ? REDACTED
          : value;
    }
    return {
      authorization: `OAuth ${REDACTED}`,
      signature: REDACTED,
      baseString: REDACTED,
      params,
      body: this.body === undefined ? undefined : REDACTED,
    };
  }

  [inspectSymbol](): string {
    return describeRedacted('SignedOAuthRequest', this.toJSON());
  }
}
