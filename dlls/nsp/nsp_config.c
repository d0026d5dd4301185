/* nsp_config.c - openws2nsp's resolver settings, read for every lookup:
 *   HKLM\Software\openws2\Nsp  DnsServers REG_SZ  "addr[:port], [v6addr]:port, ..." (overrides the
 *                                                  system's servers; tests point it at loopback)
 *                              TimeoutMs  REG_DWORD  per attempt and server (default 2000, 50..30000)
 *                              Attempts   REG_DWORD  rounds over the servers (default 2, 1..10)
 *                              UnixHosts  REG_DWORD  0: do not read the host's /etc/hosts under Wine
 *                              CacheMaxTtl REG_DWORD seconds an answer is reused at most
 *                                                 (default 300, at most 86400; 0: no cache)
 *                              SearchList REG_SZ  "suffix, suffix" tried for single-label names
 *                                                 (overrides the system's suffixes; "" for none)
 * Without DnsServers, the DNS servers of the adapters that are up (GetAdaptersAddresses), else
 * GetNetworkParams' list; without SearchList, the primary domain (GetNetworkParams) and the
 * adapters' connection-specific suffixes. Registry input is untrusted: wrong types and sizes are
 * ignored.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <iphlpapi.h>
#include <stdlib.h>
#include "addr_parse.h"
#include "trace.h"
#include "nsp_private.h"

static DWORD read_dword(HKEY key, const WCHAR *name, DWORD def)
{
    DWORD type, value, len = sizeof(value);
    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)&value, &len) || type != REG_DWORD || len != sizeof(value))
        return def;
    return value;
}

/* A REG_SZ value as ASCII into buf (non-ASCII characters become spaces): 0 or -1. */
static int read_string(HKEY key, const WCHAR *name, char *buf, size_t size)
{
    WCHAR w[1024];
    DWORD type, len = sizeof(w) - sizeof(WCHAR), i, n;

    if (RegQueryValueExW(key, name, NULL, &type, (BYTE *)w, &len) || (type != REG_SZ && type != REG_EXPAND_SZ))
        return -1;
    n = len / sizeof(WCHAR);
    w[n] = 0;
    for (i = 0; i < n && i + 1 < size && w[i]; i++) buf[i] = w[i] < 0x80 ? (char)w[i] : ' ';
    buf[i] = 0;
    return 0;
}

static void add_server(struct nsp_config *cfg, const struct sockaddr *sa, int len)
{
    struct nsp_server s;
    size_t i;

    if (!sa || cfg->server_count >= NSP_MAX_SERVERS) return;
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
    for (i = 0; i < cfg->server_count; i++)
        if (cfg->servers[i].family == s.family && !memcmp(cfg->servers[i].addr, s.addr, 16)) return;
    cfg->servers[cfg->server_count++] = s;
}

static void add_suffix(struct nsp_config *cfg, const char *suffix, size_t len)
{
    size_t i;

    while (len && suffix[0] == '.') suffix++, len--;
    while (len && suffix[len - 1] == '.') len--;
    if (!len || len >= NSP_NAME_MAX || cfg->suffix_count >= NSP_MAX_SUFFIXES) return;
    for (i = 0; i < cfg->suffix_count; i++)
        if (strlen(cfg->suffixes[i]) == len && !_strnicmp(cfg->suffixes[i], suffix, len)) return;
    memcpy(cfg->suffixes[cfg->suffix_count], suffix, len);
    cfg->suffixes[cfg->suffix_count][len] = 0;
    if (nsp_valid_host_name(cfg->suffixes[cfg->suffix_count])) cfg->suffix_count++;
}

/* "a.example, b.example; c.example" */
static void parse_suffixes(struct nsp_config *cfg, const char *text)
{
    while (*text)
    {
        size_t len = 0;
        while (*text == ',' || *text == ';' || *text == ' ' || *text == '\t') text++;
        while (text[len] && text[len] != ',' && text[len] != ';' && text[len] != ' ' && text[len] != '\t') len++;
        if (len) add_suffix(cfg, text, len);
        text += len;
    }
}

static void system_suffixes(struct nsp_config *cfg)
{
    ULONG size = 16384, ret, flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_UNICAST |
                                     GAA_FLAG_SKIP_DNS_SERVER;
    IP_ADAPTER_ADDRESSES *list = NULL, *a;
    FIXED_INFO *info;
    ULONG len = sizeof(FIXED_INFO);
    int tries;

    if ((info = malloc(len)))
    {
        ret = GetNetworkParams(info, &len);
        if (ret == ERROR_BUFFER_OVERFLOW)
        {
            free(info);
            info = malloc(len);
            ret = info ? GetNetworkParams(info, &len) : ERROR_NOT_ENOUGH_MEMORY;
        }
        if (ret == ERROR_SUCCESS)
        {
            info->DomainName[sizeof(info->DomainName) - 1] = 0;
            add_suffix(cfg, info->DomainName, strlen(info->DomainName));
        }
        free(info);
    }
    for (tries = 0; tries < 3; tries++)
    {
        free(list);
        if (!(list = malloc(size))) return;
        ret = GetAdaptersAddresses(AF_UNSPEC, flags, NULL, list, &size);
        if (ret == ERROR_SUCCESS) break;
        if (ret != ERROR_BUFFER_OVERFLOW)
        {
            free(list);
            return;
        }
    }
    if (tries < 3)
        for (a = list; a; a = a->Next)
        {
            char text[NSP_NAME_MAX];
            size_t i;
            if (a->OperStatus != IfOperStatusUp || !a->DnsSuffix) continue;
            for (i = 0; i + 1 < sizeof(text) && a->DnsSuffix[i] && a->DnsSuffix[i] < 0x80; i++) text[i] = (char)a->DnsSuffix[i];
            if (a->DnsSuffix[i] && (i + 1 >= sizeof(text) || a->DnsSuffix[i] >= 0x80)) continue;
            add_suffix(cfg, text, i);
        }
    free(list);
}

static void system_servers(struct nsp_config *cfg)
{
    ULONG size = 16384, ret, flags = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_UNICAST;
    IP_ADAPTER_ADDRESSES *list = NULL, *a;
    int tries;

    for (tries = 0; tries < 3; tries++)
    {
        free(list);
        if (!(list = malloc(size))) return;
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
        for (a = list; a; a = a->Next)
        {
            IP_ADAPTER_DNS_SERVER_ADDRESS *d;
            if (a->OperStatus != IfOperStatusUp) continue;
            for (d = a->FirstDnsServerAddress; d; d = d->Next) add_server(cfg, d->Address.lpSockaddr, d->Address.iSockaddrLength);
        }
    free(list);

    if (!cfg->server_count)
    {
        FIXED_INFO *info;
        ULONG len = sizeof(FIXED_INFO);
        if (!(info = malloc(len))) return;
        ret = GetNetworkParams(info, &len);
        if (ret == ERROR_BUFFER_OVERFLOW)
        {
            free(info);
            if (!(info = malloc(len))) return;
            ret = GetNetworkParams(info, &len);
        }
        if (ret == ERROR_SUCCESS)
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
                    add_server(cfg, (struct sockaddr *)&sin, sizeof(sin));
            }
        }
        free(info);
    }
}

void nsp_config_load(struct nsp_config *cfg)
{
    DWORD saved = GetLastError();
    char text[1024];
    HKEY key;
    BOOL have_list = FALSE, have_suffixes = FALSE;

    memset(cfg, 0, sizeof(*cfg));
    cfg->timeout_ms = NSP_TIMEOUT_DEFAULT_MS;
    cfg->attempts = NSP_ATTEMPTS_DEFAULT;
    cfg->use_unix_hosts = TRUE;
    cfg->cache_max_ttl = NSP_CACHE_TTL_DEFAULT;
    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"Software\\openws2\\Nsp", 0, KEY_QUERY_VALUE, &key))
    {
        cfg->timeout_ms = nsp_clamp_setting(read_dword(key, L"TimeoutMs", 0), NSP_TIMEOUT_DEFAULT_MS,
                                            NSP_TIMEOUT_MIN_MS, NSP_TIMEOUT_MAX_MS);
        cfg->attempts = nsp_clamp_setting(read_dword(key, L"Attempts", 0), NSP_ATTEMPTS_DEFAULT, NSP_ATTEMPTS_MIN,
                                          NSP_ATTEMPTS_MAX);
        cfg->use_unix_hosts = read_dword(key, L"UnixHosts", 1) != 0;
        cfg->cache_max_ttl = read_dword(key, L"CacheMaxTtl", NSP_CACHE_TTL_DEFAULT);
        if (cfg->cache_max_ttl > NSP_CACHE_TTL_MAX) cfg->cache_max_ttl = NSP_CACHE_TTL_MAX;
        if (!read_string(key, L"DnsServers", text, sizeof(text)))
        {
            have_list = TRUE;
            cfg->server_count = nsp_parse_server_list(text, cfg->servers, NSP_MAX_SERVERS);
        }
        if (!read_string(key, L"SearchList", text, sizeof(text)))
        {
            have_suffixes = TRUE;
            parse_suffixes(cfg, text);
        }
        RegCloseKey(key);
    }
    if (!have_list) system_servers(cfg);
    cfg->servers_key = nsp_servers_key(cfg->servers, cfg->server_count);
    if (!have_suffixes) system_suffixes(cfg);
    TRACE_NSP("config: %u DNS servers%s, %u suffixes, timeout %lu ms, %lu attempts", (unsigned)cfg->server_count,
              have_list ? " (DnsServers)" : "", (unsigned)cfg->suffix_count, (unsigned long)cfg->timeout_ms,
              (unsigned long)cfg->attempts);
    SetLastError(saved);
}
