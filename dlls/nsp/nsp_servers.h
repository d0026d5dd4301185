/* nsp_servers.h - openws2nsp's DNS server list: the text form of the registry override
 * (HKLM\Software\openws2\Nsp "DnsServers", e.g. "127.0.0.1:5353, [::1]:53, 10.0.0.1") parsed
 * defensively into addresses with ports, and the bounds of the timeout/attempt settings.
 * Portable (host unit tests).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_SERVERS_H
#define OPENWS2_NSP_SERVERS_H

#include "ws2_common.h"

#define NSP_MAX_SERVERS 8
#define NSP_DNS_PORT 53

#define NSP_TIMEOUT_DEFAULT_MS 2000   /* per attempt and server */
#define NSP_TIMEOUT_MIN_MS 50
#define NSP_TIMEOUT_MAX_MS 30000
#define NSP_ATTEMPTS_DEFAULT 2        /* rounds over the server list */
#define NSP_ATTEMPTS_MIN 1
#define NSP_ATTEMPTS_MAX 10

struct nsp_server
{
    int family;         /* AF_INET or AF_INET6 */
    uint8_t addr[16];   /* network byte order */
    uint16_t port;      /* host byte order, never 0 */
    uint32_t scope;     /* IPv6 scope id */
};

/* Parses "entry[,;whitespace entry]...": each entry "a.b.c.d", "a.b.c.d:port", an IPv6 address
 * without port, "[ipv6]", "[ipv6%scope]:port". Port 0 or an invalid entry is skipped; duplicates are
 * kept once; at most max entries. Returns the number stored. */
size_t nsp_parse_server_list(const char *text, struct nsp_server *out, size_t max);

#define NSP_CACHE_TTL_DEFAULT 300     /* seconds */
#define NSP_CACHE_TTL_MAX 86400

/* A hash of a server list (FNV-1a over family, address, port, scope): cached answers belong to it. */
uint32_t nsp_servers_key(const struct nsp_server *servers, size_t count);

/* value clamped to [min, max]; 0 (unset) gives def. */
DWORD nsp_clamp_setting(DWORD value, DWORD def, DWORD min, DWORD max);

#endif
