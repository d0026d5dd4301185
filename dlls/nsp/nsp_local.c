/* nsp_local.c - the local machine as openws2nsp answers it: "localhost", the computer's names
 * (DNS host name, fully qualified name, NetBIOS name) and its unicast addresses from
 * GetAdaptersAddresses (loopback addresses when it has no other), both for forward and for
 * reverse lookups.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <iphlpapi.h>
#include <stdlib.h>
#include "netdb_parse.h"
#include "nsp_private.h"

static const uint8_t loop4[4] = { 127, 0, 0, 1 };
static const uint8_t loop6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };

static int computer_name(COMPUTER_NAME_FORMAT format, char *buf, size_t size)
{
    DWORD len = (DWORD)size;
    if (!GetComputerNameExA(format, buf, &len) || !len || len >= size) return -1;
    buf[len] = 0;
    return 0;
}

int nsp_local_host_name(char *buf, size_t size)
{
    DWORD saved = GetLastError();
    int ret = computer_name(ComputerNameDnsHostname, buf, size);
    if (ret) ret = computer_name(ComputerNameNetBIOS, buf, size);
    SetLastError(saved);
    return ret;
}

static BOOL is_own_name(const char *name)
{
    static const COMPUTER_NAME_FORMAT formats[] = { ComputerNameDnsHostname, ComputerNameDnsFullyQualified,
                                                    ComputerNameNetBIOS };
    char buf[NSP_NAME_MAX];
    size_t i, len = strlen(name);
    DWORD saved = GetLastError();
    BOOL found = FALSE;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(formats) && !found; i++)
    {
        if (computer_name(formats[i], buf, sizeof(buf))) continue;
        if (netdb_name_equal(buf, name)) found = TRUE;
        /* a final dot: "host." */
        else if (len && name[len - 1] == '.' && strlen(buf) == len - 1 && !_strnicmp(buf, name, len - 1)) found = TRUE;
    }
    SetLastError(saved);
    return found;
}

/* The machine's unicast addresses (no loopback, no tentative/duplicate ones) of families into h. */
static void adapter_addresses(int families, struct nsp_host *h)
{
    ULONG size = 16384, ret, flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;
    IP_ADAPTER_ADDRESSES *list = NULL, *a;
    DWORD saved = GetLastError();
    int tries;

    for (tries = 0; tries < 3; tries++)
    {
        free(list);
        if (!(list = malloc(size))) break;
        ret = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, list, &size);
        if (ret == ERROR_SUCCESS) break;
        if (ret != ERROR_BUFFER_OVERFLOW)
        {
            free(list);
            list = NULL;
            break;
        }
    }
    if (list && tries < 3)
    {
        for (a = list; a; a = a->Next)
        {
            IP_ADAPTER_UNICAST_ADDRESS *u;
            if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK || a->OperStatus != IfOperStatusUp) continue;
            for (u = a->FirstUnicastAddress; u; u = u->Next)
            {
                const struct sockaddr *sa = u->Address.lpSockaddr;
                if (!sa || u->DadState == IpDadStateTentative || u->DadState == IpDadStateDuplicate) continue;
                if (sa->sa_family == AF_INET && (families & NSP_FAMILY_V4) &&
                    u->Address.iSockaddrLength >= (int)sizeof(struct sockaddr_in))
                    nsp_host_add_addr(h, AF_INET, (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr);
                else if (sa->sa_family == AF_INET6 && (families & NSP_FAMILY_V6) &&
                         u->Address.iSockaddrLength >= (int)sizeof(struct sockaddr_in6))
                    nsp_host_add_addr(h, AF_INET6, (const uint8_t *)&((const struct sockaddr_in6 *)sa)->sin6_addr);
            }
        }
    }
    free(list);
    SetLastError(saved);
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
