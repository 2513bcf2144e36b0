// One throwaway CA directory per test file: the CA is made on first use, as for a user.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh, empty CA directory under the system's temporary directory. */
export function compatCaDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'emu-compat-')), 'ca');
}
