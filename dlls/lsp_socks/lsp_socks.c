/* lsp_socks.c - openws2_lsp_socks.dll, the SOCKS5 layered service provider: for the processes it
 * is configured for, every TCP connection (connect, WSAConnect, ConnectEx) of the sockets it layers
 * is made to a SOCKS5 proxy instead (RFC 1928 CONNECT, optional RFC 1929 username/password); the
 * application then talks to its target through the proxy and getpeername reports the target. Other
 * processes pass straight through. Built on dlls/lsp_common (non-IFS layer).
 * Configuration (read at the first WSPStartup of a process), HKLM\Software\openws2\LspSocks:
 *   ProxyAddress REG_SZ        the proxy: an IPv4 or IPv6 literal, or a host name (resolved with
 *                              GetAddrInfoW at the first connection that wants the proxy)
 *   ProxyPort    REG_DWORD     its port (default 1080)
 *   Username     REG_SZ        optional: offer username/password authentication (with Password)
 *   Password     REG_SZ
 *   Processes    REG_MULTI_SZ  executables to redirect ("app.exe" or full paths; "*": all)
 *   Names        REG_MULTI_SZ  optional "address=hostname" entries: a connection to that address
 *                              (any port) asks the proxy for the host NAME (domain-name target,
 *                              resolved by the proxy), for applications given placeholder addresses
 * IPv6 sockets reach an IPv4 proxy through a v4-mapped address (IPV6_V6ONLY cleared below); IPv4
 * sockets cannot reach an IPv6 proxy and are not redirected. Connections to the proxy itself never
 * are. A blocking connect returns once the proxy connected the target; a non-blocking one answers
 * WSAEWOULDBLOCK and the layer runs the conversation in the background (dlls/lsp_common).
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

static int socks_handshake(struct lsp_sock *ls, const struct sockaddr *name, int namelen)
{
    uint8_t msg[SOCKS5_MAX_AUTH_MSG], addr[16], method = 0, code = 0;
    BOOL with_auth = user[0] && password[0];
    uint16_t port = 0;
    size_t n, need = 0;
    int af = target_of(name, namelen, addr, &port), err, st, i;
    const char *mapped = NULL;

    n = socks5_greeting(msg, with_auth);
    if ((err = lsp_lower_send_all(ls, msg, (int)n, IO_TIMEOUT_MS)) || (err = lsp_lower_recv_all(ls, msg, 2, IO_TIMEOUT_MS)))
        return err;
    if ((st = socks5_parse_method(msg, 2, with_auth, &method)))
    {
        lsp_trace("socks: the proxy refused our methods (%d, method %#x)", st, method);
        return WSAECONNREFUSED;
    }
    if (method == SOCKS5_AUTH_USERPASS)
    {
        n = socks5_auth_request(msg, user, password);
        if ((err = lsp_lower_send_all(ls, msg, (int)n, IO_TIMEOUT_MS)) ||
            (err = lsp_lower_recv_all(ls, msg, 2, IO_TIMEOUT_MS)))
            return err;
        if ((st = socks5_parse_auth_reply(msg, 2)))
        {
            lsp_trace("socks: authentication as %s failed (%d)", user, st);
            return WSAEACCES;
        }
    }
    for (i = 0; i < name_count && !mapped; i++)
        if (names[i].af == af && !memcmp(names[i].addr, addr, af == AF_INET ? 4 : 16)) mapped = names[i].name;
    if (mapped) n = socks5_connect_name(msg, mapped, port);
    else if (af == AF_INET) n = socks5_connect_ipv4(msg, addr, port);
    else n = socks5_connect_ipv6(msg, addr, port);
    if (!n) return WSAEINVAL;
    if ((err = lsp_lower_send_all(ls, msg, (int)n, IO_TIMEOUT_MS)) || (err = lsp_lower_recv_all(ls, msg, 5, IO_TIMEOUT_MS)))
        return err;
    st = socks5_parse_connect_reply(msg, 5, &need, &code);
    if (st == SOCKS5_NEED_MORE)
    {
        if (need > sizeof(msg)) return WSAECONNREFUSED;
        if ((err = lsp_lower_recv_all(ls, msg + 5, (int)(need - 5), IO_TIMEOUT_MS))) return err;
        st = socks5_parse_connect_reply(msg, need, &need, &code);
    }
    lsp_trace("socks: CONNECT %s port %u -> status %d reply %u", mapped ? mapped : (af == AF_INET ? "ipv4" : "ipv6"),
              port, st, code);
    return st ? reply_error(st, code) : 0;
}

const struct lsp_hooks lsp_hooks = {
    .name = "lsp_socks",
    .startup = socks_startup,
    .cleanup = socks_cleanup,
    .redirect = socks_redirect,
    .handshake = socks_handshake,
};

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    return lsp_layer_startup(version, data, info, upcalls, procs);
}
