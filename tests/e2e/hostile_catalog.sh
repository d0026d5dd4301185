#!/bin/sh
# hostile_catalog.sh BUILDDIR: corrupt Winsock catalogs in a fresh prefix of the test's own
# (BUILDDIR/hostile-prefix, removed at the end; the run's shared prefix is never touched). After
# scripts/install.sh --system, hostile_catalog_probe.exe counts the good entries, writes corrupt
# Protocol_Catalog9 and NameSpace_Catalog5 entries (random, truncated, wrong types and sizes, a key
# without its value, a duplicate id, a chain length out of range, a gap, a chain naming itself, a
# chain of absent entries, huge counts; namespace entries with missing values, wrong types, a huge
# ProviderInfo) and then checks, with OPENWS2_TRACE=catalog: WSAStartup / WSAEnumProtocols / socket
# and a TCP exchange / WSASocket on the broken chains / WSAEnumNameSpaceProviders / getaddrinfo (the
# good entries work, the corrupt ones are skipped, nothing crashes), a trace line for each kind of
# damage, and `ws2catalog show` (plain and --json) still works. x86_64 build: a win64 prefix. i686
# build: a WoW64 prefix with the x86_64 build beside it installed too (BUILDDIR/../x86_64; without it
# exit code 77, skipped), or with OPENWS2_WINEARCH=win32 a win32 prefix; the i686 probe and tool then
# damage and read the 32-bit view.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$(cd "$1" && pwd) arch=${2:-x86_64}
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$build/hostile-prefix app=$build/hostile-app
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES OPENWS2_TRACE OPENWS2_TRACE_FILE
fail=0
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=1; fi; }
# expect_trace MIN PATTERN WHAT: at least MIN trace lines match PATTERN
expect_trace() {
    n=$(grep -c -- "$2" "$app/trace.txt")
    [ "$n" -ge "$1" ]; check $? "trace: $3 ($n lines)"
}
finish() {
    "$WINESERVER" -k 2>/dev/null
    [ -n "${OPENWS2_KEEP_PREFIX:-}" ] || rm -rf "$prefix"
    exit $fail
}

rm -rf "$prefix" "$app" && mkdir -p "$app" || exit 1
echo "== fresh prefix + install.sh --system"
if [ "$arch" = i686 ] && [ "${OPENWS2_WINEARCH:-win64}" = win32 ]; then
    WINEARCH=win32 WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE" wineboot -i >/dev/null 2>&1
    "$WINESERVER" -w
    "$root/scripts/install.sh" --prefix "$prefix" --build32 "$build" --system >/dev/null
elif [ "$arch" = i686 ]; then
    build64=$(cd "$build/.." && pwd)/x86_64
    [ -f "$build64/src/ws2_32.dll" ] || { echo "SKIP: no x86_64 build at $build64 (a WoW64 prefix gets both)"; exit 77; }
    wine64=$(command -v wine64 || echo /usr/lib/wine/wine64)
    WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml=" "$wine64" wineboot -i >/dev/null 2>&1
    "$WINESERVER" -w
    WINE=$wine64 "$root/scripts/install.sh" --prefix "$prefix" --build "$build64" --build32 "$build" --system >/dev/null
else
    WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE" wineboot -i >/dev/null 2>&1
    "$WINESERVER" -w
    "$root/scripts/install.sh" --prefix "$prefix" --build "$build" --system >/dev/null
fi
check $? "install into the test's own prefix"
cp "$build/tests/e2e/hostile_catalog_probe.exe" "$build/tools/ws2catalog/ws2catalog.exe" "$app/" || finish
cd "$app" || finish

counts=$("$WINE" ./hostile_catalog_probe.exe count | tr -d '\r')
check $? "good entries and namespace providers before: $counts"
"$WINE" ./hostile_catalog_probe.exe corrupt
check $? "corrupt entries written"

echo "== the probe on the corrupt catalogs (OPENWS2_TRACE=catalog)"
# shellcheck disable=SC2086
OPENWS2_TRACE=catalog "$WINE" ./hostile_catalog_probe.exe check $counts 2>trace.txt
check $? "WSAStartup / WSAEnumProtocols / socket / WSAEnumNameSpaceProviders / getaddrinfo"
expect_trace 4 "corrupt PackedCatalogItem" "random, truncated, oversized and out-of-range blobs skipped"
expect_trace 2 "no usable PackedCatalogItem" "a wrong value type and a missing value skipped"
expect_trace 1 "duplicate catalog id" "a duplicate catalog id skipped"
expect_trace 1 "missing: skipped" "missing entry keys skipped"
expect_trace 1 "is not believable" "a huge Num_Catalog_Entries capped"
expect_trace 6 "namespace catalog: .*corrupt or missing" "six corrupt namespace entries skipped"

echo "== ws2catalog show on the corrupt catalogs"
"$WINE" ./ws2catalog.exe show > show.txt 2>&1
check $? "ws2catalog show"
grep -q "hostile loop" show.txt
check $? "ws2catalog show lists the structurally valid broken chain"
grep -q "hostile ns" show.txt
[ $? != 0 ]; check $? "ws2catalog show lists no corrupt namespace entry"
"$WINE" ./ws2catalog.exe show --json > show.json 2>&1
check $? "ws2catalog show --json"
finish
