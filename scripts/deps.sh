#!/bin/sh
# deps.sh: installs the Debian bookworm packages openws2 needs (only those missing), with sudo when
# not root. Every entry point (setup-and-demo.sh, test-all.sh, .ci/run) calls it first.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
pkgs="gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 mingw-w64-tools wine64 libwine-dev libcmocka-dev cmake ninja-build gcc make debootstrap dpkg-dev xvfb xauth iproute2 clang libclang-rt-dev"
missing=
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
sudo=
[ "$(id -u)" = 0 ] || sudo=sudo
echo "deps.sh: installing$missing"
$sudo apt-get update
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y $missing
