/* nsp_resolve.c - openws2nsp's answer pipeline for host requests, in Windows' order: numeric
 * addresses, the machine's own names (its addresses, as for the empty name), the prefix's hosts
 * file, the host's /etc/hosts under Wine, localhost, then DNS (A and/or AAAA, PTR for reverse lookups); and the
 * services database for SVCID_INET_SERVICEBYNAME. Settings, files and machine information come
 * from their caches (nsp_config.c, nsp_files.c, nsp_sysinfo.c); nothing is read per lookup unless
 * it changed.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <stdlib.h>
#include "addr_parse.h"
#include "dns_message.h"
#include "netdb_files.h"
#include "netdb_parse.h"
#include "trace.h"
#include "nsp_private.h"

/* Both hosts files in order: 1 when matched (out filled), 0 when not, or -WSA error. */
static int hosts_lookup(const struct nsp_config *cfg, const struct nsp_request *req, int family,
                        const uint8_t *addr, struct nsp_host *out)
{
    struct nsp_file_view text;
    int pass, found = 0, err;

    for (pass = 0; pass < 2 && !found; pass++)
    {
        if (pass == 1 && (!cfg->use_unix_hosts || !nsp_running_on_wine())) break;
        err = nsp_file_get(pass ? NSP_FILE_UNIX_HOSTS : NSP_FILE_HOSTS, cfg, (req->flags & LUP_FLUSHCACHE) != 0, &text);
        if (err) return -WSA_NOT_ENOUGH_MEMORY;
        if (req->kind == NSP_KIND_HOSTBYADDR) found = nsp_hosts_match_addr(text.data, text.len, family, addr, out);
        else found = nsp_hosts_match_name(text.data, text.len, req->name, req->families, out) > 0;
        nsp_file_release(&text);
        if (found) TRACE_NSP("resolve: %s from the %s hosts file", req->name, pass ? "host's" : "prefix's");
    }
    return found;
}

static int numeric_name(const struct nsp_request *req, struct nsp_host *out)
{
    uint8_t addr[16];
    const char *end;

    if (!addr_parse_ipv4(req->name, 1, &end, addr) && !*end)
    {
        if (!(req->families & NSP_FAMILY_V4)) return WSANO_DATA;
        nsp_host_set_name(out, req->name);
        nsp_host_add_addr(out, AF_INET, addr);
        return 0;
    }
    if (!addr_parse_ipv6(req->name, &end, addr) && !*end)
    {
        if (!(req->families & NSP_FAMILY_V6)) return WSANO_DATA;
        nsp_host_set_name(out, req->name);
        nsp_host_add_addr(out, AF_INET6, addr);
        return 0;
    }
    return -1;
}

/* DNS A and/or AAAA questions for name. */
static int dns_forward(const struct nsp_config *cfg, const struct nsp_request *req, const char *name,
                       struct nsp_host *out, nsp_cancel_flag *cancel)
{
    BOOL flush = (req->flags & LUP_FLUSHCACHE) != 0;
    int err4 = 0, err6 = 0;

    memset(out, 0, sizeof(*out));
    if (req->families & NSP_FAMILY_V4)
    {
        err4 = nsp_dns_lookup_addrs(cfg, name, DNS_TYPE_A, flush, out, cancel);
        if (err4 == WSAHOST_NOT_FOUND || err4 == WSA_E_CANCELLED || err4 == WSA_NOT_ENOUGH_MEMORY) return err4;
    }
    if (req->families & NSP_FAMILY_V6)
    {
        err6 = nsp_dns_lookup_addrs(cfg, name, DNS_TYPE_AAAA, flush, out, cancel);
        if (err6 == WSA_E_CANCELLED || err6 == WSA_NOT_ENOUGH_MEMORY) return err6;
    }
    if (out->addr_count) return 0;
    if (req->families & NSP_FAMILY_V4) return err4 ? err4 : WSANO_DATA;
    return err6 ? err6 : WSANO_DATA;
}

static int resolve_forward(struct nsp_config *cfg, const struct nsp_request *req, struct nsp_host *out,
                           nsp_cancel_flag *cancel)
{
    int ret;

    if (req->local_host)
    {
        nsp_local_host(req->families, out);
        return 0;
    }
    if ((ret = numeric_name(req, out)) >= 0) return ret;
    if (!nsp_valid_host_name(req->name)) return WSAHOST_NOT_FOUND;
    /* Windows checks whether the name is the machine's own before the hosts file ("Microsoft TCP/IP
     * Host Name Resolution Order"): the computer name answers what the empty name answers even when
     * a hosts file lists it (Debian's /etc/hosts maps it to a loopback address) */
    if (nsp_local_match_own_name(req->name, req->families, out))
    {
        TRACE_NSP("resolve: %s is the local machine", req->name);
        return 0;
    }
    if ((ret = hosts_lookup(cfg, req, 0, NULL, out)) < 0) return -ret;
    if (ret) return 0;
    if (nsp_local_match_name(req->name, req->families, out))
    {
        TRACE_NSP("resolve: %s is the local machine", req->name);
        return 0;
    }
    nsp_config_complete(cfg);
    /* a single-label name is tried with each DNS suffix first, then as it is */
    if (!strchr(req->name, '.') && !req->rooted && cfg->suffix_count)
    {
        char fqdn[2 * NSP_NAME_MAX];
        size_t i;
        for (i = 0; i < cfg->suffix_count; i++)
        {
            if (strlen(req->name) + 1 + strlen(cfg->suffixes[i]) >= NSP_NAME_MAX) continue;
            snprintf(fqdn, sizeof(fqdn), "%s.%s", req->name, cfg->suffixes[i]);
            ret = dns_forward(cfg, req, fqdn, out, cancel);
            if (!ret || ret == WSA_E_CANCELLED || ret == WSA_NOT_ENOUGH_MEMORY) return ret;
        }
    }
    return dns_forward(cfg, req, req->name, out, cancel);
}

static int resolve_reverse(struct nsp_config *cfg, const struct nsp_request *req, struct nsp_host *out,
                           nsp_cancel_flag *cancel)
{
    uint8_t addr[16];
    int family, ret;

    if (nsp_parse_reverse_key(req->name, &family, addr)) return WSAHOST_NOT_FOUND;
    if ((ret = hosts_lookup(cfg, req, family, addr, out)) < 0) return -ret;
    if (ret) return 0;
    if (nsp_local_match_addr(family, addr, out)) return 0;
    memset(out, 0, sizeof(*out));
    nsp_config_complete(cfg);
    return nsp_dns_lookup_ptr(cfg, family, addr, out, cancel);
}

void nsp_caches_clear(void)
{
    nsp_cache_clear();
    nsp_files_clear();
    nsp_sysinfo_clear();
    nsp_config_clear();
}

int nsp_resolve_host(const struct nsp_request *req, struct nsp_host *out, nsp_cancel_flag *cancel)
{
    struct nsp_config cfg;
    int err;

    memset(out, 0, sizeof(*out));
    if (req->bad_name) return WSAHOST_NOT_FOUND;
    if (!req->families && req->kind != NSP_KIND_HOSTBYADDR) return WSANO_DATA;
    nsp_config_load(&cfg, (req->flags & LUP_FLUSHCACHE) != 0);
    if (req->kind == NSP_KIND_HOSTBYADDR) err = resolve_reverse(&cfg, req, out, cancel);
    else err = resolve_forward(&cfg, req, out, cancel);
    TRACE_NSP("resolve: \"%s\" kind %d families %d -> %d (%u addresses, %u aliases)", req->name, req->kind,
              req->families, err, (unsigned)out->addr_count, (unsigned)out->alias_count);
    return err;
}

/* "name", "name/proto", "port/proto", "port" */
int nsp_resolve_service(const struct nsp_config *cfg, BOOL flush, const char *key, struct nsp_service_answer *out)
{
    char name[NSP_NAME_MAX], proto[NSP_NAME_MAX];
    struct netdb_service *svc;
    struct nsp_file_view text;
    const char *slash = strchr(key, '/'), *end;
    uint32_t port;
    int found;
    size_t i;

    memset(out, 0, sizeof(*out));
    if (!*key || strlen(key) >= sizeof(name)) return WSASERVICE_NOT_FOUND;
    if (slash)
    {
        memcpy(name, key, (size_t)(slash - key));
        name[slash - key] = 0;
        strcpy(proto, slash + 1);
        if (!proto[0] || !name[0]) return WSASERVICE_NOT_FOUND;
    }
    else
    {
        strcpy(name, key);
        proto[0] = 0;
    }
    if (!(svc = malloc(sizeof(*svc)))) return WSA_NOT_ENOUGH_MEMORY;
    if (nsp_file_get(NSP_FILE_SERVICES, cfg, flush, &text))
    {
        free(svc);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    if (name[0] >= '0' && name[0] <= '9' && !addr_parse_number(name, &end, &port) && !*end)
        found = port <= 0xffff && netdb_find_service_by_port(text.data, text.len, (uint16_t)port,
                                                             proto[0] ? proto : NULL, svc);
    else found = netdb_find_service_by_name(text.data, text.len, name, proto[0] ? proto : NULL, svc);
    nsp_file_release(&text);
    if (found)
    {
        strcpy(out->name, svc->name);
        strcpy(out->proto, svc->proto);
        out->port = svc->port;
        for (i = 0; i < svc->alias_count && i < NSP_MAX_ALIASES; i++) strcpy(out->aliases[i], svc->aliases[i]);
        out->alias_count = i;
    }
    free(svc);
    return found ? 0 : WSASERVICE_NOT_FOUND;
}

uint16_t nsp_service_port(const char *service, const char *proto)
{
    struct nsp_config *cfg;
    struct nsp_service_answer *ans;
    char key[2 * NSP_NAME_MAX];
    const char *end;
    uint32_t port;
    uint16_t ret = 0;

    if (!service[0]) return 0;
    if (!addr_parse_number(service, &end, &port) && !*end) return port <= 0xffff ? (uint16_t)port : 0;
    if (strlen(service) + (proto ? strlen(proto) : 0) + 2 > sizeof(key)) return 0;
    strcpy(key, service);
    if (proto && !strchr(service, '/'))
    {
        strcat(key, "/");
        strcat(key, proto);
    }
    ans = malloc(sizeof(*ans));
    cfg = malloc(sizeof(*cfg));
    if (ans && cfg)
    {
        nsp_config_load(cfg, FALSE);
        if (!nsp_resolve_service(cfg, FALSE, key, ans)) ret = ans->port;
    }
    free(cfg);
    free(ans);
    return ret;
}
