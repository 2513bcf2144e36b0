// No message, util.inspect or JSON.stringify of anything this package makes or returns shows
// a consumer secret, an owner token secret or a bearer token: every error code is produced from
// inputs and answers that carry them.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  BearerError,
  BearerErrorCode,
  BearerTokenProvider,
  checkAppOnlyResponse,
  invalidateBearerToken,
  obtainBearerToken,
} from '../src/index.js';
import { CONSUMER, fakeFetch, json, OWNER, TOKEN, v1Error } from './fake-fetch.js';

const SECRETS = [
  CONSUMER.secret,
  OWNER.secret,
  TOKEN,
  'eHZ6MWV2RlM0d0VFUFRHRUZQSEJvZzpMOHFxOVBaeVJnNmllS0dFS2hab2xHQzB2SldMdzhpRUo4OERSZHlPZw==',
];

const echo = `${TOKEN} ${CONSUMER.secret} ${OWNER.secret}`;

async function caught(run: () => unknown): Promise<BearerError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof BearerError) return error;
    throw error;
  }
  throw new Error('expected a BearerError');
}

function answering(response: () => Response) {
  return fakeFetch(() => response()).fetch;
}

const cases: ReadonlyArray<readonly [BearerErrorCode, () => unknown]> = [
  [
    BearerErrorCode.InvalidArgument,
    () => invalidateBearerToken({ consumer: CONSUMER, token: `${TOKEN} ${CONSUMER.secret}` }),
  ],
  [
    BearerErrorCode.InsecureEndpoint,
    () => obtainBearerToken({ consumer: CONSUMER, baseUrl: `http://api.x.com/${CONSUMER.secret}` }),
  ],
  [
    BearerErrorCode.InvalidRequest,
    () =>
      obtainBearerToken({ consumer: CONSUMER, fetch: answering(() => v1Error(403, 170, echo)) }),
  ],
  [
    BearerErrorCode.InvalidClientCredentials,
    () => obtainBearerToken({ consumer: CONSUMER, fetch: answering(() => v1Error(403, 99, echo)) }),
  ],
  [
    BearerErrorCode.TooManyRequests,
    () => obtainBearerToken({ consumer: CONSUMER, fetch: answering(() => v1Error(429, 88, echo)) }),
  ],
  [
    BearerErrorCode.InvalidationRefused,
    () =>
      invalidateBearerToken({
        consumer: CONSUMER,
        token: TOKEN,
        ownerToken: OWNER,
        fetch: answering(() => v1Error(403, 348, echo)),
      }),
  ],
  [BearerErrorCode.InvalidToken, () => checkAppOnlyResponse(v1Error(401, 89, echo))],
  [
    BearerErrorCode.UserContextRequired,
    () =>
      checkAppOnlyResponse(
        json(403, {
          title: echo,
          detail: echo,
          type: 'https://api.x.com/2/problems/unsupported-authentication',
        }),
      ),
  ],
  [
    BearerErrorCode.NetworkError,
    () =>
      obtainBearerToken({
        consumer: CONSUMER,
        fetch: () =>
          Promise.reject(
            new TypeError(`failed with Basic ${SECRETS[3]} ${echo}`, { cause: new Error(echo) }),
          ),
      }),
  ],
  [
    BearerErrorCode.InvalidResponse,
    () =>
      obtainBearerToken({
        consumer: CONSUMER,
        fetch: answering(() => json(200, { token_type: 'mac', access_token: TOKEN, secret: echo })),
      }),
  ],
  [
    BearerErrorCode.UnexpectedStatus,
    () =>
      obtainBearerToken({
        consumer: CONSUMER,
        fetch: answering(() => new Response(echo, { status: 500 })),
      }),
  ],
];

function renderings(value: unknown): string[] {
  return [
    inspect(value),
    inspect(value, { showHidden: true, depth: Number.POSITIVE_INFINITY }),
    JSON.stringify(value) ?? '',
    String(value),
  ];
}

describe('no secret or token in anything this package makes', () => {
  it('covers every error code', () => {
    expect(new Set(cases.map(([code]) => code))).toEqual(new Set(Object.values(BearerErrorCode)));
  });

  it.each(cases)('%s: message, inspect and JSON are clean', async (code, run) => {
    const error = await caught(run);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
    for (const text of [error.message, error.stack ?? '', ...renderings(error)]) {
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    }
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'BearerError', code });
  });

  it('a provider holding a token stays clean, also inside other objects', async () => {
    const provider = new BearerTokenProvider({
      consumer: CONSUMER,
      ownerToken: OWNER,
      fetch: answering(() => json(200, { token_type: 'bearer', access_token: TOKEN })),
    });
    await provider.getToken();
    const portal = new BearerTokenProvider({ token: TOKEN });
    for (const value of [provider, portal, { provider, portal }, [provider]]) {
      for (const text of renderings(value)) {
        for (const secret of SECRETS) expect(text).not.toContain(secret);
      }
    }
  });

  it('invalidation resolves to nothing', async () => {
    const result = await invalidateBearerToken({
      consumer: CONSUMER,
      token: TOKEN,
      fetch: answering(() => json(200, { access_token: TOKEN })),
    });
    expect(result).toBeUndefined();
  });
});
