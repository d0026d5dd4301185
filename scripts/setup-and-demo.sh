#!/bin/sh
# setup-and-demo.sh: the main job. Installs the dependencies, builds openws2 (x86_64), installs it
# into a fresh Wine prefix (build/demo-prefix), shows the protocol catalog there, and runs a loopback
# TCP echo (IPv4 and IPv6) through our ws2_32.dll and base provider, with OPENWS2_TRACE=1 output
# proving that our stack carried it.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/deps.sh"
build=$root/build/x86_64
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-x86_64-w64-mingw32.cmake" >/dev/null
cmake --build "$build" -j"$(nproc)"

prefix=${OPENWS2_DEMO_PREFIX:-$root/build/demo-prefix}
app=$root/build/demo-app
"$root/scripts/install.sh" --new-prefix "$prefix" --build "$build" --app-dir "$app"
cp "$build/examples/loopback_echo.exe" "$app/"
tool=$(find "$build/tools" -name ws2catalog.exe | head -n 1)
[ -n "$tool" ] && cp "$tool" "$app/"

WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
export WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="ws2_32=n,b"
cd "$app"
echo
echo "=== The protocol catalog in $prefix (ws2catalog show)"
if [ -f ws2catalog.exe ]; then "$WINE" ./ws2catalog.exe show; else echo "(catalog tool not built)"; fi
echo
echo "=== Loopback echo through openws2 (OPENWS2_TRACE=1; trace lines to $app/trace.log)"
rc=0
OPENWS2_TRACE=1 "$WINE" ./loopback_echo.exe 2>"$app/trace.log" || rc=$?
echo
echo "=== Provider calls traced (openws2: spi ...) during the echo: $(grep -c 'openws2: spi' "$app/trace.log" || true)"
grep 'openws2: spi' "$app/trace.log" | sed -n '1,12p'
exit $rc
