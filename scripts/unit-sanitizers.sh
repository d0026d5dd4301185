#!/bin/sh
# unit-sanitizers.sh: builds every host unit test (all of tests/unit) twice and runs them with ctest:
#   build/host-asan  -DOPENWS2_SANITIZE=ON  (AddressSanitizer + UndefinedBehaviorSanitizer, leaks)
#   build/host-tsan  -DOPENWS2_TSAN=ON      (ThreadSanitizer)
# Both suites always run; the exit code is non-zero if either failed to build or had a failing test.
# Usage: scripts/unit-sanitizers.sh [asan|tsan]...   (default: both); JOBS=n overrides -j2.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${JOBS:-2}
suites=${*:-asan tsan}
status=0

# TSan cannot map its shadow memory with the high ASLR entropy of recent kernels: run its tests with
# address-space randomisation off when setarch allows it.
norand=
if setarch "$(uname -m)" -R true 2>/dev/null; then norand="setarch $(uname -m) -R"; fi

for s in $suites; do
    case $s in
        asan) flag=OPENWS2_SANITIZE; wrap= ;;
        tsan) flag=OPENWS2_TSAN; wrap=$norand ;;
        *) echo "unknown suite '$s' (asan or tsan)"; exit 2 ;;
    esac
    dir="$root/build/host-$s"
    echo "=== unit tests with $s ($dir)"
    if ! cmake -S "$root" -B "$dir" -G Ninja -D$flag=ON >/dev/null; then
        echo "FAILED: configuring $s"; status=1; continue
    fi
    if ! cmake --build "$dir" -j"$jobs"; then
        echo "FAILED: building $s"; status=1; continue
    fi
    # halt_on_error: any report fails the test; detect_leaks covers the ASan run.
    if ! ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=1 \
         UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
         TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
         $wrap ctest --test-dir "$dir" --output-on-failure -L unit -j"$jobs"; then
        echo "FAILED: unit tests with $s"; status=1
    fi
done
exit $status
