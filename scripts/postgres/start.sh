#!/usr/bin/env bash
# A local PostgreSQL for the tests and benchmarks of the PostgreSQL store (npm test runs it
# unless POET_TEST_DATABASE_URL is set): installs Debian's postgresql when missing, starts the
# first cluster as its owner (the postgres user; CI runs as root, elsewhere sudo is used), makes
# a `poet` role that may create databases, and prints the URL to use, e.g.
#   export POET_TEST_DATABASE_URL=$(bash scripts/postgres/start.sh)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi; }

if ! command -v pg_lsclusters >/dev/null; then
  { as_root apt-get update -qq && as_root apt-get install -y -qq postgresql; } >&2
fi
if [ -z "$(pg_lsclusters --no-header 2>/dev/null)" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  as_root pg_createcluster "$version" main >&2
fi
read -r version name port status _ < <(pg_lsclusters --no-header | head -1)
if [ "$status" != "online" ]; then
  as_postgres pg_ctlcluster "$version" "$name" start >&2
fi
psql_admin() { as_postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = 'poet'")" != "1" ]; then
  psql_admin -c "CREATE ROLE poet LOGIN CREATEDB PASSWORD 'poet'" >&2
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = 'poet'")" != "1" ]; then
  psql_admin -c "CREATE DATABASE poet OWNER poet" >&2
fi
echo "postgres://poet:poet@127.0.0.1:${port}/poet"
