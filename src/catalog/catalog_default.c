/* catalog_default.c - the embedded default protocol catalog: TCP, UDP and RAW over IPv4 and IPv6 on
 * openws2's base provider (OPENWS2_BASE_PROVIDER_PATH), with the values Windows' own MSAFD Tcpip
 * entries carry (provider GUIDs, names, service and provider flags, address lengths, message sizes,
 * catalog ids 1001..1006) so programs recognise the base provider. Used when the registry holds no
 * usable catalog, and written out by `ws2catalog reset`. Portable.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "catalog.h"

/* Windows' MSAFD Tcpip provider ids. */
static const GUID msafd_ipv4 = {0xe70f1aa0, 0xab8b, 0x11cf, {0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
static const GUID msafd_ipv6 = {0xf9eab0c0, 0x26d4, 0x11d0, {0xbb, 0xbf, 0x00, 0xaa, 0x00, 0x6c, 0x34, 0xe4}};

#define STREAM_FLAGS (XP1_IFS_HANDLES | XP1_EXPEDITED_DATA | XP1_GRACEFUL_CLOSE | \
                      XP1_GUARANTEED_ORDER | XP1_GUARANTEED_DELIVERY)                  /* 0x20066 */
#define DGRAM_FLAGS  (XP1_IFS_HANDLES | XP1_SUPPORT_MULTIPOINT | XP1_SUPPORT_BROADCAST | \
                      XP1_MESSAGE_ORIENTED | XP1_CONNECTIONLESS)                       /* 0x20609 */

struct default_entry
{
    const GUID *provider;
    int af, addrlen, type, protocol, max_offset;
    DWORD service_flags, provider_flags, message_size;
    const char *name; /* ASCII */
};

static const struct default_entry defaults[] =
{
    {&msafd_ipv4, AF_INET, 16, SOCK_STREAM, IPPROTO_TCP, 0, STREAM_FLAGS, PFL_MATCHES_PROTOCOL_ZERO, 0,
     "MSAFD Tcpip [TCP/IP]"},
    {&msafd_ipv4, AF_INET, 16, SOCK_DGRAM, IPPROTO_UDP, 0, DGRAM_FLAGS, PFL_MATCHES_PROTOCOL_ZERO, 0xffbb,
     "MSAFD Tcpip [UDP/IP]"},
    {&msafd_ipv4, AF_INET, 16, SOCK_RAW, 0, 255, DGRAM_FLAGS, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN, 0x8000,
     "MSAFD Tcpip [RAW/IP]"},
    {&msafd_ipv6, AF_INET6, 28, SOCK_STREAM, IPPROTO_TCP, 0, STREAM_FLAGS, PFL_MATCHES_PROTOCOL_ZERO, 0,
     "MSAFD Tcpip [TCP/IPv6]"},
    {&msafd_ipv6, AF_INET6, 28, SOCK_DGRAM, IPPROTO_UDP, 0, DGRAM_FLAGS, PFL_MATCHES_PROTOCOL_ZERO, 0xffbb,
     "MSAFD Tcpip [UDP/IPv6]"},
    {&msafd_ipv6, AF_INET6, 28, SOCK_RAW, 0, 255, DGRAM_FLAGS, PFL_MATCHES_PROTOCOL_ZERO | PFL_HIDDEN, 0x8000,
     "MSAFD Tcpip [RAW/IPv6]"},
};

static void fill(const struct default_entry *d, DWORD id, struct catalog_entry *e)
{
    size_t i;

    memset(e, 0, sizeof(*e));
    memcpy(e->path, OPENWS2_BASE_PROVIDER_PATH, sizeof(OPENWS2_BASE_PROVIDER_PATH));
    e->info.dwServiceFlags1 = d->service_flags;
    e->info.dwProviderFlags = d->provider_flags;
    e->info.ProviderId = *d->provider;
    e->info.dwCatalogEntryId = id;
    e->info.ProtocolChain.ChainLen = BASE_PROTOCOL;
    e->info.iVersion = 2;
    e->info.iAddressFamily = d->af;
    e->info.iMaxSockAddr = d->addrlen;
    e->info.iMinSockAddr = d->addrlen;
    e->info.iSocketType = d->type;
    e->info.iProtocol = d->protocol;
    e->info.iProtocolMaxOffset = d->max_offset;
    e->info.iNetworkByteOrder = BIGENDIAN;
    e->info.iSecurityScheme = SECURITY_PROTOCOL_NONE;
    e->info.dwMessageSize = d->message_size;
    for (i = 0; d->name[i] && i < WSAPROTOCOL_LEN; i++) e->info.szProtocol[i] = (WCHAR)(unsigned char)d->name[i];
}

struct catalog *catalog_default(enum catalog_view view)
{
    struct catalog *cat = calloc(1, sizeof(*cat));
    size_t i;

    if (!cat) return NULL;
    cat->entries = calloc(OPENWS2_ARRAY_SIZE(defaults), sizeof(*cat->entries));
    if (!cat->entries)
    {
        free(cat);
        return NULL;
    }
    for (i = 0; i < OPENWS2_ARRAY_SIZE(defaults); i++)
        fill(&defaults[i], CATALOG_FIRST_ENTRY_ID + (DWORD)i, &cat->entries[i]);
    cat->refs = 1;
    cat->view = view;
    cat->serial = 0;
    cat->next_id = CATALOG_FIRST_ENTRY_ID + (DWORD)OPENWS2_ARRAY_SIZE(defaults);
    cat->from_registry = FALSE;
    cat->count = OPENWS2_ARRAY_SIZE(defaults);
    return cat;
}
