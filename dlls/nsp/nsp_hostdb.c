/* nsp_hostdb.c - the portable half of openws2nsp's host answers: building an nsp_host (addresses,
 * aliases), matching hosts-file text by name or address, parsing reverse-lookup keys and checking
 * host names (see nsp_host.h). No Windows calls.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "addr_parse.h"
#include "netdb_parse.h"
#include "nsp_host.h"

static size_t addr_len(int family)
{
    return family == AF_INET6 ? 16 : 4;
}

int nsp_host_add_addr(struct nsp_host *h, int family, const uint8_t *addr)
{
    size_t i, n = addr_len(family);

    if (family != AF_INET && family != AF_INET6) return 0;
    for (i = 0; i < h->addr_count; i++)
        if (h->addrs[i].family == family && !memcmp(h->addrs[i].addr, addr, n)) return 0;
    if (h->addr_count >= NSP_MAX_ADDRS) return 0;
    memset(&h->addrs[h->addr_count], 0, sizeof(h->addrs[0]));
    h->addrs[h->addr_count].family = family;
    memcpy(h->addrs[h->addr_count].addr, addr, n);
    h->addr_count++;
    return 1;
}

int nsp_host_add_alias(struct nsp_host *h, const char *alias)
{
    size_t i, len = strlen(alias);

    if (!len || len >= NSP_NAME_MAX) return 0;
    if (netdb_name_equal(h->name, alias)) return 0;
    for (i = 0; i < h->alias_count; i++)
        if (netdb_name_equal(h->aliases[i], alias)) return 0;
    if (h->alias_count >= NSP_MAX_ALIASES) return 0;
    memcpy(h->aliases[h->alias_count++], alias, len + 1);
    return 1;
}

int nsp_host_set_name(struct nsp_host *h, const char *name)
{
    size_t len = strlen(name);

    if (len >= NSP_NAME_MAX)
    {
        h->name[0] = 0;
        return -1;
    }
    memcpy(h->name, name, len + 1);
    return 0;
}

void nsp_host_merge(struct nsp_host *dst, const struct nsp_host *src)
{
    size_t i;

    if (src->name[0])
    {
        if (!dst->name[0]) nsp_host_set_name(dst, src->name);
        else nsp_host_add_alias(dst, src->name);
    }
    for (i = 0; i < src->alias_count; i++) nsp_host_add_alias(dst, src->aliases[i]);
    for (i = 0; i < src->addr_count; i++) nsp_host_add_addr(dst, src->addrs[i].family, src->addrs[i].addr);
}

size_t nsp_host_count_family(const struct nsp_host *h, int family)
{
    size_t i, n = 0;
    for (i = 0; i < h->addr_count; i++)
        if (h->addrs[i].family == family) n++;
    return n;
}

static int family_wanted(int family, int families)
{
    return (family == AF_INET && (families & NSP_FAMILY_V4)) || (family == AF_INET6 && (families & NSP_FAMILY_V6));
}

static int entry_names(const struct netdb_host *e, const char *name)
{
    size_t i;
    if (netdb_name_equal(e->name, name)) return 1;
    for (i = 0; i < e->alias_count; i++)
        if (netdb_name_equal(e->aliases[i], name)) return 1;
    return 0;
}

size_t nsp_hosts_match_name(const void *data, size_t len, const char *name, int families, struct nsp_host *out)
{
    struct netdb_cursor c;
    struct netdb_host *e;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (!data || !name || !*name) return 0;
    /* struct netdb_host is about 9 KB: kept off the caller's stack */
    e = calloc(1, sizeof(*e));
    if (!e) return 0;
    netdb_cursor_init(&c, data, len);
    while (netdb_next_host(&c, e))
    {
        if (!family_wanted(e->family, families) || !entry_names(e, name)) continue;
        if (!out->name[0]) nsp_host_set_name(out, e->name);
        else nsp_host_add_alias(out, e->name);
        for (i = 0; i < e->alias_count; i++) nsp_host_add_alias(out, e->aliases[i]);
        nsp_host_add_addr(out, e->family, e->addr);
    }
    free(e);
    return out->addr_count;
}

int nsp_hosts_match_addr(const void *data, size_t len, int family, const uint8_t *addr, struct nsp_host *out)
{
    struct netdb_cursor c;
    struct netdb_host *e;
    size_t i, n = addr_len(family);

    memset(out, 0, sizeof(*out));
    if (!data || (family != AF_INET && family != AF_INET6)) return 0;
    e = calloc(1, sizeof(*e));
    if (!e) return 0;
    netdb_cursor_init(&c, data, len);
    while (netdb_next_host(&c, e))
    {
        if (e->family != family || memcmp(e->addr, addr, n)) continue;
        if (!out->name[0]) nsp_host_set_name(out, e->name);
        else nsp_host_add_alias(out, e->name);
        for (i = 0; i < e->alias_count; i++) nsp_host_add_alias(out, e->aliases[i]);
    }
    free(e);
    if (!out->name[0]) return 0;
    nsp_host_add_addr(out, family, addr);
    return 1;
}

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix), i;
    if (len < n) return 0;
    for (i = 0; i < n; i++)
    {
        char a = s[len - n + i], b = suffix[i];
        if (a >= 'A' && a <= 'Z') a = (char)(a - 'A' + 'a');
        if (a != b) return 0;
    }
    return 1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int nsp_parse_reverse_key(const char *text, int *family, uint8_t addr[16])
{
    char buf[128];
    size_t len;
    const char *end;

    if (!text) return -1;
    len = strlen(text);
    if (!len || len >= sizeof(buf)) return -1;
    memcpy(buf, text, len + 1);
    if (buf[len - 1] == '.') buf[--len] = 0;

    if (ends_with(buf, len, ".in-addr.arpa"))
    {
        uint8_t rev[4];
        size_t head = len - strlen(".in-addr.arpa");
        buf[head] = 0;
        if (addr_parse_ipv4(buf, 1, &end, rev) || *end) return -1;
        addr[0] = rev[3]; addr[1] = rev[2]; addr[2] = rev[1]; addr[3] = rev[0];
        *family = AF_INET;
        return 0;
    }
    if (ends_with(buf, len, ".ip6.arpa"))
    {
        size_t head = len - strlen(".ip6.arpa"), i;
        /* exactly 32 nibbles separated by dots: 63 characters */
        if (head != 63) return -1;
        memset(addr, 0, 16);
        for (i = 0; i < 32; i++)
        {
            int v = hex_value(buf[i * 2]);
            if (v < 0 || (i < 31 && buf[i * 2 + 1] != '.')) return -1;
            /* nibble i counts from the least significant end */
            {
                size_t byte = 15 - i / 2;
                if (i % 2) addr[byte] |= (uint8_t)(v << 4);
                else addr[byte] |= (uint8_t)v;
            }
        }
        *family = AF_INET6;
        return 0;
    }
    if (!addr_parse_ipv4(buf, 1, &end, addr) && !*end)
    {
        *family = AF_INET;
        return 0;
    }
    if (!addr_parse_ipv6(buf, &end, addr) && !*end)
    {
        *family = AF_INET6;
        return 0;
    }
    return -1;
}

int nsp_valid_host_name(const char *text)
{
    size_t len, label = 0, i;

    if (!text) return 0;
    len = strlen(text);
    if (len && text[len - 1] == '.') len--;
    if (!len || len > 253) return 0;
    for (i = 0; i < len; i++)
    {
        unsigned char c = (unsigned char)text[i];
        if (c <= ' ' || c >= 0x7f) return 0;
        if (c == '.')
        {
            if (!label) return 0;
            label = 0;
            continue;
        }
        if (++label > 63) return 0;
    }
    return 1;
}
