#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 cluster in a new temp directory, as the `postgres` user
# (initdb refuses root), on a free loopback port. Prints two lines: the cluster directory and
# the connection URL. Stop and remove it with: throwaway-postgres.sh stop DIR
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [ "${1:-start}" = stop ]; then
  dir=$2
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  exit 0
fi
[ -x "$PGBIN/initdb" ] || { echo "no PostgreSQL binaries in $PGBIN" >&2; exit 1; }
dir=$(mktemp -d /tmp/tandem-pg.XXXXXX)
chown postgres "$dir"
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
runuser -u postgres -- "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
if ! runuser -u postgres -- "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
  cat "$dir/server.log" >&2
  exit 1
fi
echo "$dir"
echo "postgres://postgres@127.0.0.1:$port/postgres"
