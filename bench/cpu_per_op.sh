#!/bin/sh
# bench/cpu_per_op.sh - CPU time per operation of one benchmark row, openws2 against Wine's builtin:
# the benchmark process (all its threads, user + kernel) and the prefix's wineserver, counted with
# `perf stat -e task-clock`. Start-up is removed by running each stack twice, SHORT and LONG seconds:
# (cpu(LONG) - cpu(SHORT)) / (ops(LONG) - ops(SHORT)). The stacks alternate; unlike the rates of
# bench/run.sh this hardly depends on how much CPU the machine has left (a loaded machine still adds
# cache and scheduling costs, so compare the two stacks run by run).
#   bench/cpu_per_op.sh ROW [REPS] [SHORT] [LONG]     (defaults: 2 repetitions, 1 s and 4 s)
# Needs perf and the prefix bench/run.sh made (build/bench-run: run bench/run.sh once first).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
row=${1:?usage: bench/cpu_per_op.sh ROW [REPS] [SHORT] [LONG]} reps=${2:-2} short=${3:-1} long=${4:-4}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/build/bench-run
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
[ -f "$work/ours/ws2_32.dll" ] && [ -d "$work/prefix" ] || { echo "cpu_per_op.sh: run bench/run.sh first" >&2; exit 1; }
command -v perf >/dev/null || { echo "cpu_per_op.sh: needs perf" >&2; exit 1; }
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
unset OPENWS2_TRACE
tmp=$(mktemp -d)
# this prefix's own wineserver in the foreground of a background job: its pid is known
"$WINESERVER" -k 2>/dev/null || true
"$WINESERVER" -f -p 600 & srv=$!
trap '"$WINESERVER" -k 2>/dev/null || true; wait $srv 2>/dev/null || true; rm -rf "$tmp"' EXIT
sleep 1

one() { # stack seconds -> "ops client_ms server_ms"
    case $1 in ours) ov=ws2_32=n,b ;; *) ov=ws2_32=b ;; esac
    perf stat -x, -e task-clock -p "$srv" -o "$tmp/srv" & sp=$!
    rate=$(cd "$work/$1" && WINEDLLOVERRIDES=$ov perf stat -x, -e task-clock -o "$tmp/cli" \
        "$WINE" ./openws2_bench.exe --seconds "$2" --only "$row" 2>/dev/null | awk '/^RESULT/ {print $3}')
    kill -INT "$sp"; wait "$sp" || true
    echo "${rate:-0} $2 $(grep task-clock "$tmp/cli" | cut -d, -f1) $(grep task-clock "$tmp/srv" | cut -d, -f1)" |
        awk '{ printf "%f %f %f", $1 * $2, $3, $4 }'
}

echo "cpu_per_op $row, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg): ms of CPU per 1000 operations"
i=0
while [ "$i" -lt "$reps" ]; do
    for stack in ours builtin; do
        a=$(one $stack "$short"); b=$(one $stack "$long")
        echo "$a $b" | awk -v st=$stack -v l="$long" '{ d = $4 - $1
            if (d <= 0) { print st ": no operations counted"; exit }
            printf "%-8s client %8.2f  wineserver %8.2f  (rate of the long run %.1f/s)\n", st,
                   ($5 - $2) / d * 1000, ($6 - $3) / d * 1000, $4 / l }'
    done
    i=$((i + 1))
done
