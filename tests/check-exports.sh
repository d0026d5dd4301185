#!/bin/sh
# check-exports.sh OBJDUMP DLL DEF: the DLL exports exactly the names of the .def file with the .def's
# ordinals, undecorated (no @N stdcall suffix, no leading underscore), as Windows' ws2_32 does.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
objdump=$1 dll=$2 def=$3
want=$(mktemp) got=$(mktemp)
trap 'rm -f "$want" "$got"' EXIT
sed -n 's/^ *\([A-Za-z_][A-Za-z0-9_]*\) *@\([0-9][0-9]*\).*/\2 \1/p' "$def" | sort > "$want"
# "Ordinal Base N", then "[Ordinal/Name Pointer] Table" rows "[ i] name" with ordinal = i + base
# (binutils 2.40), or "[ i] +base[ordinal]  hint name" after a "Ordinal Hint Name" header (2.44).
"$objdump" -p "$dll" | awk '
    /^Ordinal Base/ { base = $3 }
    /^\[Ordinal\/Name Pointer\] Table/ { t = 1; next }
    t && /^[[:space:]]*$/ { t = 0 }
    t && /Hint Name/ { next }
    t { line = $0; sub(/^[[:space:]]*\[ */, "", line); i = line + 0; sub(/^[0-9]+\] /, "", line)
        if (line ~ /^\+base\[/) {
            sub(/^\+base\[ */, "", line); o = line + 0; sub(/^[0-9]+\] +[0-9a-fA-F]+ /, "", line); print o, line
        } else print i + base, line }
' | sort > "$got"
if ! diff -u "$want" "$got"; then
    echo "FAIL: exports of $dll differ from $def (- expected, + actual)"
    exit 1
fi
echo "OK: $dll exports $(wc -l < "$got") names with the ordinals of $(basename "$def")"
