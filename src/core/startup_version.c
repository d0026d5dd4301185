/* startup_version.c - WSAStartup's version negotiation table (see startup_version.h). Portable: no
 * Windows calls, built into the DLL and the host unit tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <string.h>
#include "startup_version.h"

/* Versions are MAKEWORD(major, minor): the major number in the low byte. Windows supports 1.0, 1.1,
 * 2.0, 2.1 and 2.2: a request above a supported major's highest minor gets that highest minor (1.x
 * -> 1.1, 2.x -> 2.2), a request above 2 gets 2.2, a request for major 0 is refused (the structure
 * still reports 2.2). Winsock 1.x callers see iMaxSockets 32767 and iMaxUdpDg 65467, 2.x callers 0. */
void startup_negotiate(WORD requested, struct startup_negotiation *out)
{
    BYTE major = LOBYTE(requested), minor = HIBYTE(requested);

    out->supported = major != 0;
    out->high_version = MAKEWORD(2, 2);
    if (major == 0 || major > 2 || (major == 2 && minor > 2)) out->version = MAKEWORD(2, 2);
    else if (major == 1 && minor > 1) out->version = MAKEWORD(1, 1);
    else out->version = requested;
    out->max_sockets = major == 1 ? 32767 : 0;
    out->max_udp_dg = major == 1 ? 65467 : 0;
}

BOOL startup_is_wine_image(const unsigned char *header, size_t len)
{
    static const char builtin[] = "Wine builtin DLL", placeholder[] = "Wine placeholder DLL";
    const size_t at = 0x40;

    if (!header || len < at + sizeof(placeholder) || header[0] != 'M' || header[1] != 'Z') return FALSE;
    return !memcmp(header + at, builtin, sizeof(builtin)) || !memcmp(header + at, placeholder, sizeof(placeholder));
}
