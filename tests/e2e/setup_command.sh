#!/bin/sh
# setup_command.sh BUILDDIR [SETUP]: the setup command end to end in a fresh prefix of its own
# (BUILDDIR/setup-prefix). SETUP is the command to test (default scripts/openws2-setup with
# --build BUILDDIR; tests/package/package_test.sh passes the installed /usr/bin/openws2-setup, which
# takes the package's DLLs). Checks:
#   1. install: our ws2_32.dll in system32, `status` says every program loads openws2 and names the
#      base provider, loopback_echo.exe (no app-local DLL, no WINEDLLOVERRIDES) echoes through
#      openws2 (its trace lines) from system32;
#   2. install again: the prefix (files of system32/syswow64, the Wine and WinSock2 registry keys,
#      the undo record) is the same as after one install;
#   3. uninstall: the prefix is byte for byte the one before the install (files, `reg export` of
#      HKCU\Software\Wine and of the WinSock2 catalog), loopback_echo runs on Wine's builtin again;
#   4. install --app loopback_echo.exe --symlink: system32's ws2_32.dll is a link to the installed
#      one, `status` names that program only, it goes through openws2 and a copy under another name
#      does not; uninstall restores the prefix byte for byte and leaves the linked DLL intact.
# Exit code 0 when every check passed (then the prefix is removed; kept after a failure).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
build=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ -n "${2:-}" ]; then setup=$2 src=; else setup=$root/scripts/openws2-setup src="--build $build"; fi
prefix=$build/setup-prefix app=$build/setup-app snaps=$build/setup-snaps
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all WINE64="$WINE"
unset WINEDLLOVERRIDES OPENWS2_TRACE
fail=0 passed=0
step() { echo "== $*"; }
check() { if [ "$1" = 0 ]; then echo "ok: $2"; passed=$((passed + 1)); else echo "FAIL: $2 (exit $1)"; fail=$((fail + 1)); fi; }
winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

# snap NAME: the prefix's state: system32/syswow64 files (type, name, contents), the Wine key of
# HKCU and the WinSock2 catalog (reg export), the undo record when there is one.
snap() {
    d=$snaps/$1
    rm -rf "$d" && mkdir -p "$d"
    "$WINESERVER" -w
    for s in system32 syswow64; do
        [ -d "$prefix/drive_c/windows/$s" ] || continue
        (cd "$prefix/drive_c/windows/$s" && find . -maxdepth 1 \( -type f -o -type l \) -printf '%y %p ' \
            -exec sh -c 'cksum <"$1"' sh {} \; | sort) >"$d/$s.txt"
    done
    "$WINE" reg export 'HKCU\Software\Wine' "$(winpath "$d/wine.reg")" /y >/dev/null 2>&1
    "$WINE" reg export 'HKLM\System\CurrentControlSet\Services\WinSock2' "$(winpath "$d/winsock2.reg")" /y >/dev/null 2>&1
    [ ! -d "$prefix/openws2-install" ] || (cd "$prefix/openws2-install" && find . -type f -exec cksum {} \; | sort) >"$d/record.txt"
}
# same A B WHAT: snapshots A and B are equal
same() {
    diff -r "$snaps/$1" "$snaps/$2" >"$snaps/$1-$2.diff" 2>&1
    rc=$?
    [ "$rc" = 0 ] || head -n 20 "$snaps/$1-$2.diff"
    check "$rc" "$3"
}
# echo_run EXE ours|builtin: loopback_echo (as EXE, from a directory without ws2_32.dll) echoes, with
# openws2's trace lines (ours) or without (builtin).
echo_run() {
    (cd "$app" && OPENWS2_TRACE=1 "$WINE" "./$1" >"$app/$1.out" 2>"$app/$1.err")
    rc=$?
    cat "$app/$1.out"
    [ "$rc" = 0 ] && grep -q 'loopback echo: OK' "$app/$1.out"; check $? "$1 echoes over IPv4 and IPv6"
    if [ "$2" = ours ]; then
        grep -q '^openws2: ' "$app/$1.err"; check $? "$1 went through openws2 ($(grep -c '^openws2: ' "$app/$1.err") trace lines)"
    else
        ! grep -q '^openws2: ' "$app/$1.err"; check $? "$1 ran on Wine's builtin ws2_32 (no openws2 trace line)"
    fi
}

step "fresh prefix $prefix"
"$WINESERVER" -k 2>/dev/null
rm -rf "$prefix" "$app" "$snaps" && mkdir -p "$app" "$snaps" || exit 1
WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE" wineboot -i >/dev/null 2>&1
cp "$build/examples/loopback_echo.exe" "$app/" && cp "$build/examples/loopback_echo.exe" "$app/other.exe" || exit 1
snap before
[ -s "$snaps/before/winsock2.reg" ] && [ -s "$snaps/before/wine.reg" ]; check $? "registry exported before the install"

step "$setup install"
"$setup" install --prefix "$prefix" $src
check $? "install"
if [ -z "$src" ]; then dll=$(dirname "$setup")/../lib/openws2/x86_64-windows/ws2_32.dll; else dll=$build/src/ws2_32.dll; fi
cmp -s "$dll" "$prefix/drive_c/windows/system32/ws2_32.dll"; check $? "our ws2_32.dll is in system32"
"$setup" status --prefix "$prefix" $src >"$snaps/status1.txt" 2>&1; check $? "status"
cat "$snaps/status1.txt"
grep -q 'every program of the prefix' "$snaps/status1.txt"; check $? "status: every program loads openws2"
grep -qi 'openws2afd.dll' "$snaps/status1.txt"; check $? "status: the catalog names openws2afd.dll"
echo_run loopback_echo.exe ours
snap once

step "$setup install (again)"
"$setup" install --prefix "$prefix" $src
check $? "second install"
snap twice
same once twice "installing twice leaves the prefix as installing once"

step "$setup uninstall"
"$setup" uninstall --prefix "$prefix"
check $? "uninstall"
snap after
same before after "uninstall restores system32, the overrides and the catalog byte for byte"
echo_run loopback_echo.exe builtin
"$setup" status --prefix "$prefix" $src >"$snaps/status2.txt" 2>&1
grep -q 'openws2 installed: no' "$snaps/status2.txt" && grep -q "system32/ws2_32.dll: Wine's builtin" "$snaps/status2.txt"
check $? "status after uninstall: not installed, Wine's builtin in system32"

step "$setup install --app loopback_echo.exe --symlink"
cksum <"$dll" >"$snaps/dll.cksum"
"$setup" install --prefix "$prefix" --app loopback_echo.exe --symlink $src
check $? "install --app --symlink"
[ -L "$prefix/drive_c/windows/system32/ws2_32.dll" ] &&
    [ "$(readlink -f "$prefix/drive_c/windows/system32/ws2_32.dll")" = "$(readlink -f "$dll")" ]
check $? "system32/ws2_32.dll is a link to $dll"
"$setup" status --prefix "$prefix" $src >"$snaps/status3.txt" 2>&1
cat "$snaps/status3.txt"
grep -q '^  loopback_echo.exe (HKCU' "$snaps/status3.txt" && ! grep -q 'every program' "$snaps/status3.txt"
check $? "status: only loopback_echo.exe loads openws2"
echo_run loopback_echo.exe ours
echo_run other.exe builtin
"$setup" uninstall --prefix "$prefix"
check $? "uninstall"
snap after2
same before after2 "uninstall after --app --symlink restores the prefix byte for byte"
cksum <"$dll" | cmp -s - "$snaps/dll.cksum"; check $? "the linked DLL is intact"

"$WINESERVER" -k 2>/dev/null
echo "setup command: $passed checks passed, $fail failed"
[ "$fail" = 0 ] || exit 1
# a passed run leaves no prefix behind (~700 MB); a failed one keeps it for a look
rm -rf "$prefix" "$app" "$snaps"
