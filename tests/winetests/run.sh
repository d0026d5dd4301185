#!/bin/sh
# run.sh: runs Wine's own ws2_32 conformance tests (dlls/ws2_32/tests: sock, protocol, afd) with
# openws2 installed as a user installs it and with Wine's builtin ws2_32, and lists the check lines
# that fail only with openws2. Exit status 0: no unexpected difference; 1: a check line (or a crash
# or timeout) fails with openws2 and not with the builtin and is in neither the exceptions file
# (exceptions-WINEVERSION.txt: caused by the environment) nor the list of open differences
# (open-WINEVERSION-ARCH.txt: bugs of openws2 not fixed yet, listed so that a new difference fails);
# 2: the tooling itself failed (source, build, prefix).
# Options:
#   --arch x86_64|i686   architecture of the test programs and of the openws2 build (default x86_64).
#                        i686: 32-bit programs run with the 32-bit loader (WINE, default `wine`) in a
#                        WoW64 prefix (openws2 installed with the x86_64 build beside DIR,
#                        DIR/../x86_64, and DIR as --build32) or, with OPENWS2_WINEARCH=win32, in a
#                        win32 prefix (DIR only); baseline and open list are then named
#                        ...-i686.txt (WoW64) or ...-i686-win32.txt
#   --build DIR          openws2 build directory (default build/ARCH); prefixes and results go to
#                        DIR/winetests/
#   --programs "A B"     only these test programs (default "sock protocol afd")
#   --builtin-live       run the builtin too, instead of using the stored baseline
#   --update-baseline    run only the builtin and store its results as the baseline
#                        (baseline-WINEVERSION-ARCH.txt beside this script): the union of the
#                        failing checks of --baseline-runs runs (default 3), since some of Wine's
#                        checks are timing-dependent and fail now and then with the builtin too
#   --timeout SECONDS    per test program and side (default 900)
#   --results DIR        also copy the results (logs, lists, summary) into DIR
#   --no-xvfb            do not start a virtual X server (tests that open windows then fail)
#   --no-confirm         one run with ours only (by default a program with a line failing only with
#                        ours runs again, and only lines failing in both runs count; the others are
#                        listed in uncertain.txt as flaky)
# Everything runs in a network namespace of its own with only loopback (unshare -n; -rn when not
# root): Wine's tests look up and connect to external hosts, and openws2's tests never reach the
# network. The Wine under test is the installed one (WINE / WINESERVER override the binaries).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
wine_given=${WINE:-}
. "$here/lib.sh"
arch=x86_64 build= live=0 update=0 runs=3 timeout=900 results= xvfb=1 confirm=1 args="$*"
help=0
for a in "$@"; do case $a in --no-xvfb) xvfb=0 ;; -h|--help) help=1 xvfb=0 ;; esac; done
if [ "$help" = 0 ] && [ -z "${OPENWS2_WT_NETNS:-}" ]; then
    # Outside the isolated namespace (apt needs the network): the Wine source, the test programs,
    # the tools; then re-run this script in a network namespace of its own (lib.sh: wt_isolate).
    prev=
    for a in "$@"; do
        case $prev in --arch) arch=$a ;; --programs) WT_PROGRAMS=$a; export WT_PROGRAMS ;; esac
        prev=$a
    done
    s=$(wt_now); src=$("$here/fetch-source.sh") || exit 2; OPENWS2_WT_T_SRC=$(($(wt_now) - s))
    s=$(wt_now); "$here/build.sh" --arch "$arch" --src "$src" >/dev/null || exit 2
    OPENWS2_WT_T_BUILD=$(($(wt_now) - s))
    export OPENWS2_WT_T_SRC OPENWS2_WT_T_BUILD
    if [ "$xvfb" = 1 ] && [ -z "${DISPLAY:-}" ] && ! command -v xvfb-run >/dev/null 2>&1; then
        echo "winetests: installing xvfb" >&2
        $wt_sudo apt-get update >&2
        DEBIAN_FRONTEND=noninteractive $wt_sudo apt-get install -y xvfb xauth >&2
    fi
    wt_isolate "$0" "$@"
fi
[ "$help" = 1 ] || wt_isolate "$0" "$@"    # inside: checks the isolation
# Tests that create windows (WSAAsyncSelect) need an X display: run everything under Xvfb.
if [ "$xvfb" = 1 ] && [ -z "${DISPLAY:-}" ] && [ -z "${OPENWS2_WT_XVFB:-}" ]; then
    command -v xvfb-run >/dev/null 2>&1 || wt_die "xvfb-run is missing"
    OPENWS2_WT_XVFB=1 exec xvfb-run -a -s "-screen 0 1024x768x24" "$0" "$@"
fi

while [ $# -gt 0 ]; do
    case $1 in
        --arch) arch=$2; shift 2 ;;
        --build) build=$2; shift 2 ;;
        --programs) WT_PROGRAMS=$2; shift 2 ;;
        --builtin-live) live=1; shift ;;
        --update-baseline) update=1; live=1; shift ;;
        --baseline-runs) runs=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --results) results=$2; shift 2 ;;
        --no-xvfb) xvfb=0; shift ;;
        --no-confirm) confirm=0; shift ;;
        -h|--help) sed -n '2,/^# Copyright/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) wt_die "run.sh: unknown option $1 (see --help)" ;;
    esac
done
export WT_PROGRAMS
[ -n "$build" ] || build=$root/build/$arch
build=$(cd "$build" 2>/dev/null && pwd) || wt_die "no build directory $build"
# the prefix kind and the name of this run's baseline / open list
tag=$arch wine64=$(command -v wine64 || echo /usr/lib/wine/wine64) build64=
if [ "$arch" = i686 ]; then
    [ -n "$wine_given" ] || WINE=$(command -v wine || echo /usr/lib/wine/wine)
    if [ "${OPENWS2_WINEARCH:-win64}" = win32 ]; then
        tag=i686-win32
    else
        build64=$(cd "$build/.." && pwd)/x86_64
        [ -f "$build64/src/ws2_32.dll" ] || wt_die "i686 in a WoW64 prefix needs the x86_64 build at $build64"
    fi
fi

t0=$(wt_now)
times=
step() { times="$times$(printf '  %-34s %5ss' "$1" "$2")
"; }

# (done before entering the namespace; here both find their results in the cache)
src=$("$here/fetch-source.sh") || exit 2; step "Wine source (fetch/reuse)" "${OPENWS2_WT_T_SRC:-0}"
exes=$("$here/build.sh" --arch "$arch" --src "$src") || exit 2; step "build test programs" "${OPENWS2_WT_T_BUILD:-0}"
debver=$(wt_debversion)
wver=$(wt_wineversion "$debver")
baseline=$here/baseline-$wver-$tag.txt
exceptions=$here/exceptions-$wver.txt
open=$here/open-$wver-$tag.txt
work=$build/winetests
mkdir -p "$work"
out=$work/results
rm -rf "$out"
mkdir -p "$out/logs"
[ "$live" = 1 ] || [ -f "$baseline" ] || { echo "winetests: no baseline $baseline, running the builtin live" >&2; live=1; }

export WINEDEBUG=${WINEDEBUG:--all} WINETEST_DEBUG=1 WINETEST_PLATFORM=wine WINETEST_COLOR=0
unset WINEDLLOVERRIDES || true

# new_prefix SIDE: a fresh prefix for SIDE (ours: scripts/install.sh --system; builtin: wineboot).
new_prefix() {
    p=$work/prefix-$1
    WINEPREFIX=$p "$WINESERVER" -k 2>/dev/null || true
    rm -rf "$p"
    if [ "$1" = ours ]; then
        if [ "$tag" = i686-win32 ]; then set -- --build32 "$build"
        elif [ "$arch" = i686 ]; then set -- --build "$build64" --build32 "$build"
        else set -- --build "$build"; fi
        WINE=$WINE WINE64=$wine64 "$root/scripts/install.sh" --new-prefix "$p" "$@" --system >"$out/logs/install-ours.log" 2>&1 ||
            { cat "$out/logs/install-ours.log" >&2; wt_die "installing openws2 into $p failed"; }
        # The test programs import ws2_32.dll: it must resolve to ours in system32 (syswow64 for
        # 32-bit programs in a WoW64 prefix).
        WINEPREFIX=$p WINEDEBUG=+loaddll "$WINE" "$exes/afd.exe" --list 2>&1 |
            grep -Eq '(system32|syswow64)\\\\ws2_32.dll.*: native' || wt_die "the test programs do not load openws2's ws2_32.dll in $p"
    else
        if [ "$tag" = i686-win32 ]; then
            WINEARCH=win32 WINEPREFIX=$p WINEDLLOVERRIDES="mscoree,mshtml=" "$WINE" wineboot -i >/dev/null 2>&1 || true
        else
            WINEARCH=win64 WINEPREFIX=$p WINEDLLOVERRIDES="mscoree,mshtml=" "$wine64" wineboot -i >/dev/null 2>&1 || true
        fi
        WINEPREFIX=$p "$WINESERVER" -w
        [ -d "$p/drive_c/windows/system32" ] || wt_die "wineboot failed for $p"
    fi
    wt_quiet_crashes "$p"
}

# run_side SIDE: runs every program in SIDE's prefix, parses its output into $out/SIDE.txt.
run_side() {
    side=$1 p=$work/prefix-$1
    s=$(wt_now); new_prefix "$side"; step "prefix ($side)" $(($(wt_now) - s))
    : > "$out/$side.txt"
    for t in $WT_PROGRAMS; do
        dir=$work/cwd-$side; rm -rf "$dir"; mkdir -p "$dir"
        s=$(wt_now)
        rc=0
        if [ "$side" = builtin ]; then
            (cd "$dir" && WINEPREFIX=$p WINEDLLOVERRIDES=ws2_32=b timeout -k 10 "$timeout" "$WINE" "$exes/$t.exe") \
                >"$out/logs/$t-$side.log" 2>&1 || rc=$?
        else
            (cd "$dir" && WINEPREFIX=$p timeout -k 10 "$timeout" "$WINE" "$exes/$t.exe") \
                >"$out/logs/$t-$side.log" 2>&1 || rc=$?
        fi
        st=; [ "$rc" = 124 ] || [ "$rc" = 137 ] && st=timeout
        [ -n "$st" ] && WINEPREFIX=$p "$WINESERVER" -k 2>/dev/null
        awk -v prog="$t" -v status="$st" -f "$here/parse.awk" "$out/logs/$t-$side.log" >>"$out/$side.txt"
        step "$t ($side, exit $rc)" $(($(wt_now) - s))
    done
    WINEPREFIX=$p "$WINESERVER" -w 2>/dev/null || true
}

if [ "$update" = 1 ]; then
    # builtin.txt: the first run's summaries, and every record of a failing check seen in any run
    : > "$out/builtin-all.txt"
    r=1
    while [ "$r" -le "$runs" ]; do
        run_side builtin
        for t in $WT_PROGRAMS; do mv "$out/logs/$t-builtin.log" "$out/logs/$t-builtin-run$r.log"; done
        if [ "$r" = 1 ]; then grep '^summary ' "$out/builtin.txt" > "$out/builtin-summaries.txt" || true; fi
        grep -v '^summary ' "$out/builtin.txt" >> "$out/builtin-all.txt" || true
        r=$((r + 1))
    done
    { cat "$out/builtin-summaries.txt"; grep -v '^crashinfo ' "$out/builtin-all.txt" | sort -u; } > "$out/builtin.txt"
elif [ "$live" = 1 ]; then
    run_side builtin
else
    # the baseline's records of the selected programs only
    awk -v programs="$WT_PROGRAMS" 'BEGIN { n = split(programs, p, " "); for (i = 1; i <= n; i++) want[p[i]] = 1 }
        /^#/ { next }
        { prog = $2; sub(/\.c:.*/, "", prog); sub(/:$/, "", prog); if (prog in want) print }' \
        "$baseline" > "$out/builtin.txt"
    step "builtin (stored baseline)" 0
fi
if [ "$update" = 1 ]; then
    { echo "# Wine's builtin ws2_32 on Wine $debver, $tag: parsed results of dlls/ws2_32/tests"
      echo "# (tests/winetests/parse.awk records; summaries of the first run, failing checks of"
      echo "# $runs runs), written by: tests/winetests/run.sh $args"
      echo "# Copyright (C) 2026 the openws2 authors"
      echo "# SPDX-License-Identifier: LGPL-2.1-or-later"
      grep -v '^crashinfo ' "$out/builtin.txt"; } > "$baseline"
    echo "winetests: baseline written to $baseline"
else
    run_side ours
    # Confirmation: a program with a check line failing only with ours (in no list) runs a second
    # time, and only the failures of both runs count; a line that failed once is timing-dependent
    # and is listed in uncertain.txt as flaky with ours (--no-confirm: one run).
    flaky=; [ "$live" = 1 ] && [ -f "$baseline" ] && flaky=$baseline
    if [ "$confirm" = 1 ]; then
        mkdir -p "$out/first"
        again=
        if ! awk -v outdir="$out/first" -v programs="$WT_PROGRAMS" -v exceptions="$exceptions" -v open="$open" \
                -v flaky="$flaky" -f "$here/compare.awk" "$out/builtin.txt" "$out/ours.txt" >/dev/null; then
            for t in $WT_PROGRAMS; do
                awk -v p="$t" 'index($0, p ".c:") == 1 || index($0, "crash " p ":") == 1' "$out/first/diff-ours-only.txt" |
                    grep -qv '\[excepted: \|\[open: ' && again="$again $t"
            done
        fi
        if [ -n "$again" ]; then
            mv "$out/ours.txt" "$out/ours-run1.txt"
            for t in $again; do mv "$out/logs/$t-ours.log" "$out/logs/$t-ours-run1.log"; done
            all=$WT_PROGRAMS; WT_PROGRAMS=${again# }; run_side ours; WT_PROGRAMS=$all
            mv "$out/ours.txt" "$out/ours-run2.txt"
            # failures (fail, todofail, crash) of the programs run again count when both runs have them
            awk -v again="$again" 'BEGIN { n = split(again, a, " "); for (i = 1; i <= n; i++) re[a[i]] = 1 }
                function prog(r,   p) { p = r; sub(/^[^ ]+ /, "", p); sub(/^crash /, "", p); sub(/[.:].*/, "", p); return p }
                FNR == NR { two[$0] = 1; next }
                { if ($1 ~ /^(fail|todofail|crash)$/ && (prog($0) in re) && !($0 in two)) { print > flakyf; next } print }' \
                flakyf="$out/ours-flaky.txt" "$out/ours-run2.txt" "$out/ours-run1.txt" > "$out/ours.txt"
        fi
        rm -rf "$out/first"
    fi
fi

status=0
if [ "$update" = 0 ]; then
    echo
    echo "Wine's ws2_32 tests, Wine $debver, $tag (builtin: $([ "$live" = 1 ] && echo live run || echo "baseline $(basename "$baseline")"))"
    awk -v outdir="$out" -v programs="$WT_PROGRAMS" -v exceptions="$exceptions" -v open="$open" -v flaky="$flaky" -f "$here/compare.awk" \
        "$out/builtin.txt" "$out/ours.txt" || status=$?
    if [ -s "$out/ours-flaky.txt" ]; then
        sed 's/^[a-z]* //; s/$/ [failed with ours in one of two runs: flaky]/' "$out/ours-flaky.txt" >> "$out/uncertain.txt"
        echo "failing with ours in only one of two runs (timing-dependent, not counted):"
        sed 's/^[a-z]* /  /' "$out/ours-flaky.txt"
    fi
    # the same lists by location: "file:line  test function  number of messages  first message"
    for f in diff-ours-only diff-builtin-only; do
        awk -v srcdir="$src/dlls/ws2_32/tests" -f "$here/locations.awk" "$out/$f.txt" > "$out/$f-locations.txt"
    done
    for f in diff-ours-only diff-builtin-only todo-fixed-ours uncertain open-fixed; do
        echo "$f: $(wc -l < "$out/$f.txt") lines ($out/$f.txt)"
    done
    grep -h '^crashinfo' "$out/builtin.txt" "$out/ours.txt" 2>/dev/null | sed 's/^/  /' || true
    if [ -s "$out/diff-ours-only.txt" ]; then
        echo "check lines failing with openws2 and passing with the builtin:"
        sed 's/^/  /' "$out/diff-ours-only.txt"
    fi
    # one result line per program, for scripts/test-all.sh
    for t in $WT_PROGRAMS; do
        awk -v p="$t" 'index($0, p ".c:") == 1 || index($0, "crash " p ":") == 1' "$out/diff-ours-only.txt" |
            grep -v '\[excepted: \|\[open: ' > "$out/.unexpected" || true
        n=$(wc -l < "$out/.unexpected")
        nl=$(cut -d: -f1,2 "$out/.unexpected" | sort -u | wc -l)
        no=$(awk -v p="$t" 'index($0, p ".c:") == 1' "$out/diff-ours-only.txt" | grep '\[open: ' | cut -d: -f1,2 | sort -u | wc -l)
        rm -f "$out/.unexpected"
        opentext=; [ "$no" = 0 ] || opentext=" ($no open differences of $(basename "$open") still fail only with openws2)"
        if [ "$n" = 0 ]; then echo "winetest $t: passed$opentext"
        else echo "winetest $t: FAILED ($nl check lines, $n messages, fail only with openws2 and are in no list)$opentext"; fi
    done
fi
step total $(($(wt_now) - t0))
printf 'times:\n%s' "$times" | tee "$out/times.txt"
if [ -n "$results" ]; then
    mkdir -p "$results"
    cp -r "$out"/. "$results"/
fi
exit $status
