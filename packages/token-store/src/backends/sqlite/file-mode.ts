// The SQLite database holds only ciphertext, but the issue asks for owner-only files anyway
// (defence in depth: the envelope's key ids, versions and owners are still metadata). The
// default mode, 0644 under the usual umask 022, would let every local user read them.
// `process.umask(mask)` cannot be called from worker threads (vitest, piscina...), so the file
// is created 0600 before SQLite opens it, and the -wal/-shm files are checked after they appear
// (SQLite gives them the database file's mode, so the chmod there is a second line of defence).

import { chmodSync, closeSync, constants, existsSync, openSync } from 'node:fs';

/** Owner read/write, nothing for group and others. */
export const OWNER_ONLY_FILE_MODE = 0o600;

/** True for paths SQLite does not map to a file of that name (in-memory and URI databases). */
export function isSpecialSqlitePath(path: string): boolean {
  return path === '' || path === ':memory:' || path.startsWith('file:');
}

/**
 * Creates the database file with mode 0600 when it does not exist yet, and tightens an existing
 * one to 0600, before SQLite opens it (SQLite would otherwise create it 0644 under umask 022).
 */
export function prepareDatabaseFile(path: string): void {
  // O_CREAT without O_EXCL: an existing file is opened, not truncated; a new one gets 0600.
  const fd = openSync(path, constants.O_RDWR | constants.O_CREAT, OWNER_ONLY_FILE_MODE);
  closeSync(fd);
  chmodSync(path, OWNER_ONLY_FILE_MODE);
}

/** Sets 0600 on the database's `-wal` and `-shm` files when they exist. */
export function restrictSidecarFiles(path: string): void {
  for (const suffix of ['-wal', '-shm', '-journal']) {
    const sidecar = `${path}${suffix}`;
    if (existsSync(sidecar)) {
      try {
        chmodSync(sidecar, OWNER_ONLY_FILE_MODE);
      } catch (error) {
        // A checkpoint by another connection may delete the file between the two calls.
        if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
      }
    }
  }
}
