#!/bin/sh
# check-imports.sh OBJDUMP BUILDDIR: every DLL and program built imports only Windows system DLLs
# (never libgcc_s, libwinpthread or another runtime a Windows system32 does not have).
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
objdump=$1 build=$2
allowed='^(ntdll|kernel32|kernelbase|advapi32|msvcrt|user32|ws2_32|iphlpapi|dnsapi|mswsock|rpcrt4|ole32|winhttp|wsock32|shell32|bcrypt|secur32|crypt32|netapi32)\.dll$'
bad=0 n=0
# Wine prefixes made inside the build tree by tests hold Wine's own DLLs: only our outputs count.
for f in $(find "$build" \( -name '*.dll' -o -name '*.exe' \) -not -path '*/drive_c/*' | grep -v CMakeFiles); do
    n=$((n + 1))
    for dll in $("$objdump" -p "$f" | sed -n 's/^[[:space:]]*DLL Name: //p' | tr 'A-Z' 'a-z'); do
        if ! echo "$dll" | grep -Eq "$allowed"; then
            echo "FAIL: $f imports $dll"; bad=1
        fi
    done
done
[ "$n" -gt 0 ] || { echo "FAIL: no binaries found in $build"; exit 1; }
[ "$bad" = 0 ] && echo "OK: $n binaries import only system DLLs"
exit $bad
