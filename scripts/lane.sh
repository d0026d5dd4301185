#!/bin/sh
# lane.sh: runs a build's ctest suite on one Wine lane (Wine version x architecture x prefix kind).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   scripts/lane.sh LANE [ctest args...]
#   scripts/lane.sh --list
#
# Lanes (environment: the host, or a cached chroot of scripts/chroot.sh):
#   wine8-x86_64       host, Wine 8.0, build/x86_64, 64-bit prefix
#   wine10-x86_64      trixie, Wine 10.0, build/x86_64, 64-bit prefix
#   wine8-i686-wow64   bookworm32, Wine 8.0, build/i686, 32-bit programs in a 64-bit (WoW64) prefix
#   wine8-i686-win32   bookworm32, Wine 8.0, build/i686, WINEARCH=win32 prefix
#   wine10-i686-wow64  trixie, Wine 10.0, build/i686, WoW64 prefix
#   wine10-i686-win32  trixie, Wine 10.0, build/i686, win32 prefix
#
# The build directory must be configured and built (scripts/test-all.sh does it). The lane is told
# to the test scripts through the environment:
#   WINE              the loader that runs the test programs (wine64 for x86_64, wine for i686)
#   WINESERVER        the matching wineserver
#   OPENWS2_WINEARCH  win64 or win32: the kind of prefix tests/wine/prefix-setup.sh makes
#   OPENWS2_LANE      the lane's name
# Every lane of one build directory reuses its prefix path: the ctest fixture makes it anew per run.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
lanes="wine8-x86_64 wine10-x86_64 wine8-i686-wow64 wine8-i686-win32 wine10-i686-wow64 wine10-i686-win32"
[ $# -ge 1 ] || { sed -n '5,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
if [ "$1" = --list ]; then echo "$lanes"; exit 0; fi
lane=$1
shift
case $lane in
    wine8-x86_64)      envname=host       arch=x86_64 winearch=win64 ;;
    wine10-x86_64)     envname=trixie     arch=x86_64 winearch=win64 ;;
    wine8-i686-wow64)  envname=bookworm32 arch=i686   winearch=win64 ;;
    wine8-i686-win32)  envname=bookworm32 arch=i686   winearch=win32 ;;
    wine10-i686-wow64) envname=trixie     arch=i686   winearch=win64 ;;
    wine10-i686-win32) envname=trixie     arch=i686   winearch=win32 ;;
    *) echo "lane.sh: unknown lane '$lane' (lanes: $lanes)" >&2; exit 2 ;;
esac
build=${OPENWS2_LANE_BUILD:-$root/build/$arch}
[ -f "$build/CTestTestfile.cmake" ] || { echo "lane.sh: $build is not a configured build directory" >&2; exit 1; }
if [ "$arch" = x86_64 ]; then loader=wine64; else loader=wine; fi

if [ "$envname" = host ]; then
    wine=$(command -v "$loader" || echo "/usr/lib/wine/$loader")
    wineserver=$(command -v wineserver || echo /usr/lib/wine/wineserver)
    exec env WINE="$wine" WINESERVER="$wineserver" OPENWS2_WINEARCH="$winearch" OPENWS2_LANE="$lane" \
        ctest --test-dir "$build" --output-on-failure --timeout 600 "$@"
fi
"$root/scripts/chroot.sh" ensure "$envname"
# Inside the chroot PATH includes /usr/lib/wine (Debian's wine64/wine loaders and wineserver).
exec "$root/scripts/chroot.sh" run "$envname" /bin/sh -c '
    loader=$1 winearch=$2 lane=$3 build=$4; shift 4
    wine=$(command -v "$loader") || { echo "lane.sh: no $loader in this environment" >&2; exit 1; }
    exec env WINE="$wine" WINESERVER="$(command -v wineserver)" OPENWS2_WINEARCH="$winearch" \
        OPENWS2_LANE="$lane" ctest --test-dir "$build" --output-on-failure --timeout 600 "$@"
' sh "$loader" "$winearch" "$lane" "$build" "$@"
