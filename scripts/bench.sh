#!/usr/bin/env bash
# Benchmarks the release daemon against the physical limit of this machine and prints Markdown.
#
#   make bench                      (builds the release binary and the tools, then runs this)
#   scripts/bench.sh                (needs .tools/ and .build-release/release/pms-gatewayd already)
#
# For each round-trip scenario (`row` below) the same load (.tools/rpcload) is driven once
# against .tools/ndjson_echo, a C server that answers every line with a canned reply (the floor
# cost of one NDJSON round trip on a Unix socket), and once against the daemon. Writes
# (`store_row`) are compared with SQLite's raw one-row-per-commit rate on this disk
# (.tools/sqlite_limit, WAL sync=FULL batch=1), measured in the same run. Then: the daemon's RSS
# after the load, the time from exec to the first answered system.health (.tools/ready_probe,
# polling every 1 ms) on a fresh database and on one holding CLIENTS_LOADED clients, and
# journal.verify over JOURNAL_ENTRIES entries.
#
# Sections: the transport baseline (system.health), issue 3 (store: partner.put, journal.verify),
# issue 4 (OIDC clients: client.get, client.create, start-up and RSS with 100,000 clients),
# issue 5 (licenses: license.validate), PostgreSQL (SPEC 9: partner.put, client.create and
# client.get on SQLite, on PostgreSQL with one daemon and with two daemons on one database).
# Every target is one `check` line in the report.
#
# Environment:
#   DAEMON          daemon binary (default .build-release/release/pms-gatewayd)
#   DAEMON_CMD      replaces the whole daemon command line; {socket} and {db} are substituted,
#                   e.g. DAEMON_CMD='.tools/ndjson_echo {socket}' to try the round-trip rows
#                   without a daemon (the issue sections need the real one and are skipped)
#   CONFIG_DIR      copied to a temp dir and passed as --config (default config/)
#   BENCH_SECONDS   seconds of load per scenario and target (default 3)
#   BENCH_THREADS   rpcload threads (default 1: on 2 cores the daemon gets the other one; use 8
#                   on 16 cores), also the number of create_load.py processes (at most 4)
#   BASELINE_DAEMON an older daemon binary: the scaling rows (issue 13), partner.put and
#                   client.create are driven against it too, in the same run, for a before/after
#                   table
#   READY_RUNS      start-ups to time, fresh and loaded (default 5; medians are compared)
#   SQLITE_SECONDS  seconds per sqlite_limit configuration (default 1; 0 skips it, and the
#                   checks against the raw commit rate then read n/a)
#   JOURNAL_ENTRIES journal size for the journal.verify timing (default 1000000; 0 skips the
#                   step, which fills a database through partner.put: about a minute)
#   VERIFY_RUNS     journal.verify calls to time (default 3; the median is compared)
#   CLIENTS_LOADED  clients to load for the start-up/RSS measurement (default 100000; 0 skips:
#                   client.create at 16 clients, about a minute)
#   LOG_LEVEL       daemon --log-level (default warning, so logging is not what is measured)
#   BENCH_STRICT=1  exit 1 when a target is missed (otherwise only errors fail the script)
#   BENCH_TMP       parent of the scratch dir (default $TMPDIR or /tmp; the databases live there,
#                   PostgreSQL's data directory too)
#   BENCH_POSTGRES  0 skips the PostgreSQL rows (default 1: a throw-away server from
#                   scripts/pg-test-server.sh, stopped again after its rows and on any exit)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
DAEMON="${DAEMON:-$ROOT/.build-release/release/pms-gatewayd}"
DAEMON_CMD="${DAEMON_CMD:-}"
CONFIG_DIR="${CONFIG_DIR:-$ROOT/config}"
BENCH_SECONDS="${BENCH_SECONDS:-3}"
BENCH_THREADS="${BENCH_THREADS:-1}"
READY_RUNS="${READY_RUNS:-5}"
SQLITE_SECONDS="${SQLITE_SECONDS:-1}"
JOURNAL_ENTRIES="${JOURNAL_ENTRIES:-1000000}"
VERIFY_RUNS="${VERIFY_RUNS:-3}"
CLIENTS_LOADED="${CLIENTS_LOADED:-100000}"
# client.create calls for the end-to-end delivery rate (issue 6); 0 skips it.
DELIVERY_CREATES="${DELIVERY_CREATES:-3000}"
LOG_LEVEL="${LOG_LEVEL:-warning}"
BENCH_STRICT="${BENCH_STRICT:-0}"
BENCH_POSTGRES="${BENCH_POSTGRES:-1}"
RPC=(python3 "$ROOT/scripts/rpc.py")
CREATE_LOAD=(python3 "$ROOT/scripts/create_load.py")

# Targets (SPEC/issues): compared at the end, printed beside the numbers.
TARGET_RATIO_16x1=0.5     # daemon req/s ÷ echo req/s at 16 clients x pipeline 1
TARGET_P99_16x1_MS=1      # daemon p99 latency at 16x1
TARGET_RSS_MIB=30         # daemon VmRSS after the system.health load
TARGET_READY_MS=100       # exec → first answered system.health, fresh database
# Issue 3 (store)
TARGET_PUT_X_RAW=3        # partner.put req/s at 16x1 ÷ raw WAL sync=FULL batch=1 rows/s
TARGET_PUT_P99_MS=5       # partner.put p99 at 16x1
TARGET_VERIFY_S=5         # journal.verify over JOURNAL_ENTRIES entries (median)
# Issue 4 (clients)
TARGET_GET_RATIO=0.5      # client.get 16x1 daemon ÷ echo
TARGET_GET_P99_MS=1       # client.get p99 at 16x1
TARGET_CREATE_X_RAW=3     # client.create req/s at 16 clients ÷ raw WAL sync=FULL batch=1 rows/s
TARGET_READY_LOADED_MS=300  # exec → first answered system.health with CLIENTS_LOADED clients
TARGET_RSS_LOADED_MIB=100   # VmRSS with CLIENTS_LOADED clients after a client.get load
# Issue 5 (licenses)
TARGET_LIC_RATIO=0.5      # license.validate 16x1 daemon ÷ echo
TARGET_LIC_P99_MS=1       # license.validate p99 at 16x1

TARGET_DELIVERY_RATE=1000 # client.create/s end to end, every row delivered, delivery enabled
# Issue 13 (cores): 16-core targets apply on 16 or more cores, the 2-core ones below that.
TARGET_CS_PER_REQ=1.0     # context switches per request, all daemon threads, reads at 16x1
TARGET_READ_64_RATIO_16C=1.0   # reads at 64x1 ÷ the single-threaded echo server
TARGET_READ_P99_16_MS_16C=1    # reads p99 at 16x1
TARGET_READ_P99_256_MS_16C=2   # reads p99 at 256x1
TARGET_PUT64_X_RAW16_16C=0.25  # partner.put 64x1 ÷ raw FULL batch=16
TARGET_KEYHASH_64_16C=50000    # key.clientId req/s at 64x1
TARGET_KEYHASH_X_BASE=3        # key.clientId at 64x1 ÷ BASELINE_DAEMON's, same run (2 cores)
TARGET_CREATE_16C=10000        # client.create req/s at 16x1
# Issue 9 (hardening): a well-behaved peer while 4 peers flood pipelined lines and close
TARGET_FLOOD_P99_MS=10    # the victim's p99 during the flood
TARGET_FLOOD_AFTER_MS=100 # the victim's first round trip once the flood has ended
# SPEC 9 (PostgreSQL), each at 16x1 on a fresh database
TARGET_PG_CREATE_2X1=1.5  # client.create req/s, two daemons on one database ÷ one daemon
TARGET_PG_GET_X_SQLITE=0.5  # client.get req/s, one daemon on PostgreSQL ÷ one on SQLite

die() { echo "bench: $*" >&2; exit 1; }
now_s() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }'; }

for t in ndjson_echo rpcload sqlite_limit ready_probe; do
    [[ -x "$TOOLS/$t" ]] || die "$TOOLS/$t missing: run 'make tools'"
done
if [[ -z "$DAEMON_CMD" ]]; then
    [[ -x "$DAEMON" ]] || die "$DAEMON missing: run 'swift build -c release --product pms-gatewayd --scratch-path .build-release'"
    [[ -f "$CONFIG_DIR/pms-gateway.json" ]] || die "$CONFIG_DIR/pms-gateway.json missing"
    command -v python3 >/dev/null || die "python3 missing (scripts/rpc.py, scripts/create_load.py)"
fi
BENCH_START="$(now_s)"

# ---------------------------------------------------------------------------------------------
# Scratch space and clean-up: every process started here is killed on exit, whatever happens.
# ---------------------------------------------------------------------------------------------
SCRATCH_PARENT="${BENCH_TMP:-${TMPDIR:-/tmp}}"
WORK="$(mktemp -d "$SCRATCH_PARENT/pms-bench.XXXXXX")"
PIDS=()
PG_DIR=""   # the PostgreSQL server's directory while one runs (beside WORK: see pg_server_start)
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        # Give each a moment to exit on SIGTERM, then make sure.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    # The daemons are gone, so the server can go (pg_ctl -m immediate, then its directory).
    if [[ -n "$PG_DIR" ]]; then
        "$ROOT/scripts/pg-test-server.sh" stop "$PG_DIR" >/dev/null 2>&1 || rmdir "$PG_DIR" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "$DAEMON_CMD" ]]; then
    cp -r "$CONFIG_DIR" "$WORK/config"
fi

# daemon_argv SOCKET DB: fills the array ARGV with the daemon's command line.
daemon_argv() {
    local sock="$1" db="$2" word
    ARGV=()
    if [[ -n "$DAEMON_CMD" ]]; then
        read -ra words <<<"$DAEMON_CMD"
        for word in "${words[@]}"; do
            word="${word//\{socket\}/$sock}"
            ARGV+=("${word//\{db\}/$db}")
        done
    else
        ARGV=("$DAEMON" --config "$WORK/config/pms-gateway.json" --socket "$sock" --database "$db"
              --log-level "$LOG_LEVEL")
    fi
}

# wait_ready SOCKET PID NAME LOG: until one system.health is answered (15 s at most).
wait_ready() {
    local sock="$1" pid="$2" name="$3" log="$4" i
    for i in $(seq 1500); do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 20 "$log" >&2
            die "$name exited during start-up"
        fi
        if [[ -S "$sock" ]] && "$TOOLS/rpcload" "$sock" -n 1 -m system.health -p '{}' --timeout 1 \
                >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.01
    done
    tail -n 20 "$log" >&2
    die "$name did not answer system.health on $sock within 15 s"
}

# start_daemon SOCKET DB LOG: starts the daemon in the background and waits for it; sets PID.
start_daemon() {
    daemon_argv "$1" "$2"
    "${ARGV[@]}" >"$3" 2>&1 &
    PID=$!
    PIDS+=("$PID")
    wait_ready "$1" "$PID" daemon "$3"
}

# stop_daemon PID: SIGTERM, then waits for the exit (30 s at most) and drops it from PIDS.
stop_daemon() {
    local pid="$1"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}
# forget_pid PID: drops it from PIDS (it has exited, or is about to be waited for).
forget_pid() {
    local p keep=()
    for p in "${PIDS[@]}"; do [[ "$p" == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# rpc SOCKET METHOD PARAMS [-f FIELD]: one set-up call; its result (or field) on stdout.
rpc() { "${RPC[@]}" "$@" || die "set-up call $2 failed (see above)"; }

# ctxt PID: voluntary + involuntary context switches so far, summed over all its threads.
ctxt() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }'; }
# cs_per PID BEFORE SUMMARY_JSON: context switches per answered request since BEFORE.
cs_per() { awk -v a="$2" -v b="$(ctxt "$1")" -v n="$(json_num ok "$3")" 'BEGIN { if (n > 0) printf "%.2f", (b - a) / n }'; }

proc_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# ---------------------------------------------------------------------------------------------
# Start the two servers.
# ---------------------------------------------------------------------------------------------
ECHO_SOCK="$WORK/echo.sock"
GW_SOCK="$WORK/gw.sock"
GW_DB="$WORK/gw.sqlite3"
GW_LOG="$WORK/gw.log"

"$TOOLS/ndjson_echo" "$ECHO_SOCK" -q >"$WORK/echo.log" 2>&1 &
ECHO_PID=$!
PIDS+=("$ECHO_PID")
wait_ready "$ECHO_SOCK" "$ECHO_PID" ndjson_echo "$WORK/echo.log"

start_daemon "$GW_SOCK" "$GW_DB" "$GW_LOG"
GW_PID="$PID"

# ---------------------------------------------------------------------------------------------
# SQLite's raw commit rates on this disk, first, while both servers are idle: the write rows
# below are compared with its one-row-per-commit durable rate (WAL sync=FULL batch=1).
# ---------------------------------------------------------------------------------------------
SQLITE_OUT=""
RAW_FULL1=""
if [[ "$SQLITE_SECONDS" != 0 ]]; then
    SQLITE_OUT="$("$TOOLS/sqlite_limit" -d "$WORK" -s "$SQLITE_SECONDS" -q)" || die "sqlite_limit failed"
    RAW_FULL1="$(awk '$1 == "WAL" && $2 == "sync=FULL" && $3 == "batch=1" { print $4 }' <<<"$SQLITE_OUT")"
    RAW_FULL16="$(awk '$1 == "WAL" && $2 == "sync=FULL" && $3 == "batch=16" { print $4 }' <<<"$SQLITE_OUT")"
fi

# ---------------------------------------------------------------------------------------------
# Load scenarios. One line per scenario:  row NAME METHOD PARAMS_JSON CLIENTS PIPELINE
# PARAMS may use rpcload's {n} (a run-unique integer) and {run} (a per-run tag) to make
# every request distinct, e.g.  row partner.put partner.put '{"partnerId":"p{run}{n}",...}' 16 1
# ---------------------------------------------------------------------------------------------
json_num() { sed -n "s/.*\"$1\":\([-0-9.e+]*\).*/\1/p" <<<"$2" | tail -n 1; }

# load SOCKET METHOD PARAMS CLIENTS PIPELINE: prints rpcload's JSON summary line; fails when
# rpcload does (error replies, lost or malformed responses, refused connections).
load() {
    local out rc=0
    out="$("$TOOLS/rpcload" "$1" -m "$2" -p "$3" -c "$4" -k "$5" -d "$BENCH_SECONDS" \
            -j "$BENCH_THREADS" --json 2>&1)" || rc=$?
    if [[ $rc -ne 0 ]]; then
        echo "bench: rpcload $2 ${4}x$5 on $1 failed:" >&2
        sed 's/^/  /' <<<"$out" >&2
        return 1
    fi
    grep '^{' <<<"$out" | tail -n 1
}

declare -A RESULT   # "NAME.field" → number, for the target checks
declare -A ROWS     # section → its table rows, one per line
FAILED=0

# row SECTION NAME METHOD PARAMS CLIENTS PIPELINE [SOCKET PID]: echo vs daemon (the main one
# unless given), same load; also the daemon's context switches per request.
row() {
    local section="$1" name="$2" method="$3" params="$4" clients="$5" pipeline="$6" e g cs0 cs
    local sock="${7:-$GW_SOCK}" pid="${8:-$GW_PID}"
    if e="$(load "$ECHO_SOCK" "$method" "$params" "$clients" "$pipeline")"; then
        cs0="$(ctxt "$pid")"
        g="$(load "$sock" "$method" "$params" "$clients" "$pipeline")" || e=""
    fi
    if [[ -z "$e" ]]; then
        ROWS[$section]+="| $name | ${clients}x$pipeline | $method | FAILED | | | | | |"$'\n'
        FAILED=1
        return 0
    fi
    cs="$(cs_per "$pid" "$cs0" "$g")"
    local e_rps e_p50 e_p99 g_rps g_p50 g_p99 ratio
    e_rps="$(json_num rps "$e")"; e_p50="$(json_num p50_ms "$e")"; e_p99="$(json_num p99_ms "$e")"
    g_rps="$(json_num rps "$g")"; g_p50="$(json_num p50_ms "$g")"; g_p99="$(json_num p99_ms "$g")"
    ratio="$(awk -v g="$g_rps" -v e="$e_rps" 'BEGIN { printf "%.2f", (e > 0) ? g / e : 0 }')"
    RESULT[$name.ratio]="$ratio"
    RESULT[$name.p99]="$g_p99"
    RESULT[$name.rps]="$g_rps"
    RESULT[$name.cs]="$cs"
    ROWS[$section]+="$(printf '| %s | %sx%s | %s | %s | %s | %s | %.3f / %.3f | %.3f / %.3f | %s |' \
        "$name" "$clients" "$pipeline" "$method" "$e_rps" "$g_rps" "$ratio" "$e_p50" "$e_p99" "$g_p50" "$g_p99" \
        "${cs:-?}")"$'\n'
}

# store_row SECTION NAME METHOD CLIENTS PIPELINE SUMMARY_JSON: a write scenario, daemon only,
# compared with the raw one-row-per-commit rate (WAL sync=FULL batch=1) measured above.
store_row() {
    local section="$1" name="$2" method="$3" clients="$4" pipeline="$5" s="$6" rps p50 p99 x
    rps="$(json_num rps "$s")"; p50="$(json_num p50_ms "$s")"; p99="$(json_num p99_ms "$s")"
    x="$(awk -v g="$rps" -v r="${RAW_FULL1:-0}" 'BEGIN { if (r > 0) printf "%.2f", g / r }')"
    RESULT[$name.rps]="$rps"
    RESULT[$name.xraw]="$x"
    RESULT[$name.p99]="$p99"
    ROWS[$section]+="$(printf '| %s | %sx%s | %s | %s | %s | %s | %.3f / %.3f |' \
        "$name" "$clients" "$pipeline" "$method" "${RAW_FULL1:-?}" "$rps" "${x:-?}" "$p50" "$p99")"$'\n'
}
store_failed() {
    ROWS[$1]+="| $2 | ${4}x$5 | $3 | ${RAW_FULL1:-?} | FAILED | | |"$'\n'
    FAILED=1
}

# =============================================================================================
# Transport baseline: system.health, RSS, start-up on a fresh database.
# =============================================================================================
row base health-1x1   system.health '{}' 1 1
row base health-16x1  system.health '{}' 16 1
row base health-16x16 system.health '{}' 16 16

kill -0 "$GW_PID" 2>/dev/null || { tail -n 20 "$GW_LOG" >&2; die "the daemon died during the load"; }
RSS_KIB="$(proc_kib "$GW_PID" VmRSS)"
HWM_KIB="$(proc_kib "$GW_PID" VmHWM)"
THREADS="$(awk '$1 == "Threads:" { print $2 }' "/proc/$GW_PID/status")"

# ready_runs TAG DB: READY_RUNS start-ups with ready_probe (DB empty = a fresh one per run);
# sets READY (the ms of each run), READY_MEDIAN and STOP_MS.
ready_runs() {
    local tag="$1" db="$2" i out
    READY=()
    for i in $(seq "$READY_RUNS"); do
        daemon_argv "$WORK/$tag$i.sock" "${db:-$WORK/$tag$i.sqlite3}"
        if out="$("$TOOLS/ready_probe" -t 10 "$WORK/$tag$i.sock" -- "${ARGV[@]}" 2>"$WORK/$tag$i.log")"; then
            READY+=("$(awk '$1 == "ready_ms" { print $2 }' <<<"$out")")
            STOP_MS="$(awk '$1 == "stop_ms" { print $2 }' <<<"$out")"
        else
            echo "bench: start-up run $tag $i failed:" >&2
            sed 's/^/  /' <<<"$out" >&2
            tail -n 20 "$WORK/$tag$i.log" >&2
            FAILED=1
        fi
    done
    READY_MEDIAN="$(median "${READY[@]}")"
}
ready_runs ready ""
READY_FRESH=("${READY[@]}")
READY_FRESH_MEDIAN="$READY_MEDIAN"
STOP_FRESH_MS="${STOP_MS:-}"

ISSUES=1
if [[ -n "$DAEMON_CMD" ]]; then
    ISSUES=0   # a stand-in cannot run partner.put, client.create, ...
fi

if ((ISSUES)); then
    # =========================================================================================
    # Issue 3 (store): partner.put at 1, 16, 64 clients against the raw commit rate.
    # =========================================================================================
    PUT_PARAMS='{"partnerId":"p{run}{n}","partnerType":"Auth_Partner","name":"bench","status":"ACTIVE"}'
    for c in 1 16 64; do
        if s="$(load "$GW_SOCK" partner.put "$PUT_PARAMS" "$c" 1)"; then
            store_row store "put-${c}x1" partner.put "$c" 1 "$s"
        else
            store_failed store "put-${c}x1" partner.put "$c" 1
        fi
    done

    # =========================================================================================
    # Issue 4 (clients): one Auth partner, policy, approved mapping and one RSA-2048 client.
    # =========================================================================================
    AUTH_PARTNER=bench-auth
    AUTH_POLICY=bench-auth-policy
    # seed_auth SOCKET: the Auth partner, its policy (MOSIP's sample) and an approved mapping.
    seed_auth() {
        rpc "$1" partner.put \
            "{\"partnerId\":\"$AUTH_PARTNER\",\"partnerType\":\"Auth_Partner\",\"name\":\"bench\",\"status\":\"ACTIVE\"}" >/dev/null
        rpc "$1" policy.put "$(python3 -c 'import json, sys
print(json.dumps({"policyId": sys.argv[1], "policyType": "Auth", "name": "bench auth policy",
                  "description": "bench", "validFrom": "2026-01-01T00:00:00.000Z",
                  "validTo": "2126-01-01T00:00:00.000Z", "status": "ACTIVE", "policy": json.load(open(sys.argv[2]))}))' \
            "$AUTH_POLICY" "$CONFIG_DIR/sample-auth-policy.json")" >/dev/null
        rpc "$1" partner.mapPolicy \
            "{\"partnerId\":\"$AUTH_PARTNER\",\"policyId\":\"$AUTH_POLICY\",\"status\":\"approved\"}" >/dev/null
    }
    seed_auth "$GW_SOCK"
    # The client.get client's key: the daemon checks an RSA key's shape only (odd, 2048 bits with
    # the top bit set), so a random one does, as in scripts/create_load.py.
    RSA_N="$(python3 -c 'import base64, secrets
n = secrets.randbits(2048) | (1 << 2047) | 1
print(base64.urlsafe_b64encode(n.to_bytes(256, "big")).rstrip(b"=").decode())')"
    # seed_client SOCKET: the client.get client (the same key, so the same id, on any daemon).
    seed_client() {
        rpc "$1" client.create "{\"name\":\"bench client\",\"policyId\":\"$AUTH_POLICY\",
            \"publicKey\":{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"$RSA_N\"},\"authPartnerId\":\"$AUTH_PARTNER\",
            \"logoUri\":\"https://rp.example.org/logo.png\",\"redirectUris\":[\"https://rp.example.org/cb\"],
            \"grantTypes\":[\"authorization_code\"],\"clientAuthMethods\":[\"private_key_jwt\"]}" -f clientId
    }
    CLIENT_ID="$(seed_client "$GW_SOCK")"
    GET_PARAMS="{\"clientId\":\"$CLIENT_ID\"}"

    row clients get-16x1  client.get "$GET_PARAMS" 16 1
    row clients get-16x16 client.get "$GET_PARAMS" 16 16

    # client.create, a fresh RSA key per request (scripts/create_load.py).
    CREATE_PROCS=$(( BENCH_THREADS < 4 ? BENCH_THREADS : 4 ))
    if s="$("${CREATE_LOAD[@]}" "$GW_SOCK" --partner "$AUTH_PARTNER" --policy "$AUTH_POLICY" \
            -c 16 -k 1 -d "$BENCH_SECONDS" -j "$CREATE_PROCS" --json 2>&1)"; then
        store_row clients create-16x1 client.create 16 1 "$(grep '^{' <<<"$s" | tail -n 1)"
    else
        echo "bench: create_load failed:" >&2; sed 's/^/  /' <<<"$s" >&2
        store_failed clients create-16x1 client.create 16 1
    fi

    # =========================================================================================
    # Issue 5 (licenses): a MISP partner, MISP policy, approved mapping, one license key.
    # =========================================================================================
    # seed_license SOCKET: a MISP partner, its policy and mapping; prints a fresh license key.
    seed_license() {
        rpc "$1" partner.put \
            '{"partnerId":"bench-misp","partnerType":"MISP_Partner","name":"bench misp","status":"ACTIVE"}' >/dev/null
        rpc "$1" policy.put "$(python3 -c 'import json, sys
print(json.dumps({"policyId": "bench-misp-policy", "policyType": "MISP", "name": "bench misp policy",
                  "description": "bench", "validFrom": "2026-01-01T00:00:00.000Z",
                  "validTo": "2126-01-01T00:00:00.000Z", "status": "ACTIVE", "policy": json.load(open(sys.argv[1]))}))' \
            "$CONFIG_DIR/sample-misp-policy.json")" >/dev/null
        rpc "$1" partner.mapPolicy \
            '{"partnerId":"bench-misp","policyId":"bench-misp-policy","status":"approved"}' >/dev/null
        rpc "$1" license.generate '{"mispId":"bench-misp"}' -f licenseKey
    }
    LICENSE_KEY="$(seed_license "$GW_SOCK")"
    [[ "$(rpc "$GW_SOCK" license.validate "{\"licenseKey\":\"$LICENSE_KEY\"}" -f valid)" == true ]] \
        || die "license.validate of the fresh key is not valid"

    row licenses validate-16x1  license.validate "{\"licenseKey\":\"$LICENSE_KEY\"}" 16 1
    row licenses validate-16x16 license.validate "{\"licenseKey\":\"$LICENSE_KEY\"}" 16 16

    # =========================================================================================
    # Issue 13 (cores): the read rows at 64 and 256 connections, key hashing, each with the
    # daemon's context switches per request; with BASELINE_DAEMON, the same rows against it.
    # =========================================================================================
    KEY_PARAMS="{\"publicKey\":{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"$RSA_N\"}}"
    # scale_rows SECTION PREFIX SOCKET PID LICENSE_KEY [16]: the scaling scenarios on one daemon;
    # with 16, also the 16x1 read rows (the main daemon ran those in its own sections).
    scale_rows() {
        local section="$1" prefix="$2" sock="$3" pid="$4" lic="$5" c
        local clients=(64 256)
        [[ "${6:-}" == 16 ]] && clients=(16 64 256)
        for c in "${clients[@]}"; do
            row "$section" "${prefix}health-${c}x1" system.health '{}' "$c" 1 "$sock" "$pid"
            row "$section" "${prefix}get-${c}x1" client.get "$GET_PARAMS" "$c" 1 "$sock" "$pid"
            row "$section" "${prefix}validate-${c}x1" license.validate "{\"licenseKey\":\"$lic\"}" "$c" 1 "$sock" "$pid"
        done
        row "$section" "${prefix}keyhash-16x1" key.clientId "$KEY_PARAMS" 16 1 "$sock" "$pid"
        row "$section" "${prefix}keyhash-64x1" key.clientId "$KEY_PARAMS" 64 1 "$sock" "$pid"
    }
    scale_rows scale "" "$GW_SOCK" "$GW_PID" "$LICENSE_KEY"
    if [[ -n "${BASELINE_DAEMON:-}" ]]; then
        saved_daemon="$DAEMON"
        DAEMON="$BASELINE_DAEMON"
        start_daemon "$WORK/base.sock" "$WORK/base.sqlite3" "$WORK/base.log"
        BASE_PID="$PID"
        DAEMON="$saved_daemon"
        seed_auth "$WORK/base.sock"
        [[ "$(seed_client "$WORK/base.sock")" == "$CLIENT_ID" ]] || die "the baseline daemon gave another client id"
        scale_rows baseline "base-" "$WORK/base.sock" "$BASE_PID" "$(seed_license "$WORK/base.sock")" 16
        for c in 16 64; do
            if s="$(load "$WORK/base.sock" partner.put "$PUT_PARAMS" "$c" 1)"; then
                store_row baseline-store "base-put-${c}x1" partner.put "$c" 1 "$s"
            else
                store_failed baseline-store "base-put-${c}x1" partner.put "$c" 1
            fi
        done
        if s="$("${CREATE_LOAD[@]}" "$WORK/base.sock" --partner "$AUTH_PARTNER" --policy "$AUTH_POLICY" \
                -c 16 -k 1 -d "$BENCH_SECONDS" -j "$CREATE_PROCS" --json 2>&1)"; then
            store_row baseline-store base-create-16x1 client.create 16 1 "$(grep '^{' <<<"$s" | tail -n 1)"
        else
            store_failed baseline-store base-create-16x1 client.create 16 1
        fi
        stop_daemon "$BASE_PID"
    fi

    # =========================================================================================
    # Issue 6 (delivery): DELIVERY_CREATES client.create calls (16 connections) on a daemon whose
    # eSignet and IDA URLs point at a local sink that answers at once, timed from the first
    # create until the outbox is empty (two rows per create: the eSignet call and the IDA event).
    # =========================================================================================
    # delivery_run NAME [tokens]: sets NAME_RATE (empty when rows were left), NAME_CREATES_S,
    # NAME_S, NAME_PENDING, NAME_FAILED and NAME_STATS (the sink's counts). With `tokens`, the
    # daemon logs in to the sink's auth manager (issue 11, SPEC 7.1) and registers each topic.
    delivery_run() {
        local name="$1" tokens="${2:-}" sink_pid sink t0 out pending failed
        python3 "$ROOT/scripts/http_sink.py" >"$WORK/$name-sink.port" 2>"$WORK/$name-sink.log" &
        sink_pid="$!"
        PIDS+=("$sink_pid")
        for _ in $(seq 200); do [[ -s "$WORK/$name-sink.port" ]] && break; sleep 0.05; done
        sink="http://127.0.0.1:$(head -n 1 "$WORK/$name-sink.port")"
        # The URLs come from the environment, swift-configuration style (SPEC 1.1).
        export ESIGNET_BASEURL="$sink" IDA_WEBSUBHUBURL="$sink/hub"
        if [[ -n "$tokens" ]]; then
            echo "bench-secret" >"$WORK/$name-secret"
            export AUTH_KIND=authmanager AUTH_TOKENURL="$sink/v1/authmanager/authenticate/clientidsecretkey" \
                AUTH_CLIENTID=mosip-pms-client AUTH_APPID=partner AUTH_SECRETFILE="$WORK/$name-secret"
        fi
        start_daemon "$WORK/$name.sock" "$WORK/$name.sqlite3" "$WORK/$name.log"
        unset ESIGNET_BASEURL IDA_WEBSUBHUBURL AUTH_KIND AUTH_TOKENURL AUTH_CLIENTID AUTH_APPID AUTH_SECRETFILE
        local daemon_pid="$PID"
        seed_auth "$WORK/$name.sock"
        t0="$(now_s)"
        out="$("${CREATE_LOAD[@]}" "$WORK/$name.sock" --partner "$AUTH_PARTNER" --policy "$AUTH_POLICY" \
                -c 16 -k 1 -n "$DELIVERY_CREATES" --json 2>&1)" \
            || { sed 's/^/  /' <<<"$out" >&2; die "client.create with delivery ($name) failed"; }
        printf -v "${name}_CREATES_S" '%s' "$(since "$t0")"
        for _ in $(seq 2400); do
            [[ "$(rpc "$WORK/$name.sock" system.health '{}' -f outboxPending)" == 0 ]] && break
            sleep 0.05
        done
        printf -v "${name}_S" '%s' "$(since "$t0")"
        pending="$(rpc "$WORK/$name.sock" system.health '{}' -f outboxPending)"
        failed="$(rpc "$WORK/$name.sock" system.health '{}' -f outboxFailed)"
        printf -v "${name}_PENDING" '%s' "$pending"
        printf -v "${name}_FAILED" '%s' "$failed"
        printf -v "${name}_STATS" '%s' "$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())' "$sink/stats")"
        local seconds_var="${name}_S"
        if [[ "$pending" == 0 && "$failed" == 0 ]]; then
            printf -v "${name}_RATE" '%s' "$(awk -v n="$DELIVERY_CREATES" -v s="${!seconds_var}" 'BEGIN { printf "%.0f", n / s }')"
        else
            printf -v "${name}_RATE" '%s' ""
            FAILED=1
        fi
        stop_daemon "$daemon_pid"
        kill "$sink_pid" 2>/dev/null || true
    }
    DELIVERY_RATE=""
    TOKENS_RATE=""
    if ((DELIVERY_CREATES > 0)); then
        delivery_run DELIVERY
        delivery_run TOKENS tokens
    fi

    # =========================================================================================
    # Issue 9 (hardening): scripts/flood_probe.py against a fresh daemon.
    # =========================================================================================
    start_daemon "$WORK/flood.sock" "$WORK/flood.sqlite3" "$WORK/flood.log"
    FL_PID="$PID"
    FLOOD_JSON="$(python3 "$ROOT/scripts/flood_probe.py" "$WORK/flood.sock" --seconds "$BENCH_SECONDS")" \
        || { FAILED=1; FLOOD_JSON='{}'; }
    stop_daemon "$FL_PID"
    flood_field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get(sys.argv[2], ""))' "$FLOOD_JSON" "$1"; }

    # =========================================================================================
    # PostgreSQL (SPEC 9): partner.put, client.create and client.get at 16x1 on three set-ups,
    # each on a fresh database and seeded alike: SQLite with one daemon (the comparison, in
    # this run), PostgreSQL with one daemon, and two daemons (own sockets, own configs, another
    # server.nodeName) on one PostgreSQL database. Every cell is the same load: two load
    # processes of 8 connections started together, both on the one daemon's socket or one on
    # each daemon's, so that the set-ups differ only in the store and the number of daemons.
    # The server (scripts/pg-test-server.sh) keeps its data beside the SQLite files, in
    # SCRATCH_PARENT (so in /dev/shm with BENCH_TMP=/dev/shm), with fsync back on.
    # =========================================================================================
    PG_SPLIT_THREADS=$(( BENCH_THREADS / 2 > 1 ? BENCH_THREADS / 2 : 1 ))
    PG_SPLIT_PROCS=$(( CREATE_PROCS / 2 > 1 ? CREATE_PROCS / 2 : 1 ))
    CLK_TCK="$(getconf CLK_TCK)"
    declare -A PG_WAITS   # row name → the sessions' wait events during its load
    PG_ERROR=""

    pg_fail() { PG_ERROR="$*"; echo "bench: PostgreSQL: $*" >&2; return 1; }

    # pg_server_start: the throw-away server, in a directory of its own beside WORK (the
    # script hands DIR to its OS user when run as root, and WORK is closed to that user); reads
    # DIR/env into PG_SOCKET_DIR, PG_PORT, PG_USER, PG_DATABASE, PG_PASSWORD_FILE.
    pg_server_start() {
        PG_DIR="$(mktemp -d "$SCRATCH_PARENT/pms-bench-pg.XXXXXX")" || return 1
        # fsync=on: the script turns it off for the tests, but SQLite runs with synchronous=FULL.
        # More connections than the default 100: two daemons' pools must not be what limits.
        # A PG_TEST_SERVER_OPTIONS of the caller's comes after, so it can change any of them.
        PG_TEST_SERVER_OPTIONS="-c fsync=on -c synchronous_commit=on -c max_connections=300 ${PG_TEST_SERVER_OPTIONS:-}" \
            "$ROOT/scripts/pg-test-server.sh" start "$PG_DIR" >"$WORK/pg-start.log" 2>&1 \
            || { sed 's/^/  /' "$WORK/pg-start.log" >&2; pg_fail "scripts/pg-test-server.sh start $PG_DIR failed"; return 1; }
        # shellcheck disable=SC1090
        source <(sed -e 's/^export //' -e 's/^PMS_GATEWAY_PG_/PG_/' "$PG_DIR/env")
        PG_BIN="${PG_TEST_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}"
    }

    # pg_psql [DB] -c SQL | -f FILE ...: psql as the test role, with its password (as the daemon
    # logs in), on PG_DATABASE unless DB is given; tuples only, unaligned.
    pg_psql() {
        local db="$PG_DATABASE"
        [[ "$1" != -* ]] && { db="$1"; shift; }
        PGPASSWORD="$(cat "$PG_PASSWORD_FILE")" "$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
            -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$PG_USER" -d "$db" "$@"
    }
    pg_url() { echo "postgresql://$PG_USER@/$1?host=$PG_SOCKET_DIR&port=$PG_PORT"; }

    # pg_config NAME DB NODE: a config of its own for one daemon ($WORK/config/NAME.json, beside
    # the mapping files): database.url and database.passwordFile instead of database.path, and
    # server.nodeName. Prints its path.
    pg_config() {
        python3 -c 'import json, sys
c = json.load(open(sys.argv[1]))
c["database"] = {"url": sys.argv[3], "passwordFile": sys.argv[4]}
c.setdefault("server", {})["nodeName"] = sys.argv[5]
json.dump(c, open(sys.argv[2], "w"), indent=2)' \
            "$WORK/config/pms-gateway.json" "$WORK/config/$1.json" "$(pg_url "$2")" "$PG_PASSWORD_FILE" "$3" \
            && echo "$WORK/config/$1.json"
    }

    # pg_daemon SOCKET CONFIG NODE LOG: starts a daemon on CONFIG and checks that it serves
    # PostgreSQL as NODE; sets PID. Returns 1 (never ends the bench) when it does not.
    pg_daemon() {
        local sock="$1" cfg="$2" node="$3" log="$4" store got
        "$DAEMON" --config "$cfg" --socket "$sock" --log-level "$LOG_LEVEL" >"$log" 2>&1 &
        PID=$!
        PIDS+=("$PID")
        PG_SECTION_PIDS+=("$PID")
        (wait_ready "$sock" "$PID" "pms-gatewayd ($node)" "$log") \
            || { pg_fail "the daemon on $cfg did not start (log: above)"; return 1; }
        store="$("${RPC[@]}" "$sock" system.health '{}' -f store)"
        got="$("${RPC[@]}" "$sock" system.health '{}' -f node)"
        if [[ "$store" != postgresql || "$got" != "$node" ]]; then
            pg_fail "the daemon on $cfg is not serving PostgreSQL as $node: system.health says store=$store node=$got"
            return 1
        fi
    }

    # ticks PID...: CPU ticks (user + system, every thread) those processes have used so far.
    ticks() {
        local p
        for p in "$@"; do sed 's/.*) //' "/proc/$p/stat" 2>/dev/null || true; done \
            | awk '{ s += $12 + $13 } END { print s + 0 }'
    }
    # pg_ticks: the same for the whole server: the postmaster, its children now, and (through the
    # postmaster's cutime/cstime) the children that have exited.
    pg_ticks() {
        local pm
        [[ -n "$PG_DIR" ]] || { echo 0; return 0; }
        pm="$(head -n 1 "$PG_DIR/data/postmaster.pid" 2>/dev/null)" || { echo 0; return 0; }
        { sed 's/.*) //' "/proc/$pm/stat" 2>/dev/null | awk '{ print $14 + $15 }' || true
          ticks $(pgrep -P "$pm" || true); } | awk '{ s += $1 } END { print s + 0 }'
    }
    # cores TICKS SECONDS: how many cores' worth of CPU that was.
    cores() { awk -v t="$1" -v s="$2" -v hz="$CLK_TCK" 'BEGIN { if (s > 0) printf "%.2f", t / hz / s }'; }

    # commits SOCKET: "writes commits" so far, from the daemon's pmsgw_commit_batch_size histogram.
    commits() {
        "${RPC[@]}" "$1" system.metrics '{}' -f text 2>/dev/null \
            | awk '$1 ~ /^pmsgw_commit_batch_size_sum/ { s += $2 } $1 ~ /^pmsgw_commit_batch_size_count/ { c += $2 }
                   END { print s + 0, c + 0 }' || echo "0 0"
    }
    per_commit() {   # per_commit "W0 C0" "W1 C1": writes per commit in between
        awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " ")
            if (y[2] - x[2] > 0) printf "%.1f", (y[1] - x[1]) / (y[2] - x[2]); else printf "?" }'
    }

    # pg_waits_start DB / pg_waits_stop NAME: what the database's sessions do during a load,
    # sampled every 50 ms from pg_stat_activity on one psql connection: each active session's
    # wait event ("CPU" when it has none), or "idle in transaction" (waiting for its daemon
    # inside a transaction). pg_waits_stop keeps the top four, as shares of all samples, and
    # the mean number of such sessions, in PG_WAITS[NAME].
    pg_waits_start() {
        local i n=$(( (BENCH_SECONDS + 30) * 20 ))
        for ((i = 0; i < n; i++)); do
            echo "SELECT CASE WHEN state = 'idle in transaction' THEN 'idle in transaction'
                  ELSE coalesce(wait_event_type || ':' || wait_event, 'CPU') END
                  FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                  AND state IN ('active', 'idle in transaction');"
            echo "SELECT '-';"
            echo "SELECT pg_sleep(0.05);"
        done >"$WORK/waits.sql"
        PGPASSWORD="$(cat "$PG_PASSWORD_FILE")" "$PG_BIN/psql" -X -q -A -t -h "$PG_SOCKET_DIR" \
            -p "$PG_PORT" -U "$PG_USER" -d "$1" -f "$WORK/waits.sql" >"$WORK/waits.out" 2>&1 &
        WAITS_PID=$!
        PIDS+=("$WAITS_PID")
    }
    pg_waits_stop() {
        stop_daemon "$WAITS_PID"
        PG_WAITS[$1]="$(awk '$0 == "-" { rounds++; next } NF { n++; c[$0]++ }
            END { if (!rounds) exit
                  printf "%.1f sessions busy on average", n / rounds
                  k = 0
                  while (k < 4) { best = ""; for (w in c) if (best == "" || c[w] > c[best]) best = w
                                  if (best == "") break
                                  printf "%s %s %.0f%%", (k ? "," : ":"), best, 100 * c[best] / n; delete c[best]; k++ }
                  printf " (%d samples)", rounds }' "$WORK/waits.out")"
    }

    # pair_load KIND SOCKET_A SOCKET_B: 16 connections at pipeline 1 as two processes of 8, one
    # on each socket (the same one twice for a single daemon), started together. KIND: put
    # (partner.put, a new partner each), create (client.create, a fresh RSA-2048 key each, by
    # scripts/create_load.py) or get (client.get of the seeded client). Sets PAIR_RPS (both
    # processes' answers ÷ the span from the earlier start to the later end, so a skewed start
    # lowers the rate and never raises it), PAIR_P50 and PAIR_P99 (the worse process's), PAIR_S.
    pair_load() {
        local kind="$1" i sock pids=() rc end s ok rps spans=""
        for i in 0 1; do
            sock="$2"; ((i == 0)) || sock="$3"
            (
                rc=0
                case "$kind" in
                    put) "$TOOLS/rpcload" "$sock" -m partner.put -c 8 -k 1 -d "$BENCH_SECONDS" \
                            -p "{\"partnerId\":\"pg$i-{run}{n}\",\"partnerType\":\"Auth_Partner\",\"name\":\"bench\",\"status\":\"ACTIVE\"}" \
                            -j "$PG_SPLIT_THREADS" --json || rc=$? ;;
                    get) "$TOOLS/rpcload" "$sock" -m client.get -p "$GET_PARAMS" -c 8 -k 1 -d "$BENCH_SECONDS" \
                            -j "$PG_SPLIT_THREADS" --json || rc=$? ;;
                    create) "${CREATE_LOAD[@]}" "$sock" --partner "$AUTH_PARTNER" --policy "$AUTH_POLICY" \
                            -c 8 -k 1 -d "$BENCH_SECONDS" -j "$PG_SPLIT_PROCS" --json || rc=$? ;;
                esac >"$WORK/pair$i.out" 2>&1
                echo "$rc $(now_s)" >"$WORK/pair$i.end"
            ) &
            pids+=("$!")
            PIDS+=("$!")
        done
        for i in 0 1; do wait "${pids[$i]}" || true; forget_pid "${pids[$i]}"; done
        PAIR_RPS=""; PAIR_P50=0; PAIR_P99=0
        for i in 0 1; do
            sock="$2"; ((i == 0)) || sock="$3"
            rc=1; end=""
            read -r rc end <"$WORK/pair$i.end" || true
            s="$(grep '^{' "$WORK/pair$i.out" | tail -n 1)"
            ok="$(json_num ok "$s")"; rps="$(json_num rps "$s")"
            if [[ "$rc" != 0 || -z "$ok" || -z "$rps" || "$rps" == 0 ]]; then
                echo "bench: $kind load $((i + 1)) of 2 (8x1 on $sock) failed:" >&2
                sed 's/^/  /' "$WORK/pair$i.out" >&2
                return 1
            fi
            spans+="$end $ok $rps "
            PAIR_P50="$(awk -v a="$PAIR_P50" -v b="$(json_num p50_ms "$s")" 'BEGIN { print (b > a) ? b : a }')"
            PAIR_P99="$(awk -v a="$PAIR_P99" -v b="$(json_num p99_ms "$s")" 'BEGIN { print (b > a) ? b : a }')"
        done
        read -r PAIR_RPS PAIR_S < <(awk -v v="$spans" 'BEGIN { n = split(v, x, " ")
            for (i = 1; i <= n; i += 3) { end = x[i]; ok = x[i + 1]; start = end - ok / x[i + 2]; total += ok
                                          if (i == 1 || start < lo) lo = start; if (i == 1 || end > hi) hi = end }
            printf "%.0f %.2f\n", total / (hi - lo), hi - lo }')
    }

    PG_ROWS=""
    # pg_rows TAG STORE DB SOCKET_A SOCKET_B PID...: seeds through SOCKET_A (partner, policy,
    # mapping, the client.get client: the same id as on the main daemon), checks that SOCKET_B
    # reads it, then the three loads, each a row of PG_ROWS, with the daemons' and the server's
    # CPU, the writes per commit of each daemon and (DB set) the sessions' wait events.
    pg_rows() {
        local tag="$1" store="$2" db="$3" a="$4" b="$5"; shift 5
        local pids=("$@") cid kind method name t0 t1 p0 p1 c0a c0b c1a c1b wpc cpu pgcpu
        (seed_auth "$a") || { pg_fail "$tag: seeding through $a failed"; return 1; }
        cid="$(seed_client "$a")" || { pg_fail "$tag: the client.get client could not be created"; return 1; }
        [[ "$cid" == "$CLIENT_ID" ]] || { pg_fail "$tag: the client.get client is $cid, not $CLIENT_ID"; return 1; }
        if [[ "$b" != "$a" ]]; then
            "${RPC[@]}" "$b" client.get "$GET_PARAMS" >/dev/null \
                || { pg_fail "$tag: the second daemon does not read the client the first one created"; return 1; }
        fi
        for kind in put create get; do
            case "$kind" in put) method=partner.put ;; create) method=client.create ;; get) method=client.get ;; esac
            name="$tag-$kind-16x1"
            c0a="$(commits "$a")"; c0b="$(commits "$b")"
            [[ -n "$db" ]] && pg_waits_start "$db"
            t0="$(ticks "${pids[@]}")"; p0="$(pg_ticks)"
            if ! pair_load "$kind" "$a" "$b"; then
                [[ -n "$db" ]] && pg_waits_stop "$name"
                PG_ROWS+="| $name | 16x1 | $method | $store | FAILED | | | | |"$'\n'
                FAILED=1
                continue
            fi
            t1="$(ticks "${pids[@]}")"; p1="$(pg_ticks)"
            [[ -n "$db" ]] && pg_waits_stop "$name"
            c1a="$(commits "$a")"; c1b="$(commits "$b")"
            wpc="–"
            if [[ "$kind" != get ]]; then
                wpc="$(per_commit "$c0a" "$c1a")"
                [[ "$b" == "$a" ]] || wpc+=" / $(per_commit "$c0b" "$c1b")"
            fi
            cpu="$(cores "$((t1 - t0))" "$PAIR_S")"
            pgcpu="–"; [[ -n "$db" ]] && pgcpu="$(cores "$((p1 - p0))" "$PAIR_S")"
            RESULT[$name.rps]="$PAIR_RPS"
            RESULT[$name.p99]="$PAIR_P99"
            PG_ROWS+="$(printf '| %s | 16x1 (%s) | %s | %s | %s | %.3f / %.3f | %s | %s | %s |' \
                "$name" "$([[ "$b" == "$a" ]] && echo "8+8 on one socket" || echo "8+8 on two sockets")" "$method" "$store" \
                "$PAIR_RPS" "$PAIR_P50" "$PAIR_P99" "$cpu" "$pgcpu" "$wpc")"$'\n'
        done
    }

    # pg_raw: PostgreSQL's own commit rates at 16 connections (pgbench, fresh database), the
    # counterpart of sqlite_limit: one INSERT per commit, and an INSERT plus an UPDATE of one
    # shared row per commit (every commit waits for the one before it to release the row, as
    # journal appends wait for the head row without group commit).
    pg_raw() {
        local secs script out
        secs="$(awk -v s="$SQLITE_SECONDS" 'BEGIN { printf "%d", (s == int(s)) ? s : int(s) + 1 }')"
        pg_psql -c "CREATE DATABASE bench_raw" || return 1
        pg_psql bench_raw -c "CREATE TABLE raw_rows (id bigserial PRIMARY KEY, payload text NOT NULL);
            CREATE TABLE raw_head (id int PRIMARY KEY, n bigint NOT NULL); INSERT INTO raw_head VALUES (1, 0);" || return 1
        for script in insert head; do
            if [[ "$script" == insert ]]; then
                echo "INSERT INTO raw_rows (payload) VALUES (repeat('x', 200));"
            else
                printf '%s\n' "BEGIN;" "INSERT INTO raw_rows (payload) VALUES (repeat('x', 200));" \
                    "UPDATE raw_head SET n = n + 1 WHERE id = 1;" "COMMIT;"
            fi >"$WORK/raw-$script.sql"
            out="$(PGPASSWORD="$(cat "$PG_PASSWORD_FILE")" "$PG_BIN/pgbench" -n -f "$WORK/raw-$script.sql" \
                    -c 16 -j 2 -T "$secs" -h "$PG_SOCKET_DIR" -p "$PG_PORT" -U "$PG_USER" bench_raw 2>&1)" \
                || { sed 's/^/  /' <<<"$out" >&2; return 1; }
            printf -v "PG_RAW_${script^^}" '%s' "$(awk '/^tps = / { printf "%.0f", $3; exit }' <<<"$out")"
        done
        PG_RAW_SECS="$secs"
        pg_psql -c "DROP DATABASE bench_raw" || true   # nothing left for autovacuum during the rows
    }

    # pg_section: all of it; returns 1 at the first failure (PG_ERROR says which), leaving the
    # rows measured until then.
    PG_SECTION_PIDS=()
    pg_section() {
        local cfg_a cfg_b
        pg_server_start || return 1
        PG_VERSION="$("$PG_BIN/postgres" --version | awk '{ print $3 }')"
        PG_SETTINGS="$(pg_psql -c "SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)
            FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'wal_level')")" \
            || { pg_fail "psql as $PG_USER failed"; return 1; }
        if [[ "$SQLITE_SECONDS" != 0 ]]; then
            pg_raw || { pg_fail "pgbench (the raw commit rates) failed"; return 1; }
        fi

        # SQLite, one daemon, a fresh file.
        start_daemon "$WORK/cmp-sqlite.sock" "$WORK/cmp.sqlite3" "$WORK/cmp-sqlite.log"
        PG_SECTION_PIDS+=("$PID")
        pg_rows sqlite "SQLite, 1 daemon" "" "$WORK/cmp-sqlite.sock" "$WORK/cmp-sqlite.sock" "$PID" || return 1
        stop_daemon "$PID"

        # PostgreSQL, one daemon.
        pg_psql -c "CREATE DATABASE bench_one" || { pg_fail "CREATE DATABASE bench_one failed"; return 1; }
        cfg_a="$(pg_config pg-one bench_one bench-one)" || { pg_fail "writing the config failed"; return 1; }
        pg_daemon "$WORK/pg-one.sock" "$cfg_a" bench-one "$WORK/pg-one.log" || return 1
        pg_rows pg1 "PostgreSQL, 1 daemon" bench_one "$WORK/pg-one.sock" "$WORK/pg-one.sock" "$PID" || return 1
        PG_CONNS_ONE="$(pg_psql -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bench_one'")"
        stop_daemon "$PID"

        # PostgreSQL, two daemons on one database.
        pg_psql -c "CREATE DATABASE bench_two" || { pg_fail "CREATE DATABASE bench_two failed"; return 1; }
        cfg_a="$(pg_config pg-two-a bench_two bench-a)" && cfg_b="$(pg_config pg-two-b bench_two bench-b)" \
            || { pg_fail "writing the configs failed"; return 1; }
        pg_daemon "$WORK/pg-a.sock" "$cfg_a" bench-a "$WORK/pg-a.log" || return 1
        local pid_a="$PID"
        pg_daemon "$WORK/pg-b.sock" "$cfg_b" bench-b "$WORK/pg-b.log" || return 1
        pg_rows pg2 "PostgreSQL, 2 daemons" bench_two "$WORK/pg-a.sock" "$WORK/pg-b.sock" "$pid_a" "$PID" || return 1
        PG_CONNS_TWO="$(pg_psql -c "SELECT count(*) FROM pg_stat_activity WHERE datname = 'bench_two'")"
        # One chain across both daemons: verified through each.
        local sock out
        for sock in "$WORK/pg-a.sock" "$WORK/pg-b.sock"; do
            out="$("${RPC[@]}" "$sock" journal.verify '{}')" || { pg_fail "journal.verify through $sock failed"; return 1; }
            grep -q '"ok":true' <<<"$out" || { pg_fail "journal.verify through $sock: $out"; return 1; }
        done
        PG_VERIFY="ok on both, $(json_num entries "$out") entries"
        stop_daemon "$pid_a"
        stop_daemon "$PID"
    }

    PG_STATUS="skipped (BENCH_POSTGRES=0)"
    if [[ "$BENCH_POSTGRES" != 0 ]]; then
        if pg_section; then
            PG_STATUS=ok
        else
            PG_STATUS="FAILED: $PG_ERROR"
            FAILED=1
        fi
        for pid in "${PG_SECTION_PIDS[@]}"; do stop_daemon "$pid"; done
        [[ -z "${WAITS_PID:-}" ]] || stop_daemon "$WAITS_PID"
        if [[ -n "$PG_DIR" ]]; then
            PG_FS="$(df --output=target,fstype "$PG_DIR" | tail -n 1 | awk '{ print $1 " (" $2 ")" }')"
            "$ROOT/scripts/pg-test-server.sh" stop "$PG_DIR" >/dev/null || FAILED=1
            PG_DIR=""
        fi
    fi

    # =========================================================================================
    # Issue 3 (store): journal.verify over JOURNAL_ENTRIES entries, on a database of its own
    # filled through the daemon (partner.put, 64 clients x 4 in flight).
    # =========================================================================================
    VERIFY_MS=()
    VERIFY_MEDIAN_S=""
    if ((JOURNAL_ENTRIES > 0)); then
        JR_SOCK="$WORK/journal.sock"
        start_daemon "$JR_SOCK" "$WORK/journal.sqlite3" "$WORK/journal.log"
        JR_PID="$PID"
        t0="$(now_s)"
        head="$(rpc "$JR_SOCK" system.health '{}' -f journalHead)"
        while ((head < JOURNAL_ENTRIES)); do
            out="$("$TOOLS/rpcload" "$JR_SOCK" -m partner.put -p "$PUT_PARAMS" -c 64 -k 4 \
                    -n "$((JOURNAL_ENTRIES - head))" --json 2>&1)" \
                || { sed 's/^/  /' <<<"$out" >&2; die "filling the journal failed"; }
            head="$(rpc "$JR_SOCK" system.health '{}' -f journalHead)"
        done
        JOURNAL_FILL_S="$(since "$t0")"
        JOURNAL_HEAD="$head"
        for i in $(seq "$VERIFY_RUNS"); do
            out="$(rpc "$JR_SOCK" journal.verify '{}' --time)"
            grep -q '"ok":true' <<<"$out" || die "journal.verify is not ok: $out"
            VERIFY_MS+=("$(cut -f1 <<<"$out")")
            VERIFY_ENTRIES="$(json_num entries "$out")"
        done
        VERIFY_MEDIAN_S="$(awk -v m="$(median "${VERIFY_MS[@]}")" 'BEGIN { printf "%.2f", m / 1000 }')"
        JOURNAL_DB_MIB="$(du -m "$WORK/journal.sqlite3" | cut -f1)"
        stop_daemon "$JR_PID"
        rm -f "$WORK"/journal.sqlite3*
    fi

    # =========================================================================================
    # Issue 4 (clients): CLIENTS_LOADED clients in the main database, then start-up time on it
    # and RSS after a client.get load.
    # =========================================================================================
    READY_LOADED=()
    READY_LOADED_MEDIAN=""
    RSS_LOADED_KIB=""
    if ((CLIENTS_LOADED > 0)); then
        have="$(rpc "$GW_SOCK" system.health '{}' -f clients)"
        t0="$(now_s)"
        if ((have < CLIENTS_LOADED)); then
            out="$("${CREATE_LOAD[@]}" "$GW_SOCK" --partner "$AUTH_PARTNER" --policy "$AUTH_POLICY" \
                    -c 16 -k 4 -n "$((CLIENTS_LOADED - have))" --json 2>&1)" \
                || { sed 's/^/  /' <<<"$out" >&2; die "loading $CLIENTS_LOADED clients failed"; }
        fi
        TOPUP_N="$((CLIENTS_LOADED - have))"
        TOPUP_S="$(since "$t0")"
        LOADED_HEALTH="$(rpc "$GW_SOCK" system.health '{}')"
        LOADED_CLIENTS="$(json_num clients "$LOADED_HEALTH")"
        LOADED_HEAD="$(json_num journalHead "$LOADED_HEALTH")"
        LOADED_DB_MIB="$(du -m "$GW_DB" | cut -f1)"
        stop_daemon "$GW_PID"

        ready_runs loaded "$GW_DB"
        READY_LOADED=("${READY[@]}")
        READY_LOADED_MEDIAN="$READY_MEDIAN"

        # A fresh process on the loaded database, a client.get load, then its memory.
        start_daemon "$GW_SOCK" "$GW_DB" "$GW_LOG"
        GW_PID="$PID"
        if s="$(load "$GW_SOCK" client.get "$GET_PARAMS" 16 16)"; then
            LOADED_GET_RPS="$(json_num rps "$s")"
        else
            FAILED=1
        fi
        kill -0 "$GW_PID" 2>/dev/null || { tail -n 20 "$GW_LOG" >&2; die "the daemon died during the load"; }
        RSS_LOADED_KIB="$(proc_kib "$GW_PID" VmRSS)"
        HWM_LOADED_KIB="$(proc_kib "$GW_PID" VmHWM)"
    fi
fi

# =============================================================================================
# Report
# =============================================================================================
MISSED=0
# check LABEL VALUE OP BOUND UNIT: one line of a targets table.
check() {
    local label="$1" value="$2" op="$3" bound="$4" unit="$5" verdict
    if [[ -z "$value" ]]; then
        verdict="n/a"
        MISSED=1
    elif awk -v v="$value" -v b="$bound" -v op="$op" \
            'BEGIN { exit !((op == "<" && v + 0 < b + 0) || (op == "<=" && v + 0 <= b + 0) || (op == ">=" && v + 0 >= b + 0)) }'; then
        verdict="ok"
    else
        verdict="MISSED"
        MISSED=1
    fi
    printf '| %s | %s | %s %s | %s |\n' "$label" "${value:-?}${unit:+ $unit}" "$op" "$bound${unit:+ $unit}" "$verdict"
}
targets_header() { echo; echo "| target | measured | bound | |"; echo "|---|---:|---:|---|"; }
rt_header() {
    echo "| scenario | clients x pipeline | method | echo req/s | daemon req/s | ratio | echo p50 / p99 ms | daemon p50 / p99 ms | daemon cs/req |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
}
store_header() {
    echo "| scenario | clients x pipeline | method | raw FULL batch=1 rows/s | daemon req/s | x raw | daemon p50 / p99 ms |"
    echo "|---|---|---|---:|---:|---:|---:|"
}

echo "## pms-gateway benchmark"
echo
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -srm), ${BENCH_SECONDS} s per run, rpcload -j $BENCH_THREADS;" \
     "whole run $(since "$BENCH_START") s"
if [[ -n "$DAEMON_CMD" ]]; then
    echo "daemon: DAEMON_CMD=\`$DAEMON_CMD\` (stand-in; the issue sections are skipped)"
elif [[ "$(head -c 2 "$DAEMON")" == "#!" ]]; then
    # scripts/bench-bundle.sh's wrapper: the binary it runs is not this file.
    echo "daemon: \`$DAEMON\` (a wrapper script)"
else
    echo "daemon: \`$DAEMON\` ($(( $(stat -c %s "$DAEMON") / 1024 )) KiB;" \
         "links libFoundation.so: $(ldd "$DAEMON" 2>/dev/null | grep -q 'libFoundation\.so' && echo yes || echo no))"
fi
echo
echo "### Transport baseline (system.health)"
echo
rt_header
printf '%s' "${ROWS[base]:-}"
echo
echo "Daemon after the load: VmRSS $(mib "$RSS_KIB") MiB (peak VmHWM $(mib "$HWM_KIB") MiB), $THREADS threads."
echo "Start-up, exec → first answered system.health on a fresh database (ms, $READY_RUNS runs):" \
     "${READY_FRESH[*]:-none}; median ${READY_FRESH_MEDIAN:-?}; SIGTERM → exit ${STOP_FRESH_MS:-?} ms."
targets_header
check "ratio at 16x1" "${RESULT[health-16x1.ratio]:-}" ">=" "$TARGET_RATIO_16x1" ""
check "daemon p99 at 16x1" "${RESULT[health-16x1.p99]:-}" "<" "$TARGET_P99_16x1_MS" "ms"
check "RSS after load" "$(mib "$RSS_KIB")" "<" "$TARGET_RSS_MIB" "MiB"
check "ready (median)" "$READY_FRESH_MEDIAN" "<" "$TARGET_READY_MS" "ms"

if ((ISSUES)); then
    echo
    echo "### Issue 3: store (partner.put, journal.verify)"
    echo
    echo "Raw SQLite in this run (sqlite_limit, below): WAL sync=FULL batch=1 ${RAW_FULL1:-?} rows/s," \
         "batch=16 ${RAW_FULL16:-?} rows/s. Each partner.put is one new partner and one journal entry."
    echo
    store_header
    printf '%s' "${ROWS[store]:-}"
    echo
    if ((JOURNAL_ENTRIES > 0)); then
        echo "journal.verify over ${VERIFY_ENTRIES:-?} entries (filled through partner.put 64x4 in" \
             "${JOURNAL_FILL_S:-?} s, database ${JOURNAL_DB_MIB:-?} MiB), round trip over the socket" \
             "(ms, $VERIFY_RUNS runs): ${VERIFY_MS[*]:-none}; median ${VERIFY_MEDIAN_S:-?} s; ok: true."
    else
        echo "journal.verify: skipped (JOURNAL_ENTRIES=0)."
    fi
    targets_header
    check "partner.put 16x1 ÷ raw FULL batch=1" "${RESULT[put-16x1.xraw]:-}" ">=" "$TARGET_PUT_X_RAW" "x"
    check "partner.put p99 at 16x1" "${RESULT[put-16x1.p99]:-}" "<" "$TARGET_PUT_P99_MS" "ms"
    if ((JOURNAL_ENTRIES > 0)); then
        check "journal.verify, $JOURNAL_ENTRIES entries (median)" "$VERIFY_MEDIAN_S" "<" "$TARGET_VERIFY_S" "s"
    fi

    echo
    echo "### Issue 4: OIDC clients (client.get, client.create, $CLIENTS_LOADED clients)"
    echo
    echo "client.get of one RSA-2048 client (\`$CLIENT_ID\`):"
    echo
    rt_header
    printf '%s' "${ROWS[clients]:-}" | grep -v '^| create' || true
    echo
    echo "client.create, 16 connections, a fresh RSA key per request (scripts/create_load.py):"
    echo
    store_header
    printf '%s' "${ROWS[clients]:-}" | grep '^| create' || true
    echo
    if ((CLIENTS_LOADED > 0)); then
        echo "Loaded: $TOPUP_N clients created in $TOPUP_S s (16x4," \
             "$(awk -v n="$TOPUP_N" -v s="$TOPUP_S" 'BEGIN { if (s > 0) printf "%.0f", n / s }')/s);" \
             "now $LOADED_CLIENTS clients, journal head $LOADED_HEAD, database $LOADED_DB_MIB MiB."
        echo "Start-up on it, exec → first answered system.health (ms, $READY_RUNS runs):" \
             "${READY_LOADED[*]:-none}; median ${READY_LOADED_MEDIAN:-?}."
        echo "Restarted daemon after client.get 16x16 for ${BENCH_SECONDS} s (${LOADED_GET_RPS:-?} req/s):" \
             "VmRSS $(mib "${RSS_LOADED_KIB:-0}") MiB (peak VmHWM $(mib "${HWM_LOADED_KIB:-0}") MiB)."
    else
        echo "Loaded start-up and RSS: skipped (CLIENTS_LOADED=0)."
    fi
    targets_header
    check "client.get ratio at 16x1" "${RESULT[get-16x1.ratio]:-}" ">=" "$TARGET_GET_RATIO" ""
    check "client.get p99 at 16x1" "${RESULT[get-16x1.p99]:-}" "<" "$TARGET_GET_P99_MS" "ms"
    check "client.create 16x1 ÷ raw FULL batch=1" "${RESULT[create-16x1.xraw]:-}" ">=" "$TARGET_CREATE_X_RAW" "x"
    if ((CLIENTS_LOADED > 0)); then
        check "ready with $CLIENTS_LOADED clients (median)" "$READY_LOADED_MEDIAN" "<" "$TARGET_READY_LOADED_MS" "ms"
        check "RSS with $CLIENTS_LOADED clients" "$(mib "${RSS_LOADED_KIB:-0}")" "<" "$TARGET_RSS_LOADED_MIB" "MiB"
    fi

    echo
    echo "### Issue 5: licenses (license.validate)"
    echo
    rt_header
    printf '%s' "${ROWS[licenses]:-}"
    targets_header
    check "license.validate ratio at 16x1" "${RESULT[validate-16x1.ratio]:-}" ">=" "$TARGET_LIC_RATIO" ""
    check "license.validate p99 at 16x1" "${RESULT[validate-16x1.p99]:-}" "<" "$TARGET_LIC_P99_MS" "ms"

    echo
    echo "### Issue 13: cores (reads at 16, 64 and 256 connections, key hashing)"
    echo
    echo "This daemon (the 16x1 read rows are in the sections above):"
    echo
    rt_header
    printf '%s' "${ROWS[scale]:-}"
    if [[ -n "${BASELINE_DAEMON:-}" ]]; then
        echo
        echo "Baseline \`$BASELINE_DAEMON\`, same run, same load:"
        echo
        rt_header
        printf '%s' "${ROWS[baseline]:-}"
        echo
        store_header
        printf '%s' "${ROWS[baseline-store]:-}"
    fi
    echo
    echo "partner.put 64x1 ÷ raw FULL batch=16 (${RAW_FULL16:-?} rows/s):" \
         "$(awk -v g="${RESULT[put-64x1.rps]:-0}" -v r="${RAW_FULL16:-0}" 'BEGIN { if (r > 0) printf "%.2f", g / r }');" \
         "client.create 16x1: ${RESULT[create-16x1.rps]:-?} req/s (create_load.py -j ${CREATE_PROCS:-1}, keys made before the clock)."
    targets_header
    for r in health get validate; do
        check "$r cs/req at 16x1" "${RESULT[$r-16x1.cs]:-}" "<=" "$TARGET_CS_PER_REQ" ""
    done
    if (( $(nproc) >= 16 )); then
        for r in health get validate; do
            check "$r ratio at 64x1 (16 cores)" "${RESULT[$r-64x1.ratio]:-}" ">=" "$TARGET_READ_64_RATIO_16C" ""
            check "$r p99 at 16x1 (16 cores)" "${RESULT[$r-16x1.p99]:-}" "<" "$TARGET_READ_P99_16_MS_16C" "ms"
            check "$r p99 at 256x1 (16 cores)" "${RESULT[$r-256x1.p99]:-}" "<" "$TARGET_READ_P99_256_MS_16C" "ms"
        done
        check "partner.put 64x1 ÷ raw FULL batch=16 (16 cores)" \
            "$(awk -v g="${RESULT[put-64x1.rps]:-0}" -v r="${RAW_FULL16:-0}" 'BEGIN { if (r > 0) printf "%.2f", g / r }')" \
            ">=" "$TARGET_PUT64_X_RAW16_16C" "x"
        check "key.clientId req/s at 64x1 (16 cores)" "${RESULT[keyhash-64x1.rps]:-}" ">=" "$TARGET_KEYHASH_64_16C" "/s"
        check "client.create req/s at 16x1 (16 cores)" "${RESULT[create-16x1.rps]:-}" ">=" "$TARGET_CREATE_16C" "/s"
    fi
    if [[ -n "${BASELINE_DAEMON:-}" ]]; then
        check "key.clientId at 64x1 ÷ baseline" \
            "$(awk -v g="${RESULT[keyhash-64x1.rps]:-0}" -v b="${RESULT[base-keyhash-64x1.rps]:-0}" 'BEGIN { if (b > 0) printf "%.2f", g / b }')" \
            ">=" "$TARGET_KEYHASH_X_BASE" "x"
    fi
    echo
    echo "### Issue 6: delivery to eSignet and IDA (client.create end to end)"
    echo
    if ((DELIVERY_CREATES > 0)); then
        echo "$DELIVERY_CREATES client.create calls from 16 connections, delivery on, to a local sink" \
             "(scripts/http_sink.py): creates acknowledged in $DELIVERY_CREATES_S s, every row delivered after" \
             "$DELIVERY_S s (pending ${DELIVERY_PENDING:-?}, failed ${DELIVERY_FAILED:-?})."
        targets_header
        check "client.create/s end to end, all delivered" "$DELIVERY_RATE" ">=" "$TARGET_DELIVERY_RATE" "/s"
        echo
        echo "With MOSIP's credentials on (issue 11): the same load, the daemon logging in to the sink's" \
             "auth manager and registering each topic before its first publish: creates acknowledged in" \
             "$TOKENS_CREATES_S s, every row delivered after $TOKENS_S s (pending ${TOKENS_PENDING:-?}," \
             "failed ${TOKENS_FAILED:-?}); the sink counted $TOKENS_STATS."
        targets_header
        check "client.create/s end to end with tokens and topic registration" "$TOKENS_RATE" ">=" \
            "$TARGET_DELIVERY_RATE" "/s"
        check "token fetches for the whole run" "$(json_num tokens "$TOKENS_STATS")" "<" 3 ""
    else
        echo "Skipped (DELIVERY_CREATES=0)."
    fi

    echo
    echo "### Issue 9: a well-behaved peer during a flood (scripts/flood_probe.py)"
    echo
    echo "4 processes each loop: connect, 2,000 pipelined system.health lines, close unread;" \
         "the victim asks one at a time. Quiet (before the flood): p50 $(flood_field quietP50) ms," \
         "p99 $(flood_field quietP99) ms. During: $(flood_field answers) answers, p50 $(flood_field p50) ms," \
         "max $(flood_field max) ms."
    targets_header
    check "victim p99 during the flood" "$(flood_field p99)" "<" "$TARGET_FLOOD_P99_MS" "ms"
    check "victim's first answer after the flood" "$(flood_field after)" "<" "$TARGET_FLOOD_AFTER_MS" "ms"

    echo
    echo "### PostgreSQL (SPEC 9): one daemon and two daemons on one database"
    echo
    if [[ "$PG_STATUS" == skipped* ]]; then
        echo "Skipped (BENCH_POSTGRES=0)."
    else
        if [[ "$PG_STATUS" != ok ]]; then
            echo "**$PG_STATUS** (the rows measured before that are below)."
            echo
        fi
        echo "PostgreSQL ${PG_VERSION:-?} (scripts/pg-test-server.sh), its data directory in ${PG_FS:-?}, SQLite's" \
             "file in $(df --output=target,fstype "$WORK" | tail -n 1 | awk '{ print $1 " (" $2 ")" }') (BENCH_TMP" \
             "puts both in one place); ${PG_SETTINGS:-?}. The test script runs the server with fsync=off; the bench" \
             "turns it on, as SQLite runs with synchronous=FULL. The daemons log in over the Unix socket with" \
             "their database.passwordFile (scram-sha-256)."
        echo "Each set-up on a fresh database, seeded alike. Every row is 16 connections at pipeline 1 as two" \
             "load processes of 8 started together, both on the one daemon's socket or one on each daemon's;" \
             "req/s is both processes' answers over the span from the first start to the last end, p50 / p99" \
             "the worse process's. Cores: CPU the daemons and the whole PostgreSQL server used during the load" \
             "(of $(nproc)); writes per commit: each daemon's pmsgw_commit_batch_size over the load."
        if [[ -n "${PG_RAW_INSERT:-}" ]]; then
            echo "Raw PostgreSQL on the same server (pgbench, 16 connections, ${PG_RAW_SECS} s): one INSERT per" \
                 "commit ${PG_RAW_INSERT} tx/s; an INSERT and an UPDATE of one shared row per commit" \
                 "${PG_RAW_HEAD:-?} tx/s (commits in single file, as journal appends behind the head row are" \
                 "without group commit). SQLite WAL sync=FULL batch=1 in this run: ${RAW_FULL1:-?} rows/s."
        fi
        echo
        echo "| scenario | clients x pipeline | method | store, daemons | req/s | p50 / p99 ms | daemon cores | postgres cores | writes per commit |"
        echo "|---|---|---|---|---:|---:|---:|---:|---:|"
        printf '%s' "$PG_ROWS"
        echo
        if ((${#PG_WAITS[@]})); then
            echo "What the PostgreSQL sessions of the bench database did during each load (pg_stat_activity every" \
                 "50 ms: an active session's wait event, CPU when it has none, or idle in transaction, waiting for" \
                 "its daemon inside a transaction):"
            echo
            for name in pg1-put-16x1 pg1-create-16x1 pg1-get-16x1 pg2-put-16x1 pg2-create-16x1 pg2-get-16x1; do
                [[ -z "${PG_WAITS[$name]:-}" ]] || echo "- \`$name\`: ${PG_WAITS[$name]}"
            done
            echo
        fi
        echo "Reading the limit: daemon and postgres cores adding up to $(nproc) mean this machine's CPU is" \
             "it; busy sessions close to the daemons' connections (below) mean their connection pools are;" \
             "idle in transaction means sessions wait on their daemon between statements (round trips, or" \
             "its CPU) while holding the transaction open; Lock waits (tuple, transactionid) with few writes" \
             "per commit mean the journal head's serialisation is; IO:WALSync or LWLock:WALWrite mean the WAL" \
             "flush is."
        # ratio A B: A's req/s ÷ B's (empty when either is missing); shown A B: the same or "?".
        ratio() { awk -v a="${RESULT[$1.rps]:-}" -v b="${RESULT[$2.rps]:-}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b }'; }
        shown() { local r; r="$(ratio "$1" "$2")"; echo "${r:-?}"; }
        echo "Two daemons ÷ one: partner.put $(shown pg2-put-16x1 pg1-put-16x1), client.get" \
             "$(shown pg2-get-16x1 pg1-get-16x1). PostgreSQL (one daemon) ÷ SQLite: partner.put" \
             "$(shown pg1-put-16x1 sqlite-put-16x1), client.create $(shown pg1-create-16x1 sqlite-create-16x1)." \
             "Connections to the database: ${PG_CONNS_ONE:-?} with one daemon, ${PG_CONNS_TWO:-?} with two." \
             "journal.verify through each of the two daemons afterwards: ${PG_VERIFY:-not reached}." \
             "The single-process SQLite rows above, for comparison: client.get 16x1 ${RESULT[get-16x1.rps]:-?} req/s," \
             "client.create 16x1 ${RESULT[create-16x1.rps]:-?} req/s."
        targets_header
        check "client.create 16x1, two daemons ÷ one (PostgreSQL)" "$(ratio pg2-create-16x1 pg1-create-16x1)" \
            ">=" "$TARGET_PG_CREATE_2X1" "x"
        check "client.get 16x1, PostgreSQL ÷ SQLite (one daemon each)" "$(ratio pg1-get-16x1 sqlite-get-16x1)" \
            ">=" "$TARGET_PG_GET_X_SQLITE" "x"
    fi
fi

if [[ -n "$SQLITE_OUT" ]]; then
    echo
    echo "### SQLite raw commit rates on this disk (sqlite_limit -s $SQLITE_SECONDS, in $(df --output=target "$WORK" | tail -n 1))"
    echo
    echo '```'
    echo "$SQLITE_OUT"
    echo '```'
fi

if ((FAILED)); then
    die "some measurements failed (see above)"
fi
if ((MISSED)) && [[ "$BENCH_STRICT" == 1 ]]; then
    die "targets missed"
fi
