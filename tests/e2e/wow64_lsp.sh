#!/bin/sh
# wow64_lsp.sh BUILDDIR: a layered provider installed once with WSCInstallProviderAndChains64_32 takes
# effect in the 64-bit and the 32-bit programs of one WoW64 prefix (issue 10, item 5).
# Runs from the i686 build (needs the x86_64 build beside it, BUILDDIR/../x86_64; without it, or in
# a win32 prefix lane, exit code 77: skipped). In a fresh WoW64 prefix of its own
# (BUILDDIR/wow64lsp-prefix):
#   1. scripts/install.sh --build x86_64 --build32 i686 --system: both sides of openws2, the tracing
#      LSP's x86_64 DLL in system32 and its i686 DLL in syswow64;
#   2. the tracing LSP configured in both registry views (HKLM\Software\openws2\LspTrace is
#      redirected for 32-bit processes), one log file per run;
#   3. the 64-bit ws2catalog.exe install-lsp --dll %SystemRoot%\system32\openws2_lsp_trace.dll: one
#      call of WSCInstallProviderAndChains64_32, the same path for both views (WoW64 file-system
#      redirection gives 32-bit processes the syswow64 DLL); both views then list the chains
#      (64-bit `show`, 32-bit `show`);
#   4. the 64-bit and the 32-bit loopback_echo.exe: each echo comes back intact, each socket is the
#      LSP's chain entry (SO_PROTOCOL_INFOW as the program prints it), and the LSP's log of that run
#      has the program's WSPSend/WSPRecv lines with its own pid;
#   5. remove-lsp by name with the 64-bit tool: both views' entries are byte for byte the ones before
#      step 3 (reg export of Protocol_Catalog9, which holds both views, apart from Serial_Access_Num
#      and Next_Catalog_Entry_ID, which only grow),
#      and a 32-bit echo no longer goes through the LSP.
# Exit code 0 when every step passed.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
build64=$(cd "$build/.." && pwd)/x86_64
prefix=$build/wow64lsp-prefix app=$build/wow64lsp-app
WINE=${WINE:-/usr/lib/wine/wine}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
wine64=$(command -v wine64 || echo /usr/lib/wine/wine64)
if [ "${OPENWS2_WINEARCH:-win64}" = win32 ]; then
    echo "SKIP: a win32 prefix has no 64-bit side"
    exit 77
fi
for f in "$build64/src/ws2_32.dll" "$build64/examples/loopback_echo.exe" "$build64/tools/ws2catalog/ws2catalog.exe" \
    "$build64/dlls/lsp_trace/openws2_lsp_trace.dll"; do
    [ -f "$f" ] || { echo "SKIP: no x86_64 build at $build64 ($f)"; exit 77; }
done
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES OPENWS2_TRACE
fail=0
step() { echo "== $*"; }
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=1; fi; }
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }
key='HKLM\System\CurrentControlSet\Services\WinSock2\Parameters'
lspname="openws2 WoW64 trace"

# export_views TAG: Protocol_Catalog9 (both views live under it: Catalog_Entries and
# Catalog_Entries64, docs/CATALOG.md), without the two counters that only grow.
export_views() {
    rm -f "$app/$1.reg"
    "$wine64" reg export "$key\\Protocol_Catalog9" "$(winpath "$app/$1.reg")" /y >/dev/null 2>&1
    [ -s "$app/$1.reg" ] || return 1
    # reg export writes UTF-16
    iconv -f UTF-16 -t UTF-8 "$app/$1.reg" | grep -v -e '"Serial_Access_Num"' -e '"Next_Catalog_Entry_ID"' \
        >"$app/$1.cmp"
}

# echo_run SIDE: runs that side's loopback_echo.exe with a fresh LSP log; output in $app/echo-SIDE.out,
# the log in $app/lsp-SIDE.log.
echo_run() {
    if [ "$1" = 64 ]; then loader=$wine64; else loader=$WINE; fi
    rm -f "$app/lsp.log"
    (cd "$app/$1" && "$loader" ./loopback_echo.exe >"$app/echo-$1.out" 2>&1)
    rc=$?
    cp "$app/lsp.log" "$app/lsp-$1.log" 2>/dev/null || : >"$app/lsp-$1.log"
    return $rc
}

step "fresh WoW64 prefix, install.sh --build x86_64 --build32 i686 --system"
rm -rf "$prefix" "$app" && mkdir -p "$app/64" "$app/32" || exit 1
cp "$build64/examples/loopback_echo.exe" "$build64/tools/ws2catalog/ws2catalog.exe" "$app/64/" &&
    cp "$build/examples/loopback_echo.exe" "$build/tools/ws2catalog/ws2catalog.exe" "$app/32/" || exit 1
WINEARCH=win64 WINEDLLOVERRIDES="mscoree,mshtml=" "$wine64" wineboot -i >/dev/null 2>&1
"$WINESERVER" -w
WINE=$wine64 "$root/scripts/install.sh" --prefix "$prefix" --build "$build64" --build32 "$build" --system
check $? "install of both sides"
cmp -s "$build64/dlls/lsp_trace/openws2_lsp_trace.dll" "$prefix/drive_c/windows/system32/openws2_lsp_trace.dll" &&
    cmp -s "$build/dlls/lsp_trace/openws2_lsp_trace.dll" "$prefix/drive_c/windows/syswow64/openws2_lsp_trace.dll"
check $? "the tracing LSP: x86_64 DLL in system32, i686 DLL in syswow64"

step "tracing LSP configured in both registry views"
for loader in "$wine64" "$WINE"; do
    "$loader" reg add 'HKLM\Software\openws2\LspTrace' /v LogFile /t REG_SZ /d "$(winpath "$app/lsp.log")" /f \
        >/dev/null 2>&1 &&
        "$loader" reg add 'HKLM\Software\openws2\LspTrace' /v Processes /t REG_MULTI_SZ /d 'loopback_echo.exe' /f \
            >/dev/null 2>&1
    check $? "LspTrace configured through $(basename "$loader")"
done
export_views before
check $? "both catalog views exported before the LSP install"

step "64-bit ws2catalog install-lsp (WSCInstallProviderAndChains64_32)"
(cd "$app/64" && "$wine64" ./ws2catalog.exe install-lsp --dll '%SystemRoot%\system32\openws2_lsp_trace.dll' \
    --name "$lspname" --nonifs)
check $? "install-lsp from the 64-bit tool"
(cd "$app/64" && "$wine64" ./ws2catalog.exe show >"$app/show-64.txt" 2>&1)
grep -q "$lspname" "$app/show-64.txt"
check $? "the 64-bit catalog lists the LSP"
(cd "$app/32" && "$WINE" ./ws2catalog.exe show >"$app/show-32.txt" 2>&1)
grep -q "$lspname" "$app/show-32.txt"
check $? "the 32-bit catalog (read by a 32-bit program) lists the LSP"

for side in 64 32; do
    step "$side-bit loopback_echo.exe through the LSP"
    echo_run $side
    check $? "$side-bit echo intact"
    grep -q "$lspname" "$app/echo-$side.out"
    check $? "$side-bit sockets are the LSP's chain entries ($(grep -m1 'catalog entry' "$app/echo-$side.out"))"
    grep -q 'WSPSend' "$app/lsp-$side.log" && grep -q 'WSPRecv' "$app/lsp-$side.log"
    check $? "the LSP logged the $side-bit program's sends and receives"
done
pids64=$(grep -ao 'pid=[0-9]*' "$app/lsp-64.log" | sort -u)
pids32=$(grep -ao 'pid=[0-9]*' "$app/lsp-32.log" | sort -u)
[ -n "$pids64" ] && [ -n "$pids32" ] && [ "$pids64" != "$pids32" ]
check $? "the two logs come from two processes ($pids64 / $pids32)"

step "remove-lsp with the 64-bit tool"
(cd "$app/64" && "$wine64" ./ws2catalog.exe remove-lsp "$lspname")
check $? "remove-lsp"
export_views after
check $? "both catalog views exported after the removal"
cmp -s "$app/before.cmp" "$app/after.cmp"
check $? "both catalog views are byte for byte the ones before (apart from the growing counters)"
echo_run 32
check $? "32-bit echo intact after the removal"
! grep -q "$lspname" "$app/echo-32.out" && ! grep -q 'WSPSend' "$app/lsp-32.log"
check $? "the 32-bit program no longer goes through the LSP"

"$WINESERVER" -k 2>/dev/null
exit $fail
