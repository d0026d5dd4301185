#!/bin/sh
# run-one.sh ours|builtin PROGRAM [--build DIR] [--arch ARCH] [--fresh]: runs one of Wine's ws2_32
# test programs (sock, protocol or afd, built by build.sh) once, with openws2 ("ours") or with
# Wine's builtin ws2_32, in the prefix run.sh made under BUILD/winetests/ (made first if missing or
# with --fresh), and prints its raw output followed by the parsed failure records (parse.awk).
# Runs in a network namespace with only loopback, like run.sh. Environment passed on: WINETEST_DEBUG (default 1), WINETEST_REPORT_SUCCESS, WINEDEBUG (default -all).
# The exit code is the test program's (its failure count, capped at 255).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/lib.sh"
[ $# -ge 2 ] || wt_die "usage: run-one.sh ours|builtin PROGRAM [--build DIR] [--arch ARCH] [--fresh]"
side=$1 prog=$2
shift 2
arch=x86_64 build= fresh=0
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --arch) arch=$2; shift 2 ;;
        --fresh) fresh=1; shift ;;
        *) wt_die "run-one.sh: unknown option $1" ;;
    esac
done
case $side in ours|builtin) ;; *) wt_die "run-one.sh: first argument is ours or builtin" ;; esac
[ -n "$build" ] || build=$root/build/$arch
build=$(cd "$build" && pwd)
debver=$(wt_debversion) || wt_die "Wine is not installed"
exe=$(wt_cache)/winetests/$debver-$arch/$prog.exe
[ -f "$exe" ] || exe=$(WT_PROGRAMS=$prog "$here/build.sh" --arch "$arch")/$prog.exe
wt_isolate "$0" "$side" "$prog" --build "$build" --arch "$arch" $([ "$fresh" = 1 ] && echo --fresh)  # only loopback, as run.sh
p=$build/winetests/prefix-$side
if [ "$fresh" = 1 ] || [ ! -d "$p/drive_c/windows/system32" ]; then
    WINEPREFIX=$p "$WINESERVER" -k 2>/dev/null || true
    rm -rf "$p"
    if [ "$side" = ours ]; then
        "$root/scripts/install.sh" --new-prefix "$p" --build "$build" --system >&2
    else
        WINEPREFIX=$p WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE" wineboot -i >/dev/null 2>&1 || true
        WINEPREFIX=$p "$WINESERVER" -w
    fi
    wt_quiet_crashes "$p"
elif [ "$side" = ours ]; then
    # keep the prefix, refresh the DLLs from the build (a rebuilt ws2_32.dll is picked up)
    "$root/scripts/install.sh" --prefix "$p" --build "$build" --system >&2
fi
cwd=$build/winetests/cwd-one-$side
rm -rf "$cwd"; mkdir -p "$cwd"
export WINEPREFIX=$p WINEDEBUG=${WINEDEBUG:--all} WINETEST_DEBUG=${WINETEST_DEBUG:-1} WINETEST_PLATFORM=wine WINETEST_COLOR=0
if [ "$side" = builtin ]; then export WINEDLLOVERRIDES=ws2_32=b; else unset WINEDLLOVERRIDES || true; fi
log=$cwd/$prog.log
rc=0
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    (cd "$cwd" && xvfb-run -a -s "-screen 0 1024x768x24" "$WINE" "$exe") >"$log" 2>&1 || rc=$?
else
    (cd "$cwd" && "$WINE" "$exe") >"$log" 2>&1 || rc=$?
fi
cat "$log"
echo "--- parsed ($prog, $side, exit $rc):"
awk -v prog="$prog" -f "$here/parse.awk" "$log" | grep -v '^todofail '
exit $rc
