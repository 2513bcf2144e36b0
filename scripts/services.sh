#!/usr/bin/env bash
# System software the tests need, from Debian's packages. Each block installs only what is
# missing, so a second run costs nothing. Servers are started on loopback only.
set -euo pipefail

apt_updated=0
apt_install() {
  if [ "$(id -u)" != "0" ]; then
    echo "services: need root (or sudo) to apt-get install $*" >&2
    exit 1
  fi
  if [ "$apt_updated" = 0 ]; then
    apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Chromium for the browser tests (driven by playwright-core; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "services: installing Debian's chromium"
  apt_install chromium
fi
