#!/bin/sh
# run.sh [SECONDS] [OUTDIR]: builds the libFuzzer targets of the portable parsers (addr_parse,
# netdb_parse, dns_message) with clang + ASan + UBSan and runs each for SECONDS (default 30),
# starting from a small seed corpus. Exits non-zero when a target finds a crash.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
secs=${1:-30}
out=${2:-${TMPDIR:-/tmp}/openws2-fuzz}
root=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-clang}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -DOPENWS2_HOST -D_DEFAULT_SOURCE
       -I$root/include -isystem /usr/include/wine/wine/windows"
mkdir -p "$out"
build() { # name sources...
    name=$1; shift
    # shellcheck disable=SC2086
    $CC $flags "$@" -o "$out/$name"
}
build fuzz_addr_parse "$root/tests/fuzz/fuzz_addr_parse.c" "$root/src/addr_parse.c"
build fuzz_netdb_parse "$root/tests/fuzz/fuzz_netdb_parse.c" "$root/src/netdb_parse.c" "$root/src/addr_parse.c"
build fuzz_dns_message "$root/tests/fuzz/fuzz_dns_message.c" "$root/src/dns_message.c"

seed() { # dir file-content...
    d=$out/corpus-$1; shift
    mkdir -p "$d"
    i=0
    for s in "$@"; do printf '%s' "$s" > "$d/seed$i"; i=$((i + 1)); done
}
seed fuzz_addr_parse "1.2.3.4" "0x7f.1" "::ffff:1.2.3.4" "[fe80::1%4]:80" "1.2.3.4:65535" "2001:db8::1"
seed fuzz_netdb_parse "http 80/tcp www # web
127.0.0.1 localhost
tcp 6 TCP"
mkdir -p "$out/corpus-fuzz_dns_message"
# a response: www.example.com A 1.2.3.4 via a compressed owner name
printf '\022\064\201\200\000\001\000\001\000\000\000\000\003www\007example\003com\000\000\001\000\001\300\014\000\001\000\001\000\000\000\074\000\004\001\002\003\004' \
    > "$out/corpus-fuzz_dns_message/seed0"

status=0
for t in fuzz_addr_parse fuzz_netdb_parse fuzz_dns_message; do
    echo "== $t ($secs s)"
    if ! "$out/$t" -max_total_time="$secs" -max_len=4096 -print_final_stats=0 "$out/corpus-$t" \
            > "$out/$t.log" 2>&1; then
        echo "$t: FAILED (see $out/$t.log)"
        tail -30 "$out/$t.log"
        status=1
    else
        grep -E '^#[0-9]+.*DONE' "$out/$t.log" | tail -1 || true
        echo "$t: ok"
    fi
done
exit $status
