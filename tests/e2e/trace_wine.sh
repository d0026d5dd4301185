#!/bin/sh
# trace_wine.sh PREFIX DIR: openws2's traces through Wine's debug output. Runs "trace_routes.exe
# child" (WSAStartup, TCP sockets on 127.0.0.1, closesocket, WSACleanup) through tests/wine/run.sh with
#   WINEDEBUG=-all,+openws2                    lines "TID:trace:openws2:CHANNEL ..." (api, spi, afd,
#                                              catalog), none in openws2's own stderr format, api
#                                              lines with decoded arguments
#   WINEDEBUG=-all,+timestamp,+pid,+openws2    "SECS.MSEC:PID:TID:trace:openws2:api ..."
#   WINEDEBUG=-all,warn+openws2                no trace-level line
#   WINEDEBUG=-all                             no openws2 line at all
# and checks the Unix standard error of each run. Exit code 0 when every check passed.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
prefix=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
fail=0
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2"; fail=1; fi; }
run() { # run NAME WINEDEBUG
    OPENWS2_TRACE= WINEDEBUG=$2 "$here/../wine/run.sh" "$prefix" "$dir" trace_routes.exe child >/dev/null 2>"$out/$1"
    check $? "child ran with WINEDEBUG=$2"
}
unset OPENWS2_TRACE OPENWS2_TRACE_FILE
run plain '-all,+openws2'
for ch in api spi afd catalog; do
    n=$(grep -cE "^[0-9a-f]{4}:trace:openws2:$ch " "$out/plain")
    [ "$n" -gt 0 ]; check $? "WINEDEBUG=+openws2: $n lines TID:trace:openws2:$ch"
done
n=$(grep -c '^openws2: ' "$out/plain"); [ "$n" = 0 ]; check $? "no line in openws2's stderr format ($n)"
# decoded arguments in the api lines (the child binds 127.0.0.1:0, sets SO_RCVBUF, accepts in vain)
for want in 'bind(|[127.0.0.1:0]' 'setsockopt(|[SOL_SOCKET/SO_RCVBUF]' 'accept(|WSAEWOULDBLOCK)'; do
    n=$(grep -F ":trace:openws2:api ${want%%|*}" "$out/plain" | grep -cF "${want#*|}")
    [ "$n" -gt 0 ]; check $? "WINEDEBUG=+openws2: an api line ${want%%|*}... with ${want#*|} ($n)"
done
run stamped '-all,+timestamp,+pid,+openws2'
n=$(grep -cE '^ *[0-9]+\.[0-9]{3}:[0-9a-f]{4}:[0-9a-f]{4}:trace:openws2:api ' "$out/stamped")
[ "$n" -gt 0 ]; check $? "+timestamp,+pid: $n lines SECS.MSEC:PID:TID:trace:openws2:api"
run warn '-all,warn+openws2'
n=$(grep -c ':trace:openws2:' "$out/warn"); [ "$n" = 0 ]; check $? "warn+openws2: no trace-level line ($n)"
run off '-all'
n=$(grep -c 'openws2' "$out/off"); [ "$n" = 0 ]; check $? "WINEDEBUG=-all, no OPENWS2_TRACE: no openws2 line ($n)"
[ $fail = 0 ] || { echo "--- stderr of the +openws2 run:"; head -n 20 "$out/plain"; }
rm -rf "$out"
exit $fail
