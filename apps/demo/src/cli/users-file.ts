// `<dataDir>/cli-user` (0600): who the CLI signed in, per app, and which user is current. The
// token store keeps the tokens (encrypted) but, by design, cannot list its owners; this file
// is the CLI's own index of them. It holds ids and screen names, never a token.
import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One signed-in user of one app. */
export interface KnownUser {
  readonly appId: string;
  readonly userId: string;
  readonly screenName: string;
}

/** The file's content. */
export interface CliUsers {
  readonly users: readonly KnownUser[];
  /** The current user's id, by app id. */
  readonly current: Readonly<Record<string, string>>;
}

/** The file's name inside the data directory. */
export const USERS_FILE_NAME = 'cli-user';

const EMPTY: CliUsers = { users: [], current: {} };

/** Reads the file; an absent or unreadable file is an empty list. */
export function readCliUsers(dataDir: string): CliUsers {
  let text: string;
  try {
    text = readFileSync(join(dataDir, USERS_FILE_NAME), 'utf8');
  } catch {
    return EMPTY;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return EMPTY;
  }
  if (typeof parsed !== 'object' || parsed === null) return EMPTY;
  const users: KnownUser[] = [];
  const list = 'users' in parsed && Array.isArray(parsed.users) ? parsed.users : [];
  for (const entry of list as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const appId = 'appId' in entry ? entry.appId : undefined;
    const userId = 'userId' in entry ? entry.userId : undefined;
    const screenName = 'screenName' in entry ? entry.screenName : undefined;
    if (typeof appId === 'string' && typeof userId === 'string' && typeof screenName === 'string') {
      users.push({ appId, userId, screenName });
    }
  }
  const current: Record<string, string> = {};
  const given = 'current' in parsed ? parsed.current : undefined;
  if (typeof given === 'object' && given !== null) {
    for (const [appId, userId] of Object.entries(given)) {
      if (typeof userId === 'string') current[appId] = userId;
    }
  }
  return { users, current };
}

/** The current user of `appId`, if one is signed in. */
export function currentUser(dataDir: string, appId: string): KnownUser | undefined {
  const file = readCliUsers(dataDir);
  const userId = file.current[appId];
  return file.users.find((user) => user.appId === appId && user.userId === userId);
}

/** Records a signed-in user and makes it the app's current user. */
export function rememberUser(dataDir: string, user: KnownUser): void {
  const file = readCliUsers(dataDir);
  const users = file.users.filter(
    (known) => !(known.appId === user.appId && known.userId === user.userId),
  );
  users.push(user);
  writeCliUsers(dataDir, { users, current: { ...file.current, [user.appId]: user.userId } });
}

/** Forgets a user; if it was current, the app's most recent other user becomes current. */
export function forgetUser(dataDir: string, appId: string, userId: string): void {
  const file = readCliUsers(dataDir);
  const users = file.users.filter((known) => !(known.appId === appId && known.userId === userId));
  const current = { ...file.current };
  if (current[appId] === userId) {
    const next = users.filter((known) => known.appId === appId).at(-1);
    if (next === undefined) delete current[appId];
    else current[appId] = next.userId;
  }
  writeCliUsers(dataDir, { users, current });
}

function writeCliUsers(dataDir: string, users: CliUsers): void {
  const path = join(dataDir, USERS_FILE_NAME);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(users, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
