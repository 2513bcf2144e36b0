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
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Chromium for the browser tests (driven by playwright-core; no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "services: installing Debian's chromium"
  apt_install chromium
fi

# openssl makes the throwaway self-signed certificate of @x-oauth/client's HTTPS tests.
if ! command -v openssl >/dev/null 2>&1; then
  echo "services: installing Debian's openssl"
  apt_install openssl
fi

# tweepy and requests-oauthlib (Debian's; PyPI is not used) for the emulator's compatibility
# suite, which drives them with Debian's /usr/bin/python3.
if ! /usr/bin/python3 -c 'import tweepy, requests_oauthlib' >/dev/null 2>&1; then
  echo "services: installing Debian's python3-tweepy and python3-requests-oauthlib"
  apt_install python3-tweepy python3-requests-oauthlib
fi

# PostgreSQL 15 and Redis for @x-oauth/token-store's tests, on loopback only. The tests read
# X_OAUTH_TEST_POSTGRES_ADMIN and X_OAUTH_TEST_REDIS; these defaults match what is set up here.
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1; then
  echo "services: installing Debian's postgresql and redis-server"
  apt_install postgresql redis-server
fi

pg_version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
if ! pg_lsclusters -h | grep -q "^$pg_version main .* online"; then
  pg_ctlcluster "$pg_version" main start
fi
# The token-store tests run multi-process races and SIGKILL loops in parallel test files;
# Debian's default of 100 connections is too few for them.
if [ "$(su postgres -c "psql -tAc 'SHOW max_connections'")" -lt 400 ]; then
  su postgres -c "psql -q -c 'ALTER SYSTEM SET max_connections = 400'"
  pg_ctlcluster "$pg_version" main restart
fi
# The admin role owns the test database and runs the migrations; the package's own roles
# (read-only and read-write) are created by those migrations.
su postgres -c "psql -q -v ON_ERROR_STOP=1" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'x_oauth_admin') THEN
    CREATE ROLE x_oauth_admin LOGIN CREATEROLE PASSWORD 'x_oauth_admin';
  END IF;
END $$;
SELECT 'CREATE DATABASE x_oauth_test OWNER x_oauth_admin'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'x_oauth_test') \gexec
SQL

redis_port=6390
if ! redis-cli -p "$redis_port" ping >/dev/null 2>&1; then
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
fi
