/* socket_api.c - socket creation and connection management, dispatched to the socket's provider:
 * socket, WSASocketA/W (provider selection through the catalog), closesocket, bind, listen, accept,
 * WSAAccept, connect, WSAConnect, getsockname, getpeername, shutdown, WSAJoinLeaf.
 * Every call: WSANOTINITIALISED, then WSAENOTSOCK (socket_get), then the checks ws2_32 itself makes,
 * then the provider's WSPxxx with the lpErrno protocol, traced, and socket_put.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "app_category.h"
#include "catalog.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* An out-address buffer (accept, getsockname, getpeername, recvfrom): *len readable and writable,
 * not negative, and as much of the buffer writable as an address can take (a larger *len is only
 * an upper bound: probing it all would refuse buffers Windows accepts). */
static BOOL api_addr_out_ok(struct sockaddr *addr, int *len)
{
    size_t want;

    if (!user_writable(len, sizeof(*len)) || *len < 0) return FALSE;
    want = (size_t)*len < sizeof(SOCKADDR_STORAGE) ? (size_t)*len : sizeof(SOCKADDR_STORAGE);
    return user_writable(addr, want);
}

int socket_close(struct ws_socket *sock)
{
    SOCKET s = (SOCKET)sock->hdr.handle;
    int err = 0, r;

    TRACE_SPI("WSPCloseSocket(s %#llx)", SOCK_ARG(s));
    r = sock->provider->procs.lpWSPCloseSocket(s, &err);
    TRACE_SPI("WSPCloseSocket(s %#llx) -> %d (error %d)", SOCK_ARG(s), r, err);
    if (r == SOCKET_ERROR) return err ? err : WSAENOTSOCK;
    socket_unregister(sock);
    return 0;
}

/* ---- creation ---- */

static SOCKET create_socket(int af, int type, int protocol, LPWSAPROTOCOL_INFOW info, GROUP g, DWORD flags,
                            int *err)
{
    const struct catalog_entry *entry = NULL;
    struct catalog *cat;
    struct provider *p = NULL;
    SOCKET s = INVALID_SOCKET;

    if ((*err = startup_check())) return INVALID_SOCKET;
    if (info)
    {
        /* FROM_PROTOCOL_INFO takes the value from the protocol info, as documented. */
        if (af == FROM_PROTOCOL_INFO) af = info->iAddressFamily;
        if (type == FROM_PROTOCOL_INFO) type = info->iSocketType;
        if (protocol == FROM_PROTOCOL_INFO) protocol = info->iProtocol;
    }
    cat = app_category_filter(catalog_current()); /* LSP categories (src/core/app_category.c) */
    *err = catalog_select(cat, af, type, protocol, info, &entry);
    if (!*err) *err = provider_get(entry, &p);
    if (!*err)
    {
        /* The caller's info when given (a duplicated socket's dwProviderReserved is in it), else a
         * copy of the entry's: the catalog snapshot itself stays read-only. */
        WSAPROTOCOL_INFOW entry_info = entry->info;
        LPWSAPROTOCOL_INFOW pinfo = info ? info : &entry_info;
        TRACE_SPI("WSPSocket(af %d type %d protocol %d info %p (entry %lu) g %u flags %#lx)", af, type, protocol,
                  (void *)pinfo, (unsigned long)entry->info.dwCatalogEntryId, (unsigned)g, (unsigned long)flags);
        s = p->procs.lpWSPSocket(af, type, protocol, pinfo, g, flags, err);
        TRACE_SPI("WSPSocket -> %#llx (error %d)", SOCK_ARG(s), s == INVALID_SOCKET ? *err : 0);
        if (s == INVALID_SOCKET)
        {
            if (!*err) *err = WSAENOBUFS;
        }
        else if ((*err = api_check_new_socket(p, s))) s = INVALID_SOCKET;
        else *err = 0;
        provider_release(p);
    }
    catalog_release(cat);
    return s;
}

SOCKET WSAAPI WSASocketW(int af, int type, int protocol, LPWSAPROTOCOL_INFOW lpProtocolInfo, GROUP g, DWORD dwFlags)
{
    int err = startup_check();
    SOCKET s = INVALID_SOCKET;

    if (!err && lpProtocolInfo && !user_readable(lpProtocolInfo, sizeof(*lpProtocolInfo))) err = WSAEFAULT;
    if (!err) s = create_socket(af, type, protocol, lpProtocolInfo, g, dwFlags, &err);
    return api_leave_socket(NULL, s == INVALID_SOCKET ? err : 0, s,
                            "WSASocketW(af %d type %d protocol %d lpProtocolInfo %p g %u dwFlags %#lx)", af, type,
                            protocol, (void *)lpProtocolInfo, (unsigned)g, (unsigned long)dwFlags);
}

SOCKET WSAAPI WSASocketA(int af, int type, int protocol, LPWSAPROTOCOL_INFOA lpProtocolInfo, GROUP g, DWORD dwFlags)
{
    WSAPROTOCOL_INFOW infow;
    int err = startup_check();
    SOCKET s = INVALID_SOCKET;

    if (!err && lpProtocolInfo && !user_readable(lpProtocolInfo, sizeof(*lpProtocolInfo))) err = WSAEFAULT;
    if (!err)
    {
        if (lpProtocolInfo) protocol_info_a_to_w(lpProtocolInfo, &infow);
        s = create_socket(af, type, protocol, lpProtocolInfo ? &infow : NULL, g, dwFlags, &err);
    }
    return api_leave_socket(NULL, s == INVALID_SOCKET ? err : 0, s,
                            "WSASocketA(af %d type %d protocol %d lpProtocolInfo %p g %u dwFlags %#lx)", af, type,
                            protocol, (void *)lpProtocolInfo, (unsigned)g, (unsigned long)dwFlags);
}

SOCKET WSAAPI socket(int af, int type, int protocol)
{
    struct api_thread *t = api_thread_get(FALSE);
    /* SO_OPENTYPE 0 (the default) makes overlapped sockets; the synchronous types do not. */
    DWORD flags = (!t || !t->open_type) ? WSA_FLAG_OVERLAPPED : 0;
    int err;
    SOCKET s = create_socket(af, type, protocol, NULL, 0, flags, &err);

    return api_leave_socket(NULL, s == INVALID_SOCKET ? err : 0, s, "socket(af %d type %d protocol %d)", af, type,
                            protocol);
}

int WSAAPI closesocket(SOCKET s)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);

    if (!err) err = socket_close(sock);
    return api_leave_keep(sock, err, 0, "closesocket(s %#llx)", SOCK_ARG(s));
}

/* ---- connection management ---- */

int WSAAPI bind(SOCKET s, const struct sockaddr *name, int namelen)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;
    char addr_text[TRACE_TEXT_LEN];

    if (!err && (namelen <= 0 || !user_readable(name, (size_t)namelen))) err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPBind(s %#llx name %p [%s] namelen %d)", SOCK_ARG(s), (const void *)name,
                  api_addr_text(name, namelen, addr_text, sizeof(addr_text)), namelen);
        ret = sock->provider->procs.lpWSPBind(s, name, namelen, &err);
        TRACE_SPI("WSPBind -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "bind(s %#llx name %p namelen %d [%s])", SOCK_ARG(s), (const void *)name, namelen,
                     API_ADDR_TEXT(addr_text, name, namelen));
}

int WSAAPI listen(SOCKET s, int backlog)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;

    if (!err)
    {
        TRACE_SPI("WSPListen(s %#llx backlog %d)", SOCK_ARG(s), backlog);
        ret = sock->provider->procs.lpWSPListen(s, backlog, &err);
        TRACE_SPI("WSPListen -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "listen(s %#llx backlog %d)", SOCK_ARG(s), backlog);
}

static SOCKET do_accept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC cond, DWORD_PTR data,
                        int *err)
{
    struct ws_socket *sock;
    SOCKET ns = INVALID_SOCKET;

    *err = api_enter(s, &sock);
    /* An address buffer needs its length; a negative length is no buffer. A length without a
     * buffer must still be writable (providers may store the size there). */
    /* An address buffer without a length is ignored: Windows accepts and leaves it alone (Wine's
     * conformance tests, test_accept). */
    if (addr && !addrlen) addr = NULL;
    if (!*err && addr && !api_addr_out_ok(addr, addrlen)) *err = WSAEFAULT;
    if (!*err && !addr && addrlen && !user_writable(addrlen, sizeof(*addrlen))) *err = WSAEFAULT;
    if (!*err)
    {
        TRACE_SPI("WSPAccept(s %#llx addr %p addrlen %p cond %p data %#llx)", SOCK_ARG(s), (void *)addr,
                  (void *)addrlen, (void *)(uintptr_t)cond, (unsigned long long)data);
        ns = sock->provider->procs.lpWSPAccept(s, addr, addrlen, cond, data, err);
        TRACE_SPI("WSPAccept -> %#llx (error %d)", SOCK_ARG(ns), ns == INVALID_SOCKET ? *err : 0);
        if (!(*err = api_provider_error(ns == INVALID_SOCKET, *err)) &&
            (*err = api_check_new_socket(sock->provider, ns)))
            ns = INVALID_SOCKET;
    }
    socket_put(sock);
    return ns;
}

SOCKET WSAAPI WSAAccept(SOCKET s, struct sockaddr *addr, LPINT addrlen, LPCONDITIONPROC lpfnCondition,
                        DWORD_PTR dwCallbackData)
{
    int err;
    SOCKET ns = do_accept(s, addr, addrlen, lpfnCondition, dwCallbackData, &err);
    return api_leave_socket(NULL, ns == INVALID_SOCKET ? err : 0, ns,
                            "WSAAccept(s %#llx addr %p addrlen %p lpfnCondition %p dwCallbackData %#llx)", SOCK_ARG(s),
                            (void *)addr, (void *)addrlen, (void *)(uintptr_t)lpfnCondition,
                            (unsigned long long)dwCallbackData);
}

SOCKET WSAAPI accept(SOCKET s, struct sockaddr *addr, int *addrlen)
{
    int err;
    SOCKET ns = do_accept(s, addr, addrlen, NULL, 0, &err);
    return api_leave_socket(NULL, ns == INVALID_SOCKET ? err : 0, ns, "accept(s %#llx addr %p addrlen %p)", SOCK_ARG(s),
                            (void *)addr, (void *)addrlen);
}

static int do_connect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF caller, LPWSABUF callee,
                      LPQOS sqos, LPQOS gqos)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret;
    char addr_text[TRACE_TEXT_LEN];

    if (!err && (namelen <= 0 || !user_readable(name, (size_t)namelen))) err = WSAEFAULT;
    /* The optional connect data and flow specs are read by the provider. */
    if (!err && ((caller && !user_readable(caller, sizeof(*caller))) ||
                 (callee && !user_writable(callee, sizeof(*callee))) || (sqos && !user_readable(sqos, sizeof(*sqos))) ||
                 (gqos && !user_readable(gqos, sizeof(*gqos)))))
        err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPConnect(s %#llx name %p [%s] namelen %d caller %p callee %p sqos %p gqos %p)", SOCK_ARG(s),
                  (const void *)name, api_addr_text(name, namelen, addr_text, sizeof(addr_text)), namelen, (void *)caller, (void *)callee, (void *)sqos, (void *)gqos);
        ret = sock->provider->procs.lpWSPConnect(s, name, namelen, caller, callee, sqos, gqos, &err);
        TRACE_SPI("WSPConnect -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    socket_put(sock);
    return err;
}

int WSAAPI connect(SOCKET s, const struct sockaddr *name, int namelen)
{
    int err = do_connect(s, name, namelen, NULL, NULL, NULL, NULL);
    char addr_text[TRACE_TEXT_LEN];

    return api_leave(NULL, err, 0, "connect(s %#llx name %p namelen %d [%s])", SOCK_ARG(s), (const void *)name,
                     namelen, API_ADDR_TEXT(addr_text, name, namelen));
}

int WSAAPI WSAConnect(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                      LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS)
{
    int err = do_connect(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS);
    char addr_text[TRACE_TEXT_LEN];

    return api_leave(NULL, err, 0,
                     "WSAConnect(s %#llx name %p namelen %d [%s] lpCallerData %p lpCalleeData %p lpSQOS %p lpGQOS %p)",
                     SOCK_ARG(s), (const void *)name, namelen, API_ADDR_TEXT(addr_text, name, namelen),
                     (void *)lpCallerData, (void *)lpCalleeData, (void *)lpSQOS, (void *)lpGQOS);
}

/* getsockname/getpeername: the provider validates name/namelen, because Windows reports a socket's
 * state (WSAEINVAL unbound, WSAENOTCONN) before a bad buffer (WSAEFAULT). Pointers the provider
 * must not touch (unmapped, read-only) keep that order too: the provider is asked with a buffer of
 * ws2_32's own, and its state error wins; had it succeeded, the answer is WSAEFAULT. */
static int get_name(SOCKET s, struct sockaddr *name, int *namelen, BOOL peer)
{
    const char *fn = peer ? "WSPGetPeerName" : "WSPGetSockName";
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret;
    BOOL bad;

    if (err) return err;
    bad = (namelen && !user_writable(namelen, sizeof(*namelen))) ||
          (name && !(namelen ? api_addr_out_ok(name, namelen) : user_writable(name, 1)));
    if (bad)
    {
        SOCKADDR_STORAGE own;
        int ownlen = sizeof(own);
        name = (struct sockaddr *)&own;
        namelen = &ownlen;
    }
    TRACE_SPI("%s(s %#llx name %p namelen %p)%s", fn, SOCK_ARG(s), (void *)name, (void *)namelen,
              bad ? " [state check for a bad caller buffer]" : "");
    ret = peer ? sock->provider->procs.lpWSPGetPeerName(s, name, namelen, &err)
               : sock->provider->procs.lpWSPGetSockName(s, name, namelen, &err);
    TRACE_SPI("%s -> %d (error %d)", fn, ret, err);
    if (!(err = api_provider_error(ret == SOCKET_ERROR, err)) && bad) err = WSAEFAULT;
    socket_put(sock);
    return err;
}

int WSAAPI getsockname(SOCKET s, struct sockaddr *name, int *namelen)
{
    int err = get_name(s, name, namelen, FALSE);
    char addr_text[TRACE_TEXT_LEN];

    return api_leave(NULL, err, 0, "getsockname(s %#llx name %p namelen %p [%s])", SOCK_ARG(s), (void *)name,
                     (void *)namelen, err || !namelen ? "" : API_ADDR_TEXT(addr_text, name, *namelen));
}

int WSAAPI getpeername(SOCKET s, struct sockaddr *name, int *namelen)
{
    int err = get_name(s, name, namelen, TRUE);
    char addr_text[TRACE_TEXT_LEN];

    return api_leave(NULL, err, 0, "getpeername(s %#llx name %p namelen %p [%s])", SOCK_ARG(s), (void *)name,
                     (void *)namelen, err || !namelen ? "" : API_ADDR_TEXT(addr_text, name, *namelen));
}

int WSAAPI shutdown(SOCKET s, int how)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock), ret = SOCKET_ERROR;

    if (!err && (how < SD_RECEIVE || how > SD_BOTH)) err = WSAEINVAL;
    if (!err)
    {
        TRACE_SPI("WSPShutdown(s %#llx how %d)", SOCK_ARG(s), how);
        ret = sock->provider->procs.lpWSPShutdown(s, how, &err);
        TRACE_SPI("WSPShutdown -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
    }
    return api_leave(sock, err, 0, "shutdown(s %#llx how %d)", SOCK_ARG(s), how);
}

SOCKET WSAAPI WSAJoinLeaf(SOCKET s, const struct sockaddr *name, int namelen, LPWSABUF lpCallerData,
                          LPWSABUF lpCalleeData, LPQOS lpSQOS, LPQOS lpGQOS, DWORD dwFlags)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    SOCKET ns = INVALID_SOCKET;
    char addr_text[TRACE_TEXT_LEN];

    if (!err && (namelen <= 0 || !user_readable(name, (size_t)namelen))) err = WSAEFAULT;
    if (!err && ((lpCallerData && !user_readable(lpCallerData, sizeof(*lpCallerData))) ||
                 (lpCalleeData && !user_writable(lpCalleeData, sizeof(*lpCalleeData))) ||
                 (lpSQOS && !user_readable(lpSQOS, sizeof(*lpSQOS))) || (lpGQOS && !user_readable(lpGQOS, sizeof(*lpGQOS)))))
        err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPJoinLeaf(s %#llx name %p namelen %d flags %#lx)", SOCK_ARG(s), (const void *)name, namelen,
                  (unsigned long)dwFlags);
        ns = sock->provider->procs.lpWSPJoinLeaf(s, name, namelen, lpCallerData, lpCalleeData, lpSQOS, lpGQOS,
                                                 dwFlags, &err);
        TRACE_SPI("WSPJoinLeaf -> %#llx (error %d)", SOCK_ARG(ns), ns == INVALID_SOCKET ? err : 0);
        if (!(err = api_provider_error(ns == INVALID_SOCKET, err)) && ns != s &&
            (err = api_check_new_socket(sock->provider, ns)))
            ns = INVALID_SOCKET;
    }
    return api_leave_socket(sock, ns == INVALID_SOCKET ? err : 0, ns,
                            "WSAJoinLeaf(s %#llx name %p namelen %d [%s] lpCallerData %p lpCalleeData %p lpSQOS %p "
                            "lpGQOS %p dwFlags %#lx)", SOCK_ARG(s), (const void *)name, namelen,
                            API_ADDR_TEXT(addr_text, name, namelen), (void *)lpCallerData, (void *)lpCalleeData,
                            (void *)lpSQOS, (void *)lpGQOS, (unsigned long)dwFlags);
}
