#!/bin/sh
# system32_install.sh BUILDDIR [ARCH]: the system32 install end to end. In a fresh prefix of its own
# (BUILDDIR/system32-prefix; the run's shared prefix is left alone) it runs scripts/install.sh
# --system and then programs from a directory holding no ws2_32.dll, with no WINEDLLOVERRIDES.
# x86_64 build (a win64 prefix, $WINE = wine64):
#   1. --system --app-override system32_probe.exe: system32_probe.exe gets our ws2_32 from system32,
#      the same program under another name (system32_other.exe) still gets Wine's builtin;
#   2. --system (prefix-wide ws2_32=native,builtin): system32_other.exe gets ours too, and
#      `wineboot -u` still works in that prefix;
#   3. --uninstall: both programs get Wine's builtin again, no DLL of ours is left in system32, the
#      override is gone and the Winsock catalog (reg export) is byte for byte the one before step 1.
# i686 build, OPENWS2_WINEARCH=win64 (a WoW64 prefix; needs the x86_64 build beside it,
# BUILDDIR/../x86_64, else the test is skipped with exit code 77): one install.sh --build
# --build32 --system; the x86_64 system32_probe (wine64) and the i686 one ($WINE) both get ours
# (trace lines of our ws2_32 and provider), `wineboot -u` works, the i686 one still gets ours; then
# --uninstall as in step 3 for both programs (system32 and syswow64).
# i686 build, OPENWS2_WINEARCH=win32: the same with --build32 only, in a win32 prefix.
# Exit code 0 when every step passed.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$1 arch=${2:-x86_64}
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$build/system32-prefix app=$build/system32-app
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES OPENWS2_TRACE
fail=0
step() { echo "== $*"; }
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=1; fi; }
key='HKLM\System\CurrentControlSet\Services\WinSock2'
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

# uninstall_checks REGWINE BEFORE.REG "LOADER:DIR:EXE ..." "SYSDIR ...": --uninstall and its checks.
uninstall_checks() {
    regwine=$1 before=$2 programs=$3 sysdirs=$4
    step "install.sh --uninstall"
    "$root/scripts/install.sh" --prefix "$prefix" --uninstall
    check $? "uninstall"
    for p in $programs; do
        loader=${p%%:*} rest=${p#*:}
        (cd "${rest%%:*}" && "$loader" "./${rest#*:}" builtin)
        check $? "${rest#*:} in ${rest%%:*} gets Wine's builtin ws2_32 again"
    done
    for d in $sysdirs; do
        left=$(cd "$prefix/drive_c/windows/$d" && ls openws2*.dll 2>/dev/null)
        [ -z "$left" ]; check $? "no openws2 DLL left in $d ($left)"
    done
    "$regwine" reg query 'HKCU\Software\Wine\DllOverrides' /v ws2_32 >/dev/null 2>&1
    [ $? != 0 ]; check $? "the ws2_32 override is gone"
    rm -f "$build/system32-after.reg"
    "$regwine" reg export "$key" "$(winpath "$build/system32-after.reg")" /y >/dev/null 2>&1
    cmp -s "$before" "$build/system32-after.reg"
    check $? "the Winsock catalog is byte for byte the one before the install"
}

# fresh_prefix LOADER WINEARCH BEFORE.REG: a new prefix and its catalog before any install.
fresh_prefix() {
    rm -rf "$prefix"
    WINEARCH=$2 WINEDLLOVERRIDES="mscoree,mshtml=" "$1" wineboot -i >/dev/null 2>&1
    "$WINESERVER" -w
    rm -f "$3"
    "$1" reg export "$key" "$(winpath "$3")" /y >/dev/null 2>&1
    [ -s "$3" ]; check $? "catalog exported before the install"
}

if [ "$arch" = i686 ]; then
    before=$build/system32-before.reg
    rm -rf "$app" && mkdir -p "$app/32" || exit 1
    cp "$build/tests/e2e/system32_probe.exe" "$app/32/" || exit 1
    if [ "${OPENWS2_WINEARCH:-win64}" = win32 ]; then
        step "win32 prefix: install.sh --build32 --system"
        fresh_prefix "$WINE" win32 "$before"
        "$root/scripts/install.sh" --prefix "$prefix" --build32 "$build" --system
        check $? "install into a win32 prefix"
        cmp -s "$build/src/ws2_32.dll" "$prefix/drive_c/windows/system32/ws2_32.dll"
        check $? "our i686 ws2_32.dll is in the win32 prefix's system32"
        (cd "$app/32" && "$WINE" ./system32_probe.exe ours)
        check $? "a 32-bit program runs on our ws2_32 and provider from system32"
        step "wineboot -u"
        timeout 120 "$WINE" wineboot -u >/dev/null 2>&1
        check $? "wineboot -u"
        "$WINESERVER" -w
        (cd "$app/32" && "$WINE" ./system32_probe.exe ours)
        check $? "our ws2_32 still serves after wineboot -u"
        uninstall_checks "$WINE" "$before" "$WINE:$app/32:system32_probe.exe" system32
    else
        build64=$(cd "$build/.." && pwd)/x86_64
        if [ ! -f "$build64/src/ws2_32.dll" ] || [ ! -f "$build64/tests/e2e/system32_probe.exe" ]; then
            echo "SKIP: no x86_64 build at $build64 (the WoW64 step installs both sides)"
            exit 77
        fi
        wine64=$(command -v wine64 || echo /usr/lib/wine/wine64)
        mkdir -p "$app/64" && cp "$build64/tests/e2e/system32_probe.exe" "$app/64/" || exit 1
        step "WoW64 prefix: install.sh --build x86_64 --build32 i686 --system"
        fresh_prefix "$wine64" win64 "$before"
        WINE=$wine64 "$root/scripts/install.sh" --prefix "$prefix" --build "$build64" --build32 "$build" --system
        check $? "install of both sides"
        cmp -s "$build64/src/ws2_32.dll" "$prefix/drive_c/windows/system32/ws2_32.dll" &&
            cmp -s "$build/src/ws2_32.dll" "$prefix/drive_c/windows/syswow64/ws2_32.dll" &&
            cmp -s "$build64/dlls/afd/openws2afd.dll" "$prefix/drive_c/windows/system32/openws2afd.dll" &&
            cmp -s "$build/dlls/afd/openws2afd.dll" "$prefix/drive_c/windows/syswow64/openws2afd.dll"
        check $? "x86_64 ws2_32 and provider in system32, i686 ones in syswow64"
        (cd "$app/64" && "$wine64" ./system32_probe.exe ours)
        check $? "the 64-bit program runs on our x86_64 ws2_32 and provider"
        (cd "$app/32" && "$WINE" ./system32_probe.exe ours)
        check $? "the 32-bit program runs on our i686 ws2_32 and provider (syswow64)"
        step "wineboot -u"
        timeout 120 "$wine64" wineboot -u >/dev/null 2>&1
        check $? "wineboot -u"
        "$WINESERVER" -w
        (cd "$app/32" && "$WINE" ./system32_probe.exe ours)
        check $? "our i686 ws2_32 still serves after wineboot -u"
        uninstall_checks "$wine64" "$before" "$wine64:$app/64:system32_probe.exe $WINE:$app/32:system32_probe.exe" \
            "system32 syswow64"
    fi
    "$WINESERVER" -k 2>/dev/null
    exit $fail
fi

before=$build/system32-before.reg
step "install.sh --system --app-override system32_probe.exe (fresh prefix)"
fresh_prefix "$WINE" win64 "$before"
"$root/scripts/install.sh" --prefix "$prefix" --build "$build" --system --app-override system32_probe.exe
check $? "install with a per-application override"
cmp -s "$build/src/ws2_32.dll" "$prefix/drive_c/windows/system32/ws2_32.dll"
check $? "our ws2_32.dll is in the prefix's system32"
rm -rf "$app" && mkdir -p "$app" || exit 1
cp "$build/tests/e2e/system32_probe.exe" "$app/system32_probe.exe" &&
    cp "$build/tests/e2e/system32_probe.exe" "$app/system32_other.exe" || exit 1
cd "$app" || exit 1

step "system32_probe.exe (per-application override) -> ours"
"$WINE" ./system32_probe.exe ours
check $? "system32_probe.exe ran on our ws2_32 from system32"
step "system32_other.exe (no override) -> Wine's builtin"
"$WINE" ./system32_other.exe builtin
check $? "another program of the prefix kept Wine's builtin ws2_32"

step "install.sh --system (prefix-wide ws2_32=native,builtin)"
"$root/scripts/install.sh" --prefix "$prefix" --build "$build" --system
check $? "install with the prefix-wide override"
"$WINE" ./system32_other.exe ours
check $? "system32_other.exe now runs on our ws2_32 from system32"
step "wineboot -u with the prefix-wide native,builtin override"
timeout 120 "$WINE" wineboot -u >/dev/null 2>&1
check $? "wineboot -u"
"$WINESERVER" -w
"$WINE" ./system32_probe.exe ours
check $? "our ws2_32 still serves after wineboot -u"

uninstall_checks "$WINE" "$before" "$WINE:$app:system32_probe.exe $WINE:$app:system32_other.exe" system32
"$WINE" reg query 'HKCU\Software\Wine\AppDefaults\system32_probe.exe\DllOverrides' /v ws2_32 >/dev/null 2>&1
[ $? != 0 ]; check $? "the per-application override is gone"
"$WINESERVER" -k 2>/dev/null
exit $fail
