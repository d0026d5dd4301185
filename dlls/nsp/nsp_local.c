/* nsp_local.c - the local machine as openws2nsp answers it: "localhost", the computer's names
 * (DNS host name, fully qualified name, NetBIOS name) and its unicast addresses (loopback addresses
 * when it has no other), both for forward and for reverse lookups. The names and addresses come
 * from nsp_sysinfo.c's cached copy.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "netdb_parse.h"
#include "nsp_private.h"

static const uint8_t loop4[4] = { 127, 0, 0, 1 };
static const uint8_t loop6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

int nsp_local_host_name(char *buf, size_t size)
{
    struct nsp_names names;
    const char *name;

    nsp_sysinfo_names(&names);
    name = names.dns_host[0] ? names.dns_host : names.netbios;
    if (!name[0] || strlen(name) >= size) return -1;
    strcpy(buf, name);
    return 0;
}

static BOOL is_own_name(const char *name)
{
    struct nsp_names names;
    const char *mine[3];
    size_t i, len = strlen(name), n;

    nsp_sysinfo_names(&names);
    mine[0] = names.dns_host;
    mine[1] = names.fqdn;
    mine[2] = names.netbios;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(mine); i++)
    {
        if (!mine[i][0]) continue;
        if (netdb_name_equal(mine[i], name)) return TRUE;
        /* a final dot: "host." */
        n = strlen(mine[i]);
        if (len && name[len - 1] == '.' && n == len - 1 && !_strnicmp(mine[i], name, len - 1)) return TRUE;
    }
    return FALSE;
}

/* The machine's unicast addresses (no loopback, no tentative/duplicate ones) of families into h. */
static void adapter_addresses(int families, struct nsp_host *h)
{
    struct nsp_sysinfo *si;
    size_t i;

    if (!(si = malloc(sizeof(*si)))) return;
    nsp_sysinfo_adapters(si);
    for (i = 0; i < si->addr_count; i++)
    {
        const struct nsp_addr *a = &si->addrs[i];
        if ((a->family == AF_INET && (families & NSP_FAMILY_V4)) || (a->family == AF_INET6 && (families & NSP_FAMILY_V6)))
            nsp_host_add_addr(h, a->family, a->addr);
    }
    free(si);
}

static void loopback_addresses(int families, struct nsp_host *h)
{
    if (families & NSP_FAMILY_V4) nsp_host_add_addr(h, AF_INET, loop4);
    if (families & NSP_FAMILY_V6) nsp_host_add_addr(h, AF_INET6, loop6);
}

int nsp_local_host(int families, struct nsp_host *out)
{
    char name[NSP_NAME_MAX];

    memset(out, 0, sizeof(*out));
    if (!nsp_local_host_name(name, sizeof(name))) nsp_host_set_name(out, name);
    else nsp_host_set_name(out, "localhost");
    adapter_addresses(families, out);
    if (!out->addr_count) loopback_addresses(families, out);
    return 1;
}

int nsp_local_match_name(const char *name, int families, struct nsp_host *out)
{
    memset(out, 0, sizeof(*out));
    if (netdb_name_equal(name, "localhost") || netdb_name_equal(name, "localhost."))
    {
        nsp_host_set_name(out, "localhost");
        loopback_addresses(families, out);
        return out->addr_count != 0;
    }
    if (!is_own_name(name)) return 0;
    nsp_local_host(families, out);
    return out->addr_count != 0;
}

int nsp_local_match_own_name(const char *name, int families, struct nsp_host *out)
{
    memset(out, 0, sizeof(*out));
    if (!is_own_name(name)) return 0;
    nsp_local_host(families, out);
    return out->addr_count != 0;
}

static BOOL is_loopback(int family, const uint8_t *addr)
{
    if (family == AF_INET) return addr[0] == 127;
    return !memcmp(addr, loop6, 16);
}

int nsp_local_match_addr(int family, const uint8_t *addr, struct nsp_host *out)
{
    int families = family == AF_INET6 ? NSP_FAMILY_V6 : NSP_FAMILY_V4;
    struct nsp_host *mine;
    size_t i, n = family == AF_INET6 ? 16 : 4;
    BOOL found = is_loopback(family, addr);
    char name[NSP_NAME_MAX];

    memset(out, 0, sizeof(*out));
    if (!found)
    {
        if (!(mine = calloc(1, sizeof(*mine)))) return 0;
        adapter_addresses(families, mine);
        for (i = 0; i < mine->addr_count && !found; i++)
            if (mine->addrs[i].family == family && !memcmp(mine->addrs[i].addr, addr, n)) found = TRUE;
        free(mine);
    }
    if (!found) return 0;
    if (!nsp_local_host_name(name, sizeof(name))) nsp_host_set_name(out, name);
    else nsp_host_set_name(out, "localhost");
    if (is_loopback(family, addr)) nsp_host_add_alias(out, "localhost");
    nsp_host_add_addr(out, family, addr);
    return 1;
}
