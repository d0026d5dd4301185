#!/bin/sh
# install_undo_test.sh: openws2-setup's uninstall (scripts/install-undo.sh undo_all) against a fake reg.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# No Wine: $REGWINE is a script that keeps a registry in a directory (a key is a directory, a value a
# file) and can fail the first N calls of one reg command, before or after doing it (a Wine process
# that did not start; a reg that did its work and still answered an error). Checks that undo_all puts
# everything back and forgets the record when each failure is transient, says which reg command failed,
# and keeps the record (exit 1) when one keeps failing.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0 checks=0
check() { # check CONDITION-EXIT-CODE MESSAGE
    checks=$((checks + 1))
    if [ "$1" = 0 ]; then printf "ok: %s\n" "$2"; else printf "FAIL: %s\n" "$2"; fails=$((fails + 1)); fi
}

# The fake loader: "$REGWINE" reg COMMAND KEY [/v NAME] [/d DATA] [/s] [/f], or reg import Z:\FILE
# (lines KEY|NAME|DATA). FAKE_FAIL_OP names the command to fail, FAKE_FAIL_N how many times,
# FAKE_FAIL_AFTER=1 makes it fail after doing its work.
cat >"$work/fakewine" <<'EOF'
#!/bin/sh
[ "$1" = reg ] || exit 99
shift
op=$1; shift
count=$FAKE_REG/.calls-$op
n=$(($(cat "$count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$count"
fail=0
[ "$op" = "${FAKE_FAIL_OP:-}" ] && [ "$n" -le "${FAKE_FAIL_N:-0}" ] && fail=1
if [ "$fail" = 1 ] && [ "${FAKE_FAIL_AFTER:-0}" = 0 ]; then echo "fake: $op could not start" >&2; exit 1; fi
keydir() { printf '%s/%s' "$FAKE_REG" "$(printf '%s' "$1" | tr '\\' /)"; }
key=${1:-}; [ $# -gt 0 ] && shift
name= data= sub=0 has_v=0
while [ $# -gt 0 ]; do
    case $1 in
        /v) name=$2; has_v=1; shift 2 ;;
        /d) data=$2; shift 2 ;;
        /s) sub=1; shift ;;
        *) shift ;;
    esac
done
rc=0
case $op in
    query)
        d=$(keydir "$key")
        if [ ! -d "$d" ]; then echo "ERROR: no key" >&2; rc=1
        elif [ "$has_v" = 1 ]; then
            if [ -f "$d/v_$name" ]; then printf '    %s    REG_SZ    %s\n' "$name" "$(cat "$d/v_$name")"; else rc=1; fi
        elif [ "$sub" = 1 ]; then find "$d" -name 'v_*' | sed 's/.*v_\(.*\)/    \1    REG_SZ/'
        fi ;;
    add) d=$(keydir "$key"); mkdir -p "$d" && printf '%s' "$data" >"$d/v_$name" ;;
    delete)
        d=$(keydir "$key")
        if [ "$has_v" = 1 ]; then [ -f "$d/v_$name" ] && rm -f "$d/v_$name" || rc=1
        else [ -d "$d" ] && rm -rf "$d" || rc=1
        fi ;;
    import)
        f=$(printf '%s' "$key" | sed 's/^Z://' | tr '\\' /)
        [ -f "$f" ] || rc=1
        while IFS='|' read -r k v dd; do
            d=$(keydir "$k"); mkdir -p "$d" && printf '%s' "$dd" >"$d/v_$v"
        done <"$f" ;;
    *) rc=1 ;;
esac
[ "$fail" = 1 ] && { echo "fake: $op failed after its work" >&2; exit 1; }
exit "$rc"
EOF
chmod +x "$work/fakewine"

ws='HKLM\System\CurrentControlSet\Services\WinSock2'
app='HKCU\Software\Wine\AppDefaults\probe.exe'
# setup: a prefix as an install leaves it (a new file, a saved one, a new value in a key the install
# made, a changed value, the catalog rewritten) and its record.
setup() {
    rm -rf "$work/prefix" "$work/reg"
    prefix=$work/prefix
    mkdir -p "$prefix/openws2-install/orig" "$prefix/sys" "$work/reg"
    export FAKE_REG=$work/reg
    echo ours >"$prefix/sys/new.dll"
    echo ours >"$prefix/sys/saved.dll"
    echo wine >"$prefix/openws2-install/orig/2"
    printf 'new %s\nsaved 2 %s\n' "$prefix/sys/new.dll" "$prefix/sys/saved.dll" >"$prefix/openws2-install/files"
    REGWINE=$work/fakewine
    "$REGWINE" reg add "$app\\DllOverrides" /v ws2_32 /d native,builtin /f
    "$REGWINE" reg add 'HKCU\Software\Wine\DllOverrides' /v ws2_32 /d native,builtin /f
    "$REGWINE" reg add "$ws" /v Catalog /d openws2 /f
    printf '%s||+\n%s|ws2_32|-\n%s|ws2_32|=builtin\n' "$app" "$app\\DllOverrides" 'HKCU\Software\Wine\DllOverrides' \
        >"$prefix/openws2-install/overrides"
    printf '%s|Catalog|wine\n' "$ws" >"$prefix/openws2-install/winsock2.reg"
    rm -f "$work/reg"/.calls-*
}

# restored: everything is as before the install.
restored() {
    [ ! -e "$prefix/sys/new.dll" ] && [ "$(cat "$prefix/sys/saved.dll")" = wine ] &&
        [ ! -d "$work/reg/HKCU/Software/Wine/AppDefaults/probe.exe" ] &&
        [ "$(cat "$work/reg/HKCU/Software/Wine/DllOverrides/v_ws2_32")" = builtin ] &&
        [ "$(cat "$work/reg/HKLM/System/CurrentControlSet/Services/WinSock2/v_Catalog")" = wine ] &&
        [ ! -d "$prefix/openws2-install" ]
}

# run OP N AFTER: undo_all with the first N calls of `reg OP` failing; its exit code, stderr in $work/err.
run() {
    (
        FAKE_FAIL_OP=$1 FAKE_FAIL_N=$2 FAKE_FAIL_AFTER=$3
        export FAKE_FAIL_OP FAKE_FAIL_N FAKE_FAIL_AFTER
        set -e # as in openws2-setup
        undo_link=0
        . "$root/scripts/install-undo.sh"
        undo_all
    ) 2>"$work/err"
}

setup
run none 0 0
check $? "uninstall without failures"
restored
check $? "without failures: files, overrides, the created key and the catalog put back, the record gone"

for op in delete add import; do
    setup
    run "$op" 1 0
    r=$?
    check "$r" "uninstall with one failed start of reg $op (exit $r)"
    restored
    check $? "with one failed reg $op: everything put back, the record gone"
    grep -q "reg $op .*failed (fake: $op could not start); trying once more" "$work/err"
    check $? "the failed reg $op is said with reg's own message ($(tr '\n' ' ' <"$work/err"))"
done

setup
run delete 9 1
r=$?
check "$r" "uninstall with reg delete doing its work and answering an error every time (exit $r)"
restored
check $? "deletes checked against the registry: everything put back, the record gone"

setup
run import 9 0
r=$?
[ "$r" = 1 ]
check $? "uninstall with reg import failing every time answers 1 (exit $r)"
[ -d "$prefix/openws2-install" ] && [ -f "$prefix/openws2-install/winsock2.reg" ]
check $? "the record stays for a later uninstall"
grep -q "reg import .*failed again" "$work/err" && grep -q "uninstall incomplete" "$work/err"
check $? "the step that failed is named ($(tr '\n' ' ' <"$work/err"))"

echo "install_undo_test: $checks checks, $fails failed"
[ "$fails" = 0 ]
