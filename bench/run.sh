#!/bin/sh
# bench/run.sh: openws2's benchmark. Builds the benchmark program (bench/bench.c) for Windows with
# MinGW and natively with the host gcc, installs the given openws2 build into a Wine prefix, then runs
# every scenario under Wine with our ws2_32 (app-local copy + WINEDLLOVERRIDES=ws2_32=n,b), under Wine
# with Wine's builtin ws2_32 (no copy, ws2_32=b) and natively, and prints one table: openws2, builtin,
# their ratio (openws2 / builtin, higher is better) and the native Linux figure (the machine's limit).
# Each scenario runs --reps times per stack, alternating the two Wine stacks; the best run counts (the
# least disturbed by other load on the machine).
#   --build DIR     x86_64 build directory with ws2_32.dll, the providers and ws2catalog (default build/x86_64)
#   --seconds S     duration of one scenario run (default 2)
#   --reps N        runs per scenario and stack (default 3)
#   --only NAME     one scenario (see: openws2_bench --list)
#   --prefix P      Wine prefix to use (default: build/bench-run/prefix, made on first use)
#   --out FILE      also write the table (markdown) to FILE
# Not a ctest test: figures depend on the machine and its load.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/x86_64 seconds=2 reps=3 only= prefix= out=
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --reps) reps=$2; shift 2 ;;
        --only) only=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
case $build in /*) ;; *) build=$(pwd)/$build ;; esac
work=$root/build/bench-run
prefix=${prefix:-$work/prefix}
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
[ -f "$build/src/ws2_32.dll" ] || { echo "run.sh: no ws2_32.dll in $build/src (build openws2 first)" >&2; exit 1; }

# 1. the two builds of the benchmark (bench_resolve.c joins both when it exists)
mkdir -p "$work/ours" "$work/builtin" "$work/native"
extra= def=
if [ -f "$root/bench/bench_resolve.c" ]; then extra=$root/bench/bench_resolve.c; def=-DBENCH_HAVE_RESOLVE; fi
x86_64-w64-mingw32-gcc -O2 -std=c11 -Wall -Wextra -Werror -D_WIN32_WINNT=0x0A00 $def -o "$work/ours/openws2_bench.exe" \
    "$root/bench/bench.c" "$root/bench/bench_iocp.c" $extra -lws2_32 -static-libgcc
cp "$work/ours/openws2_bench.exe" "$work/builtin/"
cp "$build/src/ws2_32.dll" "$work/ours/"
rm -f "$work/builtin/ws2_32.dll"
gcc -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $def -o "$work/native/openws2_bench" \
    "$root/bench/bench.c" "$root/bench/bench_epoll.c" $extra -lpthread

# 2. the prefix: our providers and catalog installed (Wine's builtin ignores them)
if [ -d "$prefix/drive_c/windows/system32" ]; then
    "$root/scripts/install.sh" --prefix "$prefix" --build "$build" >/dev/null
else
    "$root/scripts/install.sh" --new-prefix "$prefix" --build "$build" >/dev/null
fi
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset OPENWS2_TRACE

# 3. runs: one scenario at a time, alternating the stacks, best of --reps
names=$("$work/native/openws2_bench" --list | awk '{print $1}')
[ -z "$only" ] || names=$only
raw=$work/results.txt
: > "$raw"
run_stack() { # stack scenario
    case $1 in
        ours) (cd "$work/ours" && WINEDLLOVERRIDES=ws2_32=n,b "$WINE" ./openws2_bench.exe --seconds "$seconds" --only "$2") ;;
        builtin) (cd "$work/builtin" && WINEDLLOVERRIDES=ws2_32=b "$WINE" ./openws2_bench.exe --seconds "$seconds" --only "$2") ;;
        native) "$work/native/openws2_bench" --seconds "$seconds" --only "$2" ;;
    esac 2>>"$work/stderr.txt" | while read -r tag a b rest; do
        case $tag in
            WS2_32) # the program says which ws2_32 it got: a mislabelled column would be worthless
                case "$1:$a" in ours:openws2|builtin:builtin|native:native) ;;
                    *) echo "run.sh: the $1 run loaded ws2_32 '$a' ($b)" >&2; exit 1 ;; esac ;;
            RESULT) echo "$1 $a $b $rest" ;;
        esac
    done >> "$raw"
}
for n in $names; do
    i=0
    while [ "$i" -lt "$reps" ]; do
        run_stack ours "$n"
        run_stack builtin "$n"
        run_stack native "$n"
        i=$((i + 1))
    done
    echo "  $n done" >&2
done
"$WINESERVER" -w

# 4. the table: best value per stack and scenario
table=$(awk -v names="$names" '
    { key = $1 SUBSEP $2
      unit = ""; for (i = 4; i <= NF; i++) unit = unit (i > 4 ? " " : "") $i; units[$2] = unit
      if ($3 == "failed") { if (!(key in best)) best[key] = "failed"; next }
      if (!(key in best) || best[key] == "failed" || $3 + 0 > best[key] + 0) best[key] = $3 }
    function fmt(v) { return v == "" ? "-" : v == "failed" ? "failed" : sprintf("%.1f", v) }
    END {
        printf "| scenario | unit | openws2 | Wine builtin | openws2 / builtin | native Linux |\n"
        printf "|---|---|---:|---:|---:|---:|\n"
        n = split(names, list, /[ \n]+/)
        for (i = 1; i <= n; i++) {
            s = list[i]; if (s == "") continue
            o = best["ours" SUBSEP s]; b = best["builtin" SUBSEP s]; x = best["native" SUBSEP s]
            r = (o != "" && o != "failed" && b != "" && b != "failed" && b > 0) ? sprintf("%.2fx", o / b) : "-"
            printf "| %s | %s | %s | %s | %s | %s |\n", s, units[s], fmt(o), fmt(b), r, fmt(x)
        }
    }' "$raw")
echo
echo "openws2 benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $seconds s per run, best of $reps, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$table"
if [ -n "$out" ]; then
    { echo "$table"; } > "$out"
fi
