#!/bin/sh
# demo.sh: the main job's install + catalog + loopback echo on one Wine lane, with the proof that
# the echo went through openws2.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
#   scripts/demo.sh [--lane LANE] [--build DIR] [--build32 DIR] [--prefix P] [--contrast]
#
# LANE is one of scripts/lane.sh's (default wine8-x86_64, the host's Wine 8.0); the chroot lanes run
# inside their environment (scripts/chroot.sh). The builds must exist (default build/x86_64 and
# build/i686; scripts/setup-and-demo.sh builds x86_64). On the lane, as a user installs it
# (README, scripts/install.sh into a fresh prefix, default build/demo/LANE/prefix; the programs'
# directories A64, A32 in PREFIX-apps/app64, app32):
#   x86_64 lanes   --build B64 --app-dir A64 in a 64-bit prefix; the 64-bit echo
#   *-i686-wow64   --build B64 --build32 B32 --app-dir A64 --app-dir32 A32 in a 64-bit (WoW64)
#                  prefix; the 64-bit echo and the 32-bit echo
#   *-i686-win32   OPENWS2_WINEARCH=win32 --build32 B32 --app-dir A32; the 32-bit echo
# then shows the protocol catalog (ws2catalog show) and runs examples/loopback_echo.exe (TCP echo over
# IPv4 and IPv6) with ws2_32=n,b and OPENWS2_TRACE=1. The proof, checked per echo: the program ran
# with the expected bitness, loaded ws2_32.dll from its own directory (ours, not Wine's builtin), our
# ws2_32 traced its calls and selected catalog entries, the catalog's base provider openws2afd.dll was
# found, started (WSPStartup naming the Wine version) and loaded in the process, it created, connected
# and accepted the sockets, and the echo's bytes went through it: 4 x 22 bytes sent and received in
# the provider's WSPSend/WSPRecv results, the echoed text compared byte for byte by the program.
# --contrast: also runs the 64-bit program on Wine's builtin ws2_32 (no openws2 trace expected).
# Exit code 0 only when every echo worked and every proof holds. Last line:
#   demo LANE: OK|FAILED (...)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
lane=wine8-x86_64 build= build32= prefix= contrast=0 here=0
while [ $# -gt 0 ]; do
    case $1 in
        --lane) lane=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --build32) build32=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --contrast) contrast=1; shift ;;
        --here) here=1; shift ;; # internal: already inside the lane's environment
        *) echo "demo.sh: unknown option $1 (see the head of $0)" >&2; exit 2 ;;
    esac
done
case $lane in
    wine8-x86_64)      envname=host       kind=x86_64 ;;
    wine10-x86_64)     envname=trixie     kind=x86_64 ;;
    wine8-i686-wow64)  envname=bookworm32 kind=wow64 ;;
    wine8-i686-win32)  envname=bookworm32 kind=win32 ;;
    wine10-i686-wow64) envname=trixie     kind=wow64 ;;
    wine10-i686-win32) envname=trixie     kind=win32 ;;
    *) echo "demo.sh: unknown lane '$lane' ($("$root/scripts/lane.sh" --list))" >&2; exit 2 ;;
esac
# A build directory as an absolute path. It need not exist: only the lane's own bitness is required
# (`need` below), so the host's 64-bit lane runs without an i686 build (a fresh clone has none).
absdir() { if [ -d "$1" ]; then (cd "$1" && pwd); else case $1 in /*) echo "$1" ;; *) echo "$(pwd)/$1" ;; esac; fi; }
build=$(absdir "${build:-$root/build/x86_64}")
build32=$(absdir "${build32:-$root/build/i686}")
prefix=${prefix:-$root/build/demo/$lane/prefix}
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac

if [ "$envname" != host ] && [ "$here" = 0 ]; then
    "$root/scripts/chroot.sh" ensure "$envname"
    set -- --here --lane "$lane" --build "$build" --build32 "$build32" --prefix "$prefix"
    [ "$contrast" = 0 ] || set -- "$@" --contrast
    exec "$root/scripts/chroot.sh" run "$envname" "$root/scripts/demo.sh" "$@"
fi

# The loaders as scripts/install.sh and tests/wine/run.sh take them (Debian: /usr/lib/wine).
WINE64=$(command -v wine64 || echo /usr/lib/wine/wine64)
if [ -x /usr/lib/wine/wine ]; then WINE32=/usr/lib/wine/wine; else WINE32=$(command -v wine || echo wine); fi
WINESERVER=$(command -v wineserver || echo /usr/lib/wine/wineserver)
export WINE64 WINE32 WINESERVER
unset WINE OPENWS2_TRACE

# What the lane runs: the bitness list, and which builds must hold what.
case $kind in
    x86_64) bits=64 ;;
    wow64)  bits="64 32" ;;
    win32)  bits=32 ;;
esac
need() { # BUILDDIR: the files the demo takes from it
    for f in src/ws2_32.dll dlls/afd/openws2afd.dll examples/loopback_echo.exe tools/ws2catalog/ws2catalog.exe; do
        [ -f "$1/$f" ] || { echo "demo.sh: $1/$f is missing (build $1 first)" >&2; exit 1; }
    done
}
case $bits in *64*) need "$build" ;; esac
case $bits in *32*) need "$build32" ;; esac

work=${prefix%/}-apps
app64=$work/app64 app32=$work/app32
rm -rf "$work"
mkdir -p "$work"
wine_version=$("$([ "$kind" = win32 ] && echo "$WINE32" || echo "$WINE64")" --version 2>/dev/null || echo unknown)
echo "=== demo on lane $lane ($wine_version, $([ "$envname" = host ] && echo host || echo "chroot $envname"))"
echo "=== Installing into a fresh Wine prefix $prefix (scripts/install.sh)"
case $kind in
    x86_64) set -- --build "$build" --app-dir "$app64" ;;
    wow64)  set -- --build "$build" --build32 "$build32" --app-dir "$app64" --app-dir32 "$app32" ;;
    win32)  set -- --build32 "$build32" --app-dir "$app32" ;;
esac
echo "  scripts/install.sh --new-prefix $prefix $*$([ "$kind" = win32 ] && echo ' (OPENWS2_WINEARCH=win32)')"
if [ "$kind" = win32 ]; then
    OPENWS2_WINEARCH=win32 "$root/scripts/install.sh" --new-prefix "$prefix" "$@"
else
    OPENWS2_WINEARCH=win64 "$root/scripts/install.sh" --new-prefix "$prefix" "$@"
fi
for b in $bits; do
    if [ "$b" = 64 ]; then a=$app64 bd=$build; else a=$app32 bd=$build32; fi
    cp "$bd/examples/loopback_echo.exe" "$bd/tools/ws2catalog/ws2catalog.exe" "$a/"
done

export WINEPREFIX="$prefix" WINEDEBUG=-all
loader() { if [ "$1" = 64 ]; then echo "$WINE64"; else echo "$WINE32"; fi; }
appdir() { if [ "$1" = 64 ]; then echo "$app64"; else echo "$app32"; fi; }

for b in $bits; do
    echo
    echo "=== The protocol catalog as a $b-bit program sees it (ws2catalog show, $(appdir "$b"))"
    (cd "$(appdir "$b")" && WINEDLLOVERRIDES="ws2_32=n,b" "$(loader "$b")" ./ws2catalog.exe show)
done

failed=0 summary=
prove() { # description command...
    what=$1; shift
    if "$@" >/dev/null 2>&1; then echo "  yes: $what"; else echo "  NO:  $what"; proof=1; fi
}
# sum_of WORD FILE: the sum of the numbers after "(WORD " in the provider's WSPSend/WSPRecv results.
sum_of() {
    sed -n "s/^openws2: spi WSP\\(Send\\|Recv\\) -> 0 ($1 \\([0-9]*\\) error 0)\$/\\2/p" "$2" |
        awk '{ s += $1 } END { print s + 0 }'
}
for b in $bits; do
    a=$(appdir "$b")
    echo
    echo "=== $b-bit loopback echo through openws2 (app-local ws2_32.dll, WINEDLLOVERRIDES=ws2_32=n,b, OPENWS2_TRACE=1)"
    rc=0
    (cd "$a" && WINEDLLOVERRIDES="ws2_32=n,b" OPENWS2_TRACE=1 "$(loader "$b")" ./loopback_echo.exe >echo.out 2>trace.log) || rc=$?
    tr -d '\r' <"$a/echo.out" >"$a/echo.txt"
    tr -d '\r' <"$a/trace.log" >"$a/trace.txt"
    cat "$a/echo.txt"
    echo "(exit code $rc; trace: $(wc -l <"$a/trace.txt") lines in $a/trace.log)"
    echo "--- proof that openws2 carried the $b-bit echo"
    proof=0
    prove "the echo came back intact, compared byte for byte (IPv4 and IPv6)" \
        sh -c "grep -q '^loopback echo: OK' '$a/echo.txt' && [ \$(grep -c 'echo: \"hello through openws2\" came back intact' '$a/echo.txt') = 2 ]"
    prove "the program is a $b-bit process" grep -qx "process: $b-bit" "$a/echo.txt"
    prove "it loaded ws2_32.dll from its own directory (the app-local install)" \
        sh -c "grep '^ws2_32 in use:' '$a/echo.txt' | grep -qi 'app$b.ws2_32.dll'"
    prove "its sockets got openws2's catalog entries (MSAFD Tcpip [TCP/IP] and [TCP/IPv6], SO_PROTOCOL_INFOW)" \
        sh -c "[ \$(grep -c 'catalog entry 1001 \"MSAFD Tcpip \[TCP/IP\]\"' '$a/echo.txt') = 2 ] && [ \$(grep -c 'catalog entry 1004 \"MSAFD Tcpip \[TCP/IPv6\]\"' '$a/echo.txt') = 2 ]"
    prove "our ws2_32 traced the program's calls (openws2: api ...)" grep -q '^openws2: api WSAStartup(' "$a/trace.txt"
    prove "the catalog was read and selected entries for the sockets (IPv4 and IPv6)" \
        sh -c "grep -q '^openws2: catalog select af 2 type 1' '$a/trace.txt' && grep -q '^openws2: catalog select af 23 type 1' '$a/trace.txt'"
    prove "the base provider openws2afd.dll was found through the catalog" grep -q 'WPUGetProviderPath.*openws2afd.dll' "$a/trace.txt"
    prove "its WSPStartup ran on this Wine (openws2: spi afd WSPStartup: Wine ...)" \
        grep -q '^openws2: spi afd WSPStartup: Wine [0-9]' "$a/trace.txt"
    prove "openws2afd.dll is loaded in the $b-bit process" grep -qi '^base provider loaded: .*openws2afd.dll' "$a/echo.txt"
    # where the $b-bit side's DLLs live in this prefix: system32, or syswow64 for 32-bit in a WoW64 one
    if [ "$b" = 32 ] && [ "$kind" = wow64 ]; then sysdir=syswow64 bd=$build32
    elif [ "$b" = 32 ]; then sysdir=system32 bd=$build32; else sysdir=system32 bd=$build; fi
    prove "the prefix's $sysdir holds this build's openws2afd.dll ($(basename "$bd"))" \
        cmp "$bd/dlls/afd/openws2afd.dll" "$prefix/drive_c/windows/$sysdir/openws2afd.dll"
    prove "the provider created, connected and accepted the sockets" \
        sh -c "grep -q '^openws2: spi WSPSocket(' '$a/trace.txt' && grep -q '^openws2: spi WSPConnect(' '$a/trace.txt' && grep -q '^openws2: spi WSPAccept(' '$a/trace.txt'"
    sent=$(sum_of sent "$a/trace.txt") received=$(sum_of received "$a/trace.txt")
    prove "the echo's bytes went through the provider: 88 bytes sent and 88 received (2 families x 2 x 22; here $sent and $received)" \
        test "$sent" = 88 -a "$received" = 88
    echo "  provider calls traced: $(grep -c '^openws2: spi' "$a/trace.txt" || true); a sample:"
    grep -E '^openws2: spi (afd WSPStartup|WSPSocket|WSPConnect|WSPAccept|WSPSend|WSPRecv)' "$a/trace.txt" |
        sed -n '1,8p' | cut -c1-150 | sed 's/^/    /'
    if [ "$rc" = 0 ] && [ "$proof" = 0 ]; then
        summary="$summary $b-bit echo through openws2 OK;"
    else
        summary="$summary $b-bit echo FAILED (exit code $rc, proof $([ "$proof" = 0 ] && echo complete || echo incomplete));"
        failed=1
    fi
done

if [ "$contrast" = 1 ]; then
    b=${bits%% *}
    echo
    echo "=== For contrast: the $b-bit program on Wine's builtin ws2_32 (no app-local copy, ws2_32=b)"
    mkdir -p "$work/builtin"
    cp "$(appdir "$b")/loopback_echo.exe" "$work/builtin/"
    (cd "$work/builtin" && WINEDLLOVERRIDES="ws2_32=b" OPENWS2_TRACE=1 "$(loader "$b")" ./loopback_echo.exe 2>trace.log) || true
    echo "(openws2 trace lines there: $(grep -c '^openws2:' "$work/builtin/trace.log" || true))"
fi
"$WINESERVER" -w

echo
if [ "$failed" = 0 ]; then
    echo "demo $lane: OK ($wine_version:${summary%;})"
    exit 0
fi
echo "demo $lane: FAILED ($wine_version:${summary%;})"
exit 1
