import type { KeyAndSecret } from '@x-oauth/internal';
import { OAuth1Error, OAuth1ErrorCode } from './errors.js';
import { encodeAgain, percentEncode } from './percent-encode.js';

/**
 * What signing needs from the consumer and token, checked and encoded once: the keys as they
 * go in the header (percent-encoded) and in the base string (encoded twice), the signing key
 * of RFC 5849 §3.4.2 and, once the same pair signs again, the backend's prepared form of it.
 */
export interface SigningCredentials<PreparedKey> {
  readonly consumerKey: EncodedKey;
  readonly tokenKey: EncodedKey | undefined;
  /** `enc(consumer secret) & enc(token secret)`. */
  readonly signingKey: string;
  /** The backend's precomputed key, made on the second signature by the same pair. */
  readonly preparedKey: PreparedKey | undefined;
  /**
   * The protocol parameters of a request with neither callback nor verifier, around its
   * nonce and timestamp, as the base string and the header write them: `oauth_consumer_key`
   * up to the nonce, and from after the timestamp (`oauth_token`, `oauth_version`) to the end.
   */
  readonly protocolRun: ProtocolRun;
}

export interface ProtocolRun {
  readonly baseStringHead: string;
  readonly baseStringTail: string;
  readonly headerHead: string;
  readonly headerTail: string;
}

function protocolRun(consumerKey: EncodedKey, tokenKey: EncodedKey | undefined): ProtocolRun {
  return {
    baseStringHead: `oauth_consumer_key%3D${consumerKey.baseString}%26oauth_nonce%3D`,
    baseStringTail:
      tokenKey === undefined
        ? '%26oauth_version%3D1.0'
        : `%26oauth_token%3D${tokenKey.baseString}%26oauth_version%3D1.0`,
    headerHead: `oauth_consumer_key="${consumerKey.header}", oauth_nonce="`,
    headerTail:
      tokenKey === undefined
        ? ', oauth_version="1.0"'
        : `, oauth_token="${tokenKey.header}", oauth_version="1.0"`,
  };
}

interface EncodedKey {
  /** Percent-encoded, as in the `Authorization` header. */
  readonly header: string;
  /** Encoded again, as in the base string. */
  readonly baseString: string;
}

// One entry per credentials object, kept while the caller keeps that object (a WeakMap holds
// nothing alive). An entry is trusted only while the object still holds the same key and
// secret, so a caller that mutates its credentials is checked and encoded afresh.
interface ConsumerEntry<PreparedKey> {
  readonly key: string;
  readonly secret: string;
  readonly encodedKey: EncodedKey;
  readonly encodedSecret: string;
  withoutToken: PairEntry<PreparedKey> | undefined;
  readonly byToken: WeakMap<KeyAndSecret, PairEntry<PreparedKey>>;
}

interface PairEntry<PreparedKey> extends SigningCredentials<PreparedKey> {
  readonly tokenObjectKey: string | undefined;
  readonly tokenObjectSecret: string | undefined;
  preparedKey: PreparedKey | undefined;
  signedBefore: boolean;
}

function invalidCredentials(problem: string): OAuth1Error {
  return new OAuth1Error(OAuth1ErrorCode.InvalidCredentials, problem);
}

function checkCredentials(
  credentials: KeyAndSecret | undefined,
  which: 'consumer' | 'token',
): void {
  const hint =
    which === 'consumer'
      ? "the app's API Key and Secret from the developer portal"
      : "the user's access token and secret (or the request token and its secret)";
  if (typeof credentials !== 'object' || credentials === null) {
    throw invalidCredentials(`\`${which}\` must be { key, secret }: ${hint}.`);
  }
  if (typeof credentials.key !== 'string' || credentials.key.length === 0) {
    throw invalidCredentials(`\`${which}.key\` is missing or not a string; pass ${hint}.`);
  }
  if (
    typeof credentials.secret !== 'string' ||
    (which === 'consumer' && credentials.secret.length === 0)
  ) {
    throw invalidCredentials(`\`${which}.secret\` is missing or not a string; pass ${hint}.`);
  }
}

function encodeKey(key: string): EncodedKey {
  const header = percentEncode(key);
  return { header, baseString: encodeAgain(header) };
}

/**
 * Checks and encodes credentials, remembering the result per credentials object so that an
 * app signing many requests with the same objects does the work once. The backend's prepared
 * key is made lazily, on a pair's second signature: callers that build fresh credential
 * objects for every request never pay for preparing a key they use once.
 */
export function createSigningCredentialsCache<PreparedKey>(
  prepareKey: (signingKey: string) => PreparedKey,
): (consumer: KeyAndSecret, token: KeyAndSecret | undefined) => SigningCredentials<PreparedKey> {
  const consumers = new WeakMap<KeyAndSecret, ConsumerEntry<PreparedKey>>();

  function consumerEntry(consumer: KeyAndSecret): ConsumerEntry<PreparedKey> {
    // A non-object consumer cannot be a WeakMap key: check it before looking it up.
    checkCredentials(consumer, 'consumer');
    const known = consumers.get(consumer);
    if (known !== undefined && known.key === consumer.key && known.secret === consumer.secret) {
      return known;
    }
    const entry: ConsumerEntry<PreparedKey> = {
      key: consumer.key,
      secret: consumer.secret,
      encodedKey: encodeKey(consumer.key),
      encodedSecret: percentEncode(consumer.secret),
      withoutToken: undefined,
      byToken: new WeakMap(),
    };
    consumers.set(consumer, entry);
    return entry;
  }

  function pairEntry(
    consumer: ConsumerEntry<PreparedKey>,
    token: KeyAndSecret | undefined,
  ): PairEntry<PreparedKey> {
    if (token === undefined) {
      const known = consumer.withoutToken;
      if (known !== undefined) return known;
      const entry = newPair(consumer, undefined);
      consumer.withoutToken = entry;
      return entry;
    }
    checkCredentials(token, 'token');
    const known = consumer.byToken.get(token);
    if (
      known !== undefined &&
      known.tokenObjectKey === token.key &&
      known.tokenObjectSecret === token.secret
    ) {
      return known;
    }
    const entry = newPair(consumer, token);
    consumer.byToken.set(token, entry);
    return entry;
  }

  function newPair(
    consumer: ConsumerEntry<PreparedKey>,
    token: KeyAndSecret | undefined,
  ): PairEntry<PreparedKey> {
    const tokenKey = token === undefined ? undefined : encodeKey(token.key);
    return {
      consumerKey: consumer.encodedKey,
      tokenKey,
      protocolRun: protocolRun(consumer.encodedKey, tokenKey),
      signingKey: `${consumer.encodedSecret}&${token === undefined ? '' : percentEncode(token.secret)}`,
      preparedKey: undefined,
      tokenObjectKey: token?.key,
      tokenObjectSecret: token?.secret,
      signedBefore: false,
    };
  }

  return (consumer, token) => {
    const entry = pairEntry(consumerEntry(consumer), token);
    if (entry.preparedKey === undefined) {
      if (entry.signedBefore) entry.preparedKey = prepareKey(entry.signingKey);
      else entry.signedBefore = true;
    }
    return entry;
  };
}
