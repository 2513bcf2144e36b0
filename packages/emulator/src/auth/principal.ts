// Maps an API caller to its rate-limit pool and its label in the request log.
import type { RateLimitPrincipal } from '../rate-limits.js';
import type { AuthKind } from '../types.js';
import type { ApiCaller } from './api-auth.js';

/** User context spends the user's pool; app-only spends the app's pool. */
export function principalOf(caller: ApiCaller): RateLimitPrincipal {
  return caller.kind === 'app-only'
    ? { kind: 'app', appId: caller.app.id }
    : { kind: 'user', appId: caller.app.id, userId: caller.user.id };
}

/** The request-log label of a caller. */
export function authKindOf(caller: ApiCaller): AuthKind {
  return caller.kind;
}
