#!/bin/sh
# system32_install.sh BUILDDIR: the system32 install end to end. In a fresh prefix of its own
# (BUILDDIR/system32-prefix; the run's shared prefix is left alone) it runs scripts/install.sh
# --system and then programs from a directory holding no ws2_32.dll, with no WINEDLLOVERRIDES:
#   1. --system --app-override system32_probe.exe: system32_probe.exe gets our ws2_32 from system32,
#      the same program under another name (system32_other.exe) still gets Wine's builtin;
#   2. --system (prefix-wide ws2_32=native,builtin): system32_other.exe gets ours too, and
#      `wineboot -u` still works in that prefix.
# Exit code 0 when every step passed.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$build/system32-prefix app=$build/system32-app
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES OPENWS2_TRACE
fail=0
step() { echo "== $*"; }
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=1; fi; }

step "install.sh --new-prefix --system --app-override system32_probe.exe"
"$root/scripts/install.sh" --new-prefix "$prefix" --build "$build" --system --app-override system32_probe.exe
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

"$WINESERVER" -k 2>/dev/null
exit $fail
