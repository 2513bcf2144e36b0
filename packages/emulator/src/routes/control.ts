// The HTTP control surface under /__emulator/ (JSON in, JSON out). It exists only when the
// emulator is started with `control: true`; otherwise these paths answer 404.
import type { Controls } from '../controls.js';
import { isEndpointKey } from '../endpoints.js';
import type { EmulatorRequest } from '../http/request.js';
import { type EmulatorResponse, jsonResponse } from '../http/response.js';
import type { Route } from '../http/router.js';
import type { RouteHandler } from '../runtime.js';
import type { AddAppInput, AddUserInput, AppPermission, FaultSpec } from '../types.js';

type JsonObject = Record<string, unknown>;

function body(request: EmulatorRequest): JsonObject {
  if (request.rawBody.trim() === '') return {};
  const parsed: unknown = JSON.parse(request.rawBody);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The body must be a JSON object.');
  }
  return parsed as JsonObject;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new Error(`${name} must be a string.`);
  return value;
}

function requiredString(value: unknown, name: string): string {
  const text = optionalString(value, name);
  if (text === undefined || text === '') throw new Error(`${name} is required.`);
  return text;
}

function stringList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new Error(`${name} must be an array of strings.`);
  }
  return value;
}

function faultFrom(input: JsonObject): FaultSpec {
  const endpoint = optionalString(input.endpoint, 'endpoint');
  if (endpoint !== undefined && !isEndpointKey(endpoint))
    throw new Error(`Unknown endpoint ${endpoint}.`);
  const kind = requiredString(input.kind, 'kind');
  const spec: Record<string, unknown> = { kind };
  if (endpoint !== undefined) spec.endpoint = endpoint;
  for (const name of ['share', 'times', 'latencyMs', 'status']) {
    if (input[name] === undefined) continue;
    if (typeof input[name] !== 'number') throw new Error(`${name} must be a number.`);
    spec[name] = input[name];
  }
  return spec as unknown as FaultSpec;
}

function handle(action: (request: EmulatorRequest) => unknown): RouteHandler {
  return (request): EmulatorResponse => {
    try {
      const result = action(request);
      return jsonResponse(200, result === undefined ? { ok: true } : result);
    } catch (error) {
      return jsonResponse(400, { error: error instanceof Error ? error.message : String(error) });
    }
  };
}

/** The control routes over `controls`. */
export function controlRoutes(controls: Controls): Route<RouteHandler>[] {
  const route = (
    method: string,
    pattern: string,
    action: (request: EmulatorRequest) => unknown,
  ): Route<RouteHandler> => ({
    method,
    pattern: `/__emulator${pattern}`,
    endpoint: `${method} /__emulator${pattern}`,
    handler: handle(action),
  });
  return [
    route('GET', '/state', () => ({
      apps: controls.apps(),
      users: controls.users(),
      now: controls.now(),
    })),
    route('POST', '/apps', (request) => {
      const input = body(request);
      const app: Record<string, unknown> = {};
      for (const name of [
        'name',
        'consumerKey',
        'consumerSecret',
        'clientId',
        'clientSecret',
        'permission',
        'clientType',
        'ownerId',
      ]) {
        const value = optionalString(input[name], name);
        if (value !== undefined) app[name] = value;
      }
      if (input.callbackUrls !== undefined)
        app.callbackUrls = stringList(input.callbackUrls, 'callbackUrls');
      return controls.addApp(app as AddAppInput);
    }),
    route('POST', '/users', (request) => {
      const input = body(request);
      const user: Record<string, unknown> = {
        screenName: requiredString(input.screenName, 'screenName'),
      };
      for (const name of ['name', 'id']) {
        const value = optionalString(input[name], name);
        if (value !== undefined) user[name] = value;
      }
      return controls.addUser(user as unknown as AddUserInput);
    }),
    route('POST', '/apps/:appId/callback-urls', (request) =>
      controls.addCallbackUrl(request.params.appId ?? '', requiredString(body(request).url, 'url')),
    ),
    route('POST', '/apps/:appId/permission', (request) =>
      controls.setAppPermission(
        request.params.appId ?? '',
        requiredString(body(request).permission, 'permission') as AppPermission,
      ),
    ),
    route('GET', '/clock', () => ({ now: controls.now() })),
    route('POST', '/clock/advance', (request) => {
      const ms = body(request).ms;
      if (typeof ms !== 'number') throw new Error('ms must be a number.');
      return { now: controls.advanceClock(ms) };
    }),
    route('POST', '/revoke', (request) => {
      const input = body(request);
      return {
        revoked: controls.revokeUserTokens(
          optionalString(input.appId, 'appId'),
          optionalString(input.userId, 'userId'),
        ),
      };
    }),
    route('POST', '/tokens/oauth1', (request) => {
      const input = body(request);
      return controls.issueOAuth1Token(
        requiredString(input.appId, 'appId'),
        requiredString(input.userId, 'userId'),
        optionalString(input.accessLevel, 'accessLevel') as AppPermission | undefined,
      );
    }),
    route('POST', '/tokens/oauth2', (request) => {
      const input = body(request);
      return controls.issueOAuth2Token(
        requiredString(input.appId, 'appId'),
        requiredString(input.userId, 'userId'),
        stringList(input.scopes, 'scopes'),
      );
    }),
    route('GET', '/requests', () => ({ requests: controls.requestLog() })),
    route('DELETE', '/requests', () => controls.clearRequestLog()),
    route('POST', '/faults', (request) => ({ id: controls.injectFault(faultFrom(body(request))) })),
    route('DELETE', '/faults', () => controls.clearFaults()),
    route('GET', '/rate-limits', () => ({ pools: controls.rateLimitState() })),
    route('POST', '/strict-refresh-reuse', (request) => {
      const enabled = body(request).enabled;
      if (typeof enabled !== 'boolean') throw new Error('enabled must be a boolean.');
      controls.setStrictRefreshReuse(enabled);
    }),
  ];
}
