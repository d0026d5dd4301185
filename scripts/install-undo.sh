# install-undo.sh: what openws2-setup records so that `openws2-setup uninstall` can undo it.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced by scripts/openws2-setup (installed as share/openws2/install-undo.sh; scripts/install.sh
# calls openws2-setup). Needs $prefix, $REGWINE (the loader that runs reg.exe in the prefix's native
# view) and $undo_link (1: undo_copy makes symbolic links instead of copies). Both catalog views live
# under the one WinSock2 key (Catalog_Entries, Catalog_Entries64), so one export holds both.
# The record lives in $prefix/openws2-install/:
#   winsock2.reg     `reg export` of HKLM\System\CurrentControlSet\Services\WinSock2 taken before the
#                    first install (or winsock2.absent when the key did not exist)
#   files            one line per file the install placed: "new PATH" (did not exist before) or
#                    "saved N PATH" (the original is kept as orig/N)
#   catalog-installed.reg  `reg export` of the catalog as the install wrote it (openws2-setup: a later
#                    install leaves an unchanged catalog alone)
#   overrides        one line per registry value the install wrote: "KEY|NAME|-" (did not exist)
#                    or "KEY|NAME|=VALUE" (its previous REG_SZ value); "KEY||+" for a key the install
#                    created (the topmost one that was missing), deleted again when no value is left in it
# Only the first install of a file / value / the catalog is recorded: repeated installs keep what was
# there before openws2.
undo_dir=$prefix/openws2-install
undo_winsock_key='HKLM\System\CurrentControlSet\Services\WinSock2'

# undo_winpath UNIXPATH: the path through Wine's Z: drive (the whole Unix file system).
undo_winpath() { printf 'Z:%s' "$1" | tr / '\\'; }

# undo_begin: the catalog backup, taken once, before anything of ours is written to the prefix.
undo_begin() {
    mkdir -p "$undo_dir/orig"
    touch "$undo_dir/files" "$undo_dir/overrides"
    [ -f "$undo_dir/winsock2.reg" ] || [ -f "$undo_dir/winsock2.absent" ] && return 0
    if "$REGWINE" reg query "$undo_winsock_key" >/dev/null 2>&1; then
        "$REGWINE" reg export "$undo_winsock_key" "$(undo_winpath "$undo_dir/winsock2.reg")" /y >/dev/null 2>&1 &&
            [ -s "$undo_dir/winsock2.reg" ] || { echo "openws2-setup: could not back up the Winsock catalog" >&2; exit 1; }
    else
        : >"$undo_dir/winsock2.absent"
    fi
}

# undo_copy SRC DEST: copies SRC to DEST (a symbolic link to SRC with undo_link=1), recording DEST's
# original first. DEST is removed first, so that a link of an earlier install is replaced, never
# written through.
undo_copy() {
    if ! P="$2" awk '{ sub(/^new /, ""); sub(/^saved [0-9]+ /, "") } $0 == ENVIRON["P"] { f = 1 } END { exit !f }' \
        "$undo_dir/files"; then
        if [ -e "$2" ]; then
            n=$(($(wc -l <"$undo_dir/files") + 1))
            cp -p "$2" "$undo_dir/orig/$n" || exit 1
            printf "saved %s %s\n" "$n" "$2" >>"$undo_dir/files"
        else
            printf "new %s\n" "$2" >>"$undo_dir/files"
        fi
    fi
    rm -f "$2"
    if [ "${undo_link:-0}" = 1 ]; then
        ln -s "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")" "$2"
    else
        cp "$1" "$2"
    fi
}

# undo_key_missing KEY: succeeds when KEY does not exist in the registry.
undo_key_missing() { ! "$REGWINE" reg query "$1" >/dev/null 2>&1; }

# undo_reg_sz KEY NAME VALUE: writes the REG_SZ value, recording the previous one first.
undo_reg_sz() {
    if ! K="$1" N="$2" awk -F'|' '$1 == ENVIRON["K"] && $2 == ENVIRON["N"] { f = 1 } END { exit !f }' "$undo_dir/overrides"; then
        prev=$("$REGWINE" reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' |
            sed -n "s/^ *$2 *REG_SZ *\\(.*\\)\$/\\1/p" | head -n 1)
        if undo_key_missing "$1"; then
            # the topmost missing key: the install creates it and every key below it
            top=$1
            while parent=${top%\\*} && [ "$parent" != "$top" ] && undo_key_missing "$parent"; do top=$parent; done
            printf "%s||+\n" "$top" >>"$undo_dir/overrides"
        fi
        if [ -n "$prev" ]; then printf "%s|%s|=%s\n" "$1" "$2" "$prev"; else printf "%s|%s|-\n" "$1" "$2"; fi >>"$undo_dir/overrides"
    fi
    "$REGWINE" reg add "$1" /v "$2" /d "$3" /f >/dev/null 2>&1
}

# undo_reg ARGS...: runs `reg ARGS` in the prefix; a failure is said with reg's own output and the
# command tried once more (a Wine process start can fail now and then; every step of the undo can be
# repeated, and a delete that failed is checked against the registry), so that the record is kept
# only when a step really cannot be done, and the user is told which one.
undo_reg() {
    out=$("$REGWINE" reg "$@" 2>&1) && return 0
    printf 'openws2-setup: reg %s failed (%s); trying once more\n' "$*" "$(printf '%s' "$out" | tr -d '\r' | tr '\n' ' ')" >&2
    out=$("$REGWINE" reg "$@" 2>&1) && return 0
    printf 'openws2-setup: reg %s failed again (%s)\n' "$*" "$(printf '%s' "$out" | tr -d '\r' | tr '\n' ' ')" >&2
    return 1
}

# undo_value_gone KEY NAME: succeeds when the value NAME is not in KEY (or KEY does not exist).
undo_value_gone() { ! "$REGWINE" reg query "$1" /v "$2" >/dev/null 2>&1; }

# undo_all: puts back every recorded file and value and the catalog, then forgets the record.
undo_all() {
    [ -d "$undo_dir" ] || { echo "openws2-setup: nothing to uninstall in $prefix (no $undo_dir)" >&2; exit 1; }
    status=0
    while read -r kind rest; do
        case $kind in
            new) rm -f "$rest" || status=1 ;;
            saved) rm -f "${rest#* }" && cp -p "$undo_dir/orig/${rest%% *}" "${rest#* }" || status=1 ;;
        esac
    done <"$undo_dir/files"
    while IFS='|' read -r key name prev; do
        [ -n "$key" ] || continue
        case $prev in
            -) undo_reg delete "$key" /v "$name" /f || undo_value_gone "$key" "$name" || status=1 ;;
            =*) undo_reg add "$key" /v "$name" /d "${prev#=}" /f || status=1 ;;
        esac
    done <"$undo_dir/overrides"
    # keys the install created go when nothing else was written into them since
    while IFS='|' read -r key name prev; do
        [ "$prev" = + ] || continue
        undo_key_missing "$key" && continue
        "$REGWINE" reg query "$key" /s 2>/dev/null | grep -q 'REG_' && continue
        undo_reg delete "$key" /f || undo_key_missing "$key" || status=1
    done <"$undo_dir/overrides"
    # The catalog: whatever openws2 wrote goes, the backup comes back as it was.
    if ! undo_key_missing "$undo_winsock_key"; then
        undo_reg delete "$undo_winsock_key" /f || undo_key_missing "$undo_winsock_key" || status=1
    fi
    if [ -f "$undo_dir/winsock2.reg" ]; then
        undo_reg import "$(undo_winpath "$undo_dir/winsock2.reg")" || status=1
    fi
    [ "$status" = 0 ] || { echo "openws2-setup: uninstall incomplete; the record stays in $undo_dir" >&2; return 1; }
    rm -rf "$undo_dir"
}
