/* protocol_info.c - openws2's one conversion between the ANSI and Unicode WSAPROTOCOL_INFO
 * (WSASocketA, WSADuplicateSocketA, SO_PROTOCOL_INFOA, WSAEnumProtocolsA): szProtocol through the
 * ANSI code page, a name that does not fit cut at its last whole character, always terminated.
 * Used by ws2_32 and openws2afd (SO_PROTOCOL_INFOA) through the openws2_trace library. Portable (host unit test tests/unit/api_protocol_info_test.c).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "protocol_info.h"

/* The ANSI and Unicode protocol infos differ only in szProtocol, their last member. */
_Static_assert(offsetof(WSAPROTOCOL_INFOA, szProtocol) == offsetof(WSAPROTOCOL_INFOW, szProtocol),
               "protocol info layouts differ before szProtocol");

void protocol_info_a_to_w(const WSAPROTOCOL_INFOA *a, WSAPROTOCOL_INFOW *w)
{
    memcpy(w, a, offsetof(WSAPROTOCOL_INFOW, szProtocol));
    memset(w->szProtocol, 0, sizeof(w->szProtocol));
    if (!MultiByteToWideChar(CP_ACP, 0, a->szProtocol, -1, w->szProtocol, WSAPROTOCOL_LEN + 1))
    {
        /* unterminated or unconvertible: keep what fits, always terminated */
        int n = 0;
        while (n < WSAPROTOCOL_LEN && a->szProtocol[n]) n++;
        MultiByteToWideChar(CP_ACP, 0, a->szProtocol, n, w->szProtocol, WSAPROTOCOL_LEN);
        w->szProtocol[WSAPROTOCOL_LEN] = 0;
    }
}

/* The longest prefix of w (at most WSAPROTOCOL_LEN characters, up to its terminator) whose ANSI form
 * fits WSAPROTOCOL_LEN bytes: a name that does not fit loses whole characters at its end, never half
 * of a double-byte one, and a is always terminated. */
void protocol_info_w_to_a(const WSAPROTOCOL_INFOW *w, WSAPROTOCOL_INFOA *a)
{
    int n = 0;

    memcpy(a, w, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    memset(a->szProtocol, 0, sizeof(a->szProtocol));
    while (n < WSAPROTOCOL_LEN && w->szProtocol[n]) n++;
    /* usually at the first try; a multi-byte code page may need shorter prefixes */
    while (n > 0 && !WideCharToMultiByte(CP_ACP, 0, w->szProtocol, n, a->szProtocol, WSAPROTOCOL_LEN, NULL, NULL))
    {
        memset(a->szProtocol, 0, sizeof(a->szProtocol));
        n--;
    }
}
