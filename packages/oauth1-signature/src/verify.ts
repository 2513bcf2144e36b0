import { constantTimeEqual } from '@x-oauth/internal';
import { parseAuthorizationHeader } from './authorization-header.js';
import { buildBaseString } from './base-string.js';
import type { CryptoBackend } from './crypto-backend.js';
import { OAuth1Error } from './errors.js';
import { signingKey } from './signing-key.js';
import type {
  RejectedRequest,
  VerifyFailureReason,
  VerifyRequestOptions,
  VerifyResult,
} from './types.js';

/** Checks one incoming request; see {@link VerifyRequestOptions}. */
export type VerifyRequest = (options: VerifyRequestOptions) => Promise<VerifyResult>;

const REQUIRED_PARAMETERS = [
  'oauth_consumer_key',
  'oauth_nonce',
  'oauth_signature',
  'oauth_signature_method',
  'oauth_timestamp',
] as const;

/** Default accepted clock difference, in seconds. */
export const DEFAULT_TIMESTAMP_WINDOW_SECONDS = 300;

function reject(
  reason: VerifyFailureReason,
  message: string,
  consumerKey: string | undefined,
  serverTimestamp?: number,
): RejectedRequest {
  return serverTimestamp === undefined
    ? { ok: false, reason, message, consumerKey }
    : { ok: false, reason, message, consumerKey, serverTimestamp };
}

/**
 * Makes `verifyRequest` over a crypto backend (server side of RFC 5849 §3.2): parse the
 * header, check the timestamp window, look the secrets up, recompute the signature and compare
 * it in constant time, then record the nonce. The nonce is recorded only for requests whose
 * signature is valid, so nobody can burn another client's nonces.
 */
export function createRequestVerifier(backend: CryptoBackend): VerifyRequest {
  return async function verifyRequest(options: VerifyRequestOptions): Promise<VerifyResult> {
    if (
      options.authorization === undefined ||
      options.authorization === null ||
      options.authorization === ''
    ) {
      return reject('missing_authorization', 'The request has no Authorization header.', undefined);
    }
    let parsed: ReturnType<typeof parseAuthorizationHeader>;
    try {
      parsed = parseAuthorizationHeader(options.authorization);
    } catch (error) {
      if (error instanceof OAuth1Error)
        return reject('malformed_authorization', error.message, undefined);
      throw error;
    }
    const { params } = parsed;
    const consumerKey = params.oauth_consumer_key;
    for (const name of REQUIRED_PARAMETERS) {
      if (params[name] === undefined || params[name] === '') {
        return reject('missing_parameter', `The Authorization header lacks ${name}.`, consumerKey);
      }
    }
    if (params.oauth_signature_method !== 'HMAC-SHA1') {
      return reject(
        'unsupported_signature_method',
        'Only oauth_signature_method="HMAC-SHA1" is supported.',
        consumerKey,
      );
    }
    if (params.oauth_version !== undefined && params.oauth_version !== '1.0') {
      return reject(
        'unsupported_version',
        'oauth_version must be "1.0" when present.',
        consumerKey,
      );
    }
    const timestampText = params.oauth_timestamp as string;
    if (!/^[0-9]{1,15}$/.test(timestampText)) {
      return reject(
        'malformed_authorization',
        'oauth_timestamp must be whole seconds since the epoch.',
        consumerKey,
      );
    }
    const timestamp = Number(timestampText);
    const serverTimestamp = Math.floor((options.now ?? Date.now)() / 1000);
    const window = options.timestampWindowSeconds ?? DEFAULT_TIMESTAMP_WINDOW_SECONDS;
    if (Math.abs(timestamp - serverTimestamp) > window) {
      return reject(
        'stale_timestamp',
        `oauth_timestamp is more than ${window} seconds away from the server's clock; correct the client's clock (the response's Date header tells the server's time).`,
        consumerKey,
        serverTimestamp,
      );
    }

    const key = consumerKey as string;
    const consumerSecret = await options.consumerSecret(key, { consumerKey: key });
    if (consumerSecret === undefined)
      return reject('unknown_consumer', 'The consumer key is not known.', key);
    const token = params.oauth_token;
    let tokenSecret = '';
    if (token !== undefined) {
      const found =
        options.tokenSecret === undefined
          ? undefined
          : await options.tokenSecret(token, { consumerKey: key });
      if (found === undefined)
        return reject('unknown_token', 'The token is invalid, expired or revoked.', key);
      tokenSecret = found;
    }

    const baseString = buildBaseString({
      method: options.method,
      url: options.url,
      form: options.form,
      oauthParams: params,
    });
    const expected = await backend.hmacSha1Base64(
      signingKey(consumerSecret, tokenSecret),
      baseString,
    );
    if (!constantTimeEqual(expected, params.oauth_signature as string)) {
      return reject('bad_signature', 'The signature does not match the request.', key);
    }

    if (options.nonceCache !== undefined) {
      const fresh = await options.nonceCache.remember(
        `${key}&${token ?? ''}`,
        params.oauth_nonce as string,
        timestamp,
      );
      if (!fresh)
        return reject(
          'reused_nonce',
          'The nonce was already used; send a new one with each request.',
          key,
        );
    }
    return { ok: true, consumerKey: key, token, params, realm: parsed.realm, timestamp };
  };
}
