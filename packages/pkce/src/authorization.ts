import { encodeBase64Url } from '@x-oauth/internal';
import {
  type CodeChallengeMethod,
  computeCodeChallenge,
  generateCodeVerifier,
} from './code-challenge.js';
import { type OAuth2Endpoints, resolveEndpoints, secureEndpointUrl } from './endpoints.js';
import { PkceError, PkceErrorCode } from './errors.js';
import { type RandomSource, randomBytes } from './random.js';
import { validateScopes, type XScope } from './scopes.js';
import { freezeTransaction } from './transaction.js';
import type { Clock, PendingTransaction } from './types.js';

/**
 * Options of {@link createAuthorization}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export interface CreateAuthorizationOptions {
  /** The OAuth 2.0 Client ID. */
  clientId: string;
  /** One of the app's registered callback URLs, exactly as registered. */
  redirectUri: string;
  /** The scopes to ask for; add `offline.access` to get a refresh token. */
  scopes: readonly XScope[];
  /** A state of your own (printable ASCII, up to 500 characters); 32 random bytes otherwise. */
  state?: string | undefined;
  /** `S256` (default). `plain` only if you must: it does not protect the code. */
  method?: CodeChallengeMethod | undefined;
  /** Replaces X's endpoints; only `authorize` is used here. */
  endpoints?: Partial<OAuth2Endpoints> | undefined;
  /** Clock for `createdAt`; `Date.now` by default. */
  now?: Clock | undefined;
  /** Random source for the verifier and state; `crypto.getRandomValues` by default. */
  random?: RandomSource | undefined;
}

/**
 * What {@link createAuthorization} returns.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 */
export interface Authorization {
  /** Send the user's browser here (a 302 from a server, `location.assign` in an SPA). */
  readonly url: string;
  /** Keep this until the callback; it is needed by `handleCallback` and `exchangeCode`. */
  readonly transaction: PendingTransaction;
}

// RFC 6749 §A.5: state is VSCHAR, printable ASCII. X's docs cap it at 500 characters.
const STATE = /^[\x20-\x7e]{1,500}$/;

/**
 * Starts an authorization: makes the code verifier, its challenge and the state, and builds
 * the URL of X's consent page. Nothing is sent.
 *
 * @example
 * const { url, transaction } = await createAuthorization({
 *   clientId, redirectUri: 'https://app.example/callback', scopes: ['tweet.read', 'users.read'],
 * });
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export async function createAuthorization(
  options: CreateAuthorizationOptions,
): Promise<Authorization> {
  const { clientId, redirectUri, method = 'S256' } = options;
  if (typeof clientId !== 'string' || clientId.length === 0) {
    throw new PkceError(PkceErrorCode.InvalidArgument, 'clientId must be a non-empty string.');
  }
  checkRedirectUri(redirectUri);
  const scopes = validateScopes(options.scopes);
  if (method !== 'S256' && method !== 'plain') {
    throw new PkceError(PkceErrorCode.InvalidArgument, 'method must be "S256" or "plain".');
  }
  const state = options.state ?? encodeBase64Url(randomBytes(32, options.random));
  if (typeof state !== 'string' || !STATE.test(state)) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'state must be 1 to 500 printable ASCII characters; leave it out to get a random one.',
    );
  }
  const authorizeUrl = secureEndpointUrl(
    resolveEndpoints(options.endpoints).authorize,
    'authorize',
  );
  const codeVerifier = generateCodeVerifier(options.random);
  const codeChallenge = await computeCodeChallenge(codeVerifier, method);

  const parameters: [string, string][] = [
    ['response_type', 'code'],
    ['client_id', clientId],
    ['redirect_uri', redirectUri],
    ['scope', scopes.join(' ')],
    ['state', state],
    ['code_challenge', codeChallenge],
    ['code_challenge_method', method],
  ];
  // encodeURIComponent rather than URLSearchParams: spaces in `scope` become %20, as in X's
  // documented authorize URLs, not `+`. Existing query parameters of the endpoint are kept.
  const query = parameters.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
  const existing = authorizeUrl.search.length > 1 ? `${authorizeUrl.search.slice(1)}&` : '';
  authorizeUrl.search = `?${existing}${query}`;

  const transaction = freezeTransaction({
    state,
    codeVerifier,
    redirectUri,
    scopes,
    createdAt: (options.now ?? Date.now)(),
  });
  return { url: authorizeUrl.href, transaction };
}

/**
 * Refuses a redirect URI that cannot be right: not absolute, or with a fragment, which
 * RFC 6749 §3.1.2 forbids.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2
 */
export function checkRedirectUri(redirectUri: unknown): asserts redirectUri is string {
  let url: URL;
  try {
    url = new URL(String(redirectUri));
  } catch {
    throw new PkceError(PkceErrorCode.InvalidArgument, 'redirectUri must be an absolute URL.');
  }
  if (typeof redirectUri !== 'string' || url.hash !== '' || redirectUri.includes('#')) {
    throw new PkceError(
      PkceErrorCode.InvalidArgument,
      'redirectUri must be a string without a #fragment (RFC 6749 §3.1.2).',
    );
  }
}
