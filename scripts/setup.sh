#!/usr/bin/env bash
# Brings a fresh machine with only Node >= 20 and npm to a working checkout:
# pnpm at the pinned version, then the workspace's dependencies from the lockfile.
set -euo pipefail
cd "$(dirname "$0")/.."

want_pnpm="$(node -p "require('./package.json').packageManager.split('@')[1]")"
have_pnpm="$(pnpm --version 2>/dev/null || true)"
if [ "$have_pnpm" != "$want_pnpm" ]; then
  echo "setup: installing pnpm@$want_pnpm with npm (corepack is not used)"
  npm install --global --no-fund --no-audit "pnpm@$want_pnpm" >/dev/null
fi

pnpm install --frozen-lockfile --reporter=append-only
