#!/bin/sh
# fetch-source.sh: makes the Debian source of the installed Wine available under
# CACHE/winesrc/DEBVERSION/src (dpkg-source -x, Debian's patches applied) and prints that path.
# Adds a deb-src entry for the running Debian suite (from /etc/os-release) when apt has none,
# installs dpkg-dev when missing, reuses an earlier download.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

debver=$(wt_debversion) || wt_die "Wine is not installed (no libwine/wine64/wine package)"
dir=$(wt_cache)/winesrc/$debver
if [ -f "$dir/src/dlls/ws2_32/tests/sock.c" ] && [ -f "$dir/src/include/wine/test.h" ]; then
    echo "$dir/src"
    exit 0
fi

dpkg-query -W -f='${Status}' dpkg-dev 2>/dev/null | grep -q "install ok installed" || {
    echo "winetests: installing dpkg-dev" >&2
    $wt_sudo apt-get update >&2
    DEBIAN_FRONTEND=noninteractive $wt_sudo apt-get install -y dpkg-dev >&2
}

# A deb-src entry for this system's suite, unless apt already knows the source of this version.
if ! apt-cache showsrc wine 2>/dev/null | grep -qx "Version: $debver"; then
    . /etc/os-release
    suite=${VERSION_CODENAME:-}
    [ -n "$suite" ] || wt_die "no VERSION_CODENAME in /etc/os-release"
    list=/etc/apt/sources.list.d/openws2-deb-src.sources
    if [ ! -f "$list" ]; then
        echo "winetests: adding $list (deb-src for $suite)" >&2
        $wt_sudo sh -c "cat > '$list'" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    fi
    $wt_sudo apt-get update >&2 || true
    apt-cache showsrc wine 2>/dev/null | grep -qx "Version: $debver" ||
        wt_die "apt has no source of wine $debver (deb-src for $suite missing or the version is gone)"
fi

mkdir -p "$dir"
rm -rf "$dir/src"
(cd "$dir" && apt-get source --download-only "wine=$debver" >&2) || wt_die "apt-get source wine=$debver failed"
dsc=$(ls "$dir"/wine_*.dsc | head -n 1)
(cd "$dir" && dpkg-source --no-check -x "$dsc" src >&2) || wt_die "dpkg-source -x $dsc failed"
echo "$dir/src"
