#!/bin/sh
# with-dnsserver.sh SERVER LIFETIME -- COMMAND [ARGS...]: starts openws2's loopback DNS test server
# (dnsserver.c) for at most LIFETIME seconds, runs COMMAND with @DNS_PORT@, @DNS_BLACKHOLE@,
# @DNS_DEAD@ and @DNS_LOG@ in its arguments replaced by the server's ports and query log, then
# stops the server it started. The exit code is COMMAND's.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
server=$1 lifetime=$2
shift 2
[ "${1:-}" = "--" ] && shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/openws2-dns.XXXXXX")
"$server" --port-file "$dir/ports" --log "$dir/log" --lifetime "$lifetime" &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
}
trap cleanup EXIT INT TERM
i=0
while [ ! -s "$dir/ports" ]; do
    i=$((i + 1))
    if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
        echo "with-dnsserver.sh: the DNS test server did not start" >&2
        exit 1
    fi
    sleep 0.1
done
read -r port blackhole dead < "$dir/ports"
touch "$dir/log"
n=$#
for a in "$@"; do
    a=$(printf '%s' "$a" | sed -e "s|@DNS_PORT@|$port|g" -e "s|@DNS_BLACKHOLE@|$blackhole|g" \
        -e "s|@DNS_DEAD@|$dead|g" -e "s|@DNS_LOG@|$dir/log|g")
    set -- "$@" "$a"
done
shift "$n"
rc=0
"$@" || rc=$?
exit $rc
