#!/bin/sh
# prefix_renew.sh BUILDDIR [ARCH]: scripts/install.sh --new-prefix over a prefix whose wineserver
# still runs. The ctest fixture makes the suite's prefix anew at the same path on every run, right
# after the last program of an earlier run (whose server lives on for a moment and saves the registry
# into the prefix as it exits: `rm -rf` then failed with "Directory not empty"). Here, in a prefix of
# the test's own (BUILDDIR/renew-prefix, the lane's kind: $OPENWS2_WINEARCH), a server kept alive
# (wineserver -f -p: no exit on its own) holds a registry value of the old prefix; install.sh
# --new-prefix must stop that server before it removes the prefix, succeed, and leave a new prefix
# whose registry has the Winsock catalog and not the old value.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$1 arch=${2:-x86_64}
root=$(cd "$(dirname "$0")/../.." && pwd)
prefix=$build/renew-prefix
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset WINEDLLOVERRIDES OPENWS2_TRACE
fail=0
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=1; fi; }
if [ "$arch" = i686 ]; then set -- --build32 "$build"; else set -- --build "$build"; fi

"$root/scripts/install.sh" --new-prefix "$prefix" "$@" >/dev/null
check $? "install.sh --new-prefix (the first prefix)"
# The server of the old prefix, alive until killed, with a value written through it.
"$WINESERVER" -f -p >/dev/null 2>&1 &
server=$!
sleep 1
"$WINE" reg add 'HKCU\Software\openws2-renew-test' /v old /d prefix /f >/dev/null 2>&1
check $? "a value written in the old prefix (through its running server, pid $server)"
kill -0 "$server" 2>/dev/null
check $? "the old prefix's server still runs"

"$root/scripts/install.sh" --new-prefix "$prefix" "$@" >/dev/null
check $? "install.sh --new-prefix over the prefix with its server running"
sleep 1
if kill -0 "$server" 2>/dev/null; then
    check 1 "the old prefix's server was stopped"
    kill "$server" 2>/dev/null
else
    check 0 "the old prefix's server was stopped"
fi
wait "$server" 2>/dev/null
"$WINESERVER" -w
grep -qi 'WinSock2' "$prefix/system.reg" 2>/dev/null
check $? "the new prefix's system.reg holds the Winsock catalog"
! grep -q 'openws2-renew-test' "$prefix/user.reg" 2>/dev/null
check $? "the new prefix has not the old prefix's registry value"
"$WINESERVER" -k >/dev/null 2>&1
"$WINESERVER" -w >/dev/null 2>&1
rm -rf "$prefix"
exit $fail
