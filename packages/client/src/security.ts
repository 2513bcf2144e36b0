// The two rules that keep credentials off the wire in clear: HTTPS only (plain http: only to
// loopback, a local emulator), and no sending when certificate checks are switched off for the
// whole process, since then HTTPS no longer proves it is talking to X.
import { isSecureEndpoint } from '@x-oauth/internal';
import { XApiError, XApiErrorCode } from './errors.js';

/**
 * Throws `X_INSECURE_ENDPOINT` unless `url` is `https:` or `http:` to a loopback host.
 *
 * @see https://docs.x.com/resources/fundamentals/authentication/oauth-2-0/application-only
 */
export function assertSecureEndpoint(url: URL): void {
  if (!isSecureEndpoint(url)) {
    throw new XApiError(
      XApiErrorCode.InsecureEndpoint,
      'The X API must be called over https: (plain http: is allowed only to a loopback host such as 127.0.0.1 or localhost, for a local emulator). Nothing was sent.',
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new XApiError(
      XApiErrorCode.InvalidArgument,
      'The base URL must not carry user:password@. Nothing was sent.',
    );
  }
}

/**
 * True when this process has certificate verification switched off
 * (`NODE_TLS_REJECT_UNAUTHORIZED=0`). Read at each call, so a change at run time counts.
 * Runtimes without `process` (browsers, workers) cannot switch it off this way.
 *
 * @see https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue
 */
export function tlsVerificationDisabled(): boolean {
  return (
    typeof process !== 'undefined' &&
    typeof process.env === 'object' &&
    process.env !== null &&
    process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0'
  );
}

/**
 * Throws `X_INSECURE_TLS` when certificate checks are off process-wide, unless the caller
 * opted in with `allowInsecureTls: true`.
 *
 * @see https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue
 */
export function assertTlsVerified(allowInsecureTls: boolean): void {
  if (!allowInsecureTls && tlsVerificationDisabled()) {
    throw new XApiError(
      XApiErrorCode.InsecureTls,
      'NODE_TLS_REJECT_UNAUTHORIZED=0 switches off certificate checks for this whole process, so HTTPS would not prove the other end is X and credentials could be sent to anyone. Unset it; to send anyway, pass allowInsecureTls: true. Nothing was sent.',
    );
  }
}
