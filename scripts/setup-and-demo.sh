#!/bin/sh
# setup-and-demo.sh: the main job. Installs the dependencies, builds openws2 (x86_64), installs it
# into a fresh Wine prefix (build/demo-prefix, or $OPENWS2_DEMO_PREFIX), shows the protocol catalog
# there, runs a loopback TCP echo (IPv4 and IPv6, examples/loopback_echo.c) through our ws2_32.dll and
# base provider with OPENWS2_TRACE=1, and checks the proof: the program loaded our ws2_32 (not Wine's
# builtin), our ws2_32 traced its calls, the catalog's base provider (openws2afd.dll) was loaded with
# WSPStartup and carried the sockets. For contrast the same program then runs on Wine's builtin
# ws2_32 (no openws2 trace). Exit code 0 only when the echo worked and the proof holds.
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

prefix=${OPENWS2_DEMO_PREFIX:-$root/build/demo-prefix}
app=$root/build/demo-app
builtin_app=$root/build/demo-app-builtin
echo "=== Installing into a fresh Wine prefix $prefix (providers into system32, catalog written)"
rm -rf "$app" "$builtin_app"
"$root/scripts/install.sh" --new-prefix "$prefix" --build "$build" --app-dir "$app"
cp "$build/examples/loopback_echo.exe" "$tool" "$app/"
mkdir -p "$builtin_app"
cp "$build/examples/loopback_echo.exe" "$builtin_app/"

WINE=${WINE:-$(command -v wine64 || echo /usr/lib/wine/wine64)}
WINESERVER=${WINESERVER:-$(command -v wineserver || echo /usr/lib/wine/wineserver)}
export WINEPREFIX="$prefix" WINEDEBUG=-all
unset OPENWS2_TRACE
cd "$app"
echo
echo "=== The protocol catalog in $prefix (ws2catalog show)"
WINEDLLOVERRIDES="ws2_32=n,b" "$WINE" ./ws2catalog.exe show

echo
echo "=== Loopback echo through openws2 (app-local ws2_32.dll, WINEDLLOVERRIDES=ws2_32=n,b, OPENWS2_TRACE=1)"
rc=0
WINEDLLOVERRIDES="ws2_32=n,b" OPENWS2_TRACE=1 "$WINE" ./loopback_echo.exe >"$app/echo.out" 2>"$app/trace.log" || rc=$?
cat "$app/echo.out"
echo "(trace: $(wc -l <"$app/trace.log") lines in $app/trace.log)"

echo
echo "=== Proof that openws2 carried it"
proof=0
prove() { # description command...
    what=$1; shift
    if "$@" >/dev/null 2>&1; then echo "  yes: $what"; else echo "  NO:  $what"; proof=1; fi
}
prove "the echo came back intact (IPv4 and IPv6)" grep -q '^loopback echo: OK' "$app/echo.out"
prove "the program loaded ws2_32.dll from its own directory, not Wine's builtin from system32" \
    sh -c "grep '^ws2_32 in use:' '$app/echo.out' | grep -qiv 'system32'"
prove "our ws2_32 traced the program's calls (openws2: api ...)" grep -q '^openws2: api WSAStartup(' "$app/trace.log"
prove "the catalog was loaded and selected entries for the sockets" grep -q '^openws2: catalog select af 2 type 1' "$app/trace.log"
prove "the base provider openws2afd.dll was found through the catalog" grep -q 'WPUGetProviderPath.*openws2afd.dll' "$app/trace.log"
prove "its WSPStartup ran (openws2: spi afd WSPStartup)" grep -q '^openws2: spi afd WSPStartup' "$app/trace.log"
prove "the provider created, connected and accepted the sockets" \
    sh -c "grep -q '^openws2: spi WSPSocket(' '$app/trace.log' && grep -q '^openws2: spi WSPConnect(' '$app/trace.log' && grep -q '^openws2: spi WSPAccept(' '$app/trace.log'"
echo "  provider calls traced during the echo: $(grep -c '^openws2: spi' "$app/trace.log" || true); a sample:"
grep -E '^openws2: spi (afd WSPStartup|WSPSocket|WSPConnect|WSPAccept|WSPSend|WSPRecv)' "$app/trace.log" | sed -n '1,10p' | cut -c1-150 | sed 's/^/    /'

echo
echo "=== For contrast: the same program on Wine's builtin ws2_32 (no app-local copy, ws2_32=b)"
brc=0
(cd "$builtin_app" && WINEDLLOVERRIDES="ws2_32=b" OPENWS2_TRACE=1 "$WINE" ./loopback_echo.exe 2>"$builtin_app/trace.log") || brc=$?
echo "(openws2 trace lines there: $(grep -c '^openws2:' "$builtin_app/trace.log" || true))"
"$WINESERVER" -w

echo
if [ "$rc" = 0 ] && [ "$proof" = 0 ]; then
    echo "setup-and-demo.sh: OK - the loopback echo ran through openws2's ws2_32.dll and its base provider"
    exit 0
fi
echo "setup-and-demo.sh: FAILED (echo exit code $rc, proof $([ "$proof" = 0 ] && echo complete || echo incomplete))"
exit 1
