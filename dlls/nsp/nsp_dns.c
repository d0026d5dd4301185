/* nsp_dns.c - openws2nsp's DNS client over Winsock (the process' ws2_32, i.e. openws2 itself; no
 * dnsapi): queries with random ids from a fresh socket per attempt, UDP first and TCP when the
 * reply is truncated, the configured servers in order for the configured number of rounds with a
 * timeout each, replies that do not parse or do not answer our question ignored (the wait goes
 * on), unreachable servers skipped, CNAME chains followed (re-asked for the target when a server
 * stops at a CNAME), PTR lookups, cancellation by NSPLookupServiceEnd.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "addr_parse.h"
#include "dns_message.h"
#include "trace.h"
#include "nsp_private.h"

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

#define DNS_TCP_MAX 65535
#define WAIT_SLICE_MS 100

static uint16_t random_id(void)
{
    uint16_t id = 0;
    if (!SystemFunction036(&id, sizeof(id))) id = (uint16_t)(GetTickCount() ^ (GetCurrentThreadId() << 5));
    return id;
}

static int server_sockaddr(const struct nsp_server *srv, struct sockaddr_storage *ss)
{
    memset(ss, 0, sizeof(*ss));
    if (srv->family == AF_INET6)
    {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = addr_port_to_net(srv->port);
        memcpy(&sin6->sin6_addr, srv->addr, 16);
        sin6->sin6_scope_id = srv->scope;
        return sizeof(*sin6);
    }
    else
    {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;
        sin->sin_family = AF_INET;
        sin->sin_port = addr_port_to_net(srv->port);
        memcpy(&sin->sin_addr, srv->addr, 4);
        return sizeof(*sin);
    }
}

/* Waits until s is readable (write: writable) before deadline: 1 ready, 0 timeout, -1 cancelled,
 * -2 select failed. */
static int wait_socket(SOCKET s, BOOL write, ULONGLONG deadline, nsp_cancel_flag *cancel)
{
    for (;;)
    {
        ULONGLONG now = GetTickCount64(), left;
        struct timeval tv;
        fd_set set, err;
        int n;

        if (cancel && *cancel) return -1;
        if (now >= deadline) return 0;
        left = deadline - now;
        if (left > WAIT_SLICE_MS) left = WAIT_SLICE_MS;
        tv.tv_sec = 0;
        tv.tv_usec = (long)left * 1000;
        FD_ZERO(&set);
        FD_SET(s, &set);
        FD_ZERO(&err);
        FD_SET(s, &err);
        n = select(0, write ? NULL : &set, write ? &set : NULL, write ? &err : NULL, &tv);
        if (n > 0) return 1;
        if (n < 0) return -2;
    }
}

/* One UDP exchange: 0 (resp holds a reply to our question), WSATRY_AGAIN (timeout, or a socket
 * failure), WSAECONNRESET (the server is unreachable), WSA_E_CANCELLED. */
static int udp_exchange(const struct nsp_server *srv, const uint8_t *query, size_t qlen, uint16_t id,
                        const char *name, uint16_t qtype, DWORD timeout, struct dns_response *resp,
                        nsp_cancel_flag *cancel)
{
    struct sockaddr_storage ss;
    int salen = server_sockaddr(srv, &ss), ret = WSATRY_AGAIN, n, w;
    ULONGLONG deadline = GetTickCount64() + timeout;
    uint8_t buf[4096];
    SOCKET s;

    s = socket(srv->family, SOCK_DGRAM, IPPROTO_UDP);
    if (s == INVALID_SOCKET)
    {
        TRACE_NSP("dns: udp socket failed, error %d", WSAGetLastError());
        return WSATRY_AGAIN;
    }
    /* connected: only the server's datagrams arrive, and ICMP errors are reported */
    if (connect(s, (struct sockaddr *)&ss, salen) || send(s, (const char *)query, (int)qlen, 0) != (int)qlen)
    {
        TRACE_NSP("dns: udp send failed, error %d", WSAGetLastError());
        closesocket(s);
        return WSAECONNRESET;
    }
    for (;;)
    {
        w = wait_socket(s, FALSE, deadline, cancel);
        if (w == -1) { ret = WSA_E_CANCELLED; break; }
        if (w <= 0) { ret = WSATRY_AGAIN; break; }
        n = recv(s, (char *)buf, sizeof(buf), 0);
        if (n < 0)
        {
            int err = WSAGetLastError();
            if (err == WSAEMSGSIZE) continue;   /* oversized datagram: not a reply of ours */
            TRACE_NSP("dns: udp recv error %d", err);
            ret = (err == WSAECONNRESET || err == WSAECONNREFUSED || err == WSAENETUNREACH || err == WSAEHOSTUNREACH)
                      ? WSAECONNRESET : WSATRY_AGAIN;
            break;
        }
        n = dns_parse_response(buf, (size_t)n, id, name, qtype, resp);
        if (n == DNS_OK)
        {
            ret = 0;
            break;
        }
        TRACE_NSP("dns: ignoring a reply that does not parse or does not match (%d)", n);
    }
    closesocket(s);
    return ret;
}

static int tcp_send_all(SOCKET s, const uint8_t *data, size_t len, ULONGLONG deadline, nsp_cancel_flag *cancel)
{
    while (len)
    {
        int w = wait_socket(s, TRUE, deadline, cancel), n;
        if (w == -1) return WSA_E_CANCELLED;
        if (w <= 0) return WSATRY_AGAIN;
        n = send(s, (const char *)data, (int)len, 0);
        if (n <= 0)
        {
            if (n < 0 && WSAGetLastError() == WSAEWOULDBLOCK) continue;
            return WSATRY_AGAIN;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int tcp_recv_all(SOCKET s, uint8_t *data, size_t len, ULONGLONG deadline, nsp_cancel_flag *cancel)
{
    while (len)
    {
        int w = wait_socket(s, FALSE, deadline, cancel), n;
        if (w == -1) return WSA_E_CANCELLED;
        if (w <= 0) return WSATRY_AGAIN;
        n = recv(s, (char *)data, (int)len, 0);
        if (n <= 0)
        {
            if (n < 0 && WSAGetLastError() == WSAEWOULDBLOCK) continue;
            return WSATRY_AGAIN;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The same question over TCP (RFC 1035 4.2.2: a two-byte length before each message). */
static int tcp_exchange(const struct nsp_server *srv, const uint8_t *query, size_t qlen, uint16_t id,
                        const char *name, uint16_t qtype, DWORD timeout, struct dns_response *resp,
                        nsp_cancel_flag *cancel)
{
    struct sockaddr_storage ss;
    int salen = server_sockaddr(srv, &ss), ret, err = 0, errlen = sizeof(err);
    ULONGLONG deadline = GetTickCount64() + timeout;
    u_long nonblocking = 1;
    uint8_t prefix[2], *msg = NULL;
    size_t len;
    SOCKET s;

    s = socket(srv->family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) return WSATRY_AGAIN;
    if (ioctlsocket(s, FIONBIO, &nonblocking))
    {
        closesocket(s);
        return WSATRY_AGAIN;
    }
    if (connect(s, (struct sockaddr *)&ss, salen) && WSAGetLastError() != WSAEWOULDBLOCK)
    {
        closesocket(s);
        return WSATRY_AGAIN;
    }
    ret = wait_socket(s, TRUE, deadline, cancel);
    if (ret != 1 || getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&err, &errlen) || err)
    {
        closesocket(s);
        return ret == -1 ? WSA_E_CANCELLED : WSATRY_AGAIN;
    }
    if (!(msg = malloc(DNS_TCP_MAX + 2)))
    {
        closesocket(s);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    msg[0] = (uint8_t)(qlen >> 8);
    msg[1] = (uint8_t)qlen;
    memcpy(msg + 2, query, qlen);
    ret = tcp_send_all(s, msg, qlen + 2, deadline, cancel);
    if (!ret) ret = tcp_recv_all(s, prefix, 2, deadline, cancel);
    if (!ret)
    {
        len = (size_t)prefix[0] << 8 | prefix[1];
        ret = len < DNS_HEADER_SIZE ? WSATRY_AGAIN : tcp_recv_all(s, msg, len, deadline, cancel);
        if (!ret)
        {
            int p = dns_parse_response(msg, len, id, name, qtype, resp);
            if (p != DNS_OK || resp->truncated)
            {
                TRACE_NSP("dns: tcp reply rejected (%d)", p);
                ret = WSATRY_AGAIN;
            }
        }
    }
    free(msg);
    closesocket(s);
    return ret;
}

/* Asks the servers until one gives an authoritative outcome (NOERROR or NXDOMAIN): 0 with resp,
 * or the error of the last failure. */
static int dns_exchange(const struct nsp_config *cfg, const char *name, uint16_t qtype, struct dns_response *resp,
                        nsp_cancel_flag *cancel)
{
    BOOL dead[NSP_MAX_SERVERS] = { 0 };
    uint8_t query[DNS_UDP_MAX];
    size_t qlen, i;
    DWORD attempt;
    int err = WSATRY_AGAIN, r;

    if (!cfg->server_count) return WSAHOST_NOT_FOUND;
    for (attempt = 0; attempt < cfg->attempts; attempt++)
    {
        for (i = 0; i < cfg->server_count; i++)
        {
            uint16_t id = random_id();

            if (dead[i]) continue;
            if (dns_build_query(id, name, qtype, 1, query, sizeof(query), &qlen) != DNS_OK) return WSAHOST_NOT_FOUND;
            TRACE_NSP("dns: query %s type %u to server %u (attempt %lu)", name, qtype, (unsigned)i,
                      (unsigned long)attempt + 1);
            r = udp_exchange(&cfg->servers[i], query, qlen, id, name, qtype, cfg->timeout_ms, resp, cancel);
            if (r == WSA_E_CANCELLED) return r;
            if (r == WSAECONNRESET)
            {
                dead[i] = TRUE;
                continue;
            }
            if (r) continue;
            if (resp->truncated)
            {
                TRACE_NSP("dns: truncated reply, retrying over TCP");
                r = tcp_exchange(&cfg->servers[i], query, qlen, id, name, qtype, cfg->timeout_ms, resp, cancel);
                if (r == WSA_E_CANCELLED || r == WSA_NOT_ENOUGH_MEMORY) return r;
                if (r) continue;
            }
            TRACE_NSP("dns: reply rcode %d, %u records", resp->rcode, (unsigned)resp->record_count);
            if (resp->rcode == DNS_RCODE_NOERROR || resp->rcode == DNS_RCODE_NXDOMAIN) return 0;
            err = resp->rcode == DNS_RCODE_SERVFAIL ? WSATRY_AGAIN : WSANO_RECOVERY;
        }
    }
    return err;
}

/* Adds the owners of the CNAME chain starting at name as aliases of out. */
static void add_chain_aliases(const struct dns_response *r, const char *name, struct nsp_host *out)
{
    char cur[DNS_NAME_TEXT_MAX];
    size_t hops, i;

    if (strlen(name) >= sizeof(cur)) return;
    strcpy(cur, name);
    for (hops = 0; hops < DNS_MAX_CNAME_CHAIN; hops++)
    {
        for (i = 0; i < r->record_count; i++)
        {
            const struct dns_record *rec = &r->records[i];
            if (rec->section == DNS_SECTION_ANSWER && rec->type == DNS_TYPE_CNAME && dns_name_equal(rec->name, cur))
                break;
        }
        if (i == r->record_count) return;
        nsp_host_add_alias(out, cur);
        if (strlen(r->records[i].data.target) >= sizeof(cur)) return;
        strcpy(cur, r->records[i].data.target);
    }
}

static void strip_dot(char *name)
{
    size_t n = strlen(name);
    if (n > 1 && name[n - 1] == '.') name[n - 1] = 0;
}

static int lookup_addrs(const struct nsp_config *cfg, const char *name, uint16_t qtype, struct nsp_host *out,
                        struct dns_response *resp, uint32_t *ttl_out, nsp_cancel_flag *cancel)
{
    uint32_t ttl;
    char cur[DNS_NAME_TEXT_MAX], canonical[DNS_NAME_TEXT_MAX];
    uint8_t (*addrs)[16];
    int hop, err = WSANO_RECOVERY, n, i;
    int family = qtype == DNS_TYPE_AAAA ? AF_INET6 : AF_INET;

    if (strlen(name) >= sizeof(cur)) return WSAHOST_NOT_FOUND;
    if (!(addrs = malloc(NSP_MAX_ADDRS * sizeof(*addrs)))) return WSA_NOT_ENOUGH_MEMORY;
    strcpy(cur, name);
    strip_dot(cur);
    *ttl_out = 0xffffffffu;
    for (hop = 0; hop < 8; hop++)
    {
        if ((err = dns_exchange(cfg, cur, qtype, resp, cancel))) break;
        n = dns_collect_addresses(resp, cur, qtype, canonical, sizeof(canonical), addrs, NSP_MAX_ADDRS, &ttl);
        if (n < 0)
        {
            err = WSANO_RECOVERY;
            break;
        }
        add_chain_aliases(resp, cur, out);
        if (n > 0)
        {
            if (!out->name[0]) nsp_host_set_name(out, canonical);
            else nsp_host_add_alias(out, canonical);
            for (i = 0; i < n && i < NSP_MAX_ADDRS; i++) nsp_host_add_addr(out, family, addrs[i]);
            if (ttl < *ttl_out) *ttl_out = ttl;
            /* the query name is an alias when the answer came through CNAMEs */
            err = 0;
            break;
        }
        if (resp->rcode != DNS_RCODE_NOERROR)
        {
            err = dns_rcode_to_wsa(resp->rcode, 0);
            break;
        }
        if (!dns_name_equal(canonical, cur))
        {
            /* the server stopped at a CNAME: ask for its target */
            strcpy(cur, canonical);
            continue;
        }
        err = WSANO_DATA;
        break;
    }
    free(addrs);
    /* the canonical name must not also be listed as an alias */
    if (!err)
    {
        size_t k;
        for (k = 0; k < out->alias_count; k++)
            if (dns_name_equal(out->aliases[k], out->name))
            {
                memmove(out->aliases[k], out->aliases[k + 1], (out->alias_count - k - 1) * sizeof(out->aliases[0]));
                out->alias_count--;
                break;
            }
    }
    return err;
}

int nsp_dns_lookup_addrs(const struct nsp_config *cfg, const char *name, uint16_t qtype, BOOL flush,
                         struct nsp_host *out, nsp_cancel_flag *cancel)
{
    struct dns_response *resp;
    struct nsp_host *answer;
    uint32_t ttl = 0;
    WSADATA wsa;
    int err;

    if (!cfg->server_count) return WSAHOST_NOT_FOUND;
    if (flush) nsp_cache_flush(cfg, name, qtype);
    else if (nsp_cache_get(cfg, name, qtype, out)) return 0;
    resp = malloc(sizeof(*resp));
    answer = calloc(1, sizeof(*answer));
    if (!resp || !answer)
    {
        free(resp);
        free(answer);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    /* the process' Winsock is started (the caller is inside WSALookupServiceNext); this reference
     * keeps it so while the sockets are open */
    if ((err = WSAStartup(MAKEWORD(2, 2), &wsa)))
    {
        free(resp);
        free(answer);
        return WSATRY_AGAIN;
    }
    err = lookup_addrs(cfg, name, qtype, answer, resp, &ttl, cancel);
    WSACleanup();
    if (!err)
    {
        nsp_cache_put(cfg, name, qtype, answer, ttl);
        nsp_host_merge(out, answer);
    }
    free(answer);
    free(resp);
    TRACE_NSP("dns: %s type %u -> %d", name, qtype, err);
    return err;
}

int nsp_dns_lookup_ptr(const struct nsp_config *cfg, int family, const uint8_t *addr, struct nsp_host *out,
                       nsp_cancel_flag *cancel)
{
    char rname[DNS_NAME_TEXT_MAX];
    char (*targets)[DNS_NAME_TEXT_MAX];
    struct dns_response *resp;
    WSADATA wsa;
    int err, n, i;

    if (!cfg->server_count) return WSAHOST_NOT_FOUND;
    if (dns_reverse_name(family, addr, rname, sizeof(rname)) != DNS_OK) return WSAHOST_NOT_FOUND;
    resp = malloc(sizeof(*resp));
    targets = malloc(NSP_MAX_ALIASES * sizeof(*targets));
    if (!resp || !targets)
    {
        free(resp);
        free(targets);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) err = WSATRY_AGAIN;
    else
    {
        err = dns_exchange(cfg, rname, DNS_TYPE_PTR, resp, cancel);
        if (!err)
        {
            n = dns_collect_ptr(resp, rname, targets, NSP_MAX_ALIASES);
            if (n < 0) err = WSANO_RECOVERY;
            else if (n == 0) err = resp->rcode == DNS_RCODE_NOERROR ? WSANO_DATA : dns_rcode_to_wsa(resp->rcode, 0);
            else
            {
                if (n > NSP_MAX_ALIASES) n = NSP_MAX_ALIASES;
                nsp_host_set_name(out, targets[0]);
                strip_dot(out->name);
                for (i = 1; i < n; i++) nsp_host_add_alias(out, targets[i]);
                nsp_host_add_addr(out, family, addr);
            }
        }
        WSACleanup();
    }
    free(resp);
    free(targets);
    TRACE_NSP("dns: PTR %s -> %d", rname, err);
    return err;
}
