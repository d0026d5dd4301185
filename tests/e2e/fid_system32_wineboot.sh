#!/bin/sh
# fid_system32_wineboot.sh BUILDDIR: Wine's own programs keep working when our ws2_32 is installed for
# the whole prefix. In a fresh prefix of its own (BUILDDIR/fid-wineboot-prefix) it runs
# scripts/install.sh --system (prefix-wide ws2_32=native,builtin), restarts the wineserver
# (wineserver -k; wineboot: wineboot writes the computer name through gethostname, without
# WSAStartup), and checks that Wine's hostname.exe prints the computer name, that GetComputerNameW
# works in an application (fid_computername.exe, which also checks that an application still gets
# Windows' WSANOTINITIALISED from gethostname before WSAStartup), and that an application still runs on
# our ws2_32 (system32_probe.exe ours). Exit code 0 when every step passed.
# fid_system32_wineboot.sh BUILDDIR i686: the same with the i686 build, as tests/e2e/system32_install.sh
# installs it: OPENWS2_WINEARCH=win32, a win32 prefix with --build32 only (every program 32-bit, $WINE);
# otherwise a WoW64 prefix with both sides (--build BUILDDIR/../x86_64 --build32 BUILDDIR; exit code 77,
# skipped, without that x86_64 build), wineboot run by wine64, hostname.exe and the i686 programs by
# $WINE (the 32-bit loader: syswow64's hostname.exe and our i686 ws2_32 from syswow64).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$1 arch=${2:-x86_64}
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$build/fid-wineboot-prefix app=$build/fid-wineboot-app
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES OPENWS2_TRACE
fail=0
host=$(hostname)
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=1; fi; }

# bootwine: the loader that runs wineboot (the prefix's native side).
bootwine=$WINE
if [ "$arch" = i686 ] && [ "${OPENWS2_WINEARCH:-win64}" = win32 ]; then
    echo "== install.sh --new-prefix --build32 --system (win32 prefix)"
    OPENWS2_WINEARCH=win32 "$root/scripts/install.sh" --new-prefix "$prefix" --build32 "$build" --system
    check $? "install into a win32 prefix with the prefix-wide override"
elif [ "$arch" = i686 ]; then
    build64=$(cd "$build/.." && pwd)/x86_64
    if [ ! -f "$build64/src/ws2_32.dll" ]; then
        echo "SKIP: no x86_64 build at $build64 (the WoW64 prefix gets both sides)"
        exit 77
    fi
    bootwine=$(command -v wine64 || echo /usr/lib/wine/wine64)
    echo "== install.sh --new-prefix --build x86_64 --build32 i686 --system (WoW64 prefix)"
    WINE=$bootwine OPENWS2_WINEARCH=win64 "$root/scripts/install.sh" --new-prefix "$prefix" --build "$build64" \
        --build32 "$build" --system
    check $? "install of both sides with the prefix-wide override"
else
    echo "== install.sh --new-prefix --system"
    "$root/scripts/install.sh" --new-prefix "$prefix" --build "$build" --system
    check $? "install with the prefix-wide override"
fi
rm -rf "$app" && mkdir -p "$app" || exit 1
cp "$build/tests/e2e/fid_computername.exe" "$build/tests/e2e/system32_probe.exe" "$app/" || exit 1

echo "== wineserver -k; wineboot (the computer name is written again at every start)"
"$WINESERVER" -k 2>/dev/null
"$WINESERVER" -w
timeout 120 "$bootwine" wineboot >/dev/null 2>&1
check $? "wineboot"
"$WINESERVER" -w

echo "== Wine's hostname.exe"
# stdout only: Wine's own messages on stderr (e.g. "XDG_RUNTIME_DIR is invalid" in a chroot) are logged apart
out=$(cd "$app" && timeout 60 "$WINE" hostname 2>"$app/hostname.err" | tr -d '\r')
echo "hostname.exe: $out"
[ ! -s "$app/hostname.err" ] || { echo "hostname.exe's stderr:"; cat "$app/hostname.err"; }
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
