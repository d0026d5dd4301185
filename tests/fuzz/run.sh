#!/bin/sh
# run.sh [SECONDS] [OUTDIR]: builds the libFuzzer targets of the portable parsers and packers
# (addr_parse, netdb_parse, dns_message, catalog_item, socks5_reply, queryset) with clang + ASan +
# UBSan and runs each for SECONDS (default 30), starting from the corpus kept in tests/fuzz/corpus.
# run.sh --runs N [OUTDIR]: each target for N executions instead (--long: 10 million, the figure of
#   docs/RELIABILITY.md; hours on a loaded machine, not for CI).
# run.sh --minimize [OUTDIR]: merges the corpus grown under OUTDIR back into tests/fuzz/corpus
#   (libFuzzer -merge=1: only inputs adding coverage are kept).
# TARGETS="a b" limits the targets. Exits non-zero when a target finds a crash (the input is in OUTDIR).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
mode=time
secs=30
runs=0
case ${1:-} in
    --runs) mode=runs; runs=$2; shift 2 ;;
    --long) mode=runs; runs=10000000; shift ;;
    --minimize) mode=minimize; shift ;;
    "") ;;
    *) secs=$1; shift ;;
esac
out=${1:-${TMPDIR:-/tmp}/openws2-fuzz}
root=$(cd "$(dirname "$0")/../.." && pwd)
CC=${CC:-clang}
all="fuzz_addr_parse fuzz_netdb_parse fuzz_dns_message fuzz_catalog_item fuzz_socks5_reply fuzz_queryset"
targets=${TARGETS:-$all}
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -DOPENWS2_HOST -D_DEFAULT_SOURCE
       -I$root/include -isystem /usr/include/wine/wine/windows"
mkdir -p "$out"
build() { # name sources...
    name=$1; shift
    # shellcheck disable=SC2086
    $CC $flags "$@" -o "$out/$name"
}
for t in $targets; do
    case $t in
        fuzz_addr_parse) build $t "$root/tests/fuzz/$t.c" "$root/src/addr/addr_parse.c" ;;
        fuzz_netdb_parse) build $t "$root/tests/fuzz/$t.c" "$root/src/addr/netdb_parse.c" "$root/src/addr/addr_parse.c" ;;
        fuzz_dns_message) build $t "$root/tests/fuzz/$t.c" "$root/src/resolve/dns_message.c" ;;
        fuzz_catalog_item) build $t "$root/tests/fuzz/$t.c" "$root/src/catalog/catalog_format.c" "$root/src/catalog/catalog_select.c" \
                               "$root/src/catalog/catalog_edit.c" "$root/src/catalog/catalog.c" "$root/src/catalog/catalog_default.c" \
                               "$root/src/catalog/registry_watch.c" "$root/src/shared/trace.c" "$root/tests/unit/os_host.c" \
                               "$root/tests/unit/fake_registry.c" -lpthread ;;
        fuzz_socks5_reply) build $t -I"$root/dlls/lsp_socks" "$root/tests/fuzz/$t.c" \
                               "$root/dlls/lsp_socks/socks5_proto.c" ;;
        fuzz_queryset) build $t "$root/tests/fuzz/$t.c" "$root/src/namespace/ns_queryset.c" "$root/tests/unit/codepage_host.c" ;;
        *) echo "unknown target $t"; exit 2 ;;
    esac
done

status=0
for t in $targets; do
    corpus=$out/corpus-$t
    mkdir -p "$corpus"
    cp "$root/tests/fuzz/corpus/$t/"* "$corpus/"
    if [ "$mode" = minimize ]; then
        echo "== $t: merging $corpus into tests/fuzz/corpus/$t"
        rm -rf "$out/merged-$t" && mkdir -p "$out/merged-$t"
        "$out/$t" -merge=1 -max_len=4096 "$out/merged-$t" "$corpus" > "$out/$t.merge.log" 2>&1
        rm -f "$root/tests/fuzz/corpus/$t/"*
        cp "$out/merged-$t/"* "$root/tests/fuzz/corpus/$t/"
        echo "$t: $(ls "$root/tests/fuzz/corpus/$t" | wc -l) inputs"
        continue
    fi
    if [ "$mode" = runs ]; then
        echo "== $t ($runs executions)"
        limit="-runs=$runs"
    else
        echo "== $t ($secs s)"
        limit="-max_total_time=$secs"
    fi
    if ! "$out/$t" $limit -max_len=4096 -print_final_stats=1 -artifact_prefix="$out/$t-" "$corpus" \
            > "$out/$t.log" 2>&1; then
        echo "$t: FAILED (see $out/$t.log)"
        tail -30 "$out/$t.log"
        status=1
    else
        grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb' "$out/$t.log" | tail -3 || true
        echo "$t: ok"
    fi
done
exit $status
