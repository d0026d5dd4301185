# lib.sh: shared definitions of the Wine conformance test tooling (sourced by run.sh, build.sh,
# fetch-source.sh, run-one.sh): which Wine is under test, where its source and the built test
# programs are cached, how to call Wine and apt.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later

# The test programs of dlls/ws2_32/tests that are built and run, in this order.
WT_PROGRAMS=${WT_PROGRAMS:-"sock protocol afd"}

WINE=${WINE:-$(command -v wine64 || command -v wine || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}

wt_sudo=
[ "$(id -u)" = 0 ] || wt_sudo=sudo

# wt_die MESSAGE: prints MESSAGE and exits with 2 (tooling failure, not a test result).
wt_die() { echo "winetests: $*" >&2; exit 2; }

# The Debian source package version of the installed Wine (e.g. 8.0~repack-4), from dpkg; the
# package that carries Wine's PE DLLs differs between releases, so the first one installed counts.
wt_debversion() {
    for p in libwine wine64 wine; do
        v=$(dpkg-query -W -f='${db:Status-Status} ${source:Version}\n' "$p" 2>/dev/null |
            awk '$1 == "installed" { print $2; exit }')
        [ -n "$v" ] && { echo "$v"; return 0; }
    done
    return 1
}

# The upstream Wine version (8.0, 10.0) of a Debian version: no epoch, no ~repack, no revision.
wt_wineversion() { echo "$1" | sed -e 's/^[0-9]*://' -e 's/[~+-].*//'; }

# The cache root: OPENWS2_CACHE, else /var/cache/openws2 when it is (or can be made) writable, else
# ~/.cache/openws2. Nothing of Wine's source lands in the repository.
wt_cache() {
    if [ -n "${OPENWS2_CACHE:-}" ]; then echo "$OPENWS2_CACHE"; return; fi
    if mkdir -p /var/cache/openws2 2>/dev/null && [ -w /var/cache/openws2 ]; then
        echo /var/cache/openws2
    else
        echo "${XDG_CACHE_HOME:-$HOME/.cache}/openws2"
    fi
}

# Elapsed-seconds timer: wt_now prints the epoch seconds.
wt_now() { date +%s; }

# wt_quiet_crashes PREFIX: makes Wine's debugger print a crashing test program's backtrace and
# return instead of opening its crash dialog (which, under Xvfb, would wait for a click forever).
wt_quiet_crashes() {
    WINEPREFIX=$1 "$WINE" reg add 'HKCU\Software\Wine\WineDbg' /v ShowCrashDialog /t REG_DWORD /d 0 /f \
        >/dev/null 2>&1 || wt_die "could not write the WineDbg setting into $1"
}

# wt_isolate SCRIPT ARGS...: re-executes SCRIPT in a network namespace of its own, unless already
# inside one. Wine's tests resolve and connect to external hosts (winehq.org, www.kernel.org, ...);
# openws2's tests never reach the network, so they run where nothing leads out: loopback, plus a
# veth pair whose both ends stay in the namespace (owt0 192.0.2.1/24 and 2001:db8::1/64, from the
# documentation ranges; owt1 without address), and no default route. Name lookups and connects to
# outside addresses fail at once, the same for both sides. The interface is there because some
# tests need a non-loopback address (sock.c's SIO_ADDRESS_LIST_QUERY test crashes without one).
wt_isolate() {
    if [ "${OPENWS2_WT_NETNS:-}" = 1 ]; then
        ip link set lo up || wt_die "cannot bring up lo in the test network namespace"
        if ! ip link show owt0 >/dev/null 2>&1; then
            ip link add owt0 type veth peer name owt1 &&
            ip addr add 192.0.2.1/24 dev owt0 &&
            ip -6 addr add 2001:db8::1/64 dev owt0 nodad &&
            ip link set owt1 up && ip link set owt0 up || wt_die "cannot set up the test interface owt0"
        fi
        [ -z "$(ip route show default)" ] && [ -z "$(ip -6 route show default)" ] ||
            wt_die "not isolated: this network namespace has a default route"
        ip -o link show | grep -qv ': \(lo\|owt0@owt1\|owt1@owt0\):' &&
            wt_die "not isolated: this network namespace has other interfaces"
        return 0
    fi
    command -v ip >/dev/null 2>&1 || {
        echo "winetests: installing iproute2" >&2
        $wt_sudo apt-get update >&2
        DEBIAN_FRONTEND=noninteractive $wt_sudo apt-get install -y iproute2 >&2
    }
    command -v unshare >/dev/null 2>&1 || wt_die "unshare (util-linux) is missing"
    flags=-n
    [ "$(id -u)" = 0 ] || flags=-rn
    OPENWS2_WT_NETNS=1 exec unshare $flags -- "$@" ||
        wt_die "cannot make a network namespace (unshare $flags): the tests must not reach the network"
}
