#!/bin/sh
# check-def.sh NM IMPLIB DEF: ws2_32.def names exactly the exports MinGW-w64's import library for
# ws2_32.dll declares (the 197 names of Windows' ws2_32), and gives the classic Winsock exports
# Windows' fixed ordinals (programs built with MSVC import those by ordinal). tests/check-exports.sh
# then checks each built DLL against the .def; this checks the .def itself.
# SPDX-License-Identifier: LGPL-2.1-or-later
set -eu
nm=$1 implib=$2 def=$3
want=$(mktemp) got=$(mktemp) ords=$(mktemp)
trap 'rm -f "$want" "$got" "$ords"' EXIT
"$nm" "$implib" 2>/dev/null | sed -n 's/.* I __imp_//p' | sort -u > "$want"
sed -n 's/^ *\([A-Za-z_][A-Za-z0-9_]*\) *@\([0-9][0-9]*\).*/\1/p' "$def" | sort > "$got"
status=0
if [ "$(wc -l < "$want")" -lt 190 ]; then
    echo "FAIL: $implib declares only $(wc -l < "$want") imports (not MinGW-w64's ws2_32 import library?)"
    exit 1
fi
if ! diff -u "$want" "$got"; then
    echo "FAIL: $def differs from the imports of $implib (- missing, + extra)"
    status=1
fi
dups=$(sort "$got" | uniq -d)
if [ -n "$dups" ]; then
    echo "FAIL: names listed twice in $def: $dups"
    status=1
fi
dupords=$(sed -n 's/^ *[A-Za-z_][A-Za-z0-9_]* *@\([0-9][0-9]*\).*/\1/p' "$def" | sort | uniq -d)
if [ -n "$dupords" ]; then
    echo "FAIL: ordinals used twice in $def: $dupords"
    status=1
fi
# Windows' ordinals of the Winsock 1.1 exports.
cat > "$ords" <<'ORD'
accept 1
bind 2
closesocket 3
connect 4
getpeername 5
getsockname 6
getsockopt 7
htonl 8
htons 9
ioctlsocket 10
inet_addr 11
inet_ntoa 12
listen 13
ntohl 14
ntohs 15
recv 16
recvfrom 17
select 18
send 19
sendto 20
setsockopt 21
shutdown 22
socket 23
gethostbyaddr 51
gethostbyname 52
getprotobyname 53
getprotobynumber 54
getservbyname 55
getservbyport 56
gethostname 57
WSAAsyncSelect 101
WSAAsyncGetHostByAddr 102
WSAAsyncGetHostByName 103
WSAAsyncGetProtoByNumber 104
WSAAsyncGetProtoByName 105
WSAAsyncGetServByPort 106
WSAAsyncGetServByName 107
WSACancelAsyncRequest 108
WSASetBlockingHook 109
WSAUnhookBlockingHook 110
WSAGetLastError 111
WSASetLastError 112
WSACancelBlockingCall 113
WSAIsBlocking 114
WSAStartup 115
WSACleanup 116
__WSAFDIsSet 151
WEP 500
ORD
while read -r name ord; do
    have=$(sed -n "s/^ *$name *@\([0-9][0-9]*\).*/\1/p" "$def")
    if [ "$have" != "$ord" ]; then
        echo "FAIL: $name has ordinal '${have:-none}' in $def, Windows' is $ord"
        status=1
    fi
done < "$ords"
[ $status = 0 ] && echo "OK: $def lists the $(wc -l < "$got") exports of $(basename "$implib") with Windows' classic ordinals"
exit $status
