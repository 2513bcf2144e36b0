#!/usr/bin/env node
// The `x-oauth-emulator` bin. Committed (not built) so that it exists when a workspace install
// links bins, before anything is built; it runs the built CLI, or says how to build it.
import('../dist/cli.js').catch((error) => {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist/cli.js')) {
    process.stderr.write(
      'x-oauth-emulator: not built yet. Run `pnpm --filter @x-oauth/emulator build` (or `pnpm emulator` from the repository root).\n',
    );
  } else {
    process.stderr.write(
      `x-oauth-emulator: ${error instanceof Error ? error.message : String(error)}\n`,
    );
  }
  process.exitCode = 1;
});
