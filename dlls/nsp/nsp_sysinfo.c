/* nsp_sysinfo.c - what openws2nsp knows about the machine, queried once and reused for
 * NSP_SYSINFO_REFRESH_MS (like Windows' DNS client, which keeps the adapter configuration instead
 * of asking for it per query): the adapters' DNS servers (GetAdaptersAddresses, else
 * GetNetworkParams' list), the DNS suffixes (the primary domain, then the adapters'
 * connection-specific suffixes), the machine's unicast addresses (adapters that are up, no
 * loopback, no tentative or duplicate address), and the computer names (DNS host name, fully
 * qualified name, NetBIOS name). Each part is fetched only when a lookup needs it: hosts-file and
 * numeric answers never query the adapters. Under Wine one adapter query costs 10-20 ms, which is
 * why it is not done per lookup.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <iphlpapi.h>
#include <stdlib.h>
#include "addr_parse.h"
#include "trace.h"
#include "nsp_private.h"

static SRWLOCK lock = SRWLOCK_INIT;
static struct nsp_sysinfo adapters;
static BOOL adapters_valid;
static ULONGLONG adapters_time;
static struct nsp_names names;
static BOOL names_valid;
static ULONGLONG names_time;

void nsp_suffix_add(char (*list)[NSP_NAME_MAX], size_t *count, const char *suffix, size_t len)
{
    size_t i;

    while (len && suffix[0] == '.') suffix++, len--;
    while (len && suffix[len - 1] == '.') len--;
    if (!len || len >= NSP_NAME_MAX || *count >= NSP_MAX_SUFFIXES) return;
    for (i = 0; i < *count; i++)
        if (strlen(list[i]) == len && !_strnicmp(list[i], suffix, len)) return;
    memcpy(list[*count], suffix, len);
    list[*count][len] = 0;
    if (nsp_valid_host_name(list[*count])) (*count)++;
}

static void add_server(struct nsp_sysinfo *si, const struct sockaddr *sa, int len)
{
    struct nsp_server s;
    size_t i;

    if (!sa || si->server_count >= NSP_MAX_SERVERS) return;
    memset(&s, 0, sizeof(s));
    if (sa->sa_family == AF_INET && len >= (int)sizeof(struct sockaddr_in))
    {
        s.family = AF_INET;
        memcpy(s.addr, &((const struct sockaddr_in *)sa)->sin_addr, 4);
        if (!memcmp(s.addr, "\0\0\0\0", 4)) return;
    }
    else if (sa->sa_family == AF_INET6 && len >= (int)sizeof(struct sockaddr_in6))
    {
        const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
        s.family = AF_INET6;
        memcpy(s.addr, &sin6->sin6_addr, 16);
        s.scope = sin6->sin6_scope_id;
        /* the deprecated site-local resolver addresses fec0:0:0:ffff::1-3 Windows lists when none
         * is configured do not answer */
        if (s.addr[0] == 0xfe && s.addr[1] == 0xc0) return;
    }
    else return;
    s.port = NSP_DNS_PORT;
    for (i = 0; i < si->server_count; i++)
        if (si->servers[i].family == s.family && !memcmp(si->servers[i].addr, s.addr, 16)) return;
    si->servers[si->server_count++] = s;
}

static void add_local_addr(struct nsp_sysinfo *si, int family, const uint8_t *addr)
{
    size_t i, n = family == AF_INET6 ? 16 : 4;

    for (i = 0; i < si->addr_count; i++)
        if (si->addrs[i].family == family && !memcmp(si->addrs[i].addr, addr, n)) return;
    if (si->addr_count >= NSP_LOCAL_ADDRS_MAX) return;
    memset(&si->addrs[si->addr_count], 0, sizeof(si->addrs[0]));
    si->addrs[si->addr_count].family = family;
    memcpy(si->addrs[si->addr_count].addr, addr, n);
    si->addr_count++;
}

/* GetNetworkParams into a malloc'd buffer, or NULL. */
static FIXED_INFO *network_params(void)
{
    ULONG len = sizeof(FIXED_INFO), ret;
    FIXED_INFO *info;

    if (!(info = malloc(len))) return NULL;
    ret = GetNetworkParams(info, &len);
    if (ret == ERROR_BUFFER_OVERFLOW)
    {
        free(info);
        if (!(info = malloc(len))) return NULL;
        ret = GetNetworkParams(info, &len);
    }
    if (ret != ERROR_SUCCESS)
    {
        free(info);
        return NULL;
    }
    info->DomainName[sizeof(info->DomainName) - 1] = 0;
    return info;
}

static void query_adapters(struct nsp_sysinfo *si)
{
    ULONG size = 16384, ret = ERROR_NOT_ENOUGH_MEMORY, flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST;
    IP_ADAPTER_ADDRESSES *list = NULL, *a;
    FIXED_INFO *info = network_params();
    int tries;

    memset(si, 0, sizeof(*si));
    if (info) nsp_suffix_add(si->suffixes, &si->suffix_count, info->DomainName, strlen(info->DomainName));
    for (tries = 0; tries < 3; tries++)
    {
        free(list);
        if (!(list = malloc(size))) break;
        ret = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, list, &size);
        if (ret != ERROR_BUFFER_OVERFLOW) break;
    }
    if (list && ret == ERROR_SUCCESS)
        for (a = list; a; a = a->Next)
        {
            IP_ADAPTER_DNS_SERVER_ADDRESS *d;
            IP_ADAPTER_UNICAST_ADDRESS *u;
            char text[NSP_NAME_MAX];
            size_t i;

            if (a->OperStatus != IfOperStatusUp) continue;
            for (d = a->FirstDnsServerAddress; d; d = d->Next)
                add_server(si, d->Address.lpSockaddr, d->Address.iSockaddrLength);
            if (a->DnsSuffix)
            {
                for (i = 0; i + 1 < sizeof(text) && a->DnsSuffix[i] && a->DnsSuffix[i] < 0x80; i++)
                    text[i] = (char)a->DnsSuffix[i];
                if (!a->DnsSuffix[i]) nsp_suffix_add(si->suffixes, &si->suffix_count, text, i);
            }
            if (a->IfType == IF_TYPE_SOFTWARE_LOOPBACK) continue;
            for (u = a->FirstUnicastAddress; u; u = u->Next)
            {
                const struct sockaddr *sa = u->Address.lpSockaddr;
                if (!sa || u->DadState == IpDadStateTentative || u->DadState == IpDadStateDuplicate) continue;
                if (sa->sa_family == AF_INET && u->Address.iSockaddrLength >= (int)sizeof(struct sockaddr_in))
                    add_local_addr(si, AF_INET, (const uint8_t *)&((const struct sockaddr_in *)sa)->sin_addr);
                else if (sa->sa_family == AF_INET6 && u->Address.iSockaddrLength >= (int)sizeof(struct sockaddr_in6))
                    add_local_addr(si, AF_INET6, (const uint8_t *)&((const struct sockaddr_in6 *)sa)->sin6_addr);
            }
        }
    free(list);
    /* no adapter lists a DNS server: the machine-wide list */
    if (!si->server_count && info)
    {
        IP_ADDR_STRING *s;
        for (s = &info->DnsServerList; s; s = s->Next)
        {
            struct sockaddr_in sin;
            const char *end;
            memset(&sin, 0, sizeof(sin));
            sin.sin_family = AF_INET;
            s->IpAddress.String[sizeof(s->IpAddress.String) - 1] = 0;
            if (!addr_parse_ipv4(s->IpAddress.String, 1, &end, (uint8_t *)&sin.sin_addr) && !*end)
                add_server(si, (struct sockaddr *)&sin, sizeof(sin));
        }
    }
    free(info);
}

static void computer_name(COMPUTER_NAME_FORMAT format, char *buf, size_t size)
{
    DWORD len = (DWORD)size;
    if (!GetComputerNameExA(format, buf, &len) || !len || len >= size) buf[0] = 0;
    else buf[len] = 0;
}

static BOOL fresh(BOOL valid, ULONGLONG when, ULONGLONG now)
{
    /* when may be later than now: another thread refreshed after this one read the clock */
    return valid && (now < when || now - when < NSP_SYSINFO_REFRESH_MS);
}

void nsp_sysinfo_adapters(struct nsp_sysinfo *out)
{
    DWORD saved = GetLastError();
    ULONGLONG now = GetTickCount64();

    AcquireSRWLockShared(&lock);
    if (fresh(adapters_valid, adapters_time, now))
    {
        *out = adapters;
        ReleaseSRWLockShared(&lock);
        return;
    }
    ReleaseSRWLockShared(&lock);
    AcquireSRWLockExclusive(&lock);
    if (!fresh(adapters_valid, adapters_time, now))
    {
        query_adapters(&adapters);
        adapters_time = GetTickCount64();
        adapters_valid = TRUE;
        nsp_count(NSP_COUNTER_ADAPTER_QUERIES);
        TRACE_NSP("sysinfo: adapters queried: %u DNS servers, %u suffixes, %u addresses",
                  (unsigned)adapters.server_count, (unsigned)adapters.suffix_count, (unsigned)adapters.addr_count);
    }
    *out = adapters;
    ReleaseSRWLockExclusive(&lock);
    SetLastError(saved);
}

void nsp_sysinfo_names(struct nsp_names *out)
{
    DWORD saved = GetLastError();
    ULONGLONG now = GetTickCount64();

    AcquireSRWLockShared(&lock);
    if (fresh(names_valid, names_time, now))
    {
        *out = names;
        ReleaseSRWLockShared(&lock);
        return;
    }
    ReleaseSRWLockShared(&lock);
    AcquireSRWLockExclusive(&lock);
    if (!fresh(names_valid, names_time, now))
    {
        computer_name(ComputerNameDnsHostname, names.dns_host, sizeof(names.dns_host));
        computer_name(ComputerNameDnsFullyQualified, names.fqdn, sizeof(names.fqdn));
        computer_name(ComputerNameNetBIOS, names.netbios, sizeof(names.netbios));
        names_time = GetTickCount64();
        names_valid = TRUE;
        nsp_count(NSP_COUNTER_NAME_QUERIES);
        TRACE_NSP("sysinfo: computer names \"%s\", \"%s\", \"%s\"", names.dns_host, names.fqdn, names.netbios);
    }
    *out = names;
    ReleaseSRWLockExclusive(&lock);
    SetLastError(saved);
}

void nsp_sysinfo_clear(void)
{
    AcquireSRWLockExclusive(&lock);
    adapters_valid = FALSE;
    names_valid = FALSE;
    ReleaseSRWLockExclusive(&lock);
}
