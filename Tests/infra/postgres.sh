#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL 15 cluster on a loopback port for the tests.
#   Tests/infra/postgres.sh start DIR PORT   -> prints the connection string on stdout
#   Tests/infra/postgres.sh restart DIR      -> pg_ctl restart -m fast (the fault campaign's database restart)
#   Tests/infra/postgres.sh stop DIR
# The cluster belongs to the 'postgres' user when run as root (initdb refuses root).
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
cmd=${1:?start|stop}
dir=${2:?data directory}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port=${3:?port}
    [ -x "$bin/initdb" ] || { echo "PostgreSQL 15 is not installed ($bin/initdb missing)" >&2; exit 1; }
    rm -rf "$dir"; mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # Tests trade durability for speed; PG_DURABLE=1 (the benchmark) keeps PostgreSQL's defaults.
    fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [ "${PG_DURABLE:-0}" = 1 ] && fast=""
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200 $fast" start >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true;Maximum Pool Size=50"
    ;;
  restart)
    [ -f "$dir/data/postmaster.pid" ] || { echo "postgres.sh restart: no server runs in $dir" >&2; exit 1; }
    # The server's options are kept from its start (postmaster.opts); its log goes on in the same file.
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart >/dev/null \
      || { tail -n 40 "$dir/server.log" >&2; exit 1; }
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start DIR PORT | restart DIR | stop DIR" >&2; exit 2 ;;
esac
