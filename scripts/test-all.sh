#!/bin/sh
# test-all.sh: runs every openws2 test on this machine.
#   1. host unit tests (CMocka, native gcc, Wine's headers for the types)       build/host
#   2. the same unit tests under ASan+UBSan and TSan (scripts/unit-sanitizers.sh) build/host-asan, -tsan
#      and a 10 s run of each libFuzzer target (tests/fuzz/run.sh)
#   3. x86_64 DLLs: export/import checks + end-to-end tests under Wine 8.0 (host) build/x86_64
#      and the same suite under Wine 10.0 (scripts/lane.sh wine10-x86_64)
#   4. i686 DLLs (ReactOS / 32-bit): the checks without Wine on the host, then    build/i686
#      the whole i686 suite on the 32-bit Wine lanes (scripts/lane.sh, chroots)
#      and the main job's demo (scripts/demo.sh: install, catalog, echo through openws2) on every lane
#   5. Wine's own ws2_32 tests, openws2 vs builtin, on every lane: Wine 8.0 (host) and 10.0, x86_64,
#      and i686 in WoW64 and win32 prefixes (tests/winetests; OPENWS2_WINETESTS=0 skips them)
#   6. Release builds (-O3) of x86_64 and i686 must be warning-free (scripts/build-check.sh) build/*-release
#   7. the Debian package of them: built, installed with apt, used, removed (tests/package)   build/package
# Every suite runs even when an earlier one failed; the exit code is non-zero if any test failed.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
"$root/scripts/deps.sh" || exit 1
log=$(mktemp -d)
status=0 passed=0 failed=0

# The Debian chroots of the Wine 10.0 and 32-bit lanes (scripts/chroot.sh) are made, or checked, in
# the background while the host's suites build and run: on a fresh machine their downloads overlap
# the builds. The lanes wait for them (chroot_wait); a failure shows in the lanes that need them.
chroot_pids=
for env in trixie bookworm32; do
    "$root/scripts/chroot.sh" ensure "$env" >"$log/chroot-$env.log" 2>&1 &
    chroot_pids="$chroot_pids $!"
done
chroot_wait() {
    [ -n "$chroot_pids" ] || return 0
    for p in $chroot_pids; do wait "$p" || true; done
    chroot_pids=
    cat "$log"/chroot-*.log
}

# run_suite NAME BUILDDIR [cmake args...]: configure, build, ctest; tallies results.
run_suite() {
    name=$1 dir=$2
    shift 2
    echo "=== $name ($dir)"
    if ! cmake -S "$root" -B "$dir" -G Ninja "$@" >"$log/$name.configure" 2>&1; then
        cat "$log/$name.configure"; echo "FAILED: configuring $name"; status=1; failed=$((failed + 1)); return
    fi
    if ! cmake --build "$dir" -j"$(nproc)" >"$log/$name.build" 2>&1; then
        tail -n 60 "$log/$name.build"; echo "FAILED: building $name"; status=1; failed=$((failed + 1)); return
    fi
    ctest --test-dir "$dir" --output-on-failure --timeout 600 ${suite_ctest_args:-} 2>&1 | tee "$log/$name.ctest"
    tally "$name" "$log/$name.ctest"
}

# tally NAME LOG: adds up every ctest summary line in LOG ("N% tests passed, F tests failed out of T").
tally() {
    lines=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$2")
    if [ -z "$lines" ]; then
        echo "FAILED: $1 ran no test"; status=1; failed=$((failed + 1)); return
    fi
    for total in $(echo "$lines" | sed 's/.*out of \([0-9]*\).*/\1/'); do passed=$((passed + total)); done
    for nfail in $(echo "$lines" | sed 's/.*tests passed, \([0-9]*\) tests\{0,1\} failed.*/\1/'); do
        passed=$((passed - nfail)); failed=$((failed + nfail))
        [ "$nfail" = 0 ] || status=1
    done
}

# run_lane LANE: the suite of a built directory on one Wine lane (scripts/lane.sh), tallied.
run_lane() {
    echo "=== lane $1 (scripts/lane.sh)"
    "$root/scripts/lane.sh" "$1" 2>&1 | tee "$log/$1.ctest"
    tally "$1" "$log/$1.ctest"
}

run_suite unit build/host
echo "=== unit tests under sanitizers (scripts/unit-sanitizers.sh)"
"$root/scripts/unit-sanitizers.sh" 2>&1 | tee "$log/sanitizers.log" || status=1
tally unit-sanitizers "$log/sanitizers.log"
# libFuzzer targets, 10 s each (tests/fuzz/run.sh; 10-million-execution runs: --long, docs/RELIABILITY.md)
echo "=== fuzz targets, short run (tests/fuzz/run.sh 10)"
"$root/tests/fuzz/run.sh" 10 "$log/fuzz" >"$log/fuzz.log" 2>&1 || status=1
grep -E '^(== |fuzz_|stat::number_of_executed_units)' "$log/fuzz.log"
fp=$(grep -c '^fuzz_[a-z0-9_]*: ok$' "$log/fuzz.log") ff=$(grep -c '^fuzz_[a-z0-9_]*: FAILED' "$log/fuzz.log")
[ $((fp + ff)) -gt 0 ] || { tail -n 20 "$log/fuzz.log"; echo "FAILED: fuzz targets did not run"; ff=1; status=1; }
passed=$((passed + fp)) failed=$((failed + ff))
run_suite x86_64 build/x86_64 -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-x86_64-w64-mingw32.cmake"
# The same x86_64 build's suite under Wine 10.0 (Debian 13 chroot of scripts/chroot.sh, made once).
chroot_wait
run_lane wine10-x86_64
# i686: the host has no 32-bit Wine, so here only the checks without Wine (label e2e = needs Wine);
# then the whole suite on each 32-bit lane.
suite_ctest_args="-LE e2e"
run_suite i686 build/i686 -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchain-i686-w64-mingw32.cmake"
suite_ctest_args=
for lane in wine8-i686-wow64 wine8-i686-win32 wine10-i686-wow64 wine10-i686-win32; do
    run_lane "$lane"
done
# The main job's install + catalog + echo through openws2 on every lane (scripts/demo.sh): one result
# per lane, with its time.
for lane in $("$root/scripts/lane.sh" --list); do
    echo "=== demo on lane $lane (scripts/demo.sh)"
    t0=$(date +%s)
    if "$root/scripts/demo.sh" --lane "$lane" >"$log/demo-$lane.log" 2>&1; then passed=$((passed + 1))
    else cat "$log/demo-$lane.log"; status=1; failed=$((failed + 1)); fi
    echo "$(tail -n 1 "$log/demo-$lane.log") [$(($(date +%s) - t0)) s]"
done
for arch in x86_64 i686; do
    echo "=== $arch Release build (build/$arch-release)"
    if "$root/scripts/build-check.sh" "$arch" Release >"$log/$arch-release.build" 2>&1; then passed=$((passed + 1))
    else tail -n 60 "$log/$arch-release.build"; echo "FAILED: $arch Release build"; status=1; failed=$((failed + 1)); fi
done
# The Debian package (tests/package/package_test.sh): made of the Release builds above, installed
# with apt, the installed openws2-setup run in a fresh prefix, the package removed again.
echo "=== Debian package (tests/package/package_test.sh)"
if "$root/tests/package/package_test.sh" >"$log/package.log" 2>&1; then passed=$((passed + 1))
else tail -n 60 "$log/package.log"; echo "FAILED: Debian package"; status=1; failed=$((failed + 1)); fi
# Wine's own ws2_32 tests with openws2 vs the builtin (tests/winetests/README.md): one result per
# test program (passed: no check line fails only with openws2). OPENWS2_WINETESTS=0 skips them.
# run_winetests NAME CHROOT-ENV|- ARCH [WINEARCH]: tests/winetests/run.sh on the host (-) or inside a
# chroot, for the x86_64 or the i686 build (i686: a WoW64 prefix, or win32 with WINEARCH win32), tallied.
run_winetests() {
    echo "=== Wine's ws2_32 tests: $1 (tests/winetests/run.sh)"
    if [ "$2" != - ]; then
        "$root/scripts/chroot.sh" run "$2" env OPENWS2_WINEARCH="${4:-win64}" tests/winetests/run.sh --arch "$3" \
            --build "build/$3" 2>&1 | tee "$log/$1.log"
    else
        OPENWS2_WINEARCH="${4:-win64}" "$root/tests/winetests/run.sh" --arch "$3" --build "build/$3" 2>&1 | tee "$log/$1.log"
    fi
    wp=$(grep -c '^winetest [a-z_0-9]*: passed' "$log/$1.log")
    wf=$(grep -c '^winetest [a-z_0-9]*: FAILED' "$log/$1.log")
    [ $((wp + wf)) -gt 0 ] || { echo "FAILED: Wine's ws2_32 tests ($1) did not run"; wf=1; }
    passed=$((passed + wp)) failed=$((failed + wf))
    [ "$wf" = 0 ] || status=1
}
if [ "${OPENWS2_WINETESTS:-1}" != 0 ]; then
    run_winetests winetests-wine8-x86_64 - x86_64
    run_winetests winetests-wine10-x86_64 trixie x86_64
    run_winetests winetests-wine8-i686-wow64 bookworm32 i686
    run_winetests winetests-wine8-i686-win32 bookworm32 i686 win32
    run_winetests winetests-wine10-i686-wow64 trixie i686
    run_winetests winetests-wine10-i686-win32 trixie i686 win32
fi

rm -rf "$log"
echo
echo "all suites: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
exit $status
