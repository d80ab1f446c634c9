#!/usr/bin/env bash
# The throw-away PostgreSQL server the tests run against (SPEC 9). `make test` calls it; by hand:
#
#   scripts/pg-test-server.sh start DIR   initdb a cluster in DIR/data and start it, listening only on
#                                         a Unix socket in DIR (listen_addresses=''), then create the
#                                         test role and database and write DIR/env (the variables below)
#   scripts/pg-test-server.sh stop DIR    stop it at once (pg_ctl -m immediate) and remove DIR
#   scripts/pg-test-server.sh halt DIR    stop it at once but keep DIR: a crashed server, for tests of
#                                         what clients see meanwhile; `start DIR` brings it back (the
#                                         same cluster, after crash recovery)
#
# All are idempotent: `start` on a running server only says so, `stop` on a missing DIR and `halt` on a
# stopped server do nothing.
# A failed step prints the server log and exits non-zero.
#
# DIR/env, for `source` (the Makefile exports the same for `swift test`):
#   PMS_GATEWAY_PG_SOCKET_DIR      DIR, where the socket .s.PGSQL.<port> is
#   PMS_GATEWAY_PG_PORT            the port (only the socket's name: no TCP at all)
#   PMS_GATEWAY_PG_USER            the test role: LOGIN CREATEDB, not a superuser
#   PMS_GATEWAY_PG_DATABASE        a database that role owns
#   PMS_GATEWAY_PG_PASSWORD_FILE   DIR/password: that role's password (SPEC 9's database.passwordFile)
#   PMS_GATEWAY_PG_DIR             DIR itself (the data directory is DIR/data, the log DIR/server.log)
#
# Who runs it: PostgreSQL refuses to run as root. As root the server runs as the system user
# PG_TEST_OS_USER (default pmsgw-pg, created with useradd when missing) and DIR is handed to it;
# otherwise as the calling user.
#
# Authentication (pg_hba.conf): the superuser, named after that OS user, logs in only by `peer` (the
# script's own psql, run as that user); every other role needs its password (scram-sha-256). So the
# tests connect the way the daemon will, with a password file, and a wrong password is refused by the
# server as in production. The socket's directory is DIR (mode 0700), so only that OS user and root
# reach the server at all.
#
# Knobs (environment): PG_TEST_PORT (55432), PG_TEST_BINDIR (the newest /usr/lib/postgresql/*/bin),
# PG_TEST_OS_USER, PG_TEST_SERVER_OPTIONS (more `-c name=value` for postgres).
set -euo pipefail

usage() {
    echo "usage: $0 start|stop|halt DIR" >&2
    exit 2
}
[ $# -eq 2 ] || usage
command=$1
dir=$2
case "$dir" in
    /*) ;;
    *) dir="$(pwd)/$dir" ;;
esac
dir=${dir%/}

# A port of our own rather than 5432: with only a Unix socket there is no clash either way, but a
# client that forgot to pass the port on would find 5432's socket name and fail here, not silently
# work by default.
port=${PG_TEST_PORT:-55432}
test_user=pms_gateway
test_database=pms_gateway
marker=.pms-gateway-pg-test

fail() {
    echo "pg-test-server: $*" >&2
    exit 1
}

# Prints the server log (and initdb's output, if any) to stderr: what a failed start needs to be understood.
dump_logs() {
    local f
    for f in "$dir/initdb.log" "$dir/server.log"; do
        if [ -s "$f" ]; then
            echo "----- $f -----" >&2
            tail -n 100 "$f" >&2 || true
            echo "----- end of $f -----" >&2
        fi
    done
}

bindir=${PG_TEST_BINDIR:-}
if [ -z "$bindir" ]; then
    bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
[ -n "$bindir" ] && [ -x "$bindir/pg_ctl" ] && [ -x "$bindir/initdb" ] ||
    fail "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (Debian package postgresql; \`make deps\` installs it)"

# The OS user the server runs as, and how to run a command as that user.
if [ "$(id -u)" -eq 0 ]; then
    os_user=${PG_TEST_OS_USER:-pmsgw-pg}
    if ! getent passwd "$os_user" >/dev/null; then
        # A concurrent run may have created it meanwhile: only the user's absence afterwards is an error.
        useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
            --comment "pms-gateway test PostgreSQL" "$os_user" 2>/dev/null || true
        getent passwd "$os_user" >/dev/null || fail "could not create the system user $os_user (useradd)"
    fi
    as_server() { setpriv --reuid="$os_user" --regid="$os_user" --clear-groups -- "$@"; }
else
    os_user=$(id -un)
    as_server() { "$@"; }
fi
# Its tools run in DIR: root's working directory (/root, say) may be closed to that user.
pg() {
    (cd "$dir" && as_server env -i PATH="$bindir:/usr/bin:/bin" LC_ALL=C "$@")
}

running() {
    [ -f "$dir/data/PG_VERSION" ] && pg "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1
}

write_env() {
    local tmp="$dir/env.tmp"
    {
        echo "export PMS_GATEWAY_PG_SOCKET_DIR='$dir'"
        echo "export PMS_GATEWAY_PG_PORT='$port'"
        echo "export PMS_GATEWAY_PG_USER='$test_user'"
        echo "export PMS_GATEWAY_PG_DATABASE='$test_database'"
        echo "export PMS_GATEWAY_PG_PASSWORD_FILE='$dir/password'"
        echo "export PMS_GATEWAY_PG_DIR='$dir'"
    } >"$tmp"
    mv "$tmp" "$dir/env"
}

start() {
    case "$dir" in *[!A-Za-z0-9_./-]*) fail "DIR must be a plain path (letters, digits, _ . / -): $dir" ;; esac
    # A Unix socket's path has at most 107 bytes.
    local socket="$dir/.s.PGSQL.$port"
    [ ${#socket} -le 107 ] || fail "the socket path $socket is longer than 107 bytes; choose a shorter DIR"

    if running; then
        echo "pg-test-server: already running in $dir (port $port)"
        write_env
        return 0
    fi

    if [ -e "$dir" ] && [ ! -e "$dir/$marker" ] && [ -n "$(ls -A "$dir")" ]; then
        fail "$dir exists, is not empty and is not a test server's directory"
    fi
    mkdir -p "$dir"
    touch "$dir/$marker"
    chmod 0700 "$dir"
    [ "$(id -u)" -ne 0 ] || chown "$os_user:" "$dir"
    pg test -w "$dir" || fail "$os_user cannot write to $dir (is a directory above it closed to that user?)"

    if [ ! -f "$dir/data/PG_VERSION" ]; then
        rm -rf "$dir/data"
        # The password: random, in a file only the caller (root, or the user) reads.
        if [ ! -s "$dir/password" ]; then
            (umask 077 && od -An -N16 -tx1 /dev/urandom | tr -d ' \n' >"$dir/password")
        fi
        # --no-sync: a scratch cluster need not survive an OS crash (nor does anything here).
        if ! pg "$bindir/initdb" -D "$dir/data" -U "$os_user" --auth-local=peer --auth-host=reject \
            --encoding=UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
            dump_logs
            fail "initdb failed"
        fi
        {
            echo "# pms-gateway's test server (scripts/pg-test-server.sh): Unix socket only."
            echo "local all $os_user peer"
            echo "local all all scram-sha-256"
        } | pg tee "$dir/data/pg_hba.conf" >/dev/null
    fi

    # fsync=off: commits still reach the OS before they are acknowledged (synchronous_commit stays
    # on), so a killed server (pg_ctl -m immediate) loses nothing acknowledged; only an OS crash
    # would, which a test cluster does not survive anyway. It saves CI's disk a flush per commit.
    # max_connections=300: the suites run side by side, several with two daemons of up to 18
    # connections each (16 read slots, the writer, the lookups); the default 100 can run out, and a
    # daemon refused a connection answers -32011 (SQLSTATE 53300) where the test expects an answer.
    # shellcheck disable=SC2086
    if ! pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-k $dir -c listen_addresses='' -p $port -c fsync=off -c max_connections=300 ${PG_TEST_SERVER_OPTIONS:-}" >/dev/null; then
        dump_logs
        fail "pg_ctl start failed"
    fi

    local password
    password=$(cat "$dir/password")
    # Idempotent: a restarted cluster already has the role and the database.
    if ! pg "$bindir/psql" -X -q -h "$dir" -p "$port" -U "$os_user" -d postgres -v ON_ERROR_STOP=1 \
        -v user="$test_user" -v db="$test_database" -v password="$password" >"$dir/psql.log" 2>&1 <<'SQL'; then
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password')
    WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
        cat "$dir/psql.log" >&2
        dump_logs
        fail "creating the role $test_user and the database $test_database failed"
    fi
    write_env
    echo "pg-test-server: PostgreSQL $(pg "$bindir/postgres" --version | awk '{print $3}') running in $dir" \
        "(socket $socket, user $test_user, database $test_database, as OS user $os_user)"
}

halt() {
    [ -e "$dir/$marker" ] || fail "$dir is not a test server's directory (no $marker)"
    if running; then
        if ! pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null; then
            dump_logs
            fail "pg_ctl stop failed; the server in $dir may still run"
        fi
    fi
}

stop() {
    [ -e "$dir" ] || return 0
    [ -e "$dir/$marker" ] || fail "$dir is not a test server's directory (no $marker); not removing it"
    halt
    rm -rf "$dir"
}

case "$command" in
    start) start ;;
    stop) stop ;;
    halt) halt ;;
    *) usage ;;
esac
