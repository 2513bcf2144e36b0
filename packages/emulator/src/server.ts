// The request pipeline: route, inject faults, read the body, run the handler, add the Date and
// rate-limit headers, write the response, log it (without secrets) and persist the state.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { isEndpointKey } from './endpoints.js';
import { faultRateLimitHeaders, faultResponse } from './fault-responses.js';
import { BodyTooLargeError, readBody } from './http/body.js';
import { type EmulatorRequest, isFormContentType } from './http/request.js';
import type { EmulatorResponse } from './http/response.js';
import type { RouteMatch } from './http/router.js';
import { consumeRateLimit, type RateLimitPrincipal } from './rate-limits.js';
import type { EmulatorRuntime, RequestMeta, RouteContext, RouteHandler } from './runtime.js';
import { V1_ERRORS, V2_PROBLEMS, v1ErrorResponse, v2ProblemResponse } from './x-errors.js';

/** Finds the route of a request. */
export type RouteMatcher = (method: string, path: string) => RouteMatch<RouteHandler> | undefined;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function notFound(path: string): EmulatorResponse {
  return path.startsWith('/2/')
    ? v2ProblemResponse(V2_PROBLEMS.notFound)
    : v1ErrorResponse(V1_ERRORS.pageDoesNotExist);
}

function tooManyRequests(path: string): EmulatorResponse {
  return path.startsWith('/2/')
    ? v2ProblemResponse(V2_PROBLEMS.tooManyRequests)
    : v1ErrorResponse(V1_ERRORS.rateLimitExceeded);
}

function internalError(path: string): EmulatorResponse {
  return path.startsWith('/2/')
    ? v2ProblemResponse(V2_PROBLEMS.internalError)
    : v1ErrorResponse(V1_ERRORS.internalError);
}

function write(
  response: ServerResponse,
  result: EmulatorResponse,
  meta: RequestMeta,
  now: number,
  method: string,
): void {
  response.statusCode = result.status;
  for (const [name, value] of Object.entries(result.headers)) response.setHeader(name, value);
  for (const [name, value] of Object.entries(meta.rateLimitHeaders ?? {}))
    response.setHeader(name, value);
  // The emulator's clock, not the machine's: clients correct their oauth_timestamp from it.
  response.setHeader('date', new Date(now).toUTCString());
  const body = Buffer.from(result.body, 'utf8');
  response.setHeader('content-length', String(body.length));
  response.end(method === 'HEAD' ? undefined : body);
}

/** Builds the `node:http` request listener of one emulator. */
export function createRequestListener(
  runtime: EmulatorRuntime,
  match: RouteMatcher,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (incoming, outgoing) => {
    handle(runtime, match, incoming, outgoing).catch(() => {
      if (!outgoing.headersSent) {
        outgoing.statusCode = 500;
        outgoing.end();
      }
    });
  };
}

async function handle(
  runtime: EmulatorRuntime,
  match: RouteMatcher,
  incoming: IncomingMessage,
  outgoing: ServerResponse,
): Promise<void> {
  const at = runtime.clock.now();
  const method = (incoming.method ?? 'GET').toUpperCase();
  const host = incoming.headers.host ?? `${runtime.options.host}`;
  let url: URL;
  try {
    // The URL the client addressed: its scheme and Host header, e.g. `https://api.x.com/…`
    // through TLS or the proxy. OAuth 1.0a signatures are checked against it.
    const scheme = (incoming.socket as TLSSocket).encrypted === true ? 'https' : 'http';
    url = new URL(incoming.url ?? '/', `${scheme}://${host}`);
  } catch {
    url = new URL('http://invalid/');
  }
  const path = url.pathname;
  const isControl = path === '/__emulator' || path.startsWith('/__emulator/');
  const matched = isControl && !runtime.options.control ? undefined : match(method, path);
  const endpoint = matched?.route.endpoint ?? 'unknown';
  const meta: RequestMeta = { auth: 'none', rateLimitHeaders: undefined };

  const finish = (result: EmulatorResponse): void => {
    write(outgoing, result, meta, runtime.clock.now(), method);
    if (!isControl) {
      // Path without query: queries can carry tokens (oauth_token, access_token, code).
      runtime.log.push({ method, path, endpoint, status: result.status, auth: meta.auth, at });
    }
  };

  if (matched === undefined) {
    incoming.resume();
    finish(notFound(path));
    return;
  }

  if (!isControl) {
    const fault = runtime.faults.take(endpoint);
    if (fault !== undefined) {
      if (fault.kind === 'latency') {
        await sleep(fault.latencyMs ?? 1000);
      } else if (fault.kind === 'drop') {
        runtime.log.push({ method, path, endpoint, status: 0, auth: meta.auth, at });
        incoming.socket.destroy();
        return;
      } else {
        incoming.resume();
        const rule = isEndpointKey(endpoint) ? runtime.options.rateLimits[endpoint] : undefined;
        const response = faultResponse(fault, path);
        meta.rateLimitHeaders = faultRateLimitHeaders(response.status, rule, runtime.clock.now());
        finish(response);
        return;
      }
    }
  }

  let rawBody: string;
  try {
    rawBody = await readBody(incoming);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    finish(
      path.startsWith('/2/')
        ? v2ProblemResponse({
            title: 'Payload Too Large',
            detail: error.message,
            type: 'about:blank',
            status: 413,
          })
        : v1ErrorResponse({ status: 413, code: 324, message: error.message }),
    );
    outgoing.once('finish', () => incoming.socket.destroy());
    return;
  }
  const contentType = incoming.headers['content-type'];
  const request: EmulatorRequest = {
    method,
    path,
    query: url.searchParams,
    url: url.toString(),
    headers: incoming.headers,
    rawBody,
    form: isFormContentType(contentType) ? new URLSearchParams(rawBody) : undefined,
    params: matched.params,
  };
  const rule = isEndpointKey(endpoint) ? runtime.options.rateLimits[endpoint] : undefined;
  const limit = (principal: RateLimitPrincipal): EmulatorResponse | undefined => {
    if (rule === undefined) return undefined;
    const decision = consumeRateLimit(
      runtime.rateLimitPools,
      endpoint,
      rule,
      principal,
      runtime.clock.now(),
    );
    meta.rateLimitHeaders = decision.headers;
    return decision.allowed ? undefined : tooManyRequests(path);
  };
  const context: RouteContext = { runtime, endpoint, meta, limit };

  let result: EmulatorResponse;
  try {
    result = await matched.route.handler(request, context);
  } catch {
    result = internalError(path);
  }
  if (!isControl && meta.rateLimitHeaders === undefined && rule !== undefined) {
    // Refused before a principal was known (bad credentials): charge a shared anonymous pool,
    // so every response still carries the x-rate-limit-* headers.
    const decision = consumeRateLimit(
      runtime.rateLimitPools,
      endpoint,
      rule,
      { kind: 'anonymous', key: 'unauthenticated' },
      runtime.clock.now(),
    );
    meta.rateLimitHeaders = decision.headers;
  }
  finish(result);
  runtime.persist();
}
