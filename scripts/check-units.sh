#!/usr/bin/env bash
# Checks the systemd files in systemd/ without installing anything:
#   1. `systemd-analyze verify` on the socket and service prints nothing.
#      verify also insists that ExecStart's binary exists, which it does not before
#      `make install`, so the units are copied into a temp dir with only the ExecStart
#      binary rewritten to an executable that exists here (PMS_GATEWAYD, else /bin/true).
#      Every other line is checked as written.
#   2. `systemd-analyze security --offline=true` on the service: the overall exposure level
#      must be at most MAX_EXPOSURE (default 2.0).
#   3. The sysusers.d entry parses (`systemd-sysusers --dry-run`, nothing written).
# Exits non-zero on any output from verify, any parse problem or a score above the bound.
# Usage: scripts/check-units.sh [-q]     (-q: print only failures and the score line)
set -euo pipefail

cd "$(dirname "$0")/.."
quiet=0
[[ "${1:-}" == "-q" ]] && quiet=1
max_exposure="${MAX_EXPOSURE:-2.0}"
stand_in="${PMS_GATEWAYD:-/bin/true}"
installed_bin=/usr/local/bin/pms-gatewayd
unit_dir="${UNIT_DIR:-systemd}"   # override to check another copy of the files

fail() { echo "check-units: FAIL: $*" >&2; exit 1; }

command -v systemd-analyze >/dev/null || fail "systemd-analyze not found (apt-get install systemd)"
[[ -x "$stand_in" ]] || fail "stand-in binary $stand_in is not executable"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --- 1. verify ---------------------------------------------------------------------------
cp "$unit_dir/pms-gateway.socket" "$unit_dir/pms-gateway.service" "$tmp/"
grep -q "^ExecStart=$installed_bin " "$tmp/pms-gateway.service" \
    || fail "pms-gateway.service: expected ExecStart=$installed_bin ..."
sed -i "s#^ExecStart=$installed_bin #ExecStart=$stand_in #" "$tmp/pms-gateway.service"

# SYSTEMD_LOG_COLOR=0 keeps escape codes out; verify's findings go to stderr.
# --man=no: Documentation= has no man: pages to look up. The temp dir path is given so that
# the socket's Service= and the service's Requires= resolve to these copies.
out="$(cd "$tmp" && SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no \
        "$tmp/pms-gateway.socket" "$tmp/pms-gateway.service" 2>&1)" && rc=0 || rc=$?
if [[ -n "$out" || $rc -ne 0 ]]; then
    printf '%s\n' "$out" >&2
    fail "systemd-analyze verify reported problems (exit $rc)"
fi
(( quiet )) || echo "check-units: systemd-analyze verify: clean"

# --- 2. security score ---------------------------------------------------------------------
sec="$(SYSTEMD_LOG_COLOR=0 systemd-analyze security --offline=true --no-pager \
        "$unit_dir/pms-gateway.service" 2>&1)" && rc=0 || rc=$?
# Last line looks like: "→ Overall exposure level for pms-gateway.service: 1.2 OK 🙂"
score="$(printf '%s\n' "$sec" | sed -n 's/.*Overall exposure level for [^:]*: *\([0-9][0-9]*\.[0-9]*\).*/\1/p' | tail -n 1)"
if [[ -z "$score" ]]; then
    printf '%s\n' "$sec" >&2
    fail "could not find the overall exposure level (exit $rc)"
fi
(( quiet )) || printf '%s\n' "$sec" | grep -F '✗' || true
echo "check-units: pms-gateway.service exposure level $score (max $max_exposure)"
awk -v s="$score" -v m="$max_exposure" 'BEGIN { exit !(s + 0 <= m + 0) }' \
    || fail "exposure level $score is above $max_exposure"

# --- 3. sysusers entry ---------------------------------------------------------------------
if command -v systemd-sysusers >/dev/null; then
    users="$(systemd-sysusers --dry-run --replace=/etc/sysusers.d/pms-gateway.conf - \
            < "$unit_dir/pms-gateway.sysusers" 2>&1)" && rc=0 || rc=$?
    if [[ $rc -ne 0 ]] || grep -qiE 'ignoring|invalid|failed|syntax' <<<"$users"; then
        printf '%s\n' "$users" >&2
        fail "$unit_dir/pms-gateway.sysusers does not parse"
    fi
    (( quiet )) || echo "check-units: sysusers entry: ok"
fi
echo "check-units: OK"
