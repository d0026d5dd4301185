#!/bin/sh
# install.sh: installs a build of openws2 into a Wine prefix (the developer's and the tests' front end
# of scripts/openws2-setup, which does the work; its options map one to one).
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
set -- "$@" --end-of-options
system=0 uninstall=0 fresh=0 apps=0
while [ "$1" != --end-of-options ]; do
    a=$1; shift
    case $a in
        --build|--build32|--prefix|--new-prefix|--app-dir|--app-dir32|--app-override)
            [ "$1" != --end-of-options ] || { echo "install.sh: $a needs a value" >&2; exit 2; }
            v=$1; shift
            case $a in
                --app-override) a=--app apps=1 ;;
                --new-prefix) fresh=1 ;;
            esac
            set -- "$@" "$a" "$v" ;;
        --system) system=1 ;;
        --uninstall) uninstall=1 ;;
        *) echo "install.sh: unknown option $a" >&2; exit 2 ;;
    esac
done
shift # --end-of-options
[ "$system" = 1 ] || [ "$apps" = 0 ] || { echo "install.sh: --app-override needs --system" >&2; exit 2; }
if [ "$uninstall" = 1 ]; then
    [ "$fresh" = 0 ] || { echo "install.sh: --uninstall takes --prefix, not --new-prefix" >&2; exit 2; }
    exec "$root/scripts/openws2-setup" uninstall "$@"
fi
[ "$system" = 1 ] || set -- "$@" --no-system
exec "$root/scripts/openws2-setup" install "$@"
