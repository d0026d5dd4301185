#!/bin/sh
# run.sh PREFIX DIR EXE [ARGS...]: runs DIR/EXE under Wine in the test run's prefix, with our
# app-local ws2_32.dll preferred (ws2_32=n,b) and Wine's debug output off. The loader is $WINE
# (scripts/lane.sh: wine64 for x86_64 programs, wine for i686 ones), default wine64 (Wine 8 on the
# host). The exit code is the program's.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
prefix=$1 dir=$2 exe=$3
shift 3
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
export WINEPREFIX="$prefix" WINEDEBUG=${WINEDEBUG:--all} WINEDLLOVERRIDES="ws2_32=n,b${WINEDLLOVERRIDES:+;$WINEDLLOVERRIDES}"
cd "$dir"
exec "$WINE" "./$exe" "$@"
