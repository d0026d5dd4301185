#!/bin/sh
# fid_system32_wineboot.sh BUILDDIR: Wine's own programs keep working when our ws2_32 is installed for
# the whole prefix. In a fresh prefix of its own (BUILDDIR/fid-wineboot-prefix) it runs
# scripts/install.sh --system (prefix-wide ws2_32=native,builtin), restarts the wineserver
# (wineserver -k; wineboot: wineboot writes the computer name through gethostname, without
# WSAStartup), and checks that Wine's hostname.exe prints the computer name, that GetComputerNameW
# works in an application (fid_computername.exe, which also checks that an application still gets
# Windows' WSANOTINITIALISED from gethostname before WSAStartup), and that an application still runs on
# our ws2_32 (system32_probe.exe ours). Exit code 0 when every step passed.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$build/fid-wineboot-prefix app=$build/fid-wineboot-app
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES OPENWS2_TRACE
fail=0
host=$(hostname)
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=1; fi; }

echo "== install.sh --new-prefix --system"
"$root/scripts/install.sh" --new-prefix "$prefix" --build "$build" --system
check $? "install with the prefix-wide override"
rm -rf "$app" && mkdir -p "$app" || exit 1
cp "$build/tests/e2e/fid_computername.exe" "$build/tests/e2e/system32_probe.exe" "$app/" || exit 1

echo "== wineserver -k; wineboot (the computer name is written again at every start)"
"$WINESERVER" -k 2>/dev/null
"$WINESERVER" -w
timeout 120 "$WINE" wineboot >/dev/null 2>&1
check $? "wineboot"
"$WINESERVER" -w

echo "== Wine's hostname.exe"
out=$(cd "$app" && timeout 60 "$WINE" hostname 2>&1 | tr -d '\r')
echo "hostname.exe: $out"
[ "$(echo "$out" | tr 'A-Z' 'a-z')" = "$(echo "$host" | tr 'A-Z' 'a-z')" ]
check $? "hostname.exe prints the computer name ($host)"

echo "== an application: GetComputerNameW, gethostname"
(cd "$app" && timeout 60 "$WINE" ./fid_computername.exe "$host")
check $? "fid_computername.exe"
echo "== an application still runs on our ws2_32"
(cd "$app" && timeout 120 "$WINE" ./system32_probe.exe ours)
check $? "system32_probe.exe ours"

"$WINESERVER" -k 2>/dev/null
exit $fail
