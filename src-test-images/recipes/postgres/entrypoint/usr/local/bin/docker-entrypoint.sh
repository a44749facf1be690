#!/bin/sh
# Starts PostgreSQL as the official postgres image does: on the first start, initialise PGDATA
# from POSTGRES_PASSWORD, POSTGRES_USER (default postgres), POSTGRES_DB (default the user) and
# POSTGRES_HOST_AUTH_METHOD; then run the server in the foreground as the postgres user,
# listening on 0.0.0.0:5432. Arguments are passed on to postgres (e.g. -c fsync=off).
set -eu
PGBIN=$(echo /usr/lib/postgresql/*/bin)
export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
  echo "Error: the database is uninitialized and POSTGRES_PASSWORD is not set." >&2
  echo "  Set it to a non-empty value (-e POSTGRES_PASSWORD=secret), or allow connections" >&2
  echo "  without a password with POSTGRES_HOST_AUTH_METHOD=trust (never in production)." >&2
  exit 1
fi

# As root: make the directories the postgres user needs, then run this script again as it.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  pwopt="--pwfile=$pwfile"
  [ -n "${POSTGRES_PASSWORD:-}" ] || pwopt=""
  # --no-sync: a test database need not survive a power cut, and fsync costs seconds
  "$PGBIN/initdb" -D "$PGDATA" -U "$user" $pwopt -E UTF8 --locale=C.UTF-8 --no-sync \
    --auth-local=trust --auth-host="$auth" > /dev/null
  rm -f "$pwfile"
  echo "host all all all $auth" >> "$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\";" | "$PGBIN/postgres" --single -D "$PGDATA" -c fsync=off -j postgres > /dev/null
  fi
  echo "PostgreSQL init process complete; ready for start up."
fi

exec "$PGBIN/postgres" -D "$PGDATA" -c listen_addresses='*' "$@"
