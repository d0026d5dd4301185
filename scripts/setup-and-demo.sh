#!/bin/sh
# setup-and-demo.sh: the main job. Installs the dependencies, builds openws2 (x86_64), installs it
# into a fresh Wine prefix (build/demo-prefix, or $OPENWS2_DEMO_PREFIX), shows the protocol catalog
# there, runs a loopback TCP echo (IPv4 and IPv6, examples/loopback_echo.c) through our ws2_32.dll and
# base provider with OPENWS2_TRACE=1, and checks the proof: the program loaded our ws2_32 (not Wine's
# builtin), our ws2_32 traced its calls, the catalog's base provider (openws2afd.dll) was loaded with
# WSPStartup and carried the sockets and the echo's bytes. For contrast the same program then runs on
# Wine's builtin ws2_32 (no openws2 trace). Exit code 0 only when the echo worked and the proof holds.
# The part after the build is scripts/demo.sh (lane wine8-x86_64), which runs on every Wine lane.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/deps.sh"
build=$root/build/x86_64
echo "=== Building openws2 (x86_64) in $build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-x86_64-w64-mingw32.cmake" >/dev/null
# Keep going past a failing test program: the demo needs only the DLLs, the catalog tool and the
# example, checked right after.
if ! cmake --build "$build" -j"$(nproc)" -- -k 0 >"$build/demo-build.log" 2>&1; then
    grep -E '^FAILED:' "$build/demo-build.log" | sed 's/^/  /' || true
    echo "setup-and-demo.sh: warning: some targets failed to build (log: $build/demo-build.log)"
fi
tool=$(find "$build/tools" -name ws2catalog.exe 2>/dev/null | head -n 1)
for f in "$build/src/ws2_32.dll" "$build/examples/loopback_echo.exe" "$tool"; do
    [ -n "$f" ] && [ -f "$f" ] || { tail -n 40 "$build/demo-build.log"; echo "setup-and-demo.sh: ${f:-ws2catalog.exe} was not built" >&2; exit 1; }
done
find "$build/dlls" -name 'openws2afd.dll' | grep -q . ||
    { echo "setup-and-demo.sh: the base provider openws2afd.dll was not built" >&2; exit 1; }

# Install, catalog, echo and proof: scripts/demo.sh on the host's lane (Wine 8.0, 64-bit), with the
# contrast run on Wine's builtin ws2_32. `scripts/demo.sh --lane LANE` does the same on every lane.
exec "$root/scripts/demo.sh" --lane wine8-x86_64 --build "$build" \
    --prefix "${OPENWS2_DEMO_PREFIX:-$root/build/demo-prefix}" --contrast
