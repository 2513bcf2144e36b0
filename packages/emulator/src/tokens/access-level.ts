// Access levels of OAuth 1.0a tokens: the app's permission, capped by x_auth_access_type.
import type { RequestedAccess } from '../state.js';
import type { AppPermission } from '../types.js';

const RANK: Record<AppPermission, number> = { read: 0, 'read-write': 1, 'read-write-dm': 2 };

/**
 * The level a token gets: `x_auth_access_type=read` limits it to read, `write` to read-write;
 * it can never exceed the app's permission (X: "limits the granted level below the app's").
 */
export function grantedAccessLevel(app: AppPermission, requested: RequestedAccess): AppPermission {
  const cap: AppPermission =
    requested === 'read' ? 'read' : requested === 'write' ? 'read-write' : 'read-write-dm';
  return RANK[cap] < RANK[app] ? cap : app;
}

/** Whether a token of `level` may write (post Tweets). */
export function canWrite(level: AppPermission): boolean {
  return RANK[level] >= RANK['read-write'];
}

/** The sentences the consent page shows for a level. */
export function describeAccessLevel(level: AppPermission): string[] {
  const lines = ['See Posts from your timeline (including protected Posts) and your profile.'];
  if (canWrite(level)) lines.push('Post and delete Posts for you, and update your profile.');
  if (level === 'read-write-dm') lines.push('Send and read your Direct Messages.');
  return lines;
}
