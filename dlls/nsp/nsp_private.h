/* nsp_private.h - the internal interfaces between openws2nsp's Windows-side modules: the lookup
 * request parsed from WSAQUERYSETW, the answer sources (hosts files, the local machine, DNS), the
 * resolver configuration and the lookup pipeline. DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_PRIVATE_H
#define OPENWS2_NSP_PRIVATE_H

#include "ws2_common.h"
#include "nsp_host.h"
#include "nsp_servers.h"
#include "netdb_files.h"
#include "nsp_counters.h"
#include "guid_text.h"

/* The registry keys of the settings (relative to HKLM). */
#define NSP_SETTINGS_KEY_W L"Software\\openws2\\Nsp"
#define NSP_TCPIP_PARAMETERS_KEY_W L"System\\CurrentControlSet\\Services\\Tcpip\\Parameters"

/* What a lookup asks for (from the service class GUID). */
enum nsp_kind
{
    NSP_KIND_HOSTNAME,      /* SVCID_HOSTNAME: local host name, or a host name lookup */
    NSP_KIND_HOSTBYNAME,    /* SVCID_INET_HOSTADDRBYNAME, SVCID_DNS_TYPE_A/AAAA */
    NSP_KIND_HOSTBYADDR,    /* SVCID_INET_HOSTADDRBYINETSTRING, SVCID_DNS_TYPE_PTR */
    NSP_KIND_SERVICE,       /* SVCID_INET_SERVICEBYNAME */
};

struct nsp_request
{
    enum nsp_kind kind;
    GUID class_id;
    GUID provider_id;
    DWORD flags;                    /* LUP_* of the Begin call */
    int families;                   /* NSP_FAMILY_* to return */
    int hostent_family;             /* the family of the hostent blob */
    char name[NSP_NAME_MAX];        /* the instance name (ASCII), "" for the local host */
    BOOL local_host;                /* no instance name: the local host */
    BOOL bad_name;                  /* not ASCII or too long: nothing can match */
    BOOL rooted;                    /* the host name ended with a dot (stripped): no suffix search */
    char service[NSP_NAME_MAX];     /* lpszQueryString service ("ftp") or "" */
    int socket_type, protocol;      /* of the CSADDR_INFO entries */
};

#define NSP_MAX_SUFFIXES 6

/* Resolver settings (nsp_config.c): HKLM\Software\openws2\Nsp (DnsServers and SearchList REG_SZ,
 * TimeoutMs, Attempts, UnixHosts, CacheMaxTtl REG_DWORD) and the database directory
 * (Tcpip\Parameters\DataBasePath), read once and again after a registry change; without
 * DnsServers / SearchList the system's DNS servers and suffixes (nsp_sysinfo.c), added by
 * nsp_config_complete when a lookup reaches DNS. */
struct nsp_config
{
    size_t server_count;
    struct nsp_server servers[NSP_MAX_SERVERS];
    DWORD timeout_ms;
    DWORD attempts;
    BOOL use_unix_hosts;            /* under Wine: also read the host's /etc/hosts */
    DWORD cache_max_ttl;            /* seconds an answer may be reused (0: no cache) */
    uint32_t servers_key;           /* identifies the server list in the cache */
    size_t suffix_count;            /* DNS suffixes tried for single-label names */
    char suffixes[NSP_MAX_SUFFIXES][NSP_NAME_MAX];
    BOOL servers_set, suffixes_set; /* DnsServers / SearchList present in the registry */
    BOOL have_system;               /* nsp_config_complete done */
    WCHAR database_dir[MAX_PATH];   /* hosts and services directory ("" when unknown) */
};
/* The current settings (registry part): flush (LUP_FLUSHCACHE) checks for a change whatever the
 * time of the last check. */
void nsp_config_load(struct nsp_config *cfg, BOOL flush);
/* Adds the system's DNS servers / suffixes where the registry sets none (before DNS is used). */
void nsp_config_complete(struct nsp_config *cfg);
/* Forgets the settings and stops watching the registry (last NSPCleanup). */
void nsp_config_clear(void);
/* Adds a DNS suffix (dots trimmed, duplicates and invalid names skipped) to a list of at most
 * NSP_MAX_SUFFIXES. */
void nsp_suffix_add(char (*list)[NSP_NAME_MAX], size_t *count, const char *suffix, size_t len);

/* Registry change detection of the settings keys (nsp_regwatch.c). changed: TRUE when a watched
 * key may have changed since the last rearm (or none is armed); rearm: watch again (call before
 * reading the values). Both are called under nsp_config.c's lock (rearm exclusively). */
BOOL nsp_regwatch_changed(void);
void nsp_regwatch_rearm(void);
void nsp_regwatch_close(void);

/* The machine (nsp_sysinfo.c), kept for NSP_SYSINFO_REFRESH_MS after each query. */
#define NSP_SYSINFO_REFRESH_MS 5000
#define NSP_LOCAL_ADDRS_MAX 128
struct nsp_sysinfo
{
    size_t server_count;            /* adapters' DNS servers, else GetNetworkParams' */
    struct nsp_server servers[NSP_MAX_SERVERS];
    size_t suffix_count;            /* primary domain, then the adapters' suffixes */
    char suffixes[NSP_MAX_SUFFIXES][NSP_NAME_MAX];
    size_t addr_count;              /* unicast addresses of the adapters that are up, no loopback */
    struct nsp_addr addrs[NSP_LOCAL_ADDRS_MAX];
};
struct nsp_names
{
    char dns_host[NSP_NAME_MAX];    /* "" when not available */
    char fqdn[NSP_NAME_MAX];
    char netbios[NSP_NAME_MAX];
};
void nsp_sysinfo_adapters(struct nsp_sysinfo *out);
void nsp_sysinfo_names(struct nsp_names *out);
void nsp_sysinfo_clear(void);

/* The cached text files (nsp_files.c). get: the current contents (re-read when the file's
 * attributes changed, looked at most every NSP_RECHECK_MS unless flush), 0 or WSA_NOT_ENOUGH_MEMORY; a missing hosts file is empty, a missing
 * services file the embedded default. release: drops the view's reference. */
enum nsp_file { NSP_FILE_HOSTS, NSP_FILE_UNIX_HOSTS, NSP_FILE_SERVICES, NSP_FILE_COUNT };
struct nsp_file_view
{
    const char *data;
    size_t len;
    void *ref;
};
int nsp_file_get(enum nsp_file which, const struct nsp_config *cfg, BOOL flush, struct nsp_file_view *view);
void nsp_file_release(struct nsp_file_view *view);
void nsp_files_clear(void);
BOOL nsp_running_on_wine(void);

/* Diagnostic counters (nsp_stats.c, nsp_counters.h). */
void nsp_count(int which);

/* The local machine: its host name (DNS host name, else NetBIOS name) and its unicast addresses. */
int nsp_local_host_name(char *buf, size_t size);
/* 1 when name is "localhost" or one of this machine's names; fills out with the addresses of
 * families. */
int nsp_local_match_name(const char *name, int families, struct nsp_host *out);
/* 1 when name is one of this machine's names (not "localhost"); fills out as for the empty name. */
int nsp_local_match_own_name(const char *name, int families, struct nsp_host *out);
/* 1 when addr is a loopback address or one of this machine's; fills out (name + address). */
int nsp_local_match_addr(int family, const uint8_t *addr, struct nsp_host *out);
/* The local host (empty instance name): its name and addresses of families. */
int nsp_local_host(int families, struct nsp_host *out);

/* Cancellation flag of a running lookup (NSPLookupServiceEnd from another thread). */
typedef volatile LONG nsp_cancel_flag;

/* DNS over UDP (TCP when truncated) through Winsock with the configured servers, timeouts and
 * retries. Forward: the addresses of qtype (A or AAAA) of name, CNAME chains followed, merged into
 * out (canonical name set when out has none, CNAME owners become aliases). Reverse: the PTR
 * targets. Return 0 or a WSA error: WSAHOST_NOT_FOUND (NXDOMAIN), WSANO_DATA (no record of the
 * type), WSATRY_AGAIN (timeout / SERVFAIL / no usable reply), WSANO_RECOVERY (refused, format
 * error), WSA_E_CANCELLED, WSA_NOT_ENOUGH_MEMORY. */
int nsp_dns_lookup_addrs(const struct nsp_config *cfg, const char *name, uint16_t qtype, BOOL flush,
                         struct nsp_host *out, nsp_cancel_flag *cancel);

/* The answer cache of A/AAAA lookups (nsp_cache.c): positive answers kept for their smallest TTL,
 * at most cfg->cache_max_ttl seconds, per server list. get merges a live entry into out (1) or
 * returns 0; put stores host (ttl seconds); flush drops the entry. */
int nsp_cache_get(const struct nsp_config *cfg, const char *name, uint16_t qtype, struct nsp_host *out);
void nsp_cache_put(const struct nsp_config *cfg, const char *name, uint16_t qtype, const struct nsp_host *host,
                   uint32_t ttl);
void nsp_cache_flush(const struct nsp_config *cfg, const char *name, uint16_t qtype);
void nsp_cache_clear(void);
int nsp_dns_lookup_ptr(const struct nsp_config *cfg, int family, const uint8_t *addr, struct nsp_host *out,
                       nsp_cancel_flag *cancel);

/* The whole pipeline for a request: numeric names, prefix hosts, /etc/hosts, local names, DNS.
 * Returns 0 (out filled) or a WSA error. */
int nsp_resolve_host(const struct nsp_request *req, struct nsp_host *out, nsp_cancel_flag *cancel);

/* Services database lookup for SVCID_INET_SERVICEBYNAME ("name", "name/proto", "port/proto").
 * Returns 0 or WSASERVICE_NOT_FOUND / WSA_NOT_ENOUGH_MEMORY. */
struct nsp_service_answer
{
    char name[NSP_NAME_MAX];
    char proto[NSP_NAME_MAX];
    uint16_t port;
    size_t alias_count;
    char aliases[NSP_MAX_ALIASES][NSP_NAME_MAX];
};
int nsp_resolve_service(const struct nsp_config *cfg, BOOL flush, const char *key, struct nsp_service_answer *out);
/* Port (host order) of a service name or number for protocol proto ("tcp"/"udp"/NULL): 0 when unknown. */
uint16_t nsp_service_port(const char *service, const char *proto);
/* Forgets every cache of the provider (last NSPCleanup). */
void nsp_caches_clear(void);

/* The lookup entry points (nsp_lookup.c) and the rest of the routine table (nsp_main.c). */
INT WSAAPI nsp_lookup_begin(LPGUID provider, LPWSAQUERYSETW restrictions, LPWSASERVICECLASSINFOW info,
                            DWORD flags, LPHANDLE lookup);
INT WSAAPI nsp_lookup_next(HANDLE lookup, DWORD flags, LPDWORD length, LPWSAQUERYSETW results);
INT WSAAPI nsp_lookup_end(HANDLE lookup);
void nsp_lookup_cleanup_all(void);

/* The Network Location Awareness name space (nsp_nla.c): TRUE for NLA's provider id; the routines
 * that differ from the TCP/IP name space's; ends every NLA lookup (last NSPCleanup). */
BOOL nsp_nla_is_provider(const GUID *provider);
void nsp_nla_routines(NSP_ROUTINE *routines);
void nsp_nla_cleanup_all(void);

/* Request parsing (nsp_request.c): 0 or a WSA error. */
int nsp_request_parse(const GUID *provider, const WSAQUERYSETW *qs, DWORD flags, struct nsp_request *req);


#endif
