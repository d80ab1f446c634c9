#!/usr/bin/env bash
# Benchmarks the release daemon against the physical limit of this machine and prints Markdown.
#
#   make bench                      (builds the release binary and the tools, then runs this)
#   scripts/bench.sh                (needs .tools/ and .build/release/pms-gatewayd already)
#
# For each scenario (`row` below) the same load (.tools/rpcload) is driven once against
# .tools/ndjson_echo, a C server that answers every line with a canned reply (the floor cost
# of one NDJSON round trip on a Unix socket), and once against the daemon. Then: the daemon's
# RSS after the load, the time from exec to the first answered system.health on a fresh
# database (.tools/ready_probe, polling every 1 ms), and SQLite's raw commit rates on this disk
# (.tools/sqlite_limit).
#
# Environment:
#   DAEMON          daemon binary (default .build/release/pms-gatewayd)
#   DAEMON_CMD      replaces the whole daemon command line; {socket} and {db} are substituted,
#                   e.g. DAEMON_CMD='.tools/ndjson_echo {socket}' to try this script without a daemon
#   CONFIG_DIR      copied to a temp dir and passed as --config (default config/)
#   BENCH_SECONDS   seconds of load per scenario and target (default 3)
#   BENCH_THREADS   rpcload threads (default 1: on 2 cores the daemon gets the other one)
#   READY_RUNS      fresh start-ups to time (default 5; the median is compared to the target)
#   SQLITE_SECONDS  seconds per sqlite_limit configuration (default 1; 0 skips it)
#   LOG_LEVEL       daemon --log-level (default warning, so logging is not what is measured)
#   BENCH_STRICT=1  exit 1 when a target is missed (otherwise only errors fail the script)
#   BENCH_TMP       parent of the scratch dir (default $TMPDIR or /tmp; the databases live there)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
TOOLS="${TOOLS_DIR:-$ROOT/.tools}"
DAEMON="${DAEMON:-$ROOT/.build/release/pms-gatewayd}"
DAEMON_CMD="${DAEMON_CMD:-}"
CONFIG_DIR="${CONFIG_DIR:-$ROOT/config}"
BENCH_SECONDS="${BENCH_SECONDS:-3}"
BENCH_THREADS="${BENCH_THREADS:-1}"
READY_RUNS="${READY_RUNS:-5}"
SQLITE_SECONDS="${SQLITE_SECONDS:-1}"
LOG_LEVEL="${LOG_LEVEL:-warning}"
BENCH_STRICT="${BENCH_STRICT:-0}"

# Targets (SPEC/issue): compared at the end, printed beside the numbers.
TARGET_RATIO_16x1=0.5     # daemon req/s ÷ echo req/s at 16 clients x pipeline 1
TARGET_P99_16x1_MS=1      # daemon p99 latency at 16x1
TARGET_RSS_MIB=30         # daemon VmRSS after the load
TARGET_READY_MS=100       # exec → first answered system.health, fresh database

die() { echo "bench: $*" >&2; exit 1; }

for t in ndjson_echo rpcload sqlite_limit ready_probe; do
    [[ -x "$TOOLS/$t" ]] || die "$TOOLS/$t missing: run 'make tools'"
done
if [[ -z "$DAEMON_CMD" ]]; then
    [[ -x "$DAEMON" ]] || die "$DAEMON missing: run 'swift build -c release --product pms-gatewayd'"
    [[ -f "$CONFIG_DIR/pms-gateway.json" ]] || die "$CONFIG_DIR/pms-gateway.json missing"
fi

# ---------------------------------------------------------------------------------------------
# Scratch space and clean-up: every process started here is killed on exit, whatever happens.
# ---------------------------------------------------------------------------------------------
WORK="$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/pms-bench.XXXXXX")"
PIDS=()
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

daemon_argv "$GW_SOCK" "$GW_DB"
"${ARGV[@]}" >"$GW_LOG" 2>&1 &
GW_PID=$!
PIDS+=("$GW_PID")

wait_ready "$ECHO_SOCK" "$ECHO_PID" ndjson_echo "$WORK/echo.log"
wait_ready "$GW_SOCK" "$GW_PID" daemon "$GW_LOG"

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

ROWS=()
FAILED=0
declare -A RESULT   # "NAME.field" → number, for the target checks

row() {
    local name="$1" method="$2" params="$3" clients="$4" pipeline="$5" e g
    if ! e="$(load "$ECHO_SOCK" "$method" "$params" "$clients" "$pipeline")" \
        || ! g="$(load "$GW_SOCK" "$method" "$params" "$clients" "$pipeline")"; then
        ROWS+=("| $name | ${clients}x$pipeline | $method | FAILED | | | | |")
        FAILED=1
        return 0
    fi
    local e_rps e_p50 e_p99 g_rps g_p50 g_p99 ratio
    e_rps="$(json_num rps "$e")"; e_p50="$(json_num p50_ms "$e")"; e_p99="$(json_num p99_ms "$e")"
    g_rps="$(json_num rps "$g")"; g_p50="$(json_num p50_ms "$g")"; g_p99="$(json_num p99_ms "$g")"
    ratio="$(awk -v g="$g_rps" -v e="$e_rps" 'BEGIN { printf "%.2f", (e > 0) ? g / e : 0 }')"
    RESULT[$name.ratio]="$ratio"
    RESULT[$name.p99]="$g_p99"
    ROWS+=("$(printf '| %s | %sx%s | %s | %s | %s | %s | %.3f / %.3f | %.3f / %.3f |' \
        "$name" "$clients" "$pipeline" "$method" "$e_rps" "$g_rps" "$ratio" "$e_p50" "$e_p99" "$g_p50" "$g_p99")")
}

row health-1x1   system.health '{}' 1 1
row health-16x1  system.health '{}' 16 1
row health-16x16 system.health '{}' 16 16

# ---------------------------------------------------------------------------------------------
# Memory after the load, then start-up time on fresh databases.
# ---------------------------------------------------------------------------------------------
proc_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
kill -0 "$GW_PID" 2>/dev/null || { tail -n 20 "$GW_LOG" >&2; die "the daemon died during the load"; }
RSS_KIB="$(proc_kib "$GW_PID" VmRSS)"
HWM_KIB="$(proc_kib "$GW_PID" VmHWM)"
THREADS="$(awk '$1 == "Threads:" { print $2 }' "/proc/$GW_PID/status")"

READY=()
for i in $(seq "$READY_RUNS"); do
    daemon_argv "$WORK/ready$i.sock" "$WORK/ready$i.sqlite3"
    if out="$("$TOOLS/ready_probe" -t 10 "$WORK/ready$i.sock" -- "${ARGV[@]}" 2>"$WORK/ready$i.log")"; then
        READY+=("$(awk '$1 == "ready_ms" { print $2 }' <<<"$out")")
        STOP_MS="$(awk '$1 == "stop_ms" { print $2 }' <<<"$out")"
    else
        echo "bench: start-up run $i failed:" >&2
        sed 's/^/  /' <<<"$out" >&2
        tail -n 20 "$WORK/ready$i.log" >&2
        FAILED=1
    fi
done
READY_MEDIAN=""
if ((${#READY[@]})); then
    READY_MEDIAN="$(printf '%s\n' "${READY[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
fi

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------
MISSED=0
# check LABEL VALUE OP BOUND UNIT: one line of the targets table.
check() {
    local label="$1" value="$2" op="$3" bound="$4" unit="$5" verdict
    if [[ -z "$value" ]]; then
        verdict="n/a"
        MISSED=1
    elif awk -v v="$value" -v b="$bound" -v op="$op" \
            'BEGIN { exit !((op == "<" && v + 0 < b + 0) || (op == ">=" && v + 0 >= b + 0)) }'; then
        verdict="ok"
    else
        verdict="MISSED"
        MISSED=1
    fi
    printf '| %s | %s | %s %s | %s |\n' "$label" "${value:-?}${unit:+ $unit}" "$op" "$bound${unit:+ $unit}" "$verdict"
}

echo "## pms-gateway benchmark"
echo
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $(uname -srm), ${BENCH_SECONDS} s per run, rpcload -j $BENCH_THREADS"
if [[ -n "$DAEMON_CMD" ]]; then
    echo "daemon: DAEMON_CMD=\`$DAEMON_CMD\` (stand-in)"
else
    echo "daemon: \`$DAEMON\` ($(( $(stat -c %s "$DAEMON") / 1024 )) KiB;" \
         "links libFoundation.so: $(ldd "$DAEMON" 2>/dev/null | grep -q 'libFoundation\.so' && echo yes || echo no))"
fi
echo
echo "| scenario | clients x pipeline | method | echo req/s | daemon req/s | ratio | echo p50 / p99 ms | daemon p50 / p99 ms |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
echo
echo "Daemon after the load: VmRSS $(awk -v k="$RSS_KIB" 'BEGIN { printf "%.1f", k / 1024 }') MiB" \
     "(peak VmHWM $(awk -v k="$HWM_KIB" 'BEGIN { printf "%.1f", k / 1024 }') MiB), $THREADS threads."
echo "Start-up, exec → first answered system.health on a fresh database (ms, $READY_RUNS runs):" \
     "${READY[*]:-none}; median ${READY_MEDIAN:-?}; SIGTERM → exit ${STOP_MS:-?} ms."
echo
echo "| target | measured | bound | |"
echo "|---|---:|---:|---|"
check "ratio at 16x1" "${RESULT[health-16x1.ratio]:-}" ">=" "$TARGET_RATIO_16x1" ""
check "daemon p99 at 16x1" "${RESULT[health-16x1.p99]:-}" "<" "$TARGET_P99_16x1_MS" "ms"
check "RSS after load" "$(awk -v k="$RSS_KIB" 'BEGIN { printf "%.1f", k / 1024 }')" "<" "$TARGET_RSS_MIB" "MiB"
check "ready (median)" "$READY_MEDIAN" "<" "$TARGET_READY_MS" "ms"

if [[ "$SQLITE_SECONDS" != 0 ]]; then
    echo
    echo "### SQLite raw commit rates on this disk (sqlite_limit -s $SQLITE_SECONDS, in $(df --output=target "$WORK" | tail -n 1))"
    echo
    echo '```'
    "$TOOLS/sqlite_limit" -d "$WORK" -s "$SQLITE_SECONDS" -q
    echo '```'
fi

if ((FAILED)); then
    die "some measurements failed (see above)"
fi
if ((MISSED)) && [[ "$BENCH_STRICT" == 1 ]]; then
    die "targets missed"
fi
