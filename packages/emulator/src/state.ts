// The emulator's in-memory model (apps, users, tokens, tweets) and the operations on apps and
// users. Plain data in Maps so persistence.ts can serialize it; no I/O here.

import { deriveAppCredentials, deriveNumericId } from './seed.js';
import type {
  AddAppInput,
  AddUserInput,
  AppPermission,
  EmulatorApp,
  EmulatorUser,
} from './types.js';

/** The access level an OAuth 1.0a request token asked for with `x_auth_access_type`. */
export type RequestedAccess = 'read' | 'write' | undefined;

/** An app as stored: the public shape, mutable. */
export interface AppRecord {
  id: string;
  name: string;
  consumerKey: string;
  consumerSecret: string;
  clientId: string;
  clientSecret: string | undefined;
  permission: AppPermission;
  callbackUrls: string[];
  clientType: 'confidential' | 'public';
  ownerId: string;
}

/** An OAuth 1.0a request token between `request_token` and `access_token`. */
export interface RequestTokenRecord {
  token: string;
  secret: string;
  appId: string;
  callback: string;
  accessLevel: AppPermission;
  expiresAt: number;
  status: 'pending' | 'authorized' | 'denied' | 'used';
  /** Binds the consent form to this token, so a page cannot be posted for another token. */
  consentNonce: string;
  userId?: string;
  verifier?: string;
}

/** An OAuth 1.0a user access token; it lives until revoked. */
export interface OAuth1AccessTokenRecord {
  token: string;
  secret: string;
  appId: string;
  userId: string;
  accessLevel: AppPermission;
  revoked: boolean;
}

/** An app-only bearer token (one valid per app at a time, as on X). */
export interface BearerTokenRecord {
  token: string;
  appId: string;
  revoked: boolean;
}

/** A pending OAuth 2.0 authorize request, shown on the consent page. */
export interface OAuth2PendingRecord {
  id: string;
  appId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  codeChallenge: string;
  codeChallengeMethod: 'S256' | 'plain';
  expiresAt: number;
}

/** An OAuth 2.0 authorization code. */
export interface OAuth2CodeRecord {
  code: string;
  appId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  codeChallengeMethod: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
  /** Tokens issued from this code and all their refreshes share the family id. */
  familyId: string;
}

/** An OAuth 2.0 user access token. */
export interface OAuth2AccessTokenRecord {
  token: string;
  appId: string;
  userId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
  familyId: string;
}

/** An OAuth 2.0 refresh token; `spent` once rotated. */
export interface OAuth2RefreshTokenRecord {
  token: string;
  appId: string;
  userId: string;
  scopes: string[];
  status: 'active' | 'spent' | 'revoked';
  familyId: string;
}

/** A Tweet posted through the emulator (or seeded). */
export interface TweetRecord {
  id: string;
  text: string;
  authorId: string;
  createdAt: number;
}

/** Everything the emulator knows. */
export interface EmulatorState {
  seed: string;
  apps: Map<string, AppRecord>;
  users: Map<string, EmulatorUser>;
  requestTokens: Map<string, RequestTokenRecord>;
  oauth1Tokens: Map<string, OAuth1AccessTokenRecord>;
  bearerTokens: Map<string, BearerTokenRecord>;
  oauth2Pending: Map<string, OAuth2PendingRecord>;
  oauth2Codes: Map<string, OAuth2CodeRecord>;
  oauth2AccessTokens: Map<string, OAuth2AccessTokenRecord>;
  oauth2RefreshTokens: Map<string, OAuth2RefreshTokenRecord>;
  /** `appId:userId` pairs that authorized the app with OAuth 1.0a (for `oauth/authenticate`). */
  oauth1Grants: Set<string>;
  /** When each app's bearer token was last invalidated (emulator ms). */
  bearerInvalidatedAt: Map<string, number>;
  tweets: TweetRecord[];
  /** Counters for deterministic ids of added apps and for tweet ids. */
  counters: { apps: number; tweets: number };
  /** Ids of the two seeded apps. */
  seeded: { appId: string; publicAppId: string };
}

/** The callback URLs every seeded app accepts (the CLI demo listens on 127.0.0.1:8975). */
export const SEEDED_CALLBACK_URLS: readonly string[] = [
  'http://127.0.0.1:3000/callback',
  'http://localhost:3000/callback',
  'http://127.0.0.1:3000/oauth2/callback',
  'http://127.0.0.1:8975/callback',
];

/** Fresh state with the seeded apps (one confidential, one public client) and users. */
export function createSeededState(seed: string, now: number): EmulatorState {
  const state: EmulatorState = {
    seed,
    apps: new Map(),
    users: new Map(),
    requestTokens: new Map(),
    oauth1Tokens: new Map(),
    bearerTokens: new Map(),
    oauth2Pending: new Map(),
    oauth2Codes: new Map(),
    oauth2AccessTokens: new Map(),
    oauth2RefreshTokens: new Map(),
    oauth1Grants: new Set(),
    bearerInvalidatedAt: new Map(),
    tweets: [],
    counters: { apps: 0, tweets: 0 },
    seeded: { appId: '', publicAppId: '' },
  };
  const alice = addUser(state, { screenName: 'alice', name: 'Alice Example' });
  addUser(state, { screenName: 'bob', name: 'Bob Example' });
  const app = addApp(state, {
    name: 'x-oauth Emulator App',
    permission: 'read-write',
    clientType: 'confidential',
    callbackUrls: SEEDED_CALLBACK_URLS,
  });
  const publicApp = addApp(state, {
    name: 'x-oauth Emulator Public Client',
    permission: 'read-write',
    clientType: 'public',
    callbackUrls: SEEDED_CALLBACK_URLS,
  });
  state.seeded = { appId: app.id, publicAppId: publicApp.id };
  state.tweets.push({
    id: nextTweetId(state, now),
    text: 'Hello from the x-oauth emulator #xoauth',
    authorId: alice.id,
    createdAt: now,
  });
  return state;
}

/** Adds an app; credentials not given are derived from the seed and the app's ordinal. */
export function addApp(state: EmulatorState, input: AddAppInput = {}): AppRecord {
  state.counters.apps += 1;
  const derived = deriveAppCredentials(state.seed, `app-${state.counters.apps}`);
  const clientType = input.clientType ?? 'confidential';
  const ownerId = input.ownerId ?? state.users.keys().next().value;
  if (ownerId === undefined || !state.users.has(ownerId)) {
    throw new Error('addApp needs an existing ownerId (add a user first).');
  }
  const consumerKey = input.consumerKey ?? derived.consumerKey;
  const clientId = input.clientId ?? derived.clientId;
  for (const other of state.apps.values()) {
    if (other.consumerKey === consumerKey || other.clientId === clientId) {
      throw new Error('addApp: the consumer key or client id is already taken.');
    }
  }
  const app: AppRecord = {
    id: derived.id,
    name: input.name ?? `Emulator App ${state.counters.apps}`,
    consumerKey,
    consumerSecret: input.consumerSecret ?? derived.consumerSecret,
    clientId,
    clientSecret:
      clientType === 'public' ? undefined : (input.clientSecret ?? derived.clientSecret),
    permission: input.permission ?? 'read-write',
    callbackUrls: [...(input.callbackUrls ?? SEEDED_CALLBACK_URLS)],
    clientType,
    ownerId,
  };
  state.apps.set(app.id, app);
  return app;
}

/** Adds a user; its id is derived from the seed and the screen name unless given. */
export function addUser(state: EmulatorState, input: AddUserInput): EmulatorUser {
  if (!/^[A-Za-z0-9_]{1,15}$/.test(input.screenName)) {
    throw new Error('addUser: screenName must be 1-15 letters, digits or underscores, as on X.');
  }
  for (const user of state.users.values()) {
    if (user.screenName.toLowerCase() === input.screenName.toLowerCase()) {
      throw new Error('addUser: that screenName is already taken.');
    }
  }
  const user: EmulatorUser = {
    id: input.id ?? deriveNumericId(state.seed, `user:${input.screenName.toLowerCase()}`),
    screenName: input.screenName,
    name: input.name ?? input.screenName,
  };
  if (state.users.has(user.id)) throw new Error('addUser: that id is already taken.');
  state.users.set(user.id, user);
  return user;
}

/** The app with `consumerKey`, if any. */
export function findAppByConsumerKey(
  state: EmulatorState,
  consumerKey: string,
): AppRecord | undefined {
  for (const app of state.apps.values()) if (app.consumerKey === consumerKey) return app;
  return undefined;
}

/** The app with OAuth 2.0 `clientId`, if any. */
export function findAppByClientId(state: EmulatorState, clientId: string): AppRecord | undefined {
  for (const app of state.apps.values()) if (app.clientId === clientId) return app;
  return undefined;
}

/** The user whose screen name is `screenName` (case-insensitive, as on X). */
export function findUserByScreenName(
  state: EmulatorState,
  screenName: string,
): EmulatorUser | undefined {
  const wanted = screenName.replace(/^@/, '').toLowerCase();
  for (const user of state.users.values())
    if (user.screenName.toLowerCase() === wanted) return user;
  return undefined;
}

/** A read-only snapshot of an app for callers outside the state. */
export function toPublicApp(app: AppRecord): EmulatorApp {
  return { ...app, callbackUrls: [...app.callbackUrls] };
}

/** The app or a clear error, for the control surface. */
export function requireApp(state: EmulatorState, appId: string): AppRecord {
  const app = state.apps.get(appId);
  if (app === undefined) throw new Error(`No app with id ${appId}.`);
  return app;
}

/** The user or a clear error, for the control surface. */
export function requireUser(state: EmulatorState, userId: string): EmulatorUser {
  const user = state.users.get(userId);
  if (user === undefined) throw new Error(`No user with id ${userId}.`);
  return user;
}

/** Registers one more callback URL; it must be an absolute URL (or `oob` is implicit). */
export function addCallbackUrl(state: EmulatorState, appId: string, url: string): AppRecord {
  const app = requireApp(state, appId);
  if (!URL.canParse(url)) throw new Error('addCallbackUrl needs an absolute URL.');
  if (!app.callbackUrls.includes(url)) app.callbackUrls.push(url);
  return app;
}

const TWITTER_EPOCH_MS = 1288834974657n;

/** A snowflake-shaped, increasing Tweet id: time since X's epoch shifted left 22 bits. */
export function nextTweetId(state: EmulatorState, now: number): string {
  state.counters.tweets += 1;
  const sequence = BigInt(state.counters.tweets % 4096);
  return ((BigInt(Math.floor(now)) - TWITTER_EPOCH_MS) * 4194304n + sequence).toString();
}
