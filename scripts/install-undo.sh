# install-undo.sh: what scripts/install.sh records so that `install.sh --uninstall` can undo it.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced by scripts/install.sh (needs $prefix, $REGWINE: the loader that runs reg.exe in the
# prefix's native view). The record lives in $prefix/openws2-install/:
#   winsock2.reg     `reg export` of HKLM\System\CurrentControlSet\Services\WinSock2 taken before the
#                    first install (or winsock2.absent when the key did not exist)
#   files            one line per file the install placed: "new PATH" (did not exist before) or
#                    "saved N PATH" (the original is kept as orig/N)
#   overrides        one line per registry value the install wrote: "KEY|NAME|-" (did not exist)
#                    or "KEY|NAME|=VALUE" (its previous REG_SZ value)
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
            [ -s "$undo_dir/winsock2.reg" ] || { echo "install.sh: could not back up the Winsock catalog" >&2; exit 1; }
    else
        : >"$undo_dir/winsock2.absent"
    fi
}

# undo_copy SRC DEST: copies SRC to DEST, recording DEST's original first.
undo_copy() {
    if ! P="$2" awk '{ sub(/^new /, ""); sub(/^saved [0-9]+ /, "") } $0 == ENVIRON["P"] { f = 1 } END { exit !f }' \
        "$undo_dir/files"; then
        if [ -e "$2" ]; then
            n=$(($(wc -l <"$undo_dir/files") + 1))
            cp -p "$2" "$undo_dir/orig/$n" || exit 1
            echo "saved $n $2" >>"$undo_dir/files"
        else
            echo "new $2" >>"$undo_dir/files"
        fi
    fi
    cp "$1" "$2"
}

# undo_reg_sz KEY NAME VALUE: writes the REG_SZ value, recording the previous one first.
undo_reg_sz() {
    if ! K="$1" N="$2" awk -F'|' '$1 == ENVIRON["K"] && $2 == ENVIRON["N"] { f = 1 } END { exit !f }' "$undo_dir/overrides"; then
        prev=$("$REGWINE" reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' |
            sed -n "s/^ *$2 *REG_SZ *\\(.*\\)\$/\\1/p" | head -n 1)
        if [ -n "$prev" ]; then echo "$1|$2|=$prev"; else echo "$1|$2|-"; fi >>"$undo_dir/overrides"
    fi
    "$REGWINE" reg add "$1" /v "$2" /d "$3" /f >/dev/null 2>&1
}

# undo_all: puts back every recorded file and value and the catalog, then forgets the record.
undo_all() {
    [ -d "$undo_dir" ] || { echo "install.sh: nothing to uninstall in $prefix (no $undo_dir)" >&2; exit 1; }
    status=0
    while read -r kind rest; do
        case $kind in
            new) rm -f "$rest" || status=1 ;;
            saved) cp -p "$undo_dir/orig/${rest%% *}" "${rest#* }" || status=1 ;;
        esac
    done <"$undo_dir/files"
    while IFS='|' read -r key name prev; do
        [ -n "$key" ] || continue
        case $prev in
            -) "$REGWINE" reg delete "$key" /v "$name" /f >/dev/null 2>&1 || status=1 ;;
            =*) "$REGWINE" reg add "$key" /v "$name" /d "${prev#=}" /f >/dev/null 2>&1 || status=1 ;;
        esac
    done <"$undo_dir/overrides"
    # The catalog: whatever openws2 wrote goes, the backup comes back as it was.
    if "$REGWINE" reg query "$undo_winsock_key" >/dev/null 2>&1; then
        "$REGWINE" reg delete "$undo_winsock_key" /f >/dev/null 2>&1 || status=1
    fi
    if [ -f "$undo_dir/winsock2.reg" ]; then
        "$REGWINE" reg import "$(undo_winpath "$undo_dir/winsock2.reg")" >/dev/null 2>&1 || status=1
    fi
    [ "$status" = 0 ] || { echo "install.sh: uninstall incomplete; the record stays in $undo_dir" >&2; return 1; }
    rm -rf "$undo_dir"
}
