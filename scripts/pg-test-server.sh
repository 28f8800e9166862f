#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL for the tests, on 127.0.0.1 only.
# Usage: scripts/pg-test-server.sh start|stop|restart|status|url
set -euo pipefail
DIR=${PG_TEST_DIR:-/tmp/sid-studio-pg}
PORT=${PG_TEST_PORT:-54329}
URL="postgres://postgres@127.0.0.1:${PORT}/postgres"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$PGBIN" ]; then
	echo "PostgreSQL server binaries not found: run scripts/install-system-deps.sh" >&2
	exit 1
fi

# PostgreSQL refuses to run as root: run its commands as the 'postgres' user then.
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
start)
	if [ -f "$DIR/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
		echo "$URL"
		exit 0
	fi
	mkdir -p "$DIR"
	[ "$(id -u)" = 0 ] && chown postgres "$DIR"
	if [ ! -f "$DIR/data/PG_VERSION" ]; then
		as_pg "$PGBIN/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
	fi
	as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w start -o \
		"-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=on" >/dev/null
	echo "$URL"
	;;
stop)
	as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
	;;
restart)
	as_pg "$PGBIN/pg_ctl" -D "$DIR/data" -m fast -w restart >/dev/null
	;;
url)
	echo "$URL"
	;;
status)
	as_pg "$PGBIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
	;;
esac
