// A worker process of test/refresh-race.test.ts. Started once per configuration and kept
// alive; on each `race` request it fires `callers` concurrent getFreshTokenSet calls at the
// moment the parent named (the same wall-clock instant in every worker), each refreshing
// through the emulator with @x-oauth/pkce, and reports what every caller got.
import { endpointsFromBaseUrl, refreshToken } from '@x-oauth/pkce';
import { createKeyring, createTokenStore } from '@x-oauth/token-store';
import { openBackend, serveParent } from './open-backend.mjs';

/** @type {import('@x-oauth/token-store').TokenStore | undefined} */
let store;
/** @type {{ clientId: string, clientSecret: string }} */
let client;
/** @type {import('@x-oauth/pkce').OAuth2Endpoints} */
let endpoints;

serveParent({
  async init(message) {
    const backend = await openBackend(message.backend);
    store = createTokenStore({ backend, keyring: createKeyring(message.keyring) });
    client = message.client;
    endpoints = endpointsFromBaseUrl(message.emulatorUrl);
    // Warm the connection and the code paths, so the first trial measures the race only.
    await store.reader.get(message.appId, 'warm-up');
    return { pid: process.pid };
  },

  async race({ appId, userId, callers, at }) {
    if (store === undefined) throw new Error('race before init');
    const writer = store.writer;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now())));
    let refreshCalls = 0;
    const refresh = (tokenSet, signal) => {
      refreshCalls++;
      return refreshToken({ client, tokenSet, endpoints, signal });
    };
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: callers }, () =>
        writer.getFreshTokenSet(appId, userId, refresh).then(
          (set) => ({ ok: true, accessToken: set.accessToken }),
          (error) => ({
            ok: false,
            code: error?.code,
            causeCode: error?.causeCode,
            message: String(error?.message ?? error),
          }),
        ),
      ),
    );
    const accessTokens = [...new Set(outcomes.filter((o) => o.ok).map((o) => o.accessToken))];
    return {
      answered: outcomes.length,
      refreshCalls,
      accessTokens,
      failures: outcomes.filter((o) => !o.ok),
      ms: performance.now() - started,
    };
  },

  async close() {
    await store?.close();
    return {};
  },
});
