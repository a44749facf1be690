#!/usr/bin/env bash
# Starts PostgreSQL as the official postgres image's docker-entrypoint.sh does, wherever clients
# rely on it (Testcontainers' PostgreSQLContainer, `docker run postgres ...`):
# - A first argument starting with '-' means "postgres <those flags>" (CMD is postgres); any
#   command other than postgres is exec'd as is (`docker run postgres bash`).
# - For postgres on an empty PGDATA: initdb from POSTGRES_USER (default postgres),
#   POSTGRES_PASSWORD, POSTGRES_INITDB_ARGS and POSTGRES_INITDB_WALDIR (each also as *_FILE),
#   then a temporary server without TCP creates POSTGRES_DB (default the user) and runs
#   /docker-entrypoint-initdb.d (*.sh run or sourced, *.sql and *.sql.gz through psql), and
#   stops. "database system is ready to accept connections" is therefore logged twice on a first
#   start and once on later ones: Testcontainers waits for it twice.
# - Started as root, it runs again as the postgres user (setpriv; the official image uses gosu).
# Where it differs, and why:
# - Published ports reach the server from 127.0.0.1 inside the container (Berth's port proxy
#   connects there; Docker's comes from the bridge), so the loopback host lines initdb writes as
#   trust get the method of every other host (POSTGRES_HOST_AUTH_METHOD, default
#   password_encryption): otherwise any password would be accepted from the host.
# - initdb runs with --no-sync: a test database need not survive a power cut.
# - No xzcat or zstd in the image: *.sql.xz and *.sql.zst scripts fail.
set -Eeo pipefail

# postgres, initdb and pg_ctl are in Debian's versioned directory (the official image puts its
# own on PATH the same way).
if ! command -v postgres > /dev/null; then
	for bin in /usr/lib/postgresql/*/bin; do PATH="$PATH:$bin"; done
	export PATH
fi

# file_env VAR [DEFAULT]: VAR from $VAR or from the file $VAR_FILE names (Docker secrets).
file_env() {
	local var="$1"
	local fileVar="${var}_FILE"
	local def="${2:-}"
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		printf >&2 'error: both %s and %s are set (but are exclusive)\n' "$var" "$fileVar"
		exit 1
	fi
	local val="$def"
	if [ "${!var:-}" ]; then
		val="${!var}"
	elif [ "${!fileVar:-}" ]; then
		val="$(< "${!fileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar"
}

# Whether this script is being sourced (its functions reused) rather than run.
_is_sourced() {
	[ "${#FUNCNAME[@]}" -ge 2 ] && [ "${FUNCNAME[0]}" = '_is_sourced' ] && [ "${FUNCNAME[1]}" = 'source' ]
}

docker_setup_env() {
	file_env 'POSTGRES_PASSWORD'
	file_env 'POSTGRES_USER' 'postgres'
	file_env 'POSTGRES_DB' "$POSTGRES_USER"
	file_env 'POSTGRES_INITDB_ARGS'
	: "${POSTGRES_HOST_AUTH_METHOD:=}"
	export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
	declare -g DATABASE_ALREADY_EXISTS=
	if [ -s "$PGDATA/PG_VERSION" ]; then
		DATABASE_ALREADY_EXISTS='true'
	fi
}

# As root, also hands PGDATA, the socket directory and the WAL directory to the postgres user.
docker_create_db_directories() {
	local user
	user="$(id -u)"
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
	mkdir -p /var/run/postgresql || :
	chmod 03775 /var/run/postgresql || :
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		mkdir -p "$POSTGRES_INITDB_WALDIR"
		if [ "$user" = '0' ]; then
			find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres: '{}' +
		fi
		chmod 700 "$POSTGRES_INITDB_WALDIR"
	fi
	if [ "$user" = '0' ]; then
		find "$PGDATA" \! -user postgres -exec chown postgres: '{}' +
		find /var/run/postgresql \! -user postgres -exec chown postgres: '{}' +
	fi
}

docker_verify_minimum_env() {
	if [ -z "$POSTGRES_PASSWORD" ] && [ 'trust' != "$POSTGRES_HOST_AUTH_METHOD" ]; then
		echo "Error: the database is uninitialized and POSTGRES_PASSWORD is not set." >&2
		echo "  Set it to a non-empty value (-e POSTGRES_PASSWORD=secret), or allow connections" >&2
		echo "  without a password with POSTGRES_HOST_AUTH_METHOD=trust (never in production)." >&2
		exit 1
	fi
}

docker_init_database_dir() {
	if [ -n "${POSTGRES_INITDB_WALDIR:-}" ]; then
		set -- --waldir "$POSTGRES_INITDB_WALDIR" "$@"
	fi
	# --pwfile refuses a properly empty file, hence the "\n". Trust is initdb's own default, made
	# explicit (pg_setup_hba_conf settles host connections); POSTGRES_INITDB_ARGS come after the
	# defaults so that they win.
	eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") --no-sync --auth-local=trust --auth-host=trust '"$POSTGRES_INITDB_ARGS"' "$@"'
}

# Host connections: POSTGRES_HOST_AUTH_METHOD, by default the password_encryption in effect.
pg_setup_hba_conf() {
	if [ "$1" = 'postgres' ]; then
		shift
	fi
	local auth
	auth="$(postgres -C password_encryption "$@")"
	: "${POSTGRES_HOST_AUTH_METHOD:=$auth}"
	case " $POSTGRES_INITDB_ARGS" in
		*' --auth'* | *' -A'*) ;; # the user chose the methods of initdb's lines
		*) sed -ri "/^host[[:space:]]/s/([[:space:]])trust\$/\1$POSTGRES_HOST_AUTH_METHOD/" "$PGDATA/pg_hba.conf" ;;
	esac
	{
		printf '\n'
		if [ 'trust' = "$POSTGRES_HOST_AUTH_METHOD" ]; then
			printf '# warning trust is enabled for all connections\n'
			printf '# see https://www.postgresql.org/docs/current/auth-trust.html\n'
		fi
		printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
	} >> "$PGDATA/pg_hba.conf"
	# The official image sets this in postgresql.conf.sample at build time.
	sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$PGDATA/postgresql.conf"
}

# psql for the init scripts: as POSTGRES_USER, into POSTGRES_DB unless it is empty, stopping at
# the first error.
docker_process_sql() {
	local query_runner=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ -n "$POSTGRES_DB" ]; then
		query_runner+=(--dbname "$POSTGRES_DB")
	fi
	PGHOST= PGHOSTADDR= "${query_runner[@]}" "$@"
}

docker_process_init_files() {
	# psql as the official image offers it to sourced scripts ("${psql[@]}")
	psql=(docker_process_sql)
	printf '\n'
	local f
	for f; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					printf '%s: running %s\n' "$0" "$f"
					"$f"
				else
					printf '%s: sourcing %s\n' "$0" "$f"
					. "$f"
				fi
				;;
			*.sql)     printf '%s: running %s\n' "$0" "$f"; docker_process_sql -f "$f"; printf '\n' ;;
			*.sql.gz)  printf '%s: running %s\n' "$0" "$f"; gunzip -c "$f" | docker_process_sql; printf '\n' ;;
			*.sql.xz)  printf '%s: running %s\n' "$0" "$f"; xzcat "$f" | docker_process_sql; printf '\n' ;;
			*.sql.zst) printf '%s: running %s\n' "$0" "$f"; zstd -dc "$f" | docker_process_sql; printf '\n' ;;
			*)         printf '%s: ignoring %s\n' "$0" "$f" ;;
		esac
		printf '\n'
	done
}

docker_setup_db() {
	local dbAlreadyExists
	dbAlreadyExists="$(
		POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<-'EOSQL'
			SELECT 1 FROM pg_database WHERE datname = :'db' ;
		EOSQL
	)"
	if [ -z "$dbAlreadyExists" ]; then
		POSTGRES_DB= docker_process_sql --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
		printf '\n'
	fi
}

# The temporary server for initialisation: the container's arguments, no TCP, the socket only.
docker_temp_server_start() {
	if [ "$1" = 'postgres' ]; then
		shift
	fi
	set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
	NOTIFY_SOCKET= \
	PGUSER="${PGUSER:-$POSTGRES_USER}" \
	pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

docker_temp_server_stop() {
	PGUSER="${PGUSER:-postgres}" \
	pg_ctl -D "$PGDATA" -m fast -w stop
}

# Whether the arguments only ask postgres for help or its version (then nothing is initialised).
_pg_want_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?' | --help | --describe-config | -V | --version) return 0 ;;
		esac
	done
	return 1
}

_main() {
	if [ "${1:0:1}" = '-' ]; then
		set -- postgres "$@"
	fi
	if [ "$1" = 'postgres' ] && ! _pg_want_help "$@"; then
		docker_setup_env
		docker_create_db_directories
		if [ "$(id -u)" = '0' ]; then
			exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
		fi
		if [ -z "$DATABASE_ALREADY_EXISTS" ]; then
			docker_verify_minimum_env
			# fails early, before initdb, when the scripts' directory cannot be read
			ls /docker-entrypoint-initdb.d/ > /dev/null
			docker_init_database_dir
			pg_setup_hba_conf "$@"
			# for psql when POSTGRES_INITDB_ARGS make local connections ask for a password
			export PGPASSWORD="${PGPASSWORD:-$POSTGRES_PASSWORD}"
			docker_temp_server_start "$@"
			docker_setup_db
			docker_process_init_files /docker-entrypoint-initdb.d/*
			docker_temp_server_stop
			unset PGPASSWORD
			printf '\nPostgreSQL init process complete; ready for start up.\n\n'
		else
			printf '\nPostgreSQL Database directory appears to contain a database; Skipping initialization\n\n'
		fi
	fi
	exec "$@"
}

if ! _is_sourced; then
	_main "$@"
fi
