#!/bin/sh
# prefix-setup.sh PREFIX BUILDDIR [ARCH]: makes the throwaway Wine prefix of one ctest run and installs
# the build's DLLs into it (scripts/install.sh: providers into system32, or syswow64 for i686 in a
# WoW64 prefix; the catalog written), then checks with ws2_probe.exe that a program of the e2e
# directory gets our ws2_32 (not silently Wine's builtin).
# The lane is told through the environment (scripts/lane.sh): $WINE (the loader of this build's
# programs: wine64 for x86_64, wine for i686), $WINESERVER, $OPENWS2_WINEARCH (win64, the default,
# or win32: the prefix kind). An i686 build in a WoW64 prefix installs the 32-bit side of openws2
# only: the i686 suite tests the i686 build (a WoW64 prefix may hold just the 32-bit side; the
# 64-bit side with it is system32_install's wow64 step).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
prefix=$1 build=$2 arch=${3:-x86_64}
root=$(cd "$(dirname "$0")/../.." && pwd)
# install.sh --new-prefix removes the old prefix (after stopping its wineserver) and makes it anew.
if [ "$arch" = i686 ]; then
    "$root/scripts/install.sh" --new-prefix "$prefix" --build32 "$build"
else
    [ "${OPENWS2_WINEARCH:-win64}" = win64 ] || { echo "prefix-setup.sh: an x86_64 build needs a win64 prefix" >&2; exit 1; }
    "$root/scripts/install.sh" --new-prefix "$prefix" --build "$build"
fi
exec "$root/tests/wine/run.sh" "$prefix" "$build/e2e-bin" ws2_probe.exe
