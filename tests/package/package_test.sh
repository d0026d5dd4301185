#!/bin/sh
# package_test.sh: the Debian package end to end. Builds it (scripts/package.sh), checks its control
# data and file list, installs it with `apt-get install ./openws2_*.deb`, runs the installed
# /usr/bin/openws2-setup through tests/e2e/setup_command.sh (install into a fresh prefix, status
# through the installed ws2catalog.exe, loopback echo through openws2, idempotence, uninstall back to
# the prefix before byte for byte, --app --symlink), then removes the package again with apt-get
# (the machine stays as it was; refuses to run when a package named openws2 is already installed).
# Needs root or sudo. Exit code 0 when every step passed.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
fail=0
check() { if [ "$1" = 0 ]; then echo "ok: $2"; else echo "FAIL: $2 (exit $1)"; fail=$((fail + 1)); return 1; fi; }
installed() { dpkg-query -W -f='${Status}' openws2 2>/dev/null | grep -q 'install ok installed'; }

installed && { echo "package_test.sh: a package openws2 is installed already; remove it first" >&2; exit 1; }
echo "== scripts/package.sh"
deb=$("$root/scripts/package.sh" | tail -n 1)
[ -f "$deb" ]; check $? "package built: $deb" || exit 1
case $deb in */openws2_*_amd64.deb) r=0 ;; *) r=1 ;; esac; check $r "named openws2_VERSION_amd64.deb"
dpkg-deb -I "$deb" control >"$root/build/package/control.txt" && cat "$root/build/package/control.txt"
grep -q '^Depends: wine64' "$root/build/package/control.txt"; check $? "depends on wine64"
dpkg-deb -c "$deb" | awk '{ print $NF }' >"$root/build/package/files.txt"
for f in ./usr/bin/openws2-setup ./usr/share/openws2/install-undo.sh ./usr/share/doc/openws2/copyright \
    ./usr/lib/openws2/x86_64-windows/ws2_32.dll ./usr/lib/openws2/x86_64-windows/openws2afd.dll \
    ./usr/lib/openws2/x86_64-windows/ws2catalog.exe ./usr/lib/openws2/x86_64-windows/ws2conform.exe \
    ./usr/lib/openws2/i386-windows/ws2_32.dll ./usr/lib/openws2/i386-windows/openws2afd.dll; do
    grep -qx "$f" "$root/build/package/files.txt"; check $? "the package holds $f"
done
! grep -q 'probe\|_e2e\|\.a$' "$root/build/package/files.txt"; check $? "no test program nor import library in the package"

echo "== apt-get install $deb"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$deb" >"$root/build/package/apt-install.log" 2>&1
check $? "apt-get install ./$(basename "$deb")" || { tail -n 20 "$root/build/package/apt-install.log"; exit 1; }
# the example program from the Release build the package was made of
cmake --build "$root/build/x86_64-release" -j2 --target loopback_echo >/dev/null
check $? "loopback_echo.exe built"
echo "== tests/e2e/setup_command.sh with /usr/bin/openws2-setup"
"$root/tests/e2e/setup_command.sh" "$root/build/x86_64-release" /usr/bin/openws2-setup
check $? "the installed setup command (install, status, echo through openws2, idempotence, uninstall, --app --symlink)"

echo "== apt-get remove openws2"
$sudo env DEBIAN_FRONTEND=noninteractive apt-get remove -y openws2 >"$root/build/package/apt-remove.log" 2>&1
check $? "apt-get remove openws2"
! installed && [ ! -e /usr/bin/openws2-setup ] && [ ! -d /usr/lib/openws2 ]; check $? "package gone from the machine"
echo "package test: $fail failed"
[ "$fail" = 0 ]
