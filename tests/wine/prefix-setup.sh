#!/bin/sh
# prefix-setup.sh PREFIX BUILDDIR: makes the throwaway Wine prefix of one ctest run and installs the
# build's DLLs into it (scripts/install.sh: providers into system32, the catalog written).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
prefix=$1 build=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$prefix"
exec "$root/scripts/install.sh" --new-prefix "$prefix" --build "$build"
