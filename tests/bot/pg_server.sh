#!/usr/bin/env bash
# pg_server.sh - a throwaway PostgreSQL server for the shared opt-out store's tests, on loopback
# in a temporary folder (Debian's postgresql package; as root, run as the postgres user).
#
#   pg_server.sh init DIR    initdb into DIR/data, pick a free loopback port (DIR/port)
#   pg_server.sh start DIR   start it: 127.0.0.1 only, its unix socket in DIR/sock, log DIR/log
#   pg_server.sh stop DIR    stop it (fast: connections are cut, as in an outage)
#   pg_server.sh sql DIR SQL run SQL on it (psql, as the test's superuser "leanon")
#
# Exit 77 (skipped) when the server binaries are not installed, except under CI=true where that
# is a failure (.ci/setup installs them).
set -euo pipefail
cmd=$1 dir=$2 sql=${3:-}
bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V); do
  [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ] && bindir=$candidate
done
if [ -z "$bindir" ]; then
  echo "pg_server.sh: no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb)" >&2
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi
case $cmd in
init)
  mkdir -p "$dir/sock"
  [ "$(id -u)" -eq 0 ] && chown -R postgres "$dir"
  "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" --auth=trust --username=leanon \
    --encoding=UTF8 --no-instructions >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
    >"$dir/port"
  ;;
start)
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $(cat "$dir/port") -k $dir/sock -c fsync=off" \
    start >/dev/null
  ;;
stop)
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null
  ;;
sql)
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$dir/port")" -U leanon \
    -d postgres -c "$sql" >/dev/null
  ;;
*)
  echo "usage: pg_server.sh init|start|stop|sql DIR [SQL]" >&2
  exit 2
  ;;
esac
