// The control surface for tests, as plain functions over the runtime; start-emulator.ts
// exposes them as methods and routes/control.ts over HTTP.

import { randomToken } from './random.js';
import { describeRateLimitPools } from './rate-limits.js';
import type { EmulatorRuntime } from './runtime.js';
import { addApp, addCallbackUrl, addUser, requireApp, requireUser, toPublicApp } from './state.js';
import { issueOAuth1AccessToken, revokeOAuth1Tokens } from './tokens/oauth1.js';
import { issueOAuth2Tokens, revokeOAuth2Tokens } from './tokens/oauth2.js';
import { parseScopes } from './tokens/scopes.js';
import type {
  AddAppInput,
  AddUserInput,
  AppPermission,
  EmulatorApp,
  EmulatorUser,
  FaultSpec,
  IssuedOAuth1Token,
  IssuedOAuth2Token,
  RateLimitPoolState,
  RequestLogEntry,
} from './types.js';

const PERMISSIONS: readonly AppPermission[] = ['read', 'read-write', 'read-write-dm'];

/** The control operations of one emulator. */
export interface Controls {
  apps(): EmulatorApp[];
  users(): EmulatorUser[];
  addApp(input?: AddAppInput): EmulatorApp;
  addUser(input: AddUserInput): EmulatorUser;
  addCallbackUrl(appId: string, url: string): EmulatorApp;
  advanceClock(ms: number): number;
  now(): number;
  setAppPermission(appId: string, permission: AppPermission): EmulatorApp;
  revokeUserTokens(appId?: string, userId?: string): number;
  issueOAuth1Token(appId: string, userId: string, accessLevel?: AppPermission): IssuedOAuth1Token;
  issueOAuth2Token(appId: string, userId: string, scopes: readonly string[]): IssuedOAuth2Token;
  requestLog(): RequestLogEntry[];
  clearRequestLog(): void;
  injectFault(fault: FaultSpec): string;
  clearFaults(): void;
  rateLimitState(): RateLimitPoolState[];
  setStrictRefreshReuse(enabled: boolean): void;
}

/** Builds the controls; every change is persisted when a state file is configured. */
export function createControls(runtime: EmulatorRuntime): Controls {
  const { state } = runtime;
  const changed = <T>(value: T): T => {
    runtime.persist();
    return value;
  };
  return {
    apps: () => [...state.apps.values()].map(toPublicApp),
    users: () => [...state.users.values()].map((user) => ({ ...user })),
    addApp: (input) => changed(toPublicApp(addApp(state, input))),
    addUser: (input) => changed({ ...addUser(state, input) }),
    addCallbackUrl: (appId, url) => changed(toPublicApp(addCallbackUrl(state, appId, url))),
    advanceClock: (ms) => runtime.clock.advance(ms),
    now: () => runtime.clock.now(),
    setAppPermission(appId, permission) {
      if (!PERMISSIONS.includes(permission)) {
        throw new Error(`permission must be one of ${PERMISSIONS.join(', ')}.`);
      }
      const app = requireApp(state, appId);
      if (app.permission !== permission) {
        // X: "In the case that your App's permission level is changed, any user Access Tokens
        // already issued to that Twitter App must be discarded".
        app.permission = permission;
        revokeOAuth1Tokens(state, { appId });
        revokeOAuth2Tokens(state, { appId });
      }
      return changed(toPublicApp(app));
    },
    revokeUserTokens: (appId, userId) =>
      changed(
        revokeOAuth1Tokens(state, { appId, userId }) + revokeOAuth2Tokens(state, { appId, userId }),
      ),
    issueOAuth1Token(appId, userId, accessLevel) {
      const app = requireApp(state, appId);
      requireUser(state, userId);
      const level = accessLevel ?? app.permission;
      if (!PERMISSIONS.includes(level))
        throw new Error(`accessLevel must be one of ${PERMISSIONS.join(', ')}.`);
      const record = issueOAuth1AccessToken(state, {
        appId,
        userId,
        accessLevel: level,
        random: runtime.random,
      });
      state.oauth1Grants.add(`${appId}:${userId}`);
      return changed({ key: record.token, secret: record.secret });
    },
    issueOAuth2Token(appId, userId, scopes) {
      requireApp(state, appId);
      requireUser(state, userId);
      const parsed = parseScopes(scopes.join(' '));
      if (parsed.unknown.length > 0)
        throw new Error(`Unknown scopes: ${parsed.unknown.join(' ')}.`);
      const ttlSeconds = runtime.options.accessTokenTtlSeconds;
      const tokens = issueOAuth2Tokens(state, {
        appId,
        userId,
        scopes: parsed.scopes,
        familyId: randomToken(runtime.random, 12),
        now: runtime.clock.now(),
        ttlSeconds,
        random: runtime.random,
      });
      return changed({
        accessToken: tokens.access.token,
        refreshToken: tokens.refresh?.token,
        expiresIn: ttlSeconds,
        scope: parsed.scopes.join(' '),
      });
    },
    requestLog: () => [...runtime.log],
    clearRequestLog: () => {
      runtime.log.length = 0;
    },
    injectFault: (fault) => runtime.faults.add(fault),
    clearFaults: () => runtime.faults.clear(),
    rateLimitState: () => describeRateLimitPools(runtime.rateLimitPools, runtime.clock.now()),
    setStrictRefreshReuse: (enabled) => {
      runtime.settings.strictRefreshReuse = enabled;
    },
  };
}
