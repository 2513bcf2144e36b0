// Role passwords are sent to the server already hashed (SCRAM-SHA-256, as PostgreSQL stores
// them), so the plaintext never appears in the server's statement log or pg_stat_activity.

import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

const ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for `password`
 * (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc5802#section-3
 * @see https://www.rfc-editor.org/rfc/rfc7677
 */
export function scramSha256Verifier(password: string, salt: Uint8Array = randomBytes(16)): string {
  // PostgreSQL applies SASLprep (NFKC and a few mappings) at login; NFKC covers real passwords.
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, ITERATIONS, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
  return `SCRAM-SHA-256$${ITERATIONS}:${base64(salt)}$${base64(storedKey)}:${base64(serverKey)}`;
}
