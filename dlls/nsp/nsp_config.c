/* nsp_config.c - openws2nsp's resolver settings:
 *   HKLM\Software\openws2\Nsp  DnsServers REG_SZ  "addr[:port], [v6addr]:port, ..." (overrides the
 *                                                  system's servers; tests point it at loopback)
 *                              TimeoutMs  REG_DWORD  per attempt and server (default 2000, 50..30000)
 *                              Attempts   REG_DWORD  rounds over the servers (default 2, 1..10)
 *                              UnixHosts  REG_DWORD  0: do not read the host's /etc/hosts under Wine
 *                              CacheMaxTtl REG_DWORD seconds an answer is reused at most
 *                                                 (default 300, at most 86400; 0: no cache)
 *                              SearchList REG_SZ  "suffix, suffix" tried for single-label names
 *                                                 (overrides the system's suffixes; "" for none)
 *   HKLM\System\CurrentControlSet\Services\Tcpip\Parameters  DataBasePath  the hosts/services
 *                                                 directory (else %SystemRoot%\system32\drivers\etc)
 * The registry values are read once and kept until nsp_regwatch.c reports a change of either key.
 * That check (one server call under Wine) is made at most every NSP_RECHECK_MS, and at once for a
 * lookup with LUP_FLUSHCACHE: a change is seen by the lookups that start NSP_RECHECK_MS after it
 * (Windows' DNS client also applies setting changes asynchronously), and a run of lookups without
 * change makes no registry or server call.
 * Without DnsServers, the DNS servers of the adapters that are up, else GetNetworkParams' list;
 * without SearchList, the primary domain and the adapters' connection-specific suffixes: both
 * from nsp_sysinfo.c, fetched only when a lookup reaches DNS (nsp_config_complete). Registry input
 * is untrusted: wrong types and sizes are ignored.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "trace.h"
#include "nsp_private.h"

static SRWLOCK lock = SRWLOCK_INIT;
static struct nsp_config current;   /* the registry part (have_system FALSE) */
static BOOL current_valid;
static volatile LONG64 checked_at;  /* GetTickCount64 of the last registry change check */

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

/* "a.example, b.example; c.example" */
static void parse_suffixes(struct nsp_config *cfg, const char *text)
{
    while (*text)
    {
        size_t len = 0;
        while (*text == ',' || *text == ';' || *text == ' ' || *text == '\t') text++;
        while (text[len] && text[len] != ',' && text[len] != ';' && text[len] != ' ' && text[len] != '\t') len++;
        if (len) nsp_suffix_add(cfg->suffixes, &cfg->suffix_count, text, len);
        text += len;
    }
}

/* The database directory (Tcpip\Parameters\DataBasePath expanded, else the system directory's
 * drivers\etc) into cfg->database_dir, "" when neither is available. */
static void read_database_dir(struct nsp_config *cfg)
{
    WCHAR raw[MAX_PATH], *dir = cfg->database_dir;
    DWORD type, len = sizeof(raw) - sizeof(WCHAR), n, size = OPENWS2_ARRAY_SIZE(cfg->database_dir);
    HKEY key;

    dir[0] = 0;
    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, NSP_TCPIP_PARAMETERS_KEY_W, 0, KEY_QUERY_VALUE, &key))
    {
        LONG err = RegQueryValueExW(key, L"DataBasePath", NULL, &type, (BYTE *)raw, &len);
        RegCloseKey(key);
        if (!err && (type == REG_SZ || type == REG_EXPAND_SZ) && len >= 2 * sizeof(WCHAR))
        {
            raw[len / sizeof(WCHAR)] = 0;
            n = ExpandEnvironmentStringsW(raw, dir, size);
            if (n && n <= size && dir[0]) return;
        }
    }
    n = GetSystemDirectoryW(dir, size);
    if (!n || n + 16 >= size)
    {
        dir[0] = 0;
        return;
    }
    lstrcatW(dir, L"\\drivers\\etc");
}

static void read_settings(struct nsp_config *cfg)
{
    char text[1024];
    HKEY key;

    memset(cfg, 0, sizeof(*cfg));
    cfg->timeout_ms = NSP_TIMEOUT_DEFAULT_MS;
    cfg->attempts = NSP_ATTEMPTS_DEFAULT;
    cfg->use_unix_hosts = TRUE;
    cfg->cache_max_ttl = NSP_CACHE_TTL_DEFAULT;
    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, NSP_SETTINGS_KEY_W, 0, KEY_QUERY_VALUE, &key))
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
            cfg->servers_set = TRUE;
            cfg->server_count = nsp_parse_server_list(text, cfg->servers, NSP_MAX_SERVERS);
        }
        if (!read_string(key, L"SearchList", text, sizeof(text)))
        {
            cfg->suffixes_set = TRUE;
            parse_suffixes(cfg, text);
        }
        RegCloseKey(key);
    }
    if (cfg->servers_set) cfg->servers_key = nsp_servers_key(cfg->servers, cfg->server_count);
    read_database_dir(cfg);
    TRACE_NSP("config: settings read: %u DNS servers%s, %u suffixes%s, timeout %lu ms, %lu attempts",
              (unsigned)cfg->server_count, cfg->servers_set ? " (DnsServers)" : "", (unsigned)cfg->suffix_count,
              cfg->suffixes_set ? " (SearchList)" : "", (unsigned long)cfg->timeout_ms, (unsigned long)cfg->attempts);
}

void nsp_config_load(struct nsp_config *cfg, BOOL flush)
{
    DWORD saved = GetLastError();
    ULONGLONG now = GetTickCount64();

    AcquireSRWLockShared(&lock);
    if (current_valid && !flush)
    {
        ULONGLONG checked = (ULONGLONG)InterlockedCompareExchange64(&checked_at, 0, 0);
        BOOL recent = now < checked || now - checked < NSP_RECHECK_MS;
        if (recent || !nsp_regwatch_changed())
        {
            if (!recent) InterlockedExchange64(&checked_at, (LONG64)now);
            *cfg = current;
            ReleaseSRWLockShared(&lock);
            SetLastError(saved);
            return;
        }
    }
    ReleaseSRWLockShared(&lock);
    AcquireSRWLockExclusive(&lock);
    if (!current_valid || nsp_regwatch_changed())
    {
        /* armed before reading: a change made while the values are read is seen next time */
        nsp_regwatch_rearm();
        read_settings(&current);
        current_valid = TRUE;
        nsp_count(NSP_COUNTER_SETTINGS_LOADS);
    }
    InterlockedExchange64(&checked_at, (LONG64)GetTickCount64());
    *cfg = current;
    ReleaseSRWLockExclusive(&lock);
    SetLastError(saved);
}

void nsp_config_complete(struct nsp_config *cfg)
{
    struct nsp_sysinfo *si;
    size_t i;

    if (cfg->have_system || (cfg->servers_set && cfg->suffixes_set)) return;
    cfg->have_system = TRUE;
    if (!(si = malloc(sizeof(*si)))) return;
    nsp_sysinfo_adapters(si);
    if (!cfg->servers_set)
    {
        cfg->server_count = si->server_count;
        memcpy(cfg->servers, si->servers, si->server_count * sizeof(si->servers[0]));
        cfg->servers_key = nsp_servers_key(cfg->servers, cfg->server_count);
    }
    if (!cfg->suffixes_set)
        for (i = 0; i < si->suffix_count; i++)
            nsp_suffix_add(cfg->suffixes, &cfg->suffix_count, si->suffixes[i], strlen(si->suffixes[i]));
    free(si);
    TRACE_NSP("config: %u DNS servers%s, %u suffixes%s", (unsigned)cfg->server_count,
              cfg->servers_set ? " (DnsServers)" : " (system)", (unsigned)cfg->suffix_count,
              cfg->suffixes_set ? " (SearchList)" : " (system)");
}

void nsp_config_clear(void)
{
    AcquireSRWLockExclusive(&lock);
    current_valid = FALSE;
    nsp_regwatch_close();
    ReleaseSRWLockExclusive(&lock);
}
