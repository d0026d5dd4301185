/* gai_build.c - the portable rules of getaddrinfo/getnameinfo (include/gai_build.h): hints
 * validation, numeric hosts and ports, family filtering with AI_V4MAPPED/AI_ALL, the RFC 6724
 * default-policy order, sockaddr filling/reading. No Windows calls (host unit tests).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addr_parse.h"
#include "gai_build.h"

int gai_check_hints(uint32_t flags, uint32_t allowed, int family, int socktype, int has_node)
{
    if (flags & ~allowed) return WSAEINVAL;
    if ((flags & GAI_AI_CANONNAME) && (flags & GAI_AI_FQDN)) return WSAEINVAL;
    if ((flags & (GAI_AI_CANONNAME | GAI_AI_FQDN)) && !has_node) return WSAEINVAL;
    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) return WSAEAFNOSUPPORT;
    switch (socktype)
    {
    case 0:
    case SOCK_STREAM:
    case SOCK_DGRAM:
    case SOCK_RAW:
    case SOCK_RDM:
    case SOCK_SEQPACKET:
        break;
    default:
        return WSAESOCKTNOSUPPORT;
    }
    return 0;
}

int gai_parse_numeric_host(const char *s, struct gai_addr *out)
{
    const char *end;
    uint8_t a[16];
    uint32_t scope = 0;
    uint16_t port;

    if (!s || !*s) return -1;
    if (!addr_parse_ipv4(s, 0, &end, a) && !*end)
    {
        memset(out, 0, sizeof(*out));
        out->family = AF_INET;
        memcpy(out->addr, a, 4);
        return 0;
    }
    /* RtlIpv6StringToAddressEx's forms: "addr", "addr%scope", "[addr]", "[addr%scope]" and with ":port"
     * after the bracket (Windows accepts the port there and ignores it) */
    if (addr_parse_ipv6_ex(s, a, &scope, &port)) return -1;
    memset(out, 0, sizeof(*out));
    out->family = AF_INET6;
    memcpy(out->addr, a, 16);
    out->scope = scope;
    return 0;
}

/* Windows reads a service string as the C library's strtoul(s, &end, 10) does and takes it as a port
 * number when the whole string was consumed, the value cast to 16 bits: leading blanks, a sign,
 * overflow to ULONG_MAX (32 bits on Windows), '-' negating modulo 2^32. */
int gai_parse_port(const char *s, uint16_t *port)
{
    uint32_t v = 0;
    int negative = 0, overflow = 0;
    const char *p, *digits;

    *port = 0;
    if (!s || !*s) return 0; /* strtoul consumed nothing and the end is the terminator: numeric 0 */
    for (p = s; *p == ' ' || (*p >= '\t' && *p <= '\r'); p++) {}
    if (*p == '+' || *p == '-') negative = *p++ == '-';
    for (digits = p; *p >= '0' && *p <= '9'; p++)
    {
        uint32_t d = (uint32_t)(*p - '0');
        if (v > (UINT32_MAX - d) / 10) overflow = 1;
        else v = v * 10 + d;
    }
    if (p == digits || *p) return 1; /* no digits (strtoul's end is s itself) or text after them: a name */
    if (overflow) v = UINT32_MAX;
    else if (negative) v = (uint32_t)0 - v;
    *port = (uint16_t)v;
    return 0;
}

const char *gai_service_proto(int socktype, int *try_other)
{
    *try_other = socktype == 0;
    return socktype == SOCK_DGRAM ? "udp" : "tcp";
}

static void map_v4(struct gai_addr *a)
{
    uint8_t v4[4];

    memcpy(v4, a->addr, 4);
    memset(a->addr, 0, 10);
    a->addr[10] = 0xff;
    a->addr[11] = 0xff;
    memcpy(a->addr + 12, v4, 4);
    a->family = AF_INET6;
    a->scope = 0;
}

size_t gai_apply_family(struct gai_addr *a, size_t n, int family, uint32_t flags)
{
    size_t i, out = 0, v6 = 0;

    if (family == AF_UNSPEC) return n;
    for (i = 0; i < n; i++)
        if (a[i].family == AF_INET6) v6++;
    for (i = 0; i < n; i++)
    {
        if (a[i].family == family)
            a[out++] = a[i];
        else if (family == AF_INET6 && a[i].family == AF_INET && (flags & GAI_AI_V4MAPPED) &&
                 (!v6 || (flags & GAI_AI_ALL)))
        {
            a[out] = a[i];
            map_v4(&a[out]);
            out++;
        }
    }
    return out;
}

size_t gai_unique(struct gai_addr *a, size_t n)
{
    size_t i, j, out = 0;

    for (i = 0; i < n; i++)
    {
        size_t len = a[i].family == AF_INET ? 4 : 16;
        int dup = 0;
        for (j = 0; j < out && !dup; j++)
            dup = a[j].family == a[i].family && a[j].scope == a[i].scope && !memcmp(a[j].addr, a[i].addr, len);
        if (!dup) a[out++] = a[i];
    }
    return out;
}

/* The address as IPv6 (IPv4 mapped) for the policy table. */
static void as_v6(const struct gai_addr *a, uint8_t out[16])
{
    if (a->family == AF_INET)
    {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, a->addr, 4);
    }
    else memcpy(out, a->addr, 16);
}

static int prefix_match(const uint8_t *a, const uint8_t *p, unsigned bits)
{
    unsigned full = bits / 8, rest = bits % 8;

    if (memcmp(a, p, full)) return 0;
    if (rest && ((a[full] ^ p[full]) & (0xff << (8 - rest)) & 0xff)) return 0;
    return 1;
}

int gai_precedence(const struct gai_addr *a)
{
    static const struct { uint8_t prefix[16]; unsigned bits; int precedence; } policy[] = {
        { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, 128, 50 },   /* ::1/128 */
        { { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff }, 96, 35 },           /* ::ffff:0:0/96 */
        { { 0x20, 0x02 }, 16, 30 },                                         /* 2002::/16 */
        { { 0x20, 0x01, 0, 0 }, 32, 5 },                                    /* 2001::/32 */
        { { 0xfc }, 7, 3 },                                                 /* fc00::/7 */
        { { 0 }, 96, 1 },                                                   /* ::/96 */
        { { 0xfe, 0xc0 }, 10, 1 },                                          /* fec0::/10 */
        { { 0x3f, 0xfe }, 16, 1 },                                          /* 3ffe::/16 */
    };
    uint8_t v6[16];
    size_t i;

    as_v6(a, v6);
    for (i = 0; i < OPENWS2_ARRAY_SIZE(policy); i++)
        if (prefix_match(v6, policy[i].prefix, policy[i].bits)) return policy[i].precedence;
    return 40; /* ::/0 */
}

/* RFC 6724 scope of an address (IPv4 per section 3.2). */
static int addr_scope(const struct gai_addr *a)
{
    if (a->family == AF_INET)
    {
        if (a->addr[0] == 127 || (a->addr[0] == 169 && a->addr[1] == 254)) return 2;
        return 14;
    }
    if (a->addr[0] == 0xff) return a->addr[1] & 0x0f;
    if (a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0x80) return 2;
    if (a->addr[0] == 0xfe && (a->addr[1] & 0xc0) == 0xc0) return 5;
    {
        static const uint8_t loop[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
        if (!memcmp(a->addr, loop, 16)) return 2;
    }
    return 14;
}

static int before(const struct gai_addr *x, const struct gai_addr *y)
{
    int px = gai_precedence(x), py = gai_precedence(y);

    if (px != py) return px > py;
    return addr_scope(x) < addr_scope(y);
}

void gai_sort(struct gai_addr *a, size_t n)
{
    size_t i, j;

    /* insertion sort: stable, the lists are short */
    for (i = 1; i < n; i++)
    {
        struct gai_addr cur = a[i];
        for (j = i; j > 0 && before(&cur, &a[j - 1]); j--) a[j] = a[j - 1];
        a[j] = cur;
    }
}

size_t gai_fill_sockaddr(const struct gai_addr *a, uint16_t port, void *out)
{
    if (a->family == AF_INET)
    {
        SOCKADDR_IN sin;
        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        sin.sin_port = addr_port_to_net(port);
        memcpy(&sin.sin_addr, a->addr, 4);
        memset(out, 0, sizeof(SOCKADDR_IN6));
        memcpy(out, &sin, sizeof(sin));
        return sizeof(sin);
    }
    else
    {
        SOCKADDR_IN6 sin6;
        memset(&sin6, 0, sizeof(sin6));
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = addr_port_to_net(port);
        memcpy(&sin6.sin6_addr, a->addr, 16);
        sin6.sin6_scope_id = a->scope;
        memcpy(out, &sin6, sizeof(sin6));
        return sizeof(sin6);
    }
}

int gai_read_sockaddr(const void *sa, size_t len, struct gai_addr *out, uint16_t *port)
{
    unsigned short family;

    if (!sa || len < sizeof(family)) return WSAEFAULT;
    memcpy(&family, sa, sizeof(family));
    memset(out, 0, sizeof(*out));
    if (family == AF_INET)
    {
        SOCKADDR_IN sin;
        if (len < sizeof(sin)) return WSAEFAULT;
        memcpy(&sin, sa, sizeof(sin));
        out->family = AF_INET;
        memcpy(out->addr, &sin.sin_addr, 4);
        *port = addr_port_from_net(sin.sin_port);
        return 0;
    }
    if (family == AF_INET6)
    {
        SOCKADDR_IN6 sin6;
        if (len < sizeof(sin6)) return WSAEFAULT;
        memcpy(&sin6, sa, sizeof(sin6));
        out->family = AF_INET6;
        memcpy(out->addr, &sin6.sin6_addr, 16);
        out->scope = sin6.sin6_scope_id;
        *port = addr_port_from_net(sin6.sin6_port);
        return 0;
    }
    return WSAEAFNOSUPPORT;
}

void gai_special_addr(int family, int passive, struct gai_addr *out)
{
    memset(out, 0, sizeof(*out));
    out->family = family;
    if (passive) return;
    if (family == AF_INET)
    {
        out->addr[0] = 127;
        out->addr[3] = 1;
    }
    else out->addr[15] = 1;
}
