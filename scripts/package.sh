#!/bin/sh
# package.sh: builds openws2 for x86_64 and i686 (CMAKE_BUILD_TYPE=Release), checks that both
# builds install into one tree (`cmake --install --prefix /usr`, DESTDIR) and makes the Debian
# package openws2_VERSION_amd64.deb of both with CPack's DEB generator (CPACK_INSTALL_CMAKE_PROJECTS
# naming the two build trees; no fakeroot needed).
#   --out DIR      where the staging tree and the .deb go (default build/package)
#   --jobs N       build jobs (default 2)
# The Release build directories are build/x86_64-release and build/i686-release, the ones of
# scripts/build-check.sh (only the installed targets are built here: target openws2-dist).
# Prints the .deb's path as its last line. Exit status 0 or 1.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/package jobs=2
while [ $# -gt 0 ]; do
    case $1 in
        --out) out=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        *) echo "package.sh: unknown option $1 (--out DIR, --jobs N)" >&2; exit 2 ;;
    esac
done
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/stage
rm -rf "$stage"
for arch in x86_64 i686; do
    dir=$root/build/$arch-release
    echo "== $arch Release build ($dir)"
    cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-$arch-w64-mingw32.cmake" >/dev/null
    cmake --build "$dir" -j"$jobs" --target openws2-dist >/dev/null
    DESTDIR=$stage cmake --install "$dir" --prefix /usr >/dev/null
done

# The version: the project's (CMakeLists.txt `project(openws2 VERSION X.Y.Z)`).
version=$(sed -n 's/^project(openws2 VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[ -n "$version" ] || { echo "package.sh: no version in CMakeLists.txt" >&2; exit 1; }
for f in usr/bin/openws2-setup usr/lib/openws2/x86_64-windows/ws2_32.dll usr/lib/openws2/i386-windows/ws2_32.dll \
    usr/share/doc/openws2/copyright; do
    [ -f "$stage/$f" ] || { echo "package.sh: $f missing from the staged tree" >&2; exit 1; }
done
# The package is made by CPack's DEB generator from both build trees at once
# (CPACK_INSTALL_CMAKE_PROJECTS runs each build's install rules into one tree, as above).
cpackdir=$out/cpack
rm -rf "$cpackdir"
mkdir -p "$cpackdir"
# Depends: the setup command runs the prefix's programs with wine64 (Debian's wine64 package holds
# the loader, libwine the wineserver) and uses awk; everything else it needs is Essential. The
# `wine` wrapper (wine32 for 32-bit programs) is recommended, not needed.
cat >"$cpackdir/CPackConfig.cmake" <<CPACKCONFIG
set(CPACK_GENERATOR "DEB")
set(CPACK_CMAKE_GENERATOR "Ninja")
set(CPACK_INSTALL_CMAKE_PROJECTS "$root/build/x86_64-release;openws2;ALL;/;$root/build/i686-release;openws2;ALL;/")
set(CPACK_PACKAGE_NAME "openws2")
set(CPACK_PACKAGE_VERSION "$version")
set(CPACK_PACKAGE_FILE_NAME "openws2_${version}_amd64")
set(CPACK_PACKAGE_DIRECTORY "$cpackdir")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES OFF)
set(CPACK_PACKAGE_CONTACT "the openws2 authors <openws2@localhost>")
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE "amd64")
set(CPACK_DEBIAN_PACKAGE_DEPENDS "wine64, mawk | awk")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "wine")
set(CPACK_DEBIAN_PACKAGE_SECTION "otherosfs")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Winsock 2 (ws2_32.dll) with the service provider architecture, for Wine")
set(CPACK_PACKAGE_DESCRIPTION "openws2 is a drop-in ws2_32.dll for Wine with the Windows Sockets 2 provider architecture.")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Winsock 2 (ws2_32.dll) with the service provider architecture, for Wine
openws2 is a drop-in ws2_32.dll for Wine implementing the Windows Sockets 2 provider
architecture: the protocol catalog in the registry, provider DLLs loaded through WSPStartup,
layered service providers. This package holds the x86_64 and i686 DLLs, the catalog tool
(ws2catalog.exe), the provider tester (ws2conform.exe) and openws2-setup, which installs
them into a Wine prefix (openws2-setup install|uninstall|status [--prefix P] [--app EXE]).")
CPACKCONFIG
(cd "$cpackdir" && cpack --config "$cpackdir/CPackConfig.cmake" >"$cpackdir/cpack.log" 2>&1) ||
    { cat "$cpackdir/cpack.log" >&2; echo "package.sh: cpack failed" >&2; exit 1; }
deb=$out/openws2_${version}_amd64.deb
rm -f "$deb"
mv "$cpackdir/openws2_${version}_amd64.deb" "$deb" || { cat "$cpackdir/cpack.log" >&2; exit 1; }
echo "$deb"
