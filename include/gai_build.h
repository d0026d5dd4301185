/* gai_build.h - the portable rules of the getaddrinfo family (src/resolve/gai_build.c): hints validation
 * with Windows' error codes, numeric host and service parsing (no provider involved), the
 * address-family handling of AI_V4MAPPED / AI_ALL, the RFC 6724 destination order Windows applies
 * (default policy table: precedence, then smaller scope first; stable), sockaddr filling and the
 * NI_NOFQDN rule. No Windows calls: builds in the DLL and in the host unit tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_GAI_BUILD_H
#define OPENWS2_GAI_BUILD_H

#include "ws2_common.h"

/* The ai_flags bits Windows documents (some are missing from Wine's headers). */
#define GAI_AI_PASSIVE                0x00000001
#define GAI_AI_CANONNAME              0x00000002
#define GAI_AI_NUMERICHOST            0x00000004
#define GAI_AI_NUMERICSERV            0x00000008
#define GAI_AI_DNS_ONLY               0x00000010
#define GAI_AI_BYPASS_DNS_CACHE       0x00000040
#define GAI_AI_RETURN_TTL             0x00000080
#define GAI_AI_ALL                    0x00000100
#define GAI_AI_ADDRCONFIG             0x00000400
#define GAI_AI_V4MAPPED               0x00000800
#define GAI_AI_NON_AUTHORITATIVE      0x00004000
#define GAI_AI_SECURE                 0x00008000
#define GAI_AI_RETURN_PREFERRED_NAMES 0x00010000
#define GAI_AI_FQDN                   0x00020000
#define GAI_AI_FILESERVER             0x00040000
#define GAI_AI_DISABLE_IDN_ENCODING   0x00080000
#define GAI_AI_RESOLUTION_HANDLE      0x40000000
#define GAI_AI_EXTENDED               0x80000000u

/* Flags getaddrinfo / GetAddrInfoW accept. */
#define GAI_FLAGS_BASIC (GAI_AI_PASSIVE | GAI_AI_CANONNAME | GAI_AI_NUMERICHOST | GAI_AI_NUMERICSERV | \
                         GAI_AI_DNS_ONLY | GAI_AI_ALL | GAI_AI_ADDRCONFIG | GAI_AI_V4MAPPED | \
                         GAI_AI_NON_AUTHORITATIVE | GAI_AI_SECURE | GAI_AI_RETURN_PREFERRED_NAMES | \
                         GAI_AI_FQDN | GAI_AI_FILESERVER | GAI_AI_DISABLE_IDN_ENCODING)
/* GetAddrInfoEx accepts these too. */
#define GAI_FLAGS_EX (GAI_FLAGS_BASIC | GAI_AI_BYPASS_DNS_CACHE | GAI_AI_RETURN_TTL | GAI_AI_EXTENDED)

#define GAI_NI_FLAGS (NI_NOFQDN | NI_NUMERICHOST | NI_NAMEREQD | NI_NUMERICSERV | NI_DGRAM)

/* One resolved address. */
struct gai_addr
{
    int family;           /* AF_INET or AF_INET6 */
    uint8_t addr[16];     /* network order; 4 bytes used for AF_INET */
    uint32_t scope;       /* IPv6 scope id */
};

/* Checks hints: flags (allowed: the mask), family, socket type. Returns 0 or the WSA error:
 * WSAEINVAL (EAI_BADFLAGS: unknown bit, AI_CANONNAME with AI_FQDN, AI_CANONNAME or AI_FQDN without a
 * node name), WSAEAFNOSUPPORT (EAI_FAMILY), WSAESOCKTNOSUPPORT (EAI_SOCKTYPE). */
int gai_check_hints(uint32_t flags, uint32_t allowed, int family, int socktype, int has_node);

/* A numeric host: IPv4 (inet_addr's forms, whole string, no port) or IPv6 in the forms of
 * RtlIpv6StringToAddressEx ("addr", "addr%scope", "[addr]", "[addr%scope]", "[addr]:port": the port is
 * ignored, as Windows' getaddrinfo does).
 * Returns 0 (out filled) or -1. */
int gai_parse_numeric_host(const char *s, struct gai_addr *out);

/* A service string as Windows reads it (strtoul base 10 over the whole string, then cast to 16
 * bits): 0 with *port (host order) for a number, including "" (0), leading blanks (" 123"), a sign
 * ("+5"; "-1" is 65535) and values above 65535 (truncated: "65536" is 0, an overflow is 65535);
 * 1 when it is not a number (a name for the services database). */
int gai_parse_port(const char *s, uint16_t *port);

/* The transport name a service lookup uses first for a socket type ("udp" for SOCK_DGRAM, else "tcp"),
 * and whether the other one is tried next (socket type 0). */
const char *gai_service_proto(int socktype, int *try_other);

/* Keeps the addresses the family asks for, in place; AF_INET6 with AI_V4MAPPED maps IPv4 answers to
 * ::ffff:a.b.c.d when there is no IPv6 answer, or always with AI_ALL. Returns the new count. */
size_t gai_apply_family(struct gai_addr *a, size_t n, int family, uint32_t flags);

/* Removes duplicates (same family, address, scope) keeping the first. Returns the new count. */
size_t gai_unique(struct gai_addr *a, size_t n);

/* RFC 6724 rule 6 (precedence of the default policy table) and rule 8 (smaller scope first), stable. */
void gai_sort(struct gai_addr *a, size_t n);
int gai_precedence(const struct gai_addr *a);

/* Fills a SOCKADDR_IN / SOCKADDR_IN6 (port host order) into out (at least sizeof(SOCKADDR_IN6)
 * bytes, zeroed first) and returns its length. */
size_t gai_fill_sockaddr(const struct gai_addr *a, uint16_t port, void *out);

/* Reads an AF_INET / AF_INET6 sockaddr of len bytes: 0 with out and *port (host order), WSAEFAULT
 * when the length is too short for its family, WSAEAFNOSUPPORT for another family. */
int gai_read_sockaddr(const void *sa, size_t len, struct gai_addr *out, uint16_t *port);

/* The wildcard (passive) or loopback address of a family. */
void gai_special_addr(int family, int passive, struct gai_addr *out);

#endif
