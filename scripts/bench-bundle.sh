#!/usr/bin/env bash
# Packs what `scripts/bench.sh` needs on a host without Swift, a C compiler or PostgreSQL (a bigger
# machine for the scaling figures of issue 13 and the PostgreSQL rows of SPEC 9) into one archive.
#
#   scripts/bench-bundle.sh OUT.tar.xz NAME=DAEMON [NAME=DAEMON ...]
#
# The archive holds, at its root:
#   NAME          a wrapper that runs bin/NAME through glibc's loader with lib/ (the .so files `ldd`
#                 lists for each daemon, and the loader itself), so the host's libraries do not matter
#   tools/        ndjson_echo, rpcload, sqlite_limit and ready_probe, built with `gcc -static`
#   pg/wrap/      postgres, initdb, pg_ctl, psql and pgbench: wrappers that run the newest
#                 /usr/lib/postgresql/*/bin's programs, copied under pg/usr/ in their own layout
#                 (PostgreSQL finds its share and lib directories relative to its bin), with their
#                 libraries in pg/lib (glibc's own excepted: they run with the host's)
#   pg/zoneinfo/  UTC and Etc/, for a host without /usr/share/zoneinfo (copy them there)
#
# On the host, from a checkout of this repository (bench.sh, config/ and scripts/ come from it):
#   mkdir -p /tmp/b && tar -C /tmp/b -xJf OUT.tar.xz
#   PG_TEST_BINDIR=/tmp/b/pg/wrap TOOLS_DIR=/tmp/b/tools DAEMON=/tmp/b/NAME BENCH_THREADS=8 \
#       BENCH_TMP=/dev/shm scripts/bench.sh
# The PostgreSQL server runs as a system user when run as root (scripts/pg-test-server.sh), so the
# unpacked directory must be readable by all.
set -euo pipefail

(( $# >= 2 )) || { echo "usage: $0 OUT.tar.xz NAME=DAEMON [NAME=DAEMON ...]" >&2; exit 2; }
cd "$(dirname "$0")/.."
out="$(realpath -m "$1")"
shift
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/lib" "$work/tools" "$work/pg/lib" "$work/pg/wrap" "$work/pg/zoneinfo"

# copy_libraries BINARY DIR [SKIP_REGEX]: the shared libraries BINARY loads, into DIR.
copy_libraries() {
    ldd "$1" | awk '/=>/ { print $3 }' | while read -r library; do
        [[ -n "${3:-}" && "$(basename "$library")" =~ $3 ]] && continue
        cp -L "$library" "$2/"
    done
}

for spec in "$@"; do
    name="${spec%%=*}" daemon="${spec#*=}"
    [[ "$name" != "$spec" && -x "$daemon" ]] || { echo "bench-bundle: $spec is not NAME=EXECUTABLE" >&2; exit 2; }
    cp "$daemon" "$work/bin/$name"
    strip "$work/bin/$name"
    copy_libraries "$daemon" "$work/lib"
    printf '#!/bin/sh\nd="$(cd "$(dirname "$0")" && pwd)"\nexec "$d/lib/ld-linux-x86-64.so.2" --library-path "$d/lib" "$d/bin/%s" "$@"\n' \
        "$name" >"$work/$name"
    chmod +x "$work/$name"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$work/lib/"

tools=../shared/tools
gcc -O2 -static -o "$work/tools/ndjson_echo" "$tools/ndjson_echo.c"
gcc -O2 -static -pthread -o "$work/tools/rpcload" "$tools/rpcload.c"
gcc -O2 -static -o "$work/tools/sqlite_limit" "$tools/sqlite_limit.c" -lsqlite3 -lm -lpthread -ldl 2>/dev/null
gcc -O2 -static -o "$work/tools/ready_probe" scripts/ready_probe.c

bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
version="$(basename "$(dirname "$bindir")")"
mkdir -p "$work/pg/usr/lib/postgresql/$version/bin" "$work/pg/usr/lib/postgresql/$version/lib" \
    "$work/pg/usr/share/postgresql/$version/extension"
for program in postgres initdb pg_ctl psql pgbench; do
    cp "$bindir/$program" "$work/pg/usr/lib/postgresql/$version/bin/"
    strip "$work/pg/usr/lib/postgresql/$version/bin/$program"
    copy_libraries "$bindir/$program" "$work/pg/lib" '^(libc|libm|libresolv|libpthread|libdl)\.so'
    printf '#!/bin/sh\nd="$(cd "$(dirname "$0")/.." && pwd)"\nLD_LIBRARY_PATH="$d/lib" exec "$d/usr/lib/postgresql/%s/bin/%s" "$@"\n' \
        "$version" "$program" >"$work/pg/wrap/$program"
    chmod +x "$work/pg/wrap/$program"
done
# initdb loads plpgsql and the snowball dictionaries from the lib directory; the JIT is left out.
find "/usr/lib/postgresql/$version/lib" -maxdepth 1 -name '*.so' ! -name llvmjit.so \
    -exec cp {} "$work/pg/usr/lib/postgresql/$version/lib/" \;
share="/usr/share/postgresql/$version"
find "$share" -maxdepth 1 -type f -exec cp {} "$work/pg/usr/share/postgresql/$version/" \;
cp -r "$share/timezonesets" "$share/tsearch_data" "$work/pg/usr/share/postgresql/$version/"
cp "$share"/extension/plpgsql* "$work/pg/usr/share/postgresql/$version/extension/"
cp -r /usr/share/zoneinfo/UTC /usr/share/zoneinfo/Etc "$work/pg/zoneinfo/"

tar -C "$work" -cJf "$out" .
echo "bench-bundle: $out ($(du -h "$out" | cut -f1))"
