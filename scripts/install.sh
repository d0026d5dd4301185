#!/bin/sh
# install.sh: installs a build of openws2 into a Wine prefix.
#   --build DIR        the x86_64 build directory (default: build/x86_64, unless --build32 is given or
#                      the prefix is a win32 one)
#   --build32 DIR      the i686 build directory: into syswow64 of a 64-bit (WoW64) prefix, into
#                      system32 of a 32-bit (WINEARCH=win32) prefix; alone, installs the 32-bit side only
#   --prefix P         an existing Wine prefix (default: $WINEPREFIX or ~/.wine)
#   --new-prefix P     make a fresh prefix at P first (wineboot; OPENWS2_WINEARCH=win32 makes a 32-bit
#                      prefix with the `wine` loader, default win64 with wine64)
#   --app-dir DIR      also copy ws2_32.dll into DIR (app-local install; run with ws2_32=n,b): the
#                      x86_64 one, or the i686 one when only --build32 is given
#   --app-dir32 DIR    the i686 ws2_32.dll into DIR (with both builds)
#   --system           put ws2_32.dll into system32 (and syswow64) too (for programs that load it
#                      only from there), with a prefix-wide ws2_32=native,builtin override
#   --app-override EXE with --system: instead of the prefix-wide override, one for EXE only
#                      (HKCU\Software\Wine\AppDefaults\EXE\DllOverrides; repeatable), so that every
#                      other program of the prefix keeps Wine's builtin ws2_32
#   --uninstall        undo every install into the prefix: our DLLs leave system32/syswow64 (Wine's
#                      own files come back), the overrides written go, and the Winsock catalog is
#                      restored as it was before the first install (scripts/install-undo.sh)
# Never use a prefix-wide ws2_32=native (without builtin): wineboot then fails.
# The providers (dlls/) go to system32 (the i686 ones of a WoW64 prefix to syswow64: the catalog's
# %SystemRoot%\system32\... paths reach syswow64 for 32-bit processes), and the default catalog is
# written to the prefix's registry (both views) with the catalog tool.
# Loaders: $WINE64 (default wine64) and $WINE32 (default /usr/lib/wine/wine, the 32-bit loader);
# $WINE, when set, is taken for the one of its name.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build= build32= prefix=${WINEPREFIX:-$HOME/.wine} fresh=0 appdir= appdir32= system=0 apps= uninstall=0
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --build32) build32=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --new-prefix) prefix=$2; fresh=1; shift 2 ;;
        --app-dir) appdir=$2; shift 2 ;;
        --app-dir32) appdir32=$2; shift 2 ;;
        --system) system=1; shift ;;
        --app-override)
            case $2 in *\\*|*/*|'') echo "install.sh: --app-override takes a program file name (e.g. app.exe)" >&2; exit 2 ;; esac
            apps="$apps $2"; shift 2 ;;
        --uninstall) uninstall=1; shift ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$system" = 1 ] || [ -z "$apps" ] || { echo "install.sh: --app-override needs --system" >&2; exit 2; }

# The loaders: wine64 for 64-bit programs, wine (32-bit) for 32-bit ones and win32 prefixes.
case ${WINE:-} in
    *64) WINE64=${WINE64:-$WINE} ;;
    ?*) WINE32=${WINE32:-$WINE} ;;
esac
WINE64=${WINE64:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
if [ -z "${WINE32:-}" ]; then
    if [ -x /usr/lib/wine/wine ]; then WINE32=/usr/lib/wine/wine; else WINE32=$(command -v wine || echo wine); fi
fi
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=${WINEDEBUG:--all}

# The prefix's kind: a fresh one is OPENWS2_WINEARCH's, an existing one says in system.reg.
if [ "$fresh" = 1 ]; then
    winearch=${OPENWS2_WINEARCH:-win64}
elif grep -q '^#arch=win32' "$prefix/system.reg" 2>/dev/null; then
    winearch=win32
else
    winearch=win64
fi
case $winearch in
    win32) REGWINE=$WINE32 ;;
    win64) REGWINE=$WINE64 ;;
    *) echo "install.sh: OPENWS2_WINEARCH must be win32 or win64, not '$winearch'" >&2; exit 2 ;;
esac
. "$root/scripts/install-undo.sh"

if [ "$uninstall" = 1 ]; then
    [ "$fresh" = 0 ] || { echo "install.sh: --uninstall takes --prefix, not --new-prefix" >&2; exit 2; }
    undo_all
    "$WINESERVER" -w
    echo "uninstalled openws2 from $prefix"
    exit 0
fi

if [ -z "$build" ] && [ -z "$build32" ]; then
    if [ "$winearch" = win32 ]; then build32=$root/build/i686; else build=$root/build/x86_64; fi
fi
[ -z "$build" ] || [ "$winearch" = win64 ] ||
    { echo "install.sh: a win32 prefix holds only 32-bit DLLs: use --build32 (not --build)" >&2; exit 2; }
for b in $build $build32; do
    [ -f "$b/src/ws2_32.dll" ] || { echo "install.sh: no ws2_32.dll in $b/src (build first)" >&2; exit 1; }
done
[ -z "$appdir32" ] || [ -n "$build32" ] || { echo "install.sh: --app-dir32 needs --build32" >&2; exit 2; }

# remove_prefix: removes an old prefix at $prefix. Its wineserver may still run: the last program of
# an earlier run (the ctest suite of the same lane, or the fixture run just before) leaves the server
# alive for a moment, and as it exits it saves the registry into the prefix, so that `rm -rf` raced it
# and failed with "Directory not empty" (seen on lane wine8-i686-wow64). A server of this environment
# is stopped first (wineserver -k, then -w until it has gone); one of another environment (the host's
# server of build/x86_64/wineprefix when the wine10-x86_64 chroot lane follows) is not visible here,
# so the removal is retried while such a server finishes.
remove_prefix() {
    [ -e "$prefix" ] || return 0
    if [ -d "$prefix" ]; then
        "$WINESERVER" -k >/dev/null 2>&1 || true
        "$WINESERVER" -w >/dev/null 2>&1 || true
    fi
    tries=0
    until rm -rf "$prefix" 2>/dev/null; do
        tries=$((tries + 1))
        [ "$tries" -lt 20 ] || { rm -rf "$prefix"; echo "install.sh: could not remove the old prefix $prefix" >&2; exit 1; }
        sleep 1
    done
}

if [ "$fresh" = 1 ]; then
    remove_prefix
    # no Mono/Gecko installers in a throwaway prefix
    if [ "$winearch" = win32 ]; then
        WINEARCH=win32 WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE32" wineboot -i >/dev/null 2>&1 || true
    else
        WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE64" wineboot -i >/dev/null 2>&1 || true
    fi
    "$WINESERVER" -w
    [ -d "$prefix/drive_c/windows/system32" ] || { echo "install.sh: wineboot failed for $prefix" >&2; exit 1; }
fi
sys32=$prefix/drive_c/windows/system32
# Where the i686 DLLs go: syswow64 in a WoW64 prefix, system32 in a win32 one.
if [ "$winearch" = win32 ]; then sys32_i686=$sys32; else sys32_i686=$prefix/drive_c/windows/syswow64; fi
if [ -n "$build32" ] && [ ! -d "$sys32_i686" ]; then
    echo "install.sh: $sys32_i686 missing: this prefix cannot run 32-bit programs (a 64-bit-only Wine?)" >&2; exit 1
fi
undo_begin

# place BUILDDIR DIR: the providers (and only DLLs that are not test providers) into DIR, and with
# --system ws2_32.dll too.
place() {
    for dll in $(find "$1/dlls" -name '*.dll' 2>/dev/null); do
        undo_copy "$dll" "$2/$(basename "$dll")"
    done
    [ "$system" = 0 ] || undo_copy "$1/src/ws2_32.dll" "$2/ws2_32.dll"
}
[ -z "$build" ] || place "$build" "$sys32"
[ -z "$build32" ] || place "$build32" "$sys32_i686"
if [ -n "$appdir" ]; then
    mkdir -p "$appdir"
    undo_copy "${build:-$build32}/src/ws2_32.dll" "$appdir/ws2_32.dll"
fi
if [ -n "$appdir32" ]; then
    mkdir -p "$appdir32"
    undo_copy "$build32/src/ws2_32.dll" "$appdir32/ws2_32.dll"
fi
if [ "$system" = 1 ]; then
    if [ -n "$apps" ]; then
        for app in $apps; do
            undo_reg_sz "HKCU\\Software\\Wine\\AppDefaults\\$app\\DllOverrides" ws2_32 native,builtin ||
                { echo "install.sh: could not write the override for $app" >&2; exit 1; }
        done
    else
        undo_reg_sz 'HKCU\Software\Wine\DllOverrides' ws2_32 native,builtin ||
            { echo "install.sh: could not write the ws2_32 override" >&2; exit 1; }
    fi
fi

# The catalog: written by our catalog tool, running on our ws2_32 (the x86_64 one when installed).
# Both views name %SystemRoot%\system32\<provider>.dll: system32 for 64-bit processes, syswow64 for
# 32-bit ones of a WoW64 prefix. With the 32-bit side alone, the 64-bit view names DLLs that are not
# there (only our x86_64 ws2_32 would read it).
if [ -n "$build" ]; then cbuild=$build catwine=$WINE64; else cbuild=$build32 catwine=$WINE32; fi
tool=$(find "$cbuild/tools" -name 'ws2catalog.exe' 2>/dev/null | head -n 1)
if [ -n "$tool" ]; then
    tmp=$(mktemp -d)
    cp "$tool" "$cbuild/src/ws2_32.dll" "$tmp/"
    (cd "$tmp" && WINEDLLOVERRIDES="ws2_32=n,b" "$catwine" ./ws2catalog.exe reset >/dev/null) ||
        { echo "install.sh: writing the catalog failed" >&2; rm -rf "$tmp"; exit 1; }
    rm -rf "$tmp"
else
    echo "install.sh: catalog tool not built; the prefix uses openws2's embedded default catalog" >&2
fi
"$WINESERVER" -w
echo "installed openws2 from ${build:+$build }${build32:+$build32 }into $prefix ($winearch prefix)"
