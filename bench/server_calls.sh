#!/bin/sh
# bench/server_calls.sh SCENARIO [SECONDS]: the profiling half of the benchmark. Runs one scenario of
# openws2_bench (built by bench/run.sh in build/bench-run) for a short time on our ws2_32 and on Wine's
# builtin with WINEDEBUG=+server, and prints the wineserver requests each stack made per operation
# (requests of every thread from the program's first \Device\Afd open on, divided by the operations the
# scenario counted): a difference there is a difference in server round trips, independent of the
# machine's load. Uses the prefix bench/run.sh made (build/bench-run/prefix).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/build/bench-run
scenario=${1:?usage: server_calls.sh SCENARIO [SECONDS]} seconds=${2:-0.5}
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX=${WINEPREFIX:-$work/prefix}
[ -f "$work/ours/openws2_bench.exe" ] || { echo "server_calls.sh: run bench/run.sh first" >&2; exit 1; }
unset OPENWS2_TRACE
for stack in ours builtin; do
    "$WINESERVER" -k 2>/dev/null || true
    sleep 1
    log=$work/server-$stack-$scenario.log
    case $stack in ours) ovr=ws2_32=n,b ;; *) ovr=ws2_32=b ;; esac
    res=$(cd "$work/$stack" && WINEDEBUG=+server WINEDLLOVERRIDES=$ovr "$WINE" ./openws2_bench.exe --seconds "$seconds" \
          --only "$scenario" 2>"$log" | awk '$1 == "RESULT" {print $3}')
    "$WINESERVER" -w
    case $res in ''|failed) echo "$stack: the scenario failed"; continue ;; esac
    echo "== $stack: $scenario at $res/s for $seconds s under +server; requests per operation:"
    awk -v ops="$res" -v secs="$seconds" '
        !started && /Device\\\\Afd/ { started = 1 }
        started && match($0, /^[0-9a-f]+: [a-z_]+\( /) {
            split(substr($0, RSTART, RLENGTH - 2), f, " "); n[f[2]]++; total++ }
        END { o = ops * secs; printf "  total %.2f\n", total / o
              for (k in n) if (n[k] / o >= 0.05) printf "  %-28s %.2f\n", k, n[k] / o }' "$log" | sort -k2 -rn
done
