#!/usr/bin/env bash
# Runs the demo on a fresh machine: installs pnpm and the dependencies, builds the demo and
# everything it uses, then starts the emulator and the web demo on loopback and prints the URL
# and the seeded credentials. Options go to the demo, e.g. `npm run demo -- --store redis://…`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
pnpm exec turbo run build --filter=@x-oauth/demo... --output-logs=errors-only
exec node apps/demo/dist/start.js "$@"
