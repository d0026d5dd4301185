#!/bin/sh
# build-check.sh ARCH TYPE [DIR]: configures and builds openws2 for ARCH (x86_64, i686, or host: the
# native unit tests) with CMAKE_BUILD_TYPE=TYPE (Debug, Release, RelWithDebInfo, MinSizeRel) in DIR
# (default build/ARCH-TYPE, lower case). Every target is built with -Wall -Wextra -Werror, so a
# success means the build type builds warning-free. Exit status 0 or 1; the build's output on stdout.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 2 ] || { echo "usage: build-check.sh x86_64|i686|host Debug|Release|RelWithDebInfo|MinSizeRel [DIR]" >&2; exit 2; }
arch=$1 type=$2
dir=${3:-$root/build/$arch-$(echo "$type" | tr 'A-Z' 'a-z')}
case $arch in
    x86_64|i686) toolchain=-DCMAKE_TOOLCHAIN_FILE=$root/cmake/toolchain-$arch-w64-mingw32.cmake ;;
    host) toolchain= ;;
    *) echo "build-check.sh: unknown arch $arch" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="$type" $toolchain || exit 1
# -k 0: every failing file is reported, not only the first
cmake --build "$dir" -j"$(nproc)" -- -k 0 || exit 1
echo "build-check: $arch $type built warning-free in $dir"
