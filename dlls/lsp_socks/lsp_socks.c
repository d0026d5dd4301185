/* lsp_socks.c - openws2_lsp_socks.dll, the SOCKS5 layered service provider: for the processes it
 * is configured for, every TCP connection (connect, WSAConnect, ConnectEx) of the sockets it layers
 * is made to a SOCKS5 proxy instead (RFC 1928 CONNECT, optional RFC 1929 username/password); the
 * application then talks to its target through the proxy and getpeername reports the target. Other
 * processes pass straight through. Built on dlls/lsp_common (a non-IFS layer, or an IFS one when its
 * chains have XP1_IFS_HANDLES).
 * Configuration (read at the first WSPStartup of a process), HKLM\Software\openws2\LspSocks:
 *   ProxyAddress REG_SZ        the proxy: an IPv4 or IPv6 literal, or a host name (resolved with
 *                              GetAddrInfoW at the first connection that wants the proxy)
 *   ProxyPort    REG_DWORD     its port (default 1080)
 *   Username     REG_SZ        optional: offer username/password authentication (with Password)
 *   Password     REG_SZ
 *   Processes    REG_MULTI_SZ  executables to redirect ("app.exe" or full paths; "*": all)
 *   Bind         REG_DWORD     optional: 1 = listen through SOCKS BIND after a proxied connection
 *   Names        REG_MULTI_SZ  optional "address=hostname" entries: a connection to that address
 *                              (any port) asks the proxy for the host NAME (domain-name target,
 *                              resolved by the proxy), for applications given placeholder addresses
 * IPv6 sockets reach an IPv4 proxy through a v4-mapped address (IPV6_V6ONLY cleared below); IPv4
 * sockets cannot reach an IPv6 proxy and are not redirected. Connections to the proxy itself never
 * are. A blocking connect returns once the proxy connected the target; a non-blocking one answers
 * WSAEWOULDBLOCK and the layer runs the conversation in the background (dlls/lsp_common), on IFS
 * chains too; so does ConnectEx (on IFS chains under Wine; on a handle that skips the completion
 * port on success, on the Wine releases wine_compat_complete knows). Datagram sockets go through a UDP association (RFC 1928 section 7, the dgram_*
 * hooks below; README.md describes the rules). With Bind = 1 listening sockets listen through SOCKS
 * BIND (the listen and bind_accept hooks), on IFS chains over a separate socket below.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_layer.h"
#include "socks5_proto.h"

#include <stdlib.h>

#define LSP_SOCKS_KEY "Software\\openws2\\LspSocks"
#define MAX_NAMES 64
#define IO_TIMEOUT_MS 30000

typedef LONG (NTAPI *ipv4_parse_fn)(const WCHAR *, BOOLEAN, struct in_addr *, USHORT *);
typedef LONG (NTAPI *ipv6_parse_fn)(const WCHAR *, struct in6_addr *, ULONG *, USHORT *);

struct name_map
{
    int af;
    uint8_t addr[16];
    char name[256];
};

static BOOL enabled;
static struct sockaddr_storage proxy;
static int proxy_len;
static char user[256], password[256];
static struct name_map *names;
static int name_count;
static BOOL bind_enabled;                   /* Bind = 1: listening sockets through SOCKS BIND */
static SRWLOCK primary_lock = SRWLOCK_INIT; /* the last target connected through the proxy */
static struct sockaddr_storage primary;
static int primary_len;

__declspec(dllexport) int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info,
                                            WSPUPCALLTABLE upcalls, LPWSPPROC_TABLE procs);

/* An IPv4 or IPv6 literal (no port) into *out: its family, 0 when it is neither. */
static int parse_ip(const WCHAR *s, uint8_t out[16])
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    ipv4_parse_fn p4 = ntdll ? (ipv4_parse_fn)(void *)GetProcAddress(ntdll, "RtlIpv4StringToAddressExW") : NULL;
    ipv6_parse_fn p6 = ntdll ? (ipv6_parse_fn)(void *)GetProcAddress(ntdll, "RtlIpv6StringToAddressExW") : NULL;
    struct in_addr a4;
    struct in6_addr a6;
    USHORT port = 0;
    ULONG scope = 0;

    if (p4 && !p4(s, TRUE, &a4, &port) && !port)
    {
        memcpy(out, &a4, 4);
        return AF_INET;
    }
    if (p6 && !p6(s, &a6, &scope, &port) && !port)
    {
        memcpy(out, &a6, 16);
        return AF_INET6;
    }
    return 0;
}

static void read_names(void)
{
    WCHAR *list, *p;
    DWORD type = 0, len = 0;
    HKEY k;

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, LSP_SOCKS_KEY, 0, KEY_READ, &k)) return;
    if (!RegQueryValueExW(k, L"Names", NULL, &type, NULL, &len) && type == REG_MULTI_SZ && len <= 64 * 1024 &&
        (list = calloc(1, len + 2 * sizeof(WCHAR))) && (names = calloc(MAX_NAMES, sizeof(*names))))
    {
        if (!RegQueryValueExW(k, L"Names", NULL, &type, (BYTE *)list, &len))
            for (p = list; *p && name_count < MAX_NAMES; p += wcslen(p) + 1)
            {
                WCHAR *eq = wcschr(p, L'=');
                struct name_map *m = &names[name_count];
                if (!eq || eq == p || !eq[1]) continue;
                *eq = 0;
                m->af = parse_ip(p, m->addr);
                if (m->af && WideCharToMultiByte(CP_UTF8, 0, eq + 1, -1, m->name, sizeof(m->name), NULL, NULL) > 1)
                    name_count++;
                *eq = L'=';
            }
        free(list);
    }
    RegCloseKey(k);
}

/* The proxy address from a literal or a resolved name. */
static void set_proxy(int af, const uint8_t *ip, DWORD port)
{
    memset(&proxy, 0, sizeof(proxy));
    if (af == AF_INET)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)&proxy;
        in->sin_family = AF_INET;
        memcpy(&in->sin_addr, ip, 4);
        in->sin_port = (USHORT)(((port & 0xff) << 8) | (port >> 8));
        proxy_len = sizeof(*in);
    }
    else
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&proxy;
        in6->sin6_family = AF_INET6;
        memcpy(&in6->sin6_addr, ip, 16);
        in6->sin6_port = (USHORT)(((port & 0xff) << 8) | (port >> 8));
        proxy_len = sizeof(*in6);
    }
}

/* ProxyAddress as a host name: resolved with GetAddrInfoW when the first connection wants the proxy
 * (not in WSPStartup, which ws2_32 runs while it loads providers: a lookup may need a socket). Other
 * threads wait for the lookup; the resolving thread's own connections (DNS over TCP) go direct. */
static SRWLOCK resolve_lock = SRWLOCK_INIT;
static volatile LONG resolve_state; /* 0 nothing to resolve or done, 1 to resolve, 2 resolving */
static volatile DWORD resolver_tid;
static WCHAR proxy_name[256];
static DWORD proxy_port;

typedef int (WSAAPI *getaddrinfow_fn)(PCWSTR, PCWSTR, const ADDRINFOW *, PADDRINFOW *);
typedef void (WSAAPI *freeaddrinfow_fn)(PADDRINFOW);

static void resolve_proxy(void)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
    getaddrinfow_fn gai = ws2 ? (getaddrinfow_fn)(void *)GetProcAddress(ws2, "GetAddrInfoW") : NULL;
    freeaddrinfow_fn fai = ws2 ? (freeaddrinfow_fn)(void *)GetProcAddress(ws2, "FreeAddrInfoW") : NULL;
    ADDRINFOW hints, *res = NULL, *ai;
    int r = -1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = IPPROTO_TCP;
    if (gai && fai) r = gai(proxy_name, NULL, &hints, &res);
    /* An IPv4 address first: both IPv4 and IPv6 sockets reach it (v4-mapped); else an IPv6 one. */
    for (ai = r ? NULL : res; ai; ai = ai->ai_next)
        if (ai->ai_family == AF_INET && ai->ai_addr && ai->ai_addrlen >= sizeof(struct sockaddr_in))
        {
            set_proxy(AF_INET, (const uint8_t *)&((struct sockaddr_in *)ai->ai_addr)->sin_addr, proxy_port);
            break;
        }
    if (!ai)
        for (ai = r ? NULL : res; ai; ai = ai->ai_next)
            if (ai->ai_family == AF_INET6 && ai->ai_addr && ai->ai_addrlen >= sizeof(struct sockaddr_in6))
            {
                set_proxy(AF_INET6, (const uint8_t *)&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, proxy_port);
                break;
            }
    if (res && fai) fai(res);
    lsp_trace("socks: proxy %ls resolved -> %s", proxy_name, ai ? "ok" : "failed (connections go direct)");
    if (!ai) enabled = FALSE;
}

/* FALSE when the proxy is not (or not yet, for this thread) usable. */
static BOOL proxy_ready(void)
{
    if (resolve_state == 0) return enabled;
    if (resolver_tid == GetCurrentThreadId()) return FALSE; /* the lookup's own connections */
    AcquireSRWLockExclusive(&resolve_lock);
    if (resolve_state == 1)
    {
        resolver_tid = GetCurrentThreadId();
        resolve_state = 2;
        resolve_proxy();
        resolver_tid = 0;
        resolve_state = 0;
    }
    ReleaseSRWLockExclusive(&resolve_lock);
    return enabled;
}

static void socks_startup(void)
{
    WCHAR addr[256], w[256];
    uint8_t ip[16];
    DWORD port = 1080;
    int af;

    if (!lsp_config_process_listed(LSP_SOCKS_KEY) || !lsp_config_string(LSP_SOCKS_KEY, "ProxyAddress", addr, 256) ||
        !addr[0])
        return;
    lsp_config_dword(LSP_SOCKS_KEY, "ProxyPort", &port);
    if (!port || port > 65535) return;
    memset(&proxy, 0, sizeof(proxy));
    proxy_len = 0;
    if ((af = parse_ip(addr, ip))) set_proxy(af, ip, port);
    else
    {
        /* a host name: checked for plausibility here, resolved at the first connection */
        size_t i;
        for (i = 0; addr[i]; i++)
            if (addr[i] <= L' ' || addr[i] == L'/' || addr[i] == L'\\' || addr[i] == L'@' || addr[i] == L'%') return;
        if (i >= 254) return;
        memcpy(proxy_name, addr, (i + 1) * sizeof(WCHAR));
        proxy_port = port;
        resolve_state = 1;
    }
    user[0] = password[0] = 0;
    if (lsp_config_string(LSP_SOCKS_KEY, "Username", w, 256))
        WideCharToMultiByte(CP_UTF8, 0, w, -1, user, sizeof(user), NULL, NULL);
    if (lsp_config_string(LSP_SOCKS_KEY, "Password", w, 256))
        WideCharToMultiByte(CP_UTF8, 0, w, -1, password, sizeof(password), NULL, NULL);
    user[sizeof(user) - 1] = password[sizeof(password) - 1] = 0;
    read_names();
    port = 0;
    bind_enabled = lsp_config_dword(LSP_SOCKS_KEY, "Bind", &port) && port == 1;
    primary_len = 0;
    enabled = TRUE;
}

static void socks_cleanup(void)
{
    enabled = FALSE;
    resolve_state = 0;
    free(names);
    names = NULL;
    name_count = 0;
}

/* The target's address bytes and port (host order): its family, 0 when unusable. */
static int target_of(const struct sockaddr *sa, int len, uint8_t addr[16], uint16_t *port)
{
    const uint8_t *p;
    if (sa->sa_family == AF_INET && len >= (int)sizeof(struct sockaddr_in))
    {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memcpy(addr, &in->sin_addr, 4);
        p = (const uint8_t *)&in->sin_port;
        *port = (uint16_t)((p[0] << 8) | p[1]);
        return AF_INET;
    }
    if (sa->sa_family == AF_INET6 && len >= (int)sizeof(struct sockaddr_in6))
    {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        memcpy(addr, &in6->sin6_addr, 16);
        p = (const uint8_t *)&in6->sin6_port;
        *port = (uint16_t)((p[0] << 8) | p[1]);
        /* a v4-mapped target is an IPv4 one */
        if (!memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12))
        {
            memmove(addr, addr + 12, 4);
            return AF_INET;
        }
        return AF_INET6;
    }
    return 0;
}

static BOOL socks_redirect(struct lsp_sock *ls, const struct sockaddr *name, int namelen, struct sockaddr_storage *via,
                           int *via_len)
{
    uint8_t addr[16], paddr[16];
    uint16_t port, pport;
    int af, paf;

    if (!enabled || !(af = target_of(name, namelen, addr, &port)) || !port || !proxy_ready()) return FALSE;
    paf = target_of((struct sockaddr *)&proxy, proxy_len, paddr, &pport);
    if (af == paf && port == pport && !memcmp(addr, paddr, af == AF_INET ? 4 : 16)) return FALSE; /* the proxy */
    if (ls->info.iAddressFamily == proxy.ss_family)
    {
        *via = proxy;
        *via_len = proxy_len;
        return TRUE;
    }
    if (ls->info.iAddressFamily == AF_INET6 && proxy.ss_family == AF_INET)
    {
        struct sockaddr_in6 *m = (struct sockaddr_in6 *)via;
        DWORD off = 0;
        int err = 0;
        memset(via, 0, sizeof(*via));
        m->sin6_family = AF_INET6;
        m->sin6_port = ((struct sockaddr_in *)&proxy)->sin_port;
        m->sin6_addr.s6_addr[10] = m->sin6_addr.s6_addr[11] = 0xff;
        memcpy(&m->sin6_addr.s6_addr[12], &((struct sockaddr_in *)&proxy)->sin_addr, 4);
        *via_len = sizeof(*m);
        /* the next layer's IPv6 socket must accept the v4-mapped address */
        lsp_lower_setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof(off), &err);
        return TRUE;
    }
    lsp_trace("socket %#llx: an IPv4 socket cannot reach the IPv6 proxy; not redirected", (unsigned long long)ls->s);
    return FALSE;
}

static int reply_error(int status, uint8_t code)
{
    if (status == SOCKS5_REFUSED)
        switch (code)
        {
        case 2: return WSAEACCES;        /* not allowed by ruleset */
        case 3: return WSAENETUNREACH;
        case 4: return WSAEHOSTUNREACH;
        case 6: return WSAETIMEDOUT;
        default: return WSAECONNREFUSED;
        }
    return WSAECONNREFUSED;
}

/* Where a SOCKS conversation runs: the next layer's socket of a redirected connection, or a
 * control connection of our own (a UDP association's, made through ws2_32). */
struct chan
{
    struct lsp_sock *ls;
    SOCKET s;
    BOOL no_limit;  /* ls: wait as long as it takes (BIND's second reply: a blocking accept) */
};

typedef int (WSAAPI *send_fn)(SOCKET, const char *, int, int);
typedef int (WSAAPI *recv_fn)(SOCKET, char *, int, int);
typedef int (WSAAPI *lasterr_fn)(void);

static void *ws2_fn(const char *name)
{
    HMODULE ws2 = GetModuleHandleW(L"ws2_32.dll");
    return ws2 ? (void *)GetProcAddress(ws2, name) : NULL;
}

static int chan_send(struct chan *c, const void *buf, int len)
{
    send_fn snd;
    lasterr_fn le;
    const char *p = buf;

    if (c->ls) return lsp_lower_send_all(c->ls, buf, len, IO_TIMEOUT_MS);
    if (!(snd = (send_fn)ws2_fn("send")) || !(le = (lasterr_fn)ws2_fn("WSAGetLastError"))) return WSAEINVAL;
    while (len > 0)
    {
        int n = snd(c->s, p, len, 0);
        if (n <= 0) return n ? le() : WSAECONNRESET;
        p += n;
        len -= n;
    }
    return 0;
}

/* len bytes from the next layer's socket within IO_TIMEOUT_MS, also when that socket is blocking
 * (a blocking application socket): each read waits for readability first, so a proxy that accepts
 * and then says nothing cannot hold a blocking connect beyond the step's limit. */
static int chan_recv_limited(struct lsp_sock *ls, char *p, int len)
{
    ULONGLONG end = GetTickCount64() + IO_TIMEOUT_MS;

    while (len > 0)
    {
        ULONGLONG now = GetTickCount64();
        WSABUF b = { (u_long)len, p };
        DWORD got = 0, flags = 0;
        int err = 0;

        if (now >= end) return WSAETIMEDOUT;
        if ((err = lsp_lower_wait(ls, FALSE, (DWORD)(end - now)))) return err;
        /* readable: one read of what is there */
        if (lsp_lower_recvfrom(ls, &b, 1, &got, &flags, NULL, NULL, &err))
        {
            if (err == WSAEWOULDBLOCK) continue;
            return err ? err : WSAECONNRESET;
        }
        if (!got) return WSAECONNRESET; /* closed by the proxy */
        p += got;
        len -= (int)got;
    }
    return 0;
}

static int chan_recv(struct chan *c, void *buf, int len)
{
    recv_fn rcv;
    lasterr_fn le;
    char *p = buf;

    if (c->ls && c->no_limit) return lsp_lower_recv_all(c->ls, buf, len, IO_TIMEOUT_MS);
    if (c->ls) return chan_recv_limited(c->ls, buf, len);
    if (!(rcv = (recv_fn)ws2_fn("recv")) || !(le = (lasterr_fn)ws2_fn("WSAGetLastError"))) return WSAEINVAL;
    while (len > 0)
    {
        int n = rcv(c->s, p, len, 0);
        if (n <= 0) return n ? le() : WSAECONNRESET;
        p += n;
        len -= n;
    }
    return 0;
}

/* The method negotiation and, when offered and chosen, RFC 1929 authentication: 0 or a WSA error. */
static int socks_auth(struct chan *c)
{
    uint8_t msg[SOCKS5_MAX_AUTH_MSG], method = 0;
    BOOL with_auth = user[0] && password[0];
    size_t n;
    int err, st;

    n = socks5_greeting(msg, with_auth);
    if ((err = chan_send(c, msg, (int)n)) || (err = chan_recv(c, msg, 2))) return err;
    if ((st = socks5_parse_method(msg, 2, with_auth, &method)))
    {
        lsp_trace("socks: the proxy refused our methods (%d, method %#x)", st, method);
        return WSAECONNREFUSED;
    }
    if (method == SOCKS5_AUTH_USERPASS)
    {
        n = socks5_auth_request(msg, user, password);
        if ((err = chan_send(c, msg, (int)n)) || (err = chan_recv(c, msg, 2))) return err;
        if ((st = socks5_parse_auth_reply(msg, 2)))
        {
            lsp_trace("socks: authentication as %s failed (%d)", user, st);
            /* a refused password is WSAEACCES; a malformed reply (not subnegotiation version 1) is a
             * malformed conversation (README: WSAECONNREFUSED) */
            return st == SOCKS5_AUTH_FAILED ? WSAEACCES : WSAECONNREFUSED;
        }
    }
    return 0;
}

/* Reads one reply (VER REP RSV ATYP BND.ADDR BND.PORT) into msg (SOCKS5_MAX_MSG bytes): 0 with
 * *code, *len, or a WSA error (the reply code mapped). */
static int socks_reply(struct chan *c, uint8_t *msg, size_t *len, uint8_t *code)
{
    size_t need = 0;
    int err, st;

    *code = 0;
    if ((err = chan_recv(c, msg, 5))) return err;
    st = socks5_parse_connect_reply(msg, 5, &need, code);
    if (st == SOCKS5_NEED_MORE)
    {
        if (need > SOCKS5_MAX_MSG) return WSAECONNREFUSED;
        if ((err = chan_recv(c, msg + 5, (int)(need - 5)))) return err;
        st = socks5_parse_connect_reply(msg, need, &need, code);
    }
    *len = need;
    return st ? reply_error(st, *code) : 0;
}

static int socks_handshake(struct lsp_sock *ls, const struct sockaddr *name, int namelen)
{
    uint8_t msg[SOCKS5_MAX_MSG], addr[16], code = 0;
    uint16_t port = 0;
    size_t n;
    int af = target_of(name, namelen, addr, &port), err, i;
    const char *mapped = NULL;
    struct chan c = { ls, INVALID_SOCKET, FALSE };

    if ((err = socks_auth(&c))) return err;
    for (i = 0; i < name_count && !mapped; i++)
        if (names[i].af == af && !memcmp(names[i].addr, addr, af == AF_INET ? 4 : 16)) mapped = names[i].name;
    if (mapped) n = socks5_connect_name(msg, mapped, port);
    else if (af == AF_INET) n = socks5_connect_ipv4(msg, addr, port);
    else n = socks5_connect_ipv6(msg, addr, port);
    if (!n) return WSAEINVAL;
    if ((err = chan_send(&c, msg, (int)n))) return err;
    err = socks_reply(&c, msg, &n, &code);
    lsp_trace("socks: CONNECT %s port %u -> err %d reply %u", mapped ? mapped : (af == AF_INET ? "ipv4" : "ipv6"),
              port, err, code);
    if (!err)
    {
        /* the primary connection a later BIND names (RFC 1928 section 4) */
        AcquireSRWLockExclusive(&primary_lock);
        memcpy(&primary, name, namelen);
        primary_len = namelen;
        ReleaseSRWLockExclusive(&primary_lock);
    }
    return err;
}

/* ---- UDP ASSOCIATE (RFC 1928 section 7) ---- */

/* Whether a datagram to name goes through the proxy: the rules of TCP connections (configured
 * process, a usable proxy, not the proxy itself, an IPv4 socket cannot reach an IPv6 proxy). */
static BOOL proxied_target(struct lsp_sock *ls, const struct sockaddr *name, int namelen)
{
    uint8_t addr[16], paddr[16];
    uint16_t port, pport;
    int af, paf;

    if (!enabled || !name || namelen < (int)sizeof(struct sockaddr_in) || !(af = target_of(name, namelen, addr, &port)) ||
        !port || !proxy_ready())
        return FALSE;
    paf = target_of((struct sockaddr *)&proxy, proxy_len, paddr, &pport);
    if (af == paf && port == pport && !memcmp(addr, paddr, af == AF_INET ? 4 : 16)) return FALSE;
    return ls->info.iAddressFamily == proxy.ss_family ||
           (ls->info.iAddressFamily == AF_INET6 && proxy.ss_family == AF_INET);
}

/* A datagram socket's association: the control connection and the relay (BND.ADDR/BND.PORT, in the
 * socket's family); the default peer of a connected socket. */
struct udp_assoc
{
    SRWLOCK lock;
    SOCKET ctl;
    struct sockaddr_storage relay;
    int relay_len;
    BOOL has_peer;
    struct sockaddr_storage peer;
    int peer_len;
};

static struct udp_assoc *udp_state(struct lsp_sock *ls)
{
    struct udp_assoc *st = ls->hook_data, *n;

    if (st) return st;
    if (!(n = calloc(1, sizeof(*n)))) return NULL;
    InitializeSRWLock(&n->lock);
    n->ctl = INVALID_SOCKET;
    if ((st = InterlockedCompareExchangePointer(&ls->hook_data, n, NULL))) free(n);
    else st = n;
    return st;
}

/* An address (af, bytes, host-order port) as a sockaddr of the socket's family (IPv4 in an IPv6
 * socket: v4-mapped): its length, 0 when it cannot be one. */
static int make_sockaddr(int sock_af, int af, const uint8_t *addr, uint16_t port, struct sockaddr_storage *out)
{
    memset(out, 0, sizeof(*out));
    if (sock_af == AF_INET)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)out;
        if (af != AF_INET) return 0;
        in->sin_family = AF_INET;
        memcpy(&in->sin_addr, addr, 4);
        in->sin_port = (USHORT)(((port & 0xff) << 8) | (port >> 8));
        return sizeof(*in);
    }
    else
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
        in6->sin6_family = AF_INET6;
        if (af == AF_INET)
        {
            in6->sin6_addr.s6_addr[10] = in6->sin6_addr.s6_addr[11] = 0xff;
            memcpy(&in6->sin6_addr.s6_addr[12], addr, 4);
        }
        else memcpy(&in6->sin6_addr, addr, 16);
        in6->sin6_port = (USHORT)(((port & 0xff) << 8) | (port >> 8));
        return sizeof(*in6);
    }
}

typedef SOCKET (WSAAPI *socket_fn)(int, int, int);
typedef int (WSAAPI *connect_fn)(SOCKET, const struct sockaddr *, int);
typedef int (WSAAPI *setsockopt_fn)(SOCKET, int, int, const char *, int);
typedef int (WSAAPI *closesocket_fn)(SOCKET);

static void ctl_close(SOCKET s)
{
    closesocket_fn cls = (closesocket_fn)ws2_fn("closesocket");
    if (s != INVALID_SOCKET && cls) cls(s);
}

/* Makes the association (st->lock held exclusively): 0 or a WSA error. */
static int assoc_open(struct lsp_sock *ls, struct udp_assoc *st)
{
    socket_fn sock = (socket_fn)ws2_fn("socket");
    connect_fn conn = (connect_fn)ws2_fn("connect");
    setsockopt_fn sso = (setsockopt_fn)ws2_fn("setsockopt");
    lasterr_fn le = (lasterr_fn)ws2_fn("WSAGetLastError");
    struct sockaddr_storage local;
    uint8_t msg[SOCKS5_MAX_MSG], zero[16], addr[16], atyp = 0, code = 0, ip[16];
    uint16_t lport = 0, bport = 0;
    struct chan c = { NULL, INVALID_SOCKET, FALSE };
    int len = sizeof(local), err = 0, e = 0, af;
    DWORD timeout = IO_TIMEOUT_MS, off = 0;
    size_t n;
    char a[64];

    if (st->ctl != INVALID_SOCKET) return 0;
    if (!sock || !conn || !sso || !le) return WSAEINVAL;
    /* The proxy relays datagrams from our address and port: the socket needs its port now. */
    if (lsp_lower_getsockname(ls, (struct sockaddr *)&local, &len, &e))
    {
        memset(&local, 0, sizeof(local));
        local.ss_family = (ADDRESS_FAMILY)ls->info.iAddressFamily;
        len = ls->info.iAddressFamily == AF_INET6 ? (int)sizeof(struct sockaddr_in6) : (int)sizeof(struct sockaddr_in);
        if (ls->info.iAddressFamily == AF_INET6 && proxy.ss_family == AF_INET)
            lsp_lower_setsockopt(ls, IPPROTO_IPV6, IPV6_V6ONLY, (const char *)&off, sizeof(off), &e);
        if (lsp_lower_bind(ls, (struct sockaddr *)&local, len, &e)) return e ? e : WSAEINVAL;
        len = sizeof(local);
        if (lsp_lower_getsockname(ls, (struct sockaddr *)&local, &len, &e)) return e ? e : WSAEINVAL;
    }
    target_of((struct sockaddr *)&local, len, ip, &lport);
    c.s = sock(proxy.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (c.s == INVALID_SOCKET) return le();
    sso(c.s, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    sso(c.s, SOL_SOCKET, SO_SNDTIMEO, (const char *)&timeout, sizeof(timeout));
    if (conn(c.s, (struct sockaddr *)&proxy, proxy_len)) err = le();
    if (!err) err = socks_auth(&c);
    memset(zero, 0, sizeof(zero));
    /* DST.ADDR/DST.PORT: where our datagrams come from; the address is left to the proxy (zeros,
     * RFC 1928), the port is the socket's */
    n = socks5_request(msg, SOCKS5_CMD_UDP_ASSOCIATE, proxy.ss_family == AF_INET6, zero, lport);
    if (!err) err = chan_send(&c, msg, (int)n);
    if (!err) err = socks_reply(&c, msg, &n, &code);
    if (!err && socks5_reply_address(msg, n, &atyp, addr, &bport)) err = WSAECONNREFUSED;
    if (!err)
    {
        af = atyp == SOCKS5_ATYP_IPV6 ? AF_INET6 : AF_INET;
        if (!memcmp(addr, zero, af == AF_INET ? 4 : 16))
        {
            /* BND.ADDR unspecified: the relay is at the proxy's address */
            uint16_t unused;
            af = target_of((struct sockaddr *)&proxy, proxy_len, addr, &unused);
        }
        if (!(st->relay_len = make_sockaddr(ls->info.iAddressFamily, af, addr, bport, &st->relay)))
            err = WSAENETUNREACH;
    }
    lsp_trace("socks: UDP ASSOCIATE (s %#llx port %u) -> err %d reply %u relay %s", (unsigned long long)ls->s, lport,
              err, code, err ? "-" : lsp_addr_str((struct sockaddr *)&st->relay, st->relay_len, a, sizeof(a)));
    if (err == WSAETIMEDOUT || err == WSAECONNRESET) err = WSAECONNREFUSED;
    if (err) ctl_close(c.s);
    else st->ctl = c.s;
    return err;
}

static int socks_dgram_connect(struct lsp_sock *ls, const struct sockaddr *name, int namelen, BOOL *handled)
{
    struct udp_assoc *st = ls->hook_data;
    int err = 0;

    *handled = FALSE;
    if (!proxied_target(ls, name, namelen))
    {
        /* connected elsewhere (or disconnected, AF_UNSPEC): no default peer of ours */
        if (st)
        {
            AcquireSRWLockExclusive(&st->lock);
            st->has_peer = FALSE;
            ReleaseSRWLockExclusive(&st->lock);
            AcquireSRWLockExclusive(&ls->lock);
            ls->redirected = FALSE;
            ReleaseSRWLockExclusive(&ls->lock);
            if (name && namelen >= (int)sizeof(name->sa_family) && name->sa_family == AF_UNSPEC && st->ctl != INVALID_SOCKET)
                *handled = TRUE; /* the lower socket never was connected */
        }
        return 0;
    }
    *handled = TRUE;
    if (!(st = udp_state(ls))) return WSAENOBUFS;
    AcquireSRWLockExclusive(&st->lock);
    if (!(err = assoc_open(ls, st)))
    {
        memcpy(&st->peer, name, namelen);
        st->peer_len = namelen;
        st->has_peer = TRUE;
    }
    ReleaseSRWLockExclusive(&st->lock);
    if (!err)
    {
        AcquireSRWLockExclusive(&ls->lock);
        memcpy(&ls->peer, name, namelen);
        ls->peer_len = namelen;
        ls->redirected = TRUE;
        ReleaseSRWLockExclusive(&ls->lock);
    }
    return err;
}

static BOOL socks_dgram_owned(struct lsp_sock *ls, BOOL send, const struct sockaddr *to, int tolen)
{
    struct udp_assoc *st = ls->hook_data;
    BOOL r;

    if (!send)
    {
        if (!st) return FALSE;
        AcquireSRWLockShared(&st->lock);
        r = st->ctl != INVALID_SOCKET;
        ReleaseSRWLockShared(&st->lock);
        return r;
    }
    if (to) return proxied_target(ls, to, tolen);
    if (!st) return FALSE;
    AcquireSRWLockShared(&st->lock);
    r = st->has_peer;
    ReleaseSRWLockShared(&st->lock);
    return r;
}

static int socks_dgram_send(struct lsp_sock *ls, const WSABUF *bufs, DWORD n, DWORD flags, const struct sockaddr *to,
                            int tolen, DWORD *sent, BOOL *handled)
{
    struct udp_assoc *st = ls->hook_data;
    struct sockaddr_storage target, relay;
    uint8_t addr[16], *pkt;
    uint16_t port = 0;
    size_t total = 0, hdr, off;
    DWORD i, done = 0;
    int err = 0, af, relay_len;
    WSABUF b;

    *handled = FALSE;
    if (to)
    {
        if (tolen <= 0 || tolen > (int)sizeof(target)) return 0;
        memcpy(&target, to, tolen);
    }
    else
    {
        if (!st) return 0;
        AcquireSRWLockShared(&st->lock);
        if (st->has_peer) memcpy(&target, &st->peer, tolen = st->peer_len);
        else tolen = 0;
        ReleaseSRWLockShared(&st->lock);
        if (!tolen) return 0;
    }
    if (!proxied_target(ls, (struct sockaddr *)&target, tolen)) return 0;
    *handled = TRUE;
    for (i = 0; i < n; i++) total += bufs[i].len;
    if (total > 65535) return WSAEMSGSIZE;
    if (!st && !(st = udp_state(ls))) return WSAENOBUFS;
    AcquireSRWLockExclusive(&st->lock);
    err = assoc_open(ls, st);
    relay = st->relay;
    relay_len = st->relay_len;
    ReleaseSRWLockExclusive(&st->lock);
    if (err) return err;
    af = target_of((struct sockaddr *)&target, tolen, addr, &port);
    if (!(pkt = malloc(SOCKS5_UDP_MAX_HEADER + total + 1))) return WSAENOBUFS;
    hdr = socks5_udp_header(pkt, af == AF_INET6, addr, port);
    for (i = 0, off = hdr; i < n; off += bufs[i].len, i++) memcpy(pkt + off, bufs[i].buf, bufs[i].len);
    b.buf = (char *)pkt;
    b.len = (u_long)(hdr + total);
    if (lsp_lower_sendto(ls, &b, 1, &done, flags, (struct sockaddr *)&relay, relay_len, &err))
        done = 0;
    else err = 0;
    free(pkt);
    if (!err) *sent = (DWORD)total;
    return err;
}

static BOOL same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
    if (a->ss_family != b->ss_family) return FALSE;
    if (a->ss_family == AF_INET)
        return ((const struct sockaddr_in *)a)->sin_port == ((const struct sockaddr_in *)b)->sin_port &&
               !memcmp(&((const struct sockaddr_in *)a)->sin_addr, &((const struct sockaddr_in *)b)->sin_addr, 4);
    return ((const struct sockaddr_in6 *)a)->sin6_port == ((const struct sockaddr_in6 *)b)->sin6_port &&
           !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

static int socks_dgram_recv(struct lsp_sock *ls, WSABUF *bufs, DWORD n, DWORD *flags, struct sockaddr *from,
                            int *fromlen, DWORD *got, BOOL *handled)
{
    struct udp_assoc *st = ls->hook_data;
    struct sockaddr_storage relay, peer, src, sender;
    size_t total = 0, size;
    uint8_t *pkt;
    DWORD i;
    int err = 0, relay_len, peer_len = 0;
    BOOL has_peer;

    *handled = FALSE;
    if (!st) return 0;
    AcquireSRWLockShared(&st->lock);
    relay = st->relay;
    relay_len = st->relay_len;
    has_peer = st->has_peer;
    if (has_peer) peer = st->peer, peer_len = st->peer_len;
    if (st->ctl == INVALID_SOCKET) relay_len = 0;
    ReleaseSRWLockShared(&st->lock);
    if (!relay_len) return 0;
    *handled = TRUE;
    (void)relay_len;
    for (i = 0; i < n; i++) total += bufs[i].len;
    size = total + SOCKS5_UDP_MAX_HEADER;
    if (!(pkt = malloc(size))) return WSAENOBUFS;
    for (;;)
    {
        WSABUF b = { (u_long)size, (char *)pkt };
        DWORD done = 0, f = *flags;
        int slen = sizeof(src), sender_len, e = 0;
        uint8_t frag = 0, atyp = 0, addr[16];
        uint16_t port = 0;
        size_t hdr = 0, payload, copied, k;
        BOOL truncated = FALSE;

        memset(&src, 0, sizeof(src));
        if (lsp_lower_recvfrom(ls, &b, 1, &done, &f, (struct sockaddr *)&src, &slen, &e))
        {
            if (e != WSAEMSGSIZE)
            {
                err = e ? e : WSAECONNRESET;
                break;
            }
            truncated = TRUE;
            done = (DWORD)size;
        }
        if (!same_addr(&src, &relay) ||
            socks5_parse_udp_header(pkt, done, &frag, &atyp, addr, &port, &hdr) || frag ||
            !(sender_len = make_sockaddr(ls->info.iAddressFamily, atyp == SOCKS5_ATYP_IPV6 ? AF_INET6 : AF_INET, addr,
                                         port, &sender)) ||
            (has_peer && !same_addr(&sender, &peer)))
        {
            /* not a whole datagram relayed for us: dropped (RFC 1928: fragments may be dropped) */
            lsp_trace("socks: UDP (s %#llx) dropped a datagram (%lu bytes, frag %u)", (unsigned long long)ls->s,
                      (unsigned long)done, frag);
            if (*flags & MSG_PEEK)
            {
                DWORD f2 = *flags & ~MSG_PEEK;
                b.len = (u_long)size;
                lsp_lower_recvfrom(ls, &b, 1, &done, &f2, NULL, NULL, &e);
            }
            continue;
        }
        if (from || fromlen)
        {
            if (!from || !fromlen || *fromlen < sender_len)
            {
                err = WSAEFAULT;
                break;
            }
            memcpy(from, &sender, sender_len);
            *fromlen = sender_len;
        }
        payload = done - hdr;
        if (payload > total) payload = total, truncated = TRUE;
        for (i = 0, copied = 0; i < n && copied < payload; i++)
        {
            k = payload - copied < bufs[i].len ? payload - copied : bufs[i].len;
            memcpy(bufs[i].buf, pkt + hdr + copied, k);
            copied += k;
        }
        *got = (DWORD)payload;
        *flags = f & ~MSG_PARTIAL;
        if (truncated) err = WSAEMSGSIZE;
        break;
    }
    (void)peer_len;
    free(pkt);
    return err;
}

static void socks_closed(struct lsp_sock *ls)
{
    struct udp_assoc *st = ls->hook_data;
    SOCKET ctl;

    if (!st) return;
    /* the association ends with its control connection (RFC 1928 section 7); the state stays until
     * the socket's last reference (a receive in the thread pool may still read it) */
    AcquireSRWLockExclusive(&st->lock);
    ctl = st->ctl;
    st->ctl = INVALID_SOCKET;
    st->has_peer = FALSE;
    ReleaseSRWLockExclusive(&st->lock);
    if (ctl != INVALID_SOCKET)
    {
        lsp_trace("socks: UDP association of s %#llx ended", (unsigned long long)ls->s);
        ctl_close(ctl);
    }
}

static void socks_freed(struct lsp_sock *ls)
{
    free(ls->hook_data);
    ls->hook_data = NULL;
}

/* ---- BIND (RFC 1928 section 4) ---- */

/* listen on a stream socket of a configured process, with Bind = 1 and after a connection through
 * the proxy (the primary connection, whose target is the host expected to connect, as FTP's active
 * mode has it): the socket's connection below (an IFS socket's: a separate socket below, made by
 * lsp_listen_socket) goes to the proxy, which listens for it; the first reply's BND.ADDR/BND.PORT is
 * the socket's name (getsockname). Otherwise the socket listens itself. */
static int socks_listen(struct lsp_sock *ls, int backlog, BOOL *handled)
{
    struct sockaddr_storage target, via;
    uint8_t msg[SOCKS5_MAX_MSG], addr[16], zero[16], atyp = 0, code = 0;
    uint16_t port = 0, bport = 0;
    struct chan c = { ls, INVALID_SOCKET, FALSE };
    int tlen, via_len = sizeof(via), af, err;
    size_t n;
    char a[64];

    (void)backlog;
    *handled = FALSE;
    if (!enabled || !bind_enabled) return 0;
    AcquireSRWLockShared(&primary_lock);
    tlen = primary_len;
    if (tlen) memcpy(&target, &primary, tlen);
    ReleaseSRWLockShared(&primary_lock);
    if (!tlen)
    {
        lsp_trace("socks: listen(s %#llx): no connection through the proxy yet, not through BIND",
                  (unsigned long long)ls->s);
        return 0;
    }
    /* an IFS socket talks to the proxy on a separate socket below (made before socks_redirect sets
     * its options); the layer closes it when the socket is not listening through BIND */
    if ((err = lsp_listen_socket(ls)) || !socks_redirect(ls, (struct sockaddr *)&target, tlen, &via, &via_len))
        return (*handled = err != 0, err);
    *handled = TRUE;
    af = target_of((struct sockaddr *)&target, tlen, addr, &port);
    err = lsp_lower_connect(ls, (struct sockaddr *)&via, via_len, IO_TIMEOUT_MS);
    if (!err) err = socks_auth(&c);
    /* DST.ADDR: the host expected to connect (the primary target); DST.PORT unknown: 0 */
    n = socks5_request(msg, SOCKS5_CMD_BIND, af == AF_INET6, addr, 0);
    if (!err) err = chan_send(&c, msg, (int)n);
    if (!err) err = socks_reply(&c, msg, &n, &code);
    if (!err && socks5_reply_address(msg, n, &atyp, addr, &bport)) err = WSAECONNREFUSED;
    if (!err)
    {
        af = atyp == SOCKS5_ATYP_IPV6 ? AF_INET6 : AF_INET;
        memset(zero, 0, sizeof(zero));
        if (!memcmp(addr, zero, af == AF_INET ? 4 : 16))
        {
            uint16_t unused;
            af = target_of((struct sockaddr *)&proxy, proxy_len, addr, &unused);
        }
        if (!(ls->local_len = make_sockaddr(ls->info.iAddressFamily, af, addr, bport, &ls->local))) err = WSAENETUNREACH;
    }
    if (err == WSAETIMEDOUT || err == WSAECONNRESET) err = WSAECONNREFUSED;
    if (!err)
    {
        ls->proxy_bound = TRUE;
        ls->bind_listening = TRUE;
    }
    lsp_trace("socks: BIND (s %#llx) -> err %d reply %u, listening at %s", (unsigned long long)ls->s, err, code,
              err ? "-" : lsp_addr_str((struct sockaddr *)&ls->local, ls->local_len, a, sizeof(a)));
    return err;
}

/* The second reply: the connecting host's address. */
static int socks_bind_accept(struct lsp_sock *ls, struct sockaddr_storage *peer, int *peer_len)
{
    uint8_t msg[SOCKS5_MAX_MSG], addr[16], atyp = 0, code = 0;
    uint16_t port = 0;
    struct chan c = { ls, INVALID_SOCKET, TRUE };
    size_t n = 0;
    int err = socks_reply(&c, msg, &n, &code);
    char a[64];

    if (!err && socks5_reply_address(msg, n, &atyp, addr, &port)) err = WSAECONNREFUSED;
    if (!err && !(*peer_len = make_sockaddr(ls->info.iAddressFamily, atyp == SOCKS5_ATYP_IPV6 ? AF_INET6 : AF_INET,
                                            addr, port, peer)))
        err = WSAECONNREFUSED;
    if (err == WSAETIMEDOUT || err == WSAECONNRESET) err = WSAECONNREFUSED;
    lsp_trace("socks: BIND (s %#llx) second reply -> err %d reply %u, from %s", (unsigned long long)ls->s, err, code,
              err ? "-" : lsp_addr_str((struct sockaddr *)peer, *peer_len, a, sizeof(a)));
    return err;
}

const struct lsp_hooks lsp_hooks = {
    .name = "lsp_socks",
    .startup = socks_startup,
    .cleanup = socks_cleanup,
    .redirect = socks_redirect,
    .handshake = socks_handshake,
    .dgram_connect = socks_dgram_connect,
    .dgram_send = socks_dgram_send,
    .dgram_recv = socks_dgram_recv,
    .dgram_owned = socks_dgram_owned,
    .closed = socks_closed,
    .freed = socks_freed,
    .listen = socks_listen,
    .bind_accept = socks_bind_accept,
};

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    return lsp_layer_startup(version, data, info, upcalls, procs);
}
