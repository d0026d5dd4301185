#!/bin/sh
# chroot.sh: the cached Debian environments of the other Wine lanes (Wine 10.0, 32-bit Wine).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   scripts/chroot.sh ensure NAME        make (or update) the environment NAME, cached between runs
#   scripts/chroot.sh run NAME CMD...    run CMD inside NAME, in the current directory
#   scripts/chroot.sh path NAME          print the environment's root directory
#   scripts/chroot.sh wine-version NAME  print `wine --version` inside NAME
#
# NAME:
#   trixie      Debian 13: Wine 10.0, 64-bit (wine64) and 32-bit (wine32:i386), WoW64 prefixes
#   bookworm32  Debian 12 from the bookworm suite's main only (no security updates, so that the amd64
#               and i386 package versions match): Wine 8.0 64-bit and 32-bit (the host cannot install
#               wine32:i386, its bookworm-security i386 index fails)
#
# The environments live in $OPENWS2_CHROOT_CACHE (default /var/cache/openws2/chroot), made with
# debootstrap --variant=minbase. `run` works in a private mount namespace (unshare): /proc, /dev,
# /dev/pts, /dev/shm and the project's root (at the same path) are mounted for that command only and
# vanish with it, so several runs can overlap and nothing is left mounted. Needs root (sudo is used
# when not root).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${OPENWS2_CHROOT_CACHE:-/var/cache/openws2/chroot}
mirror=${OPENWS2_DEBIAN_MIRROR:-http://deb.debian.org/debian}

usage() { sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd=$1 name=$2
shift 2
case $name in
    trixie) suite=trixie ;;
    bookworm32) suite=bookworm ;;
    *) echo "chroot.sh: unknown environment '$name' (trixie, bookworm32)" >&2; exit 2 ;;
esac
dir=$cache/$name
# What every environment gets: both Wine architectures, what the e2e suite and Wine's tests run with
# (ctest, the shell tools), and what tests/winetests needs to get and build Wine's tests.
pkgs="wine wine64 wine32:i386 cmake procps ca-certificates dpkg-dev gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 xz-utils iproute2 xvfb xauth"
stamp_text="openws2 chroot v1: $suite: $pkgs"

# root for debootstrap, chroot and mounts: through sudo when not root, as scripts/deps.sh installs
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "chroot.sh: needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
    exec sudo OPENWS2_CHROOT_CACHE="$cache" OPENWS2_DEBIAN_MIRROR="$mirror" CI="${CI:-}" "$0" "$cmd" "$name" "$@"
fi

# in_chroot CMD...: CMD inside the environment with its mounts, in a private mount namespace.
in_chroot() {
    wd=$(pwd)
    case $wd in "$root"|"$root"/*) ;; *) wd=/ ;; esac
    unshare --mount --propagation private /bin/sh -eu -c '
        dir=$1 root=$2 wd=$3; shift 3
        mount -t proc proc "$dir/proc"
        mount --rbind /dev "$dir/dev"
        mkdir -p "$dir$root"
        mount --bind "$root" "$dir$root"
        [ -e /etc/resolv.conf ] && cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
        exec chroot "$dir" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" LANG=C.UTF-8 \
            PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/lib/wine \
            CI="${CI:-}" OPENWS2_IN_CHROOT="$0" /bin/sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$wd" "$@"
    ' "$name" "$dir" "$root" "$wd" "$@"
}

ensure() {
    if [ -f "$dir/.openws2-ready" ] && [ "$(cat "$dir/.openws2-ready")" = "$stamp_text" ]; then
        return 0
    fi
    command -v debootstrap >/dev/null 2>&1 || {
        apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap; }
    if [ ! -x "$dir/usr/bin/apt-get" ]; then
        echo "chroot.sh: debootstrap $suite into $dir"
        mkdir -p "$cache"
        rm -rf "$dir.tmp"
        debootstrap --variant=minbase "$suite" "$dir.tmp" "$mirror" >"$cache/$name.debootstrap.log" 2>&1 ||
            { tail -n 30 "$cache/$name.debootstrap.log"; echo "chroot.sh: debootstrap failed" >&2; exit 1; }
        mv "$dir.tmp" "$dir"
    fi
    # One suite's main only, binary and source (Wine's tests come from the source package).
    printf 'deb %s %s main\ndeb-src %s %s main\n' "$mirror" "$suite" "$mirror" "$suite" >"$dir/etc/apt/sources.list"
    rm -f "$dir/etc/apt/sources.list.d/"*.sources 2>/dev/null || true
    echo "chroot.sh: installing Wine and tools into $name"
    in_chroot /bin/sh -eu -c "
        dpkg --add-architecture i386
        apt-get update
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs
        apt-get clean" >"$cache/$name.apt.log" 2>&1 ||
        { tail -n 30 "$cache/$name.apt.log"; echo "chroot.sh: installing packages into $name failed" >&2; exit 1; }
    printf '%s' "$stamp_text" >"$dir/.openws2-ready"
    echo "chroot.sh: $name ready ($(in_chroot wine --version 2>/dev/null || echo 'wine --version failed'))"
}

case $cmd in
    ensure) ensure ;;
    run) [ $# -ge 1 ] || usage; [ -f "$dir/.openws2-ready" ] || ensure; in_chroot "$@" ;;
    path) echo "$dir" ;;
    wine-version) [ -f "$dir/.openws2-ready" ] || ensure; in_chroot wine --version ;;
    *) usage ;;
esac
