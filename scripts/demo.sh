#!/usr/bin/env bash
# Runs the demo on a fresh machine. Until apps/demo exists, the demo is the signature
# package's example: it signs X's documented request and prints the header.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
pnpm exec turbo run build --output-logs=errors-only
node packages/oauth1-signature/examples/sign.mjs
