// A fetch that goes where an unmodified client goes: to X's https host names, through the
// emulator's CONNECT proxy, trusting only the emulator's CA. Built on node:https and
// https-proxy-agent, the way twitter-api-v2 users wire it.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import type { Emulator } from '../src/index.js';

/**
 * An https-proxy-agent to the emulator's proxy that trusts the emulator's CA for the tunnelled
 * TLS (the agent's own options apply to the proxy connection, not to the origin behind it).
 */
export function trustingProxyAgent(x: Emulator): HttpsProxyAgent<string> {
  const ca = readFileSync(x.caCertPath as string, 'utf8');
  class TrustingAgent extends HttpsProxyAgent<string> {
    override connect(
      request: Parameters<HttpsProxyAgent<string>['connect']>[0],
      options: Parameters<HttpsProxyAgent<string>['connect']>[1],
    ): ReturnType<HttpsProxyAgent<string>['connect']> {
      return super.connect(request, { ...options, ca } as typeof options);
    }
  }
  return new TrustingAgent(x.proxyUrl as string);
}

/** A fetch-compatible function (enough of it for the tests and `completeConsent`). */
export function proxiedFetch(x: Emulator): typeof fetch {
  const agent = trustingProxyAgent(x);
  const send = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? init.body : undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = request(
        url,
        {
          method: init.method ?? 'GET',
          agent,
          headers: Object.fromEntries(headers),
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const answer = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              for (const one of Array.isArray(value) ? value : [value ?? ''])
                answer.append(name, one);
            }
            const status = incoming.statusCode ?? 0;
            const content = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            resolve(new Response(content, { status, headers: answer }));
          });
          incoming.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
  return send as typeof fetch;
}
