#!/usr/bin/env bash
# The one command that runs every check: install, build, lint, type-check, test.
# .ci/run runs exactly this script on a clean clone.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/services.sh

export TURBO_TELEMETRY_DISABLED=1
pnpm exec turbo run build --output-logs=errors-only
pnpm exec biome check .
node scripts/check-layers.mjs
# The exported API of every package matches its committed report, and a changed report comes
# with a changeset whose bump fits.
node scripts/api-report.mjs
node scripts/check-api-changesets.mjs
pnpm exec turbo run typecheck lint --output-logs=errors-only
# Each package writes a JSON report beside its vitest output; the summary adds them up.
rm -f packages/*/.vitest-report.json apps/*/.vitest-report.json scripts/.vitest-report.json
pnpm exec vitest run --root scripts --reporter=default --reporter=json --outputFile.json=.vitest-report.json
pnpm exec turbo run test --concurrency=1 --output-logs=full -- \
  --reporter=default --reporter=json --outputFile.json=.vitest-report.json
# Tarball smoke tests, CI share: every package on Node 20 and one other runtime (the whole
# matrix runs in `pnpm release:dry`).
bash scripts/runtimes.sh node24 bun deno
node scripts/smoke.mjs --ci
# Size budgets of the browser entries (minified + gzipped), after the tests, so that every
# test above reports even when an entry grows past its ceiling.
node scripts/size-budgets.mjs
# Last: one line that adds up every package's tests.
node scripts/test-summary.mjs
