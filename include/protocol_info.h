/* protocol_info.h - openws2's one conversion between the ANSI and Unicode protocol info
 * (src/shared/protocol_info.c, in the openws2_trace library: ws2_32 and openws2afd).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_PROTOCOL_INFO_H
#define OPENWS2_PROTOCOL_INFO_H

#include "ws2_common.h"

/* Converts between the ANSI and Unicode protocol info (szProtocol through the ANSI code page), for
 * WSAEnumProtocolsA, SO_PROTOCOL_INFOA, WSADuplicateSocketA and WSASocketA: a name whose ANSI form
 * does not fit is cut at the last whole character that fits, always terminated. */
void protocol_info_a_to_w(const WSAPROTOCOL_INFOA *a, WSAPROTOCOL_INFOW *w);
void protocol_info_w_to_a(const WSAPROTOCOL_INFOW *w, WSAPROTOCOL_INFOA *a);

#endif
