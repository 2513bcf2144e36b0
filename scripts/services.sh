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

# A Redis Cluster (3 primaries, 3 replicas) for the token-store's and the client's cluster
# tests: X_OAUTH_TEST_REDIS_CLUSTER (default 127.0.0.1:7101..7106). Each node keeps its own
# directory (cluster config file) under /var/lib/x-oauth-redis-cluster.
cluster_ports="7101 7102 7103 7104 7105 7106"
cluster_dir=/var/lib/x-oauth-redis-cluster
cluster_ok() { redis-cli -p 7101 cluster info 2>/dev/null | grep -q '^cluster_state:ok'; }
cluster_down=0
for port in $cluster_ports; do
  # A node that died (a crash, or a run killed halfway; the failover test kills nodes of a
  # private cluster of its own) restarts from its nodes.conf and rejoins its cluster.
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    cluster_down=1
    mkdir -p "$cluster_dir/$port"
    (cd "$cluster_dir/$port" && redis-server --port "$port" --bind 127.0.0.1 \
      --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
      --save '' --appendonly no --daemonize yes --dir "$cluster_dir/$port" >/dev/null)
  fi
done
if [ "$cluster_down" = 1 ] || ! cluster_ok; then
  for port in $cluster_ports; do
    for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  # A fresh set of nodes (no slot assigned yet) is joined into one cluster; nodes that already
  # know their cluster (a restart) only need time to agree.
  if redis-cli -p 7101 cluster info | grep -q '^cluster_slots_assigned:0'; then
    for port in $cluster_ports; do redis-cli -p "$port" flushall >/dev/null; redis-cli -p "$port" cluster reset hard >/dev/null; done
    # shellcheck disable=SC2046
    redis-cli --cluster create $(for port in $cluster_ports; do printf '127.0.0.1:%s ' "$port"; done) \
      --cluster-replicas 1 --cluster-yes >/dev/null
  fi
  for _ in $(seq 1 100); do cluster_ok && break; sleep 0.2; done
  cluster_ok || { echo "services: the Redis Cluster on 7101-7106 did not reach cluster_state:ok" >&2; exit 1; }
fi

# PgBouncer in transaction pooling mode in front of the test PostgreSQL, on 127.0.0.1:6432
# (X_OAUTH_TEST_PGBOUNCER_ADMIN). Clients log in with their PostgreSQL passwords: PgBouncer
# looks up the SCRAM verifier through a SECURITY DEFINER function (auth_query), so roles the
# tests create on the fly work without a userlist. It runs as the postgres user (it refuses root).
if ! command -v pgbouncer >/dev/null 2>&1; then
  echo "services: installing Debian's pgbouncer"
  apt_install pgbouncer
fi
su postgres -c "psql -q -v ON_ERROR_STOP=1 -d x_oauth_test" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'x_oauth_pgbouncer') THEN
    CREATE ROLE x_oauth_pgbouncer LOGIN PASSWORD 'x_oauth_pgbouncer';
  END IF;
END $$;
SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS pgbouncer AUTHORIZATION postgres;
CREATE OR REPLACE FUNCTION pgbouncer.user_lookup(in i_username text, out uname text, out phash text)
RETURNS record LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS
  $f$ SELECT usename::text, passwd::text FROM pg_catalog.pg_shadow WHERE usename = i_username $f$;
REVOKE ALL ON FUNCTION pgbouncer.user_lookup(text) FROM public;
GRANT USAGE ON SCHEMA pgbouncer TO x_oauth_pgbouncer;
GRANT EXECUTE ON FUNCTION pgbouncer.user_lookup(text) TO x_oauth_pgbouncer;
SQL
pgbouncer_dir=/var/lib/x-oauth-pgbouncer
if ! PGPASSWORD=x_oauth_pgbouncer psql -h 127.0.0.1 -p 6432 -U x_oauth_pgbouncer -d pgbouncer \
  -tAc 'SHOW VERSION' >/dev/null 2>&1 </dev/null; then
  mkdir -p "$pgbouncer_dir"
  cat >"$pgbouncer_dir/pgbouncer.ini" <<INI
[databases]
x_oauth_test = host=127.0.0.1 port=5432 dbname=x_oauth_test

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = 6432
unix_socket_dir =
pool_mode = transaction
auth_type = scram-sha-256
auth_file = $pgbouncer_dir/userlist.txt
auth_user = x_oauth_pgbouncer
auth_query = SELECT uname, phash FROM pgbouncer.user_lookup(\$1)
admin_users = x_oauth_pgbouncer
max_client_conn = 2000
default_pool_size = 40
ignore_startup_parameters = extra_float_digits,options,statement_timeout,idle_in_transaction_session_timeout
logfile = $pgbouncer_dir/pgbouncer.log
pidfile = $pgbouncer_dir/pgbouncer.pid
INI
  printf '"x_oauth_pgbouncer" "x_oauth_pgbouncer"\n' >"$pgbouncer_dir/userlist.txt"
  chown -R postgres:postgres "$pgbouncer_dir"
  chmod 600 "$pgbouncer_dir/userlist.txt"
  su postgres -c "pgbouncer -d -q $pgbouncer_dir/pgbouncer.ini"
  for _ in $(seq 1 50); do
    PGPASSWORD=x_oauth_pgbouncer psql -h 127.0.0.1 -p 6432 -U x_oauth_pgbouncer -d pgbouncer \
      -tAc 'SHOW VERSION' >/dev/null 2>&1 </dev/null && break
    sleep 0.1
  done
fi
