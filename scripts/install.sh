#!/bin/sh
# install.sh: installs a build of openws2 into a Wine prefix.
#   --build DIR        the x86_64 build directory (default: build/x86_64)
#   --prefix P         an existing Wine prefix (default: $WINEPREFIX or ~/.wine)
#   --new-prefix P     make a fresh prefix at P first (wineboot)
#   --app-dir DIR      also copy ws2_32.dll into DIR (app-local install; run with ws2_32=n,b)
#   --system           put ws2_32.dll into system32 too (for programs that load it only from
#                      system32), with a prefix-wide ws2_32=native,builtin override
#   --app-override EXE with --system: instead of the prefix-wide override, one for EXE only
#                      (HKCU\Software\Wine\AppDefaults\EXE\DllOverrides; repeatable), so that every
#                      other program of the prefix keeps Wine's builtin ws2_32
# Never use a prefix-wide ws2_32=native (without builtin): wineboot then fails.
# The providers (dlls/) always go to system32, and the default catalog is written to the prefix's
# registry with the catalog tool.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build/x86_64 prefix=${WINEPREFIX:-$HOME/.wine} fresh=0 appdir= system=0 apps=
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --prefix) prefix=$2; shift 2 ;;
        --new-prefix) prefix=$2; fresh=1; shift 2 ;;
        --app-dir) appdir=$2; shift 2 ;;
        --system) system=1; shift ;;
        --app-override)
            case $2 in *\\*|*/*|'') echo "install.sh: --app-override takes a program file name (e.g. app.exe)" >&2; exit 2 ;; esac
            apps="$apps $2"; shift 2 ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
[ "$system" = 1 ] || [ -z "$apps" ] || { echo "install.sh: --app-override needs --system" >&2; exit 2; }
WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=${WINEDEBUG:--all}
[ -f "$build/src/ws2_32.dll" ] || { echo "install.sh: no ws2_32.dll in $build/src (build first)" >&2; exit 1; }

if [ "$fresh" = 1 ]; then
    rm -rf "$prefix"
    # no Mono/Gecko installers in a throwaway prefix
    WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE" wineboot -i >/dev/null 2>&1 || true
    "$WINESERVER" -w
    [ -d "$prefix/drive_c/windows/system32" ] || { echo "install.sh: wineboot failed for $prefix" >&2; exit 1; }
fi
sys32=$prefix/drive_c/windows/system32

# Providers (and only DLLs that are not test providers) go to system32.
for dll in $(find "$build/dlls" -name '*.dll' 2>/dev/null); do
    cp "$dll" "$sys32/"
done
if [ -n "$appdir" ]; then
    mkdir -p "$appdir"
    cp "$build/src/ws2_32.dll" "$appdir/"
fi
if [ "$system" = 1 ]; then
    cp "$build/src/ws2_32.dll" "$sys32/ws2_32.dll"
    if [ -n "$apps" ]; then
        for app in $apps; do
            "$WINE" reg add "HKCU\\Software\\Wine\\AppDefaults\\$app\\DllOverrides" /v ws2_32 /d native,builtin /f \
                >/dev/null 2>&1 || { echo "install.sh: could not write the override for $app" >&2; exit 1; }
        done
    else
        "$WINE" reg add 'HKCU\Software\Wine\DllOverrides' /v ws2_32 /d native,builtin /f >/dev/null 2>&1 ||
            { echo "install.sh: could not write the ws2_32 override" >&2; exit 1; }
    fi
fi

# The catalog: written by our catalog tool, running on our ws2_32.
tool=$(find "$build/tools" -name 'ws2catalog.exe' 2>/dev/null | head -n 1)
if [ -n "$tool" ]; then
    tmp=$(mktemp -d)
    cp "$tool" "$build/src/ws2_32.dll" "$tmp/"
    (cd "$tmp" && WINEDLLOVERRIDES="ws2_32=n,b" "$WINE" ./ws2catalog.exe reset) ||
        { echo "install.sh: writing the catalog failed" >&2; rm -rf "$tmp"; exit 1; }
    rm -rf "$tmp"
else
    echo "install.sh: catalog tool not built; the prefix uses openws2's embedded default catalog" >&2
fi
"$WINESERVER" -w
echo "installed openws2 from $build into $prefix"
