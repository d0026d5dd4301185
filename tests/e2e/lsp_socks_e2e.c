/* lsp_socks_e2e.c - end-to-end test of the SOCKS5 LSP (dlls/lsp_socks) under Wine: installs it by
 * hand (a hidden layered entry and two chains over TCP/IPv4 and TCP/IPv6 with WSCInstallProvider,
 * then WSCWriteProviderOrder to put the chains first), starts two loopback SOCKS5 servers
 * (tests/socks5: one open, one requiring RFC 1929 authentication) and an echo server, and runs
 * child processes of itself under several configurations: TCP/IPv4, TCP/IPv6 (v4-mapped to the
 * IPv4 proxy), a domain-name target (Names), ConnectEx with initial data, authentication right and
 * wrong, a hostile proxy (short, missing and malformed CONNECT replies: WSAECONNREFUSED, as
 * documented for a dropped or malformed conversation; broken method negotiations and RFC 1929
 * replies: WSAECONNREFUSED, a refused password WSAEACCES), an unconfigured process that must connect
 * directly, non-blocking sockets (WSAEWOULDBLOCK,
 * the handshake in the background, reported by select / WSAPoll / WSAEventSelect, failures through
 * the exception set, SO_ERROR and FD_CONNECT's error code), a proxy named by a host name, and the
 * tracing LSP stacked over the SOCKS LSP (chain [trace, socks, base]: traffic passes, both layers
 * see it, removing the tracing LSP restores the catalog), UDP through UDP ASSOCIATE (IPv4, IPv6, a
 * 60000-byte datagram, connected, non-blocking, overlapped with an event, a completion port (packets'
 * byte counts, a truncated datagram, a completion routine, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, a
 * receive pending at closesocket) and WSARecvMsg refused; the proxy's fragments dropped), listening
 * through SOCKS BIND (Bind = 1: getsockname, accept blocking and not, AcceptEx refused, select /
 * WSAPoll / WSAEventSelect / WSAAsyncSelect readiness, one connection per BIND, listeners closed
 * while listening leave no handle), and all of it again with the LSP installed as IFS chains. The servers' logs prove what went through the
 * proxy. Finally the LSP is removed and the catalog's registry bytes compared.
 * One line per check; exit code 1 on any failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_check.h"

#define SOCKS_KEY "Software\\openws2\\LspSocks"

/* Not declared by MinGW-w64 for 64-bit programs. */
int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);

static GUID dummy_guid = { 0x6f70656e, 0x7773, 0x4c02, { 0x6c, 0x73, 0x70, 0x2d, 0x73, 0x6f, 0x63, 0x01 } };
static GUID chain_guid = { 0x6f70656e, 0x7773, 0x4c03, { 0x6c, 0x73, 0x70, 0x2d, 0x73, 0x6f, 0x63, 0x02 } };
/* The tracing LSP stacked over the SOCKS one. */
static GUID trace_dummy_guid = { 0x6f70656e, 0x7773, 0x4c04, { 0x6c, 0x73, 0x70, 0x2d, 0x73, 0x74, 0x6b, 0x01 } };
static GUID trace_chain_guid = { 0x6f70656e, 0x7773, 0x4c05, { 0x6c, 0x73, 0x70, 0x2d, 0x73, 0x74, 0x6b, 0x02 } };
#define TRACE_KEY "Software\\openws2\\LspTrace"

/* ---- child side ---- */

static BOOL make_addr(const char *ip, unsigned port, struct sockaddr_storage *a, int *len)
{
    memset(a, 0, sizeof(*a));
    if (strchr(ip, ':'))
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)a;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((u_short)port);
        *len = sizeof(*in6);
        return inet_pton(AF_INET6, ip, &in6->sin6_addr) == 1;
    }
    else
    {
        struct sockaddr_in *in = (struct sockaddr_in *)a;
        in->sin_family = AF_INET;
        in->sin_port = htons((u_short)port);
        *len = sizeof(*in);
        return inet_pton(AF_INET, ip, &in->sin_addr) == 1;
    }
}

/* connect (or ConnectEx), echo round trip, getpeername = the target. Returns 0 or the connect error. */
static int echo_through(const char *ip, unsigned port, BOOL use_connectex, const char *what)
{
    struct sockaddr_storage to, peer;
    int len, plen = sizeof(peer), err = 0;
    SOCKET s;
    char msg[32], buf[32] = { 0 };
    BOOL ok;

    snprintf(msg, sizeof(msg), "echo-%s", what);
    make_addr(ip, port, &to, &len);
    s = socket(to.ss_family, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) return WSAGetLastError();
    if (!use_connectex)
    {
        if (connect(s, (struct sockaddr *)&to, len)) err = WSAGetLastError();
        ok = !err && lsp_send_all(s, msg, (int)strlen(msg));
    }
    else
    {
        GUID g = WSAID_CONNECTEX;
        LPFN_CONNECTEX cx = NULL;
        struct sockaddr_storage local;
        WSAOVERLAPPED ov;
        DWORD bytes = 0, flags = 0;
        int llen;

        make_addr(to.ss_family == AF_INET ? "0.0.0.0" : "::", 0, &local, &llen);
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = WSACreateEvent();
        WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &cx, sizeof(cx), &bytes, NULL, NULL);
        if (!cx || bind(s, (struct sockaddr *)&local, llen)) err = WSAGetLastError();
        else if (!cx(s, (struct sockaddr *)&to, len, msg, (DWORD)strlen(msg), &bytes, &ov) &&
                 WSAGetLastError() != ERROR_IO_PENDING)
            err = WSAGetLastError();
        else if (WaitForSingleObject(ov.hEvent, 30000) || !WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags))
            err = WSAGetLastError() ? WSAGetLastError() : WSAETIMEDOUT;
        else setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
        ok = !err && bytes == strlen(msg);
        WSACloseEvent(ov.hEvent);
    }
    if (!err)
    {
        int step = ok ? 0 : 1;
        if (ok && !lsp_recv_all(s, buf, (int)strlen(msg))) step = 2;
        else if (ok && memcmp(buf, msg, strlen(msg))) step = 3;
        ok = ok && !step;
        lsp_check(ok, "%s: %s to %s port %u, echo round trip (step %d, error %d)", what,
                  use_connectex ? "ConnectEx" : "connect", ip, port, step, step ? WSAGetLastError() : 0);
        ok = !getpeername(s, (struct sockaddr *)&peer, &plen) && plen == len && !memcmp(&peer, &to, len);
        lsp_check(ok, "%s: getpeername reports the target", what);
    }
    closesocket(s);
    return err;
}

/* A non-blocking connect through the proxy: WSAEWOULDBLOCK at once (the handshake runs in the
 * background), then connected as `how` reports it (select writability, WSAPoll POLLOUT, or FD_CONNECT
 * with error 0 through WSAEventSelect), then an echo round trip. */
static void nonblocking(unsigned port, const char *how)
{
    struct sockaddr_storage to, peer;
    int len, plen = sizeof(peer), r, e, so = -1, solen = sizeof(so);
    u_long on = 1, off = 0;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    WSAEVENT ev = NULL;
    HWND hwnd = NULL;
    char buf[8] = { 0 };
    BOOL ready = FALSE;

    make_addr("127.0.0.1", port, &to, &len);
    if (!strcmp(how, "eventselect"))
    {
        ev = WSACreateEvent();
        WSAEventSelect(s, ev, FD_CONNECT | FD_READ | FD_CLOSE); /* makes the socket non-blocking */
    }
    else if (!strcmp(how, "asyncselect"))
    {
        hwnd = CreateWindowExA(0, "STATIC", "socks", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
        WSAAsyncSelect(s, hwnd, WM_USER + 7, FD_CONNECT | FD_READ | FD_CLOSE); /* non-blocking too */
    }
    else ioctlsocket(s, FIONBIO, &on);
    r = connect(s, (struct sockaddr *)&to, len);
    e = r ? WSAGetLastError() : 0;
    lsp_check(r == SOCKET_ERROR && e == WSAEWOULDBLOCK, "non-blocking (%s): connect -> %d error %d (WSAEWOULDBLOCK)",
              how, r, e);
    lsp_check(getpeername(s, (struct sockaddr *)&peer, &plen) == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN,
              "non-blocking (%s): not connected while the proxy handshake runs (getpeername WSAENOTCONN)", how);
    if (!strcmp(how, "select"))
    {
        fd_set w, x;
        struct timeval tv = { 10, 0 };
        FD_ZERO(&w);
        FD_SET(s, &w);
        FD_ZERO(&x);
        FD_SET(s, &x);
        r = select(0, NULL, &w, &x, &tv);
        ready = r == 1 && FD_ISSET(s, &w) && !FD_ISSET(s, &x);
        lsp_check(ready, "non-blocking (select): writable once the proxy connected the target (select %d)", r);
    }
    else if (!strcmp(how, "poll"))
    {
        WSAPOLLFD fd;
        fd.fd = s;
        fd.events = POLLWRNORM;
        fd.revents = 0;
        r = WSAPoll(&fd, 1, 10000);
        ready = r == 1 && fd.revents == POLLWRNORM;
        lsp_check(ready, "non-blocking (poll): POLLOUT once the proxy connected the target (%d, revents %#x)", r,
                  fd.revents);
    }
    else if (hwnd)
    {
        /* the first network message for the socket: FD_CONNECT, error 0 */
        MSG m;
        DWORD start = GetTickCount();
        LPARAM got = (LPARAM)-1;
        while (got == (LPARAM)-1 && GetTickCount() - start < 10000)
        {
            if (PeekMessageA(&m, hwnd, WM_USER + 7, WM_USER + 7, PM_REMOVE))
            {
                if ((SOCKET)m.wParam == s) got = m.lParam;
            }
            else MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_ALLINPUT);
        }
        ready = got != (LPARAM)-1 && WSAGETSELECTEVENT(got) == FD_CONNECT && !WSAGETSELECTERROR(got);
        lsp_check(ready, "non-blocking (asyncselect): the first message is FD_CONNECT with error 0 (lParam %#lx)",
                  (unsigned long)got);
        WSAAsyncSelect(s, hwnd, 0, 0);
        DestroyWindow(hwnd);
    }
    else
    {
        WSANETWORKEVENTS ne;
        DWORD w = WaitForSingleObject(ev, 10000);
        memset(&ne, 0, sizeof(ne));
        r = WSAEnumNetworkEvents(s, ev, &ne);
        ready = !w && !r && (ne.lNetworkEvents & FD_CONNECT) && !ne.iErrorCode[FD_CONNECT_BIT];
        lsp_check(ready, "non-blocking (eventselect): FD_CONNECT with error 0 (wait %lu, events %#lx, error %d)",
                  (unsigned long)w, ne.lNetworkEvents, ne.iErrorCode[FD_CONNECT_BIT]);
        WSAEventSelect(s, NULL, 0);
        WSACloseEvent(ev);
    }
    r = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so, &solen);
    lsp_check(!r && so == 0, "non-blocking (%s): SO_ERROR 0 (%d)", how, so);
    ioctlsocket(s, FIONBIO, &off);
    plen = sizeof(peer);
    lsp_check(ready && lsp_send_all(s, "nonblk", 6) && lsp_recv_all(s, buf, 6) && !memcmp(buf, "nonblk", 6) &&
                  !getpeername(s, (struct sockaddr *)&peer, &plen) && plen == len && !memcmp(&peer, &to, len),
              "non-blocking (%s): echoed through the proxy, getpeername reports the target", how);
    closesocket(s);
}

/* A non-blocking connect to a target the proxy cannot reach: WSAEWOULDBLOCK, then the socket is in
 * select's exception set (not the write set), SO_ERROR is WSAECONNREFUSED, FD_CONNECT carries it. */
/* A non-blocking connect through the proxy: the error the handshake in the background ends with
 * (select's exception set, then SO_ERROR), or -1 when select does not report it within 40 s. */
static int nonblocking_error(unsigned port)
{
    struct sockaddr_storage to;
    struct timeval tv = { 40, 0 };
    fd_set w, x;
    int len, r, e, so = -1, solen = sizeof(so);
    u_long on = 1;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    make_addr("127.0.0.1", port, &to, &len);
    ioctlsocket(s, FIONBIO, &on);
    r = connect(s, (struct sockaddr *)&to, len);
    e = r ? WSAGetLastError() : 0;
    if (r != SOCKET_ERROR || e != WSAEWOULDBLOCK)
    {
        closesocket(s);
        return e ? e : -2;
    }
    FD_ZERO(&w);
    FD_SET(s, &w);
    FD_ZERO(&x);
    FD_SET(s, &x);
    r = select(0, NULL, &w, &x, &tv);
    if (r != 1 || !FD_ISSET(s, &x) || getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so, &solen)) so = -1;
    closesocket(s);
    return so;
}

static void nonblocking_refused(unsigned port)
{
    struct sockaddr_storage to;
    int len, r, e, so = 0, solen = sizeof(so), i;

    make_addr("127.0.0.1", port, &to, &len);
    for (i = 0; i < 2; i++)
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        WSAEVENT ev = WSACreateEvent();
        u_long on = 1;

        if (i) WSAEventSelect(s, ev, FD_CONNECT | FD_WRITE);
        else ioctlsocket(s, FIONBIO, &on);
        r = connect(s, (struct sockaddr *)&to, len);
        e = r ? WSAGetLastError() : 0;
        lsp_check(r == SOCKET_ERROR && e == WSAEWOULDBLOCK, "refused, non-blocking: connect -> WSAEWOULDBLOCK (%d %d)",
                  r, e);
        if (!i)
        {
            fd_set w, x;
            struct timeval tv = { 10, 0 };
            FD_ZERO(&w);
            FD_SET(s, &w);
            FD_ZERO(&x);
            FD_SET(s, &x);
            r = select(0, NULL, &w, &x, &tv);
            lsp_check(r == 1 && FD_ISSET(s, &x) && !FD_ISSET(s, &w),
                      "refused, non-blocking: select reports the failure in the exception set only (%d)", r);
        }
        else
        {
            WSANETWORKEVENTS ne;
            DWORD w = WaitForSingleObject(ev, 10000);
            memset(&ne, 0, sizeof(ne));
            r = WSAEnumNetworkEvents(s, ev, &ne);
            lsp_check(!w && !r && ne.lNetworkEvents == FD_CONNECT && ne.iErrorCode[FD_CONNECT_BIT] == WSAECONNREFUSED,
                      "refused, event select: FD_CONNECT only, error WSAECONNREFUSED (events %#lx, error %d)",
                      ne.lNetworkEvents, ne.iErrorCode[FD_CONNECT_BIT]);
        }
        solen = sizeof(so);
        r = getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&so, &solen);
        lsp_check(!r && so == WSAECONNREFUSED, "refused, non-blocking: SO_ERROR WSAECONNREFUSED (%d)", so);
        lsp_check(send(s, "x", 1, 0) == SOCKET_ERROR && WSAGetLastError() == WSAENOTCONN,
                  "refused, non-blocking: send fails with WSAENOTCONN");
        closesocket(s);
        WSACloseEvent(ev);
    }
}

/* ---- UDP through the proxy (UDP ASSOCIATE) ---- */

static void fill_pattern(char *p, int len, int seed)
{
    int i;
    for (i = 0; i < len; i++) p[i] = (char)((i * 7 + seed) & 0xff);
}

/* recvfrom with a deadline (the socket may be non-blocking): the byte count or -1. */
static int recv_dgram(SOCKET s, char *buf, int len, struct sockaddr_storage *from, int *fromlen)
{
    DWORD start = GetTickCount();
    for (;;)
    {
        fd_set set;
        struct timeval tv = { 0, 200000 };
        int n;
        FD_ZERO(&set);
        FD_SET(s, &set);
        if (select(0, &set, NULL, NULL, &tv) == 1)
        {
            *fromlen = sizeof(*from);
            n = recvfrom(s, buf, len, 0, (struct sockaddr *)from, fromlen);
            if (n >= 0) return n;
            if (WSAGetLastError() != WSAEWOULDBLOCK) return -1;
        }
        if (GetTickCount() - start > 10000) return -1;
    }
}

/* sendto the echo target, receive the echo: byte for byte, from = the target. */
static void udp_echo(const char *ip, unsigned port, int len, const char *what)
{
    struct sockaddr_storage to, from;
    int tolen, fromlen = 0, n, r;
    char *out = malloc(len), *in = malloc(len + 16);
    SOCKET s;

    make_addr(ip, port, &to, &tolen);
    s = socket(to.ss_family, SOCK_DGRAM, IPPROTO_UDP);
    fill_pattern(out, len, len);
    r = sendto(s, out, len, 0, (struct sockaddr *)&to, tolen);
    lsp_check(r == len, "udp %s: sendto %d bytes to %s port %u -> %d (error %d)", what, len, ip, port, r,
              r < 0 ? WSAGetLastError() : 0);
    memset(in, 0, len + 16);
    n = recv_dgram(s, in, len + 16, &from, &fromlen);
    lsp_check(n == len && !memcmp(in, out, len), "udp %s: the echo back byte for byte (%d of %d, error %d)", what, n,
              len, n < 0 ? WSAGetLastError() : 0);
    lsp_check(n == len && fromlen == tolen && !memcmp(&from, &to, tolen),
              "udp %s: recvfrom reports the target as the sender (fromlen %d)", what, fromlen);
    closesocket(s);
    free(out);
    free(in);
}

/* A connected datagram socket: send/recv to its default peer, getpeername the target. */
static void udp_connected(unsigned port)
{
    struct sockaddr_storage to, peer;
    int tolen, plen = sizeof(peer), n;
    SOCKET s;
    char in[64] = { 0 };

    make_addr("127.0.0.1", port, &to, &tolen);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    lsp_check(!connect(s, (struct sockaddr *)&to, tolen), "udp connected: connect (%d)", WSAGetLastError());
    lsp_check(send(s, "connected-udp", 13, 0) == 13, "udp connected: send (%d)", WSAGetLastError());
    n = recv(s, in, sizeof(in), 0);
    lsp_check(n == 13 && !memcmp(in, "connected-udp", 13), "udp connected: recv the echo (%d, error %d)", n,
              n < 0 ? WSAGetLastError() : 0);
    lsp_check(!getpeername(s, (struct sockaddr *)&peer, &plen) && plen == tolen && !memcmp(&peer, &to, tolen),
              "udp connected: getpeername reports the target");
    closesocket(s);
}

/* Overlapped WSASendTo/WSARecvFrom with an event: through the proxy on both chain kinds (on IFS
 * chains of a Wine release the layer cannot complete requests on, the documented WSAEOPNOTSUPP). */
static void udp_overlapped(unsigned port, BOOL ifs)
{
    struct sockaddr_storage to, from;
    int tolen, fromlen = sizeof(from), r, e;
    SOCKET s;
    char out[512], in[600];
    WSABUF b;
    WSAOVERLAPPED ov;
    DWORD bytes = 0, flags = 0;

    make_addr("127.0.0.1", port, &to, &tolen);
    s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    fill_pattern(out, sizeof(out), 3);
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    b.buf = out;
    b.len = sizeof(out);
    r = WSASendTo(s, &b, 1, &bytes, 0, (struct sockaddr *)&to, tolen, &ov, NULL);
    e = r ? WSAGetLastError() : 0;
    if (ifs && !lsp_wine_completes_ifs())
    {
        lsp_check(r == SOCKET_ERROR && e == WSAEOPNOTSUPP, "udp overlapped (ifs): WSASendTo -> WSAEOPNOTSUPP (%d %d)",
                  r, e);
        closesocket(s);
        WSACloseEvent(ov.hEvent);
        return;
    }
    lsp_check(!r && bytes == sizeof(out) && WaitForSingleObject(ov.hEvent, 0) == WAIT_OBJECT_0,
              "udp overlapped: WSASendTo sent %lu at once, the event set (error %d)", (unsigned long)bytes, e);
    r = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags) ? 0 : SOCKET_ERROR;
    lsp_check(!r && bytes == sizeof(out), "udp overlapped: WSAGetOverlappedResult of the send: %lu (%d)",
              (unsigned long)bytes, r ? WSAGetLastError() : 0);
    memset(in, 0, sizeof(in));
    b.buf = in;
    b.len = sizeof(in);
    WSAResetEvent(ov.hEvent);
    flags = 0;
    r = WSARecvFrom(s, &b, 1, &bytes, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    e = r ? WSAGetLastError() : 0;
    lsp_check(r && e == WSA_IO_PENDING, "udp overlapped: WSARecvFrom is pending (%d %d)", r, e);
    if (r && e == WSA_IO_PENDING)
        r = WaitForSingleObject(ov.hEvent, 10000) || !WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags) ? SOCKET_ERROR
                                                                                                            : 0;
    lsp_check(!r && bytes == sizeof(out) && !memcmp(in, out, sizeof(out)) && fromlen == tolen &&
                  !memcmp(&from, &to, tolen),
              "udp overlapped: WSARecvFrom the echo byte for byte from the target (%d, %lu bytes, error %d)", r,
              (unsigned long)bytes, e);
    {
        /* WSARecvMsg would bypass the association: refused */
        GUID g = WSAID_WSARECVMSG;
        LPFN_WSARECVMSG rm = NULL;
        WSAMSG m;
        memset(&m, 0, sizeof(m));
        m.lpBuffers = &b;
        m.dwBufferCount = 1;
        WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &rm, sizeof(rm), &bytes, NULL, NULL);
        r = rm ? rm(s, &m, &bytes, NULL, NULL) : 0;
        e = r ? WSAGetLastError() : 0;
        lsp_check(rm && r == SOCKET_ERROR && e == WSAEOPNOTSUPP, "udp: WSARecvMsg on an associated socket -> "
                  "WSAEOPNOTSUPP (%d %d)", r, e);
    }
    closesocket(s);
    WSACloseEvent(ov.hEvent);
}

static DWORD routine_err, routine_bytes;
static int routine_calls;
static void CALLBACK udp_routine(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov, (void)flags;
    routine_err = err;
    routine_bytes = bytes;
    routine_calls++;
}

/* One packet from port within ms: its result (q: GetQueuedCompletionStatus's, e: its error). */
static BOOL udp_packet(HANDLE port, DWORD ms, DWORD *bytes, ULONG_PTR *key, OVERLAPPED **got, DWORD *e)
{
    BOOL q;
    *bytes = 0;
    *key = 0;
    *got = NULL;
    q = GetQueuedCompletionStatus(port, bytes, key, got, ms);
    *e = q ? 0 : GetLastError();
    return q;
}

/* An associated socket on a completion port, as IOCP servers use one (on IFS chains the layer
 * completes the requests as the kernel does: the packet's byte count is the datagram's without its
 * SOCKS header): a send's packet, a pending receive's packet with the echo and its sender, a
 * truncated datagram (ERROR_MORE_DATA / WSAEMSGSIZE with the buffer's count), a completion routine,
 * FILE_SKIP_COMPLETION_PORT_ON_SUCCESS (IFS: no packet for the send that completed in the call, one
 * for the pending receive), and a receive pending when the socket is closed (its packet reports
 * ERROR_OPERATION_ABORTED). */
static void udp_overlapped_port(unsigned target, BOOL ifs)
{
    const char *tag = ifs ? "udp port (ifs)" : "udp port";
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    struct sockaddr_storage to, from;
    int tolen, fromlen, r, e2;
    char out[300], in[400], small[100];
    WSAOVERLAPPED ov, ov2;
    OVERLAPPED *got;
    ULONG_PTR key;
    DWORD bytes, e, flags, t0;
    WSABUF b;
    SOCKET s;
    BOOL q;

    if (ifs && !lsp_wine_completes_ifs())
    {
        CloseHandle(port);
        return;
    }
    make_addr("127.0.0.1", target, &to, &tolen);
    s = WSASocketW(AF_INET, SOCK_DGRAM, IPPROTO_UDP, NULL, 0, WSA_FLAG_OVERLAPPED);
    if (!lsp_check(s != INVALID_SOCKET && CreateIoCompletionPort((HANDLE)s, port, 11, 0) == port,
                   "%s: a datagram socket on a completion port (%d)", tag, WSAGetLastError()))
        return;
    /* 1. send: at once, then one packet with the datagram's count */
    fill_pattern(out, sizeof(out), 9);
    b.buf = out;
    b.len = sizeof(out);
    memset(&ov, 0, sizeof(ov));
    bytes = 0;
    r = WSASendTo(s, &b, 1, &bytes, 0, (struct sockaddr *)&to, tolen, &ov, NULL);
    lsp_check(!r && bytes == sizeof(out), "%s: WSASendTo completes at once (%d %lu %d)", tag, r, (unsigned long)bytes,
              r ? WSAGetLastError() : 0);
    q = udp_packet(port, 5000, &bytes, &key, &got, &e);
    lsp_check(q && got == &ov && key == 11 && bytes == sizeof(out), "%s: the send's packet: %lu bytes, key %lu (%d %lu)",
              tag, (unsigned long)bytes, (unsigned long)key, q, (unsigned long)e);
    /* 2. receive: pending, then the echo's packet */
    memset(in, 0, sizeof(in));
    b.buf = in;
    b.len = sizeof(in);
    memset(&ov, 0, sizeof(ov));
    flags = 0;
    fromlen = sizeof(from);
    memset(&from, 0, sizeof(from));
    r = WSARecvFrom(s, &b, 1, &bytes, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    e2 = r ? WSAGetLastError() : 0;
    lsp_check(r && e2 == WSA_IO_PENDING, "%s: WSARecvFrom is pending (%d %d)", tag, r, e2);
    q = udp_packet(port, 10000, &bytes, &key, &got, &e);
    lsp_check(q && got == &ov && bytes == sizeof(out) && !memcmp(in, out, sizeof(out)) && fromlen == tolen &&
                  !memcmp(&from, &to, tolen),
              "%s: the receive's packet: the echo's %lu bytes, byte for byte, from the target (%d %lu, fromlen %d)", tag,
              (unsigned long)bytes, q, (unsigned long)e, fromlen);
    r = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
    lsp_check(r && bytes == sizeof(out), "%s: WSAGetOverlappedResult after the packet: %lu (%d)", tag,
              (unsigned long)bytes, r ? 0 : WSAGetLastError());
    /* 3. a datagram larger than the buffer: the buffer's count and the truncation error */
    b.buf = out;
    b.len = sizeof(out);
    memset(&ov2, 0, sizeof(ov2));
    WSASendTo(s, &b, 1, &bytes, 0, (struct sockaddr *)&to, tolen, &ov2, NULL);
    udp_packet(port, 5000, &bytes, &key, &got, &e); /* the send's */
    b.buf = small;
    b.len = sizeof(small);
    memset(&ov, 0, sizeof(ov));
    flags = 0;
    fromlen = sizeof(from);
    r = WSARecvFrom(s, &b, 1, &bytes, &flags, (struct sockaddr *)&from, &fromlen, &ov, NULL);
    q = udp_packet(port, 10000, &bytes, &key, &got, &e);
    /* (IFS: the kernel's STATUS_BUFFER_OVERFLOW, a failed packet; non-IFS: what ws2_32's
     * WPUCompleteOverlappedRequest makes of WSAEMSGSIZE, a packet with the count) */
    lsp_check(got == &ov && bytes == sizeof(small) && (ifs ? !q && e == ERROR_MORE_DATA : 1) &&
                  !memcmp(small, out, sizeof(small)),
              "%s: a truncated datagram: the buffer's %lu bytes%s (%d, error %lu)", tag, (unsigned long)bytes,
              ifs ? " and ERROR_MORE_DATA" : "", q, (unsigned long)e);
    r = WSAGetOverlappedResult(s, &ov, &bytes, FALSE, &flags);
    lsp_check(!r && WSAGetLastError() == WSAEMSGSIZE, "%s: WSAGetOverlappedResult of it -> WSAEMSGSIZE (%d %d)", tag, r,
              WSAGetLastError());
    /* 4. a completion routine: run in this thread when it waits alertably, no packet */
    b.buf = out;
    b.len = sizeof(out);
    memset(&ov2, 0, sizeof(ov2));
    WSASendTo(s, &b, 1, &bytes, 0, (struct sockaddr *)&to, tolen, &ov2, NULL);
    udp_packet(port, 5000, &bytes, &key, &got, &e);
    b.buf = in;
    b.len = sizeof(in);
    memset(&ov, 0, sizeof(ov));
    routine_calls = 0;
    flags = 0;
    r = WSARecvFrom(s, &b, 1, &bytes, &flags, NULL, NULL, &ov, udp_routine);
    e2 = r ? WSAGetLastError() : 0;
    t0 = GetTickCount();
    while (!routine_calls && GetTickCount() - t0 < 10000) SleepEx(100, TRUE);
    lsp_check(r && e2 == WSA_IO_PENDING && routine_calls == 1 && !routine_err && routine_bytes == sizeof(out),
              "%s: a completion routine: called once with %lu bytes, error %lu (%d %d)", tag,
              (unsigned long)routine_bytes, (unsigned long)routine_err, r, e2);
    q = udp_packet(port, 300, &bytes, &key, &got, &e);
    lsp_check(!q && !got, "%s: no packet for the routine's request", tag);
    if (ifs)
    {
        /* 5. skipping the port on success: none for the send, one for the pending receive */
        lsp_check(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS),
                  "%s: SetFileCompletionNotificationModes (%lu)", tag, (unsigned long)GetLastError());
        b.buf = out;
        b.len = sizeof(out);
        memset(&ov2, 0, sizeof(ov2));
        r = WSASendTo(s, &b, 1, &bytes, 0, (struct sockaddr *)&to, tolen, &ov2, NULL);
        q = udp_packet(port, 500, &bytes, &key, &got, &e);
        lsp_check(!r && !q && !got, "%s, skipping the port on success: the send completes at once, no packet (%d %d)",
                  tag, r, q);
        b.buf = in;
        b.len = sizeof(in);
        memset(&ov, 0, sizeof(ov));
        flags = 0;
        r = WSARecvFrom(s, &b, 1, &bytes, &flags, NULL, NULL, &ov, NULL);
        e2 = r ? WSAGetLastError() : 0;
        q = udp_packet(port, 10000, &bytes, &key, &got, &e);
        lsp_check(r && e2 == WSA_IO_PENDING && q && got == &ov && bytes == sizeof(out),
                  "%s, skipping the port on success: the pending receive's packet (%d %d, %d %lu)", tag, r, e2, q,
                  (unsigned long)bytes);
        /* 6. closed while a receive is pending: its packet says aborted */
        memset(&ov, 0, sizeof(ov));
        flags = 0;
        r = WSARecvFrom(s, &b, 1, &bytes, &flags, NULL, NULL, &ov, NULL);
        e2 = r ? WSAGetLastError() : 0;
        Sleep(200);
        closesocket(s);
        s = INVALID_SOCKET;
        q = udp_packet(port, 5000, &bytes, &key, &got, &e);
        lsp_check(r && e2 == WSA_IO_PENDING && !q && got == &ov && e == ERROR_OPERATION_ABORTED && !bytes,
                  "%s: a receive pending at closesocket: its packet reports ERROR_OPERATION_ABORTED (%d, error %lu)",
                  tag, q, (unsigned long)e);
    }
    if (s != INVALID_SOCKET) closesocket(s);
    CloseHandle(port);
}

static void udp_tests(unsigned p4, unsigned p6, BOOL ifs)
{
    u_long on = 1;
    struct sockaddr_storage to, from;
    int tolen, fromlen = 0, n;
    SOCKET s;
    char in[32];

    udp_echo("127.0.0.1", p4, 1200, "ipv4");
    udp_echo("127.0.0.1", p4, 60000, "ipv4-big");
    udp_echo("::1", p6, 777, "ipv6");
    udp_connected(p4);
    udp_overlapped(p4, ifs);
    udp_overlapped_port(p4, ifs);
    /* non-blocking: select, then recvfrom (the proxy's fragment is dropped, not returned) */
    make_addr("127.0.0.1", p4, &to, &tolen);
    s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    ioctlsocket(s, FIONBIO, &on);
    lsp_check(sendto(s, "nonblocking-udp", 15, 0, (struct sockaddr *)&to, tolen) == 15, "udp non-blocking: sendto (%d)",
              WSAGetLastError());
    n = recv_dgram(s, in, sizeof(in), &from, &fromlen);
    lsp_check(n == 15 && !memcmp(in, "nonblocking-udp", 15), "udp non-blocking: the echo (%d)", n);
    closesocket(s);
}

/* ---- listening through the proxy (BIND), as FTP's active mode does ---- */

static BOOL same_sockaddr(const struct sockaddr_storage *a, int alen, const struct sockaddr_storage *b, int blen)
{
    return alen == blen && !memcmp(a, b, alen);
}

/* The highest of 64 new handle values: a handle left open below it pushes it up (Wine and Windows
 * hand out the lowest free slot). */
static ULONG_PTR handle_probe(void)
{
    HANDLE h[64];
    ULONG_PTR top = 0;
    int i;

    for (i = 0; i < 64; i++)
    {
        h[i] = CreateEventW(NULL, TRUE, FALSE, NULL);
        if ((ULONG_PTR)h[i] > top) top = (ULONG_PTR)h[i];
    }
    for (i = 0; i < 64; i++)
        if (h[i]) CloseHandle(h[i]);
    return top;
}

/* A TCP/IPv4 socket listening through the proxy (BIND): its address before listen in *own, the
 * proxy's (getsockname after listen) in *la. INVALID_SOCKET when listen failed. */
static SOCKET bind_listener(const char *tag, struct sockaddr_storage *own, int *ownlen, struct sockaddr_storage *la,
                            int *lalen)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_storage local;
    int llen, r;

    make_addr("127.0.0.1", 0, &local, &llen);
    lsp_check(!bind(l, (struct sockaddr *)&local, llen) && !getsockname(l, (struct sockaddr *)own, ownlen),
              "%sbind: bind (%d)", tag, WSAGetLastError());
    r = listen(l, 1);
    if (!lsp_check(!r, "%sbind: listen through the proxy (%d)", tag, r ? WSAGetLastError() : 0))
    {
        closesocket(l);
        return INVALID_SOCKET;
    }
    r = getsockname(l, (struct sockaddr *)la, lalen);
    lsp_check(!r && la->ss_family == AF_INET && ((struct sockaddr_in *)la)->sin_port &&
                  ((struct sockaddr_in *)la)->sin_port != ((struct sockaddr_in *)own)->sin_port,
              "%sbind: getsockname reports the proxy's listening address (port %u, the socket's own %u)", tag,
              ntohs(((struct sockaddr_in *)la)->sin_port), ntohs(((struct sockaddr_in *)own)->sin_port));
    return l;
}

/* The host expected to connect: a socket of the base provider, to the address getsockname gave
 * (it reaches the proxy's listener; the socket's own address would refuse it). */
static SOCKET bind_host(const char *tag, const struct sockaddr_storage *la, int lalen, struct sockaddr_storage *ca,
                        int *calen)
{
    WSAPROTOCOL_INFOW base;
    SOCKET c = INVALID_SOCKET;
    int r;

    if (lsp_check(lsp_base_tcp(AF_INET, &base), "%sbind: base TCP entry", tag))
        c = WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &base, 0, 0);
    r = c == INVALID_SOCKET ? -1 : connect(c, (const struct sockaddr *)la, lalen);
    lsp_check(!r, "%sbind: the host connects to the address getsockname reported (%d)", tag, r ? WSAGetLastError() : 0);
    if (c != INVALID_SOCKET) getsockname(c, (struct sockaddr *)ca, calen);
    return c;
}

static void bind_tests(unsigned p4, BOOL ifs)
{
    const char *tag = ifs ? "ifs: " : "";
    struct sockaddr_storage own, pa, ca, peer, name, la;
    int ownlen = sizeof(own), lalen = sizeof(la), palen = sizeof(pa), calen = sizeof(ca), plen = sizeof(peer);
    int nlen = sizeof(name), err, r, e;
    WSAPROTOCOL_INFOW info;
    SOCKET l, c = INVALID_SOCKET, a;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    u_long on = 1, off = 0;
    char buf[32] = { 0 };

    err = echo_through("127.0.0.1", p4, FALSE, "bind-primary");
    lsp_check(!err, "%sbind: the primary connection through the proxy (%d)", tag, err);
    if ((l = bind_listener(tag, &own, &ownlen, &la, &lalen)) == INVALID_SOCKET) return;
    memset(&info, 0, sizeof(info));
    r = lsp_sock_info(l, &info);
    lsp_check(r && !(info.dwServiceFlags1 & XP1_IFS_HANDLES) == !ifs, "%sbind: the listener is the %s chain's socket "
              "(flags %#lx)", tag, ifs ? "IFS" : "non-IFS", (unsigned long)info.dwServiceFlags1);
    {
        BOOL acc = FALSE;
        int alen = sizeof(acc);
        r = getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, (char *)&acc, &alen);
        lsp_check(!r && acc, "%sbind: SO_ACCEPTCONN is TRUE (%d, %d)", tag, r, acc);
    }
    ioctlsocket(l, FIONBIO, &on);
    a = accept(l, NULL, NULL);
    e = WSAGetLastError();
    lsp_check(a == INVALID_SOCKET && e == WSAEWOULDBLOCK, "%sbind: non-blocking accept before the host connects -> "
              "WSAEWOULDBLOCK (%d)", tag, e);
    {
        /* AcceptEx cannot take the proxy's connection: refused */
        GUID g = WSAID_ACCEPTEX;
        LPFN_ACCEPTEX ax = NULL;
        DWORD got = 0;
        char abuf[2 * (sizeof(struct sockaddr_in6) + 16)];
        SOCKET t = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), &ax, sizeof(ax), &got, NULL, NULL);
        r = ax ? ax(l, t, abuf, 0, sizeof(struct sockaddr_in6) + 16, sizeof(struct sockaddr_in6) + 16, &got, NULL) : 1;
        e = WSAGetLastError();
        lsp_check(ax && !r && e == WSAEOPNOTSUPP, "%sbind: AcceptEx on the listener -> WSAEOPNOTSUPP (%d)", tag, e);
        closesocket(t);
    }
    {
        /* nothing to accept yet: not readable */
        WSAPOLLFD fd = { l, POLLRDNORM, 0 };
        r = WSAPoll(&fd, 1, 0);
        lsp_check(r == 0 && !fd.revents, "%sbind: WSAPoll before the host connects: nothing (%d, revents %#x)", tag, r,
                  fd.revents);
    }
    WSAEventSelect(l, ev, FD_ACCEPT);
    c = bind_host(tag, &la, lalen, &ca, &calen);
    r = (int)WaitForSingleObject(ev, 10000);
    memset(&ne, 0, sizeof(ne));
    WSAEnumNetworkEvents(l, ev, &ne);
    lsp_check(!r && (ne.lNetworkEvents & FD_ACCEPT) && !(ne.lNetworkEvents & (FD_READ | FD_CONNECT)),
              "%sbind: FD_ACCEPT once the proxy reports the connection (wait %d, events %#lx)", tag, r,
              ne.lNetworkEvents);
    {
        fd_set set;
        struct timeval tv = { 10, 0 };
        WSAPOLLFD fd = { l, POLLRDNORM, 0 };
        FD_ZERO(&set);
        FD_SET(l, &set);
        lsp_check(select(0, &set, NULL, NULL, &tv) == 1, "%sbind: the listener is readable (select)", tag);
        r = WSAPoll(&fd, 1, 10000);
        lsp_check(r == 1 && (fd.revents & POLLRDNORM), "%sbind: the listener is readable (WSAPoll %d, revents %#x)",
                  tag, r, fd.revents);
    }
    {
        /* The listener is no connection: recv, send, shutdown, WSARecvDisconnect, WSASendDisconnect
         * and ReadFile fail, and none of them touches the proxy connection or its second reply, which
         * accept reads below (a non-IFS listener's socket below is the proxy connection; an IFS
         * listener's ReadFile reaches its own socket, which never connected). */
        static OVERLAPPED ov; /* static: a read that stayed pending must not point into a dead frame */
        DWORD got = 0;
        BOOL ok;
        r = recv(l, buf, sizeof(buf), 0);
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && e == WSAENOTCONN, "%sbind: recv on the listener -> WSAENOTCONN (%d, %d)", tag, r, e);
        r = send(l, "x", 1, 0);
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && e == WSAENOTCONN, "%sbind: send on the listener -> WSAENOTCONN (%d, %d)", tag, r, e);
        r = shutdown(l, SD_BOTH);
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && e == WSAENOTCONN, "%sbind: shutdown on the listener -> WSAENOTCONN (%d, %d)", tag, r,
                  e);
        r = WSARecvDisconnect(l, NULL);
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && e == WSAENOTCONN, "%sbind: WSARecvDisconnect on the listener -> WSAENOTCONN (%d, %d)",
                  tag, r, e);
        r = WSASendDisconnect(l, NULL);
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && e == WSAENOTCONN, "%sbind: WSASendDisconnect on the listener -> WSAENOTCONN (%d, %d)",
                  tag, r, e);
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
        ok = ReadFile((HANDLE)l, buf, sizeof(buf), &got, &ov);
        e = ok ? 0 : (int)GetLastError();
        if (!ok && e == ERROR_IO_PENDING)
        {
            if (WaitForSingleObject(ov.hEvent, 2000))
            {
                CancelIoEx((HANDLE)l, &ov);
                WaitForSingleObject(ov.hEvent, 2000);
            }
            ok = GetOverlappedResult((HANDLE)l, &ov, &got, FALSE);
            e = ok ? 0 : (int)GetLastError();
        }
        lsp_check(!ok && !got, "%sbind: ReadFile on the listener fails and reads nothing (%lu bytes, error %d)", tag,
                  (unsigned long)got, e);
        if (e != ERROR_IO_INCOMPLETE) CloseHandle(ov.hEvent);
    }
    a = accept(l, (struct sockaddr *)&pa, &palen);
    lsp_check(a != INVALID_SOCKET, "%sbind: accept (%d)", tag, a == INVALID_SOCKET ? WSAGetLastError() : 0);
    if (a != INVALID_SOCKET)
    {
        lsp_check(same_sockaddr(&pa, palen, &ca, calen), "%sbind: accept reports the connecting host's address "
                  "(the proxy's second reply, port %u)", tag, ntohs(((struct sockaddr_in *)&pa)->sin_port));
        lsp_check(!getpeername(a, (struct sockaddr *)&peer, &plen) && same_sockaddr(&peer, plen, &ca, calen),
                  "%sbind: getpeername of the accepted socket reports it too", tag);
        lsp_check(!getsockname(a, (struct sockaddr *)&name, &nlen) && same_sockaddr(&name, nlen, &la, lalen),
                  "%sbind: getsockname of the accepted socket is the proxy's address", tag);
        memset(&info, 0, sizeof(info));
        r = lsp_sock_info(a, &info);
        lsp_check(r && !(info.dwServiceFlags1 & XP1_IFS_HANDLES) == !ifs, "%sbind: the accepted socket is the %s "
                  "chain's (flags %#lx)", tag, ifs ? "IFS" : "non-IFS", (unsigned long)info.dwServiceFlags1);
        WSAEventSelect(a, NULL, 0);
        ioctlsocket(a, FIONBIO, &off);
        lsp_check(lsp_send_all(a, "bind-to-host", 12) && lsp_recv_all(c, buf, 12) && !memcmp(buf, "bind-to-host", 12),
                  "%sbind: accepted -> host, byte for byte", tag);
        memset(buf, 0, sizeof(buf));
        lsp_check(lsp_send_all(c, "host-to-accepted!", 17) && lsp_recv_all(a, buf, 17) &&
                      !memcmp(buf, "host-to-accepted!", 17),
                  "%sbind: host -> accepted, byte for byte", tag);
        closesocket(a);
    }
    WSAEventSelect(l, NULL, 0);
    ioctlsocket(l, FIONBIO, &off);
    a = accept(l, NULL, NULL);
    e = WSAGetLastError();
    lsp_check(a == INVALID_SOCKET && e == WSAEINVAL, "%sbind: one connection per BIND, then accept -> WSAEINVAL (%d)",
              tag, e);
    if (c != INVALID_SOCKET) closesocket(c);
    closesocket(l);
    WSACloseEvent(ev);
}

/* ---- ConnectEx through the proxy with a completion port (both chain kinds; on IFS chains the
 * conversation runs in the background and a request of the base provider completes the OVERLAPPED) ---- */

/* A bound TCP socket associated with port, and its ConnectEx. */
static SOCKET cx_socket(HANDLE port, LPFN_CONNECTEX *cx)
{
    GUID g = WSAID_CONNECTEX;
    struct sockaddr_storage local;
    DWORD bytes = 0;
    int llen;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);

    *cx = NULL;
    make_addr("0.0.0.0", 0, &local, &llen);
    if (s == INVALID_SOCKET) return s;
    WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &g, sizeof(g), cx, sizeof(*cx), &bytes, NULL, NULL);
    if (!*cx || bind(s, (struct sockaddr *)&local, llen) || CreateIoCompletionPort((HANDLE)s, port, 7, 0) != port)
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

static void connectex_port_tests(unsigned port_ok, unsigned port_refused, BOOL ifs)
{
    const char *tag = ifs ? "connectex (ifs)" : "connectex";
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    struct sockaddr_storage to;
    LPFN_CONNECTEX cx;
    OVERLAPPED ov, *got;
    ULONG_PTR key;
    DWORD bytes, flags, e, t0;
    char buf[16] = { 0 };
    int len;
    BOOL r, q;
    SOCKET s;

    /* 1. the initial data's count in the packet, then the echo */
    s = cx_socket(port, &cx);
    if (!lsp_check(s != INVALID_SOCKET, "%s: a bound socket on a completion port (%d)", tag, WSAGetLastError())) return;
    make_addr("127.0.0.1", port_ok, &to, &len);
    memset(&ov, 0, sizeof(ov));
    r = cx(s, (struct sockaddr *)&to, len, "cx-port", 7, &bytes, &ov);
    e = WSAGetLastError();
    lsp_check(!r && e == ERROR_IO_PENDING, "%s: ConnectEx through the proxy is pending (%d %lu)", tag, r,
              (unsigned long)e);
    got = NULL;
    q = GetQueuedCompletionStatus(port, &bytes, &key, &got, 20000);
    lsp_check(q && got == &ov && key == 7 && bytes == 7, "%s: the completion packet: the initial data's 7 bytes "
              "(%d, ov %s, key %lu, bytes %lu, error %lu)", tag, q, got == &ov ? "ok" : "other", (unsigned long)key,
              (unsigned long)bytes, q ? 0ul : (unsigned long)GetLastError());
    setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
    lsp_check(q && lsp_recv_all(s, buf, 7) && !memcmp(buf, "cx-port", 7), "%s: the echo of the initial data", tag);
    closesocket(s);

    /* 2. a target the proxy cannot reach: the error through the port and WSAGetOverlappedResult */
    s = cx_socket(port, &cx);
    if (!lsp_check(s != INVALID_SOCKET, "%s: a second socket", tag)) return;
    make_addr("127.0.0.1", port_refused, &to, &len);
    memset(&ov, 0, sizeof(ov));
    r = cx(s, (struct sockaddr *)&to, len, NULL, 0, &bytes, &ov);
    e = WSAGetLastError();
    lsp_check(!r && e == ERROR_IO_PENDING, "%s: ConnectEx to an unreachable target is pending (%d %lu)", tag, r,
              (unsigned long)e);
    got = NULL;
    q = GetQueuedCompletionStatus(port, &bytes, &key, &got, 20000);
    e = GetLastError();
    /* the kernel's status (IFS) is ERROR_CONNECTION_REFUSED for GetLastError, as Windows reports a
     * refused ConnectEx; WPUCompleteOverlappedRequest's error (non-IFS) is the Winsock error itself */
    lsp_check(!q && got == &ov && (ifs ? e == ERROR_CONNECTION_REFUSED : e == WSAECONNREFUSED),
              "%s: the packet reports the refusal (%d, error %lu)", tag, q, (unsigned long)e);
    r = WSAGetOverlappedResult(s, (LPWSAOVERLAPPED)&ov, &bytes, FALSE, &flags);
    e = WSAGetLastError();
    lsp_check(!r && e == WSAECONNREFUSED, "%s: WSAGetOverlappedResult -> WSAECONNREFUSED (%d %lu)", tag, r,
              (unsigned long)e);
    closesocket(s);

    /* 3. FILE_SKIP_COMPLETION_PORT_ON_SUCCESS: a ConnectEx that succeeds in the call queues nothing,
     * one that is pending queues exactly one packet (IFS chains; on non-IFS sockets the flag suppresses
     * the layer's packets, a limit docs/STATUS.md states) */
    if (!ifs)
    {
        CloseHandle(port);
        return;
    }
    s = cx_socket(port, &cx);
    if (!lsp_check(s != INVALID_SOCKET, "%s: a third socket", tag)) return;
    lsp_check(SetFileCompletionNotificationModes((HANDLE)s, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS),
              "%s: SetFileCompletionNotificationModes (%lu)", tag, (unsigned long)GetLastError());
    make_addr("127.0.0.1", port_ok, &to, &len);
    memset(&ov, 0, sizeof(ov));
    t0 = GetTickCount();
    r = cx(s, (struct sockaddr *)&to, len, "cx-skip", 7, &bytes, &ov);
    e = WSAGetLastError();
    /* where the layer can complete requests as the kernel does, the conversation runs in the
     * background there too (pending, then exactly one packet); elsewhere it runs in the call */
    lsp_check(lsp_wine_completes_ifs() ? !r && e == ERROR_IO_PENDING : r || e == ERROR_IO_PENDING,
              "%s, skipping the port on success: ConnectEx %s (%d %lu)", tag,
              lsp_wine_completes_ifs() ? "is pending" : "", r, (unsigned long)e);
    got = NULL;
    q = GetQueuedCompletionStatus(port, &bytes, &key, &got, r ? 1000 : 20000);
    lsp_check(r ? !q && !got : q && got == &ov && key == 7 && bytes == 7,
              "%s, skipping the port on success: %s (%d, %lu ms)", tag,
              r ? "no packet after a synchronous success" : "one packet for the pending call", q,
              (unsigned long)(GetTickCount() - t0));
    if (!r)
    {
        r = WSAGetOverlappedResult(s, (LPWSAOVERLAPPED)&ov, &bytes, FALSE, &flags);
        lsp_check(r && bytes == 7, "%s, skipping the port on success: WSAGetOverlappedResult: 7 bytes (%d %lu)", tag,
                  r, (unsigned long)bytes);
        q = GetQueuedCompletionStatus(port, &bytes, &key, &got, 300);
        lsp_check(!q && GetLastError() == WAIT_TIMEOUT, "%s, skipping the port on success: no second packet", tag);
    }
    setsockopt(s, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0);
    memset(buf, 0, sizeof(buf));
    lsp_check(lsp_recv_all(s, buf, 7) && !memcmp(buf, "cx-skip", 7), "%s, skipping the port on success: the echo", tag);
    closesocket(s);
    CloseHandle(port);
}

/* WSAAsyncSelect on a listener through the proxy: one FD_ACCEPT message naming the listener once
 * the host connects; closed without accept. */
static void bind_async(const char *tag)
{
    struct sockaddr_storage own, la, ca;
    int ownlen = sizeof(own), lalen = sizeof(la), calen = sizeof(ca);
    HWND hwnd = CreateWindowExA(0, "STATIC", "socks-bind", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    SOCKET l = bind_listener(tag, &own, &ownlen, &la, &lalen), c;
    DWORD start = GetTickCount();
    LPARAM got = (LPARAM)-1;
    MSG m;

    if (l == INVALID_SOCKET) return;
    lsp_check(!WSAAsyncSelect(l, hwnd, WM_USER + 9, FD_ACCEPT), "%sbind (asyncselect): WSAAsyncSelect", tag);
    c = bind_host(tag, &la, lalen, &ca, &calen);
    while (got == (LPARAM)-1 && GetTickCount() - start < 10000)
    {
        if (PeekMessageA(&m, hwnd, WM_USER + 9, WM_USER + 9, PM_REMOVE))
        {
            if ((SOCKET)m.wParam == l) got = m.lParam;
        }
        else MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_ALLINPUT);
    }
    lsp_check(got != (LPARAM)-1 && WSAGETSELECTEVENT(got) == FD_ACCEPT && !WSAGETSELECTERROR(got),
              "%sbind (asyncselect): an FD_ACCEPT message for the listener (lParam %#lx)", tag, (unsigned long)got);
    WSAAsyncSelect(l, hwnd, 0, 0);
    lsp_check(!closesocket(l), "%sbind (asyncselect): the listener closed without accept", tag);
    if (c != INVALID_SOCKET) closesocket(c);
    DestroyWindow(hwnd);
}

struct bind_host_later
{
    const char *tag;
    struct sockaddr_storage la, ca;
    int lalen, calen;
    SOCKET c;
};

static DWORD WINAPI bind_host_thread(void *param)
{
    struct bind_host_later *h = param;
    Sleep(300);
    h->c = bind_host(h->tag, &h->la, h->lalen, &h->ca, &h->calen);
    return 0;
}

/* A blocking WSAAccept on a listener through the proxy, made before the host connects (a thread
 * connects it 300 ms later): it waits for the proxy's second reply. */
static void bind_blocking(const char *tag)
{
    struct bind_host_later h;
    struct sockaddr_storage own, pa;
    int ownlen = sizeof(own), palen = sizeof(pa);
    SOCKET l, a;
    HANDLE th;

    memset(&h, 0, sizeof(h));
    h.tag = tag;
    h.lalen = sizeof(h.la);
    h.calen = sizeof(h.ca);
    h.c = INVALID_SOCKET;
    if ((l = bind_listener(tag, &own, &ownlen, &h.la, &h.lalen)) == INVALID_SOCKET) return;
    th = CreateThread(NULL, 0, bind_host_thread, &h, 0, NULL);
    a = WSAAccept(l, (struct sockaddr *)&pa, &palen, NULL, 0);
    lsp_check(a != INVALID_SOCKET, "%sbind (blocking): WSAAccept waits for the host (%d)", tag,
              a == INVALID_SOCKET ? WSAGetLastError() : 0);
    if (th) WaitForSingleObject(th, 15000), CloseHandle(th);
    lsp_check(a != INVALID_SOCKET && same_sockaddr(&pa, palen, &h.ca, h.calen),
              "%sbind (blocking): WSAAccept reports the connecting host's address", tag);
    if (a != INVALID_SOCKET) closesocket(a);
    if (h.c != INVALID_SOCKET) closesocket(h.c);
    closesocket(l);
}

/* Listeners through the proxy closed while they listen: nothing left open (the proxy connection,
 * an IFS listener's separate socket below). */
static void bind_close(const char *tag)
{
    struct sockaddr_storage own, la;
    ULONG_PTR p0, p1;
    int i, ownlen, lalen;

    p0 = handle_probe();
    for (i = 0; i < 4; i++)
    {
        SOCKET l;
        ownlen = sizeof(own);
        lalen = sizeof(la);
        if ((l = bind_listener(tag, &own, &ownlen, &la, &lalen)) != INVALID_SOCKET)
            lsp_check(!closesocket(l), "%sbind: a listener closed while it listens through the proxy", tag);
    }
    p1 = handle_probe();
    lsp_check(p1 <= p0 + 8, "%sbind: 4 listeners through the proxy closed, no handle left (probe %#lx -> %#lx)", tag,
              (unsigned long)p0, (unsigned long)p1);
}

static int child(int argc, char **argv)
{
    WSADATA wsa;
    const char *mode = argv[1];
    unsigned p4 = argc > 2 ? (unsigned)atoi(argv[2]) : 0, p6 = argc > 3 ? (unsigned)atoi(argv[3]) : 0;
    int err;

    WSAStartup(MAKEWORD(2, 2), &wsa);
    if (!strcmp(mode, "client"))
    {
        err = echo_through("127.0.0.1", p4, FALSE, "ipv4");
        lsp_check(!err, "ipv4: connected through the proxy (%d)", err);
        err = echo_through("::1", p6, FALSE, "ipv6");
        lsp_check(!err, "ipv6: connected through the proxy (%d)", err);
        err = echo_through("198.18.0.7", p4, FALSE, "name");
        lsp_check(!err, "name: 198.18.0.7 reached as echo.test through the proxy (%d)", err);
        err = echo_through("127.0.0.1", p4, TRUE, "connectex");
        lsp_check(!err, "connectex: connected through the proxy (%d)", err);
        nonblocking(p4, "select");
        if (argc > 4)
        {
            err = echo_through("127.0.0.1", (unsigned)atoi(argv[4]), FALSE, "refused");
            lsp_check(err == WSAECONNREFUSED, "a target the proxy cannot reach: WSAECONNREFUSED (%d)", err);
            nonblocking_refused((unsigned)atoi(argv[4]));
        }
    }
    else if (!strcmp(mode, "bind"))
    {
        BOOL ifs = argc > 3 && !strcmp(argv[3], "ifs");
        bind_tests(p4, ifs);
        bind_async(ifs ? "ifs: " : "");
        bind_blocking(ifs ? "ifs: " : "");
        bind_close(ifs ? "ifs: " : "");
    }
    else if (!strcmp(mode, "connectex"))
        connectex_port_tests(p4, p6, argc > 4 && !strcmp(argv[4], "ifs"));
    else if (!strcmp(mode, "udp"))
        udp_tests(p4, p6, argc > 4 && !strcmp(argv[4], "ifs"));
    else if (!strcmp(mode, "async"))
    {
        nonblocking(p4, "eventselect");
        nonblocking(p4, "asyncselect");
        nonblocking(p4, "poll");
        nonblocking(p4, "select");
        if (argc > 3) nonblocking_refused(p6);
    }
    else if (!strcmp(mode, "stacked"))
    {
        /* The socket is the stacked chain's (trace over SOCKS over the base), traffic reaches the
         * target through the proxy, blocking and non-blocking. */
        WSAPROTOCOL_INFOW info;
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        BOOL got = lsp_sock_info(s, &info);
        lsp_check(got && info.ProtocolChain.ChainLen == 3, "stacked: a TCP/IPv4 socket is made by the 3-entry chain "
                  "(ChainLen %d)", got ? info.ProtocolChain.ChainLen : -1);
        closesocket(s);
        err = echo_through("127.0.0.1", p4, FALSE, "stacked");
        lsp_check(!err, "stacked: connected through both layers (%d)", err);
        nonblocking(p4, "select");
    }
    else if (!strcmp(mode, "hostname"))
    {
        err = echo_through("127.0.0.1", p4, FALSE, "hostname");
        lsp_check(!err, "hostname: connected through the proxy named by its host name (%d)", err);
        err = echo_through("::1", p6, FALSE, "hostname6");
        lsp_check(!err, "hostname6: an IPv6 socket through the proxy named by its host name (%d)", err);
    }
    else if (!strcmp(mode, "auth") || !strcmp(mode, "direct"))
    {
        err = echo_through("127.0.0.1", p4, FALSE, mode);
        lsp_check(!err, "%s: connected (%d)", mode, err);
    }
    else if (!strcmp(mode, "hostile"))
    {
        /* a hostile proxy (socks5_server --hostile): 198.18.0.21-26 are sent as *.hostile names */
        static const struct { const char *ip, *what; int want; } cases[] = {
            { "198.18.0.21", "a 3-byte reply, then close", WSAECONNREFUSED },
            { "198.18.0.22", "no reply, close", WSAECONNREFUSED },
            { "198.18.0.23", "SOCKS version 4", WSAECONNREFUSED },
            { "198.18.0.24", "address type 9", WSAECONNREFUSED },
            { "198.18.0.25", "reserved byte set", WSAECONNREFUSED },
            { "198.18.0.26", "255-byte name announced, 20 sent, close", WSAECONNREFUSED },
        };
        size_t i;
        for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        {
            err = echo_through(cases[i].ip, p4, FALSE, "hostile");
            lsp_check(err == cases[i].want, "hostile proxy, %s: connect fails with %d (%d)", cases[i].what,
                      cases[i].want, err);
        }
        err = echo_through("127.0.0.1", p4, FALSE, "after-hostile");
        lsp_check(!err, "the same proxy still serves an ordinary CONNECT afterwards (%d)", err);
    }
    else if (!strcmp(mode, "hostile_method") || !strcmp(mode, "hostile_auth"))
    {
        /* socks5_server --hostile-seq: the n-th connection gets the n-th broken negotiation; these
         * connects are made one after the other, in the server's order */
        static const struct { const char *what; int want, how; } methods[] = {
            { "method 0xFF (no acceptable method)", WSAECONNREFUSED, 0 },
            { "method reply of version 4", WSAECONNREFUSED, 0 },
            { "a 1-byte method reply, then close", WSAECONNREFUSED, 0 },
            { "method 1 (GSSAPI, not offered)", WSAECONNREFUSED, 0 },
            { "method 2 (username/password, not offered)", WSAECONNREFUSED, 0 },
            { "close after the greeting, no method reply", WSAECONNREFUSED, 0 },
            { "method 0xFF, non-blocking connect (SO_ERROR)", WSAECONNREFUSED, 1 },
            { "method reply of version 4, ConnectEx", WSAECONNREFUSED, 2 },
            { "no method reply, the connection kept open (the LSP's 30 s limit)", WSAECONNREFUSED, 0 },
        }, auths[] = {
            { "RFC 1929 status 0x80 (refused)", WSAEACCES, 0 },
            { "RFC 1929 reply of version 5", WSAECONNREFUSED, 0 },
            { "a 1-byte RFC 1929 reply, then close", WSAECONNREFUSED, 0 },
            { "close after the RFC 1929 request, no reply", WSAECONNREFUSED, 0 },
        };
        /* how: 0 blocking connect, 1 non-blocking, 2 ConnectEx */
        BOOL auth = !strcmp(mode, "hostile_auth");
        size_t i, n = auth ? sizeof(auths) / sizeof(auths[0]) : sizeof(methods) / sizeof(methods[0]);
        for (i = 0; i < n; i++)
        {
            const char *what = auth ? auths[i].what : methods[i].what;
            int want = auth ? auths[i].want : methods[i].want, how = auth ? 0 : methods[i].how;
            DWORD t0 = GetTickCount();
            DWORD ms;
            BOOL stall = !auth && i == n - 1; /* the proxy holds the connection for 60 s */
            if (how == 1) err = nonblocking_error(p4);
            else err = echo_through("127.0.0.1", p4, how == 2, mode);
            ms = GetTickCount() - t0;
            /* within the LSP's 30 s per step (README), not when the proxy gives up */
            lsp_check(err == want && ms < 45000 && (!stall || ms >= 25000),
                      "hostile proxy, %s: connect fails with %d within the LSP's limits (%d, %lu ms)", what, want, err,
                      (unsigned long)ms);
        }
        if (auth)
        {
            err = echo_through("127.0.0.1", p4, FALSE, "after-hostile-seq");
            lsp_check(!err, "the same proxy still serves an ordinary CONNECT afterwards (%d)", err);
        }
    }
    else if (!strcmp(mode, "authfail"))
    {
        err = echo_through("127.0.0.1", p4, FALSE, mode);
        lsp_check(err == WSAEACCES, "authfail: connect fails with WSAEACCES when the proxy rejects the password (%d)",
                  err);
    }
    WSACleanup();
    return lsp_failures;
}

/* ---- parent side ---- */

static DWORD WINAPI echo_conn(void *param)
{
    SOCKET s = (SOCKET)(ULONG_PTR)param;
    char buf[4096];
    int n;
    while ((n = recv(s, buf, sizeof(buf), 0)) > 0)
        if (!lsp_send_all(s, buf, n)) break;
    closesocket(s);
    return 0;
}

static DWORD WINAPI echo_server(void *param)
{
    SOCKET l = (SOCKET)(ULONG_PTR)param, c;
    while ((c = accept(l, NULL, NULL)) != INVALID_SOCKET)
    {
        HANDLE t = CreateThread(NULL, 0, echo_conn, (void *)(ULONG_PTR)c, 0, NULL);
        if (t) CloseHandle(t);
    }
    return 0;
}

/* UDP echo targets, made with the base providers' entries (the LSP's chains are first in the
 * catalog; the targets must not go through it). */
static DWORD WINAPI udp_echo_server(void *param)
{
    SOCKET u = (SOCKET)(ULONG_PTR)param;
    static char buf[65536];
    struct sockaddr_storage from;
    int flen, n;

    for (;;)
    {
        flen = sizeof(from);
        if ((n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen)) < 0)
        {
            if (WSAGetLastError() == WSAECONNRESET) continue;
            break;
        }
        sendto(u, buf, n, 0, (struct sockaddr *)&from, flen);
    }
    return 0;
}

static SOCKET udp_echo_start(int af, unsigned *port)
{
    WSAPROTOCOL_INFOW info;
    struct sockaddr_storage a;
    int len;
    SOCKET u;

    *port = 0;
    if (!lsp_base_entry(af, SOCK_DGRAM, IPPROTO_UDP, &info)) return INVALID_SOCKET;
    u = WSASocketW(af, SOCK_DGRAM, IPPROTO_UDP, &info, 0, 0);
    make_addr(af == AF_INET ? "127.0.0.1" : "::1", 0, &a, &len);
    if (u == INVALID_SOCKET || bind(u, (struct sockaddr *)&a, len) || getsockname(u, (struct sockaddr *)&a, &len))
        return INVALID_SOCKET;
    *port = ntohs(af == AF_INET ? ((struct sockaddr_in *)&a)->sin_port : ((struct sockaddr_in6 *)&a)->sin6_port);
    CloseHandle(CreateThread(NULL, 0, udp_echo_server, (void *)(ULONG_PTR)u, 0, NULL));
    return u;
}

static unsigned listen_port(const struct sockaddr_storage *a)
{
    return ntohs(a->ss_family == AF_INET ? ((struct sockaddr_in *)a)->sin_port : ((struct sockaddr_in6 *)a)->sin6_port);
}

static HANDLE start_server(const WCHAR *tag, const WCHAR *extra, unsigned *port, WCHAR *log)
{
    WCHAR exe[MAX_PATH], portfile[MAX_PATH], cmd[4 * MAX_PATH], name[64];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    char *text;
    int i;

    lsp_module_dir_file(L"socks5_server.exe", exe, MAX_PATH);
    _snwprintf(name, 64, L"socks5_%ls.port", tag);
    lsp_module_dir_file(name, portfile, MAX_PATH);
    _snwprintf(name, 64, L"socks5_%ls.log", tag);
    lsp_module_dir_file(name, log, MAX_PATH);
    DeleteFileW(portfile);
    DeleteFileW(log);
    _snwprintf(cmd, 4 * MAX_PATH, L"\"%ls\" \"%ls\" \"%ls\" %ls", exe, portfile, log, extra);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (!lsp_create_process(exe, cmd, FALSE, &si, &pi)) return NULL;
    CloseHandle(pi.hThread);
    *port = 0;
    for (i = 0; i < 300 && !*port; i++)
    {
        Sleep(100);
        if ((text = lsp_read_file(portfile, NULL)))
        {
            *port = (unsigned)atoi(text);
            free(text);
        }
    }
    return pi.hProcess;
}

static BOOL set_config(unsigned port, const WCHAR *procs, size_t procs_size, const WCHAR *user, const WCHAR *pass)
{
    static const WCHAR names[] = L"198.18.0.7=echo.test\0" L"198.18.0.21=short.hostile\0"
                                 L"198.18.0.22=silent.hostile\0" L"198.18.0.23=badver.hostile\0"
                                 L"198.18.0.24=badatyp.hostile\0" L"198.18.0.25=rsv.hostile\0"
                                 L"198.18.0.26=longname.hostile\0";
    HKEY key;
    DWORD p = port;
    BOOL ok;

    RegDeleteKeyA(HKEY_LOCAL_MACHINE, SOCKS_KEY);
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, SOCKS_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL)) return FALSE;
    ok = !RegSetValueExW(key, L"ProxyAddress", 0, REG_SZ, (const BYTE *)L"127.0.0.1", sizeof(L"127.0.0.1")) &&
         !RegSetValueExW(key, L"ProxyPort", 0, REG_DWORD, (const BYTE *)&p, sizeof(p)) &&
         !RegSetValueExW(key, L"Processes", 0, REG_MULTI_SZ, (const BYTE *)procs, (DWORD)procs_size) &&
         !RegSetValueExW(key, L"Names", 0, REG_MULTI_SZ, (const BYTE *)names, sizeof(names));
    if (ok && user)
        ok = !RegSetValueExW(key, L"Username", 0, REG_SZ, (const BYTE *)user, (DWORD)(wcslen(user) + 1) * sizeof(WCHAR)) &&
             !RegSetValueExW(key, L"Password", 0, REG_SZ, (const BYTE *)pass, (DWORD)(wcslen(pass) + 1) * sizeof(WCHAR));
    RegCloseKey(key);
    return ok;
}

/* The configuration with ProxyAddress = host (a name). */
static BOOL set_config_host(unsigned port, const WCHAR *host, const WCHAR *procs, size_t procs_size)
{
    HKEY key;
    BOOL ok;

    if (!set_config(port, procs, procs_size, NULL, NULL)) return FALSE;
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, SOCKS_KEY, 0, KEY_ALL_ACCESS, &key)) return FALSE;
    ok = !RegSetValueExW(key, L"ProxyAddress", 0, REG_SZ, (const BYTE *)host, (DWORD)(wcslen(host) + 1) * sizeof(WCHAR));
    RegCloseKey(key);
    return ok;
}

/* Installs the tracing LSP over the SOCKS chain for TCP/IPv4 (a hidden layered entry, a chain
 * [trace, socks, base] placed first), configured to log this program to log. */
static BOOL install_stacked(WCHAR *log)
{
    WSAPROTOCOL_INFOW dummy, chain, *cat;
    WCHAR path[MAX_PATH];
    DWORD *order, trace_id = 0;
    int err = 0, n, i, k = 0, r;
    static const WCHAR procs[] = L"lsp_socks_e2e.exe\0";
    HKEY key;
    BOOL found = FALSE;

    lsp_module_dir_file(L"lsp_socks_stacked.log", log, MAX_PATH);
    DeleteFileW(log);
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, TRACE_KEY, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL)) return FALSE;
    r = RegSetValueExW(key, L"LogFile", 0, REG_SZ, (BYTE *)log, (DWORD)(wcslen(log) + 1) * sizeof(WCHAR)) ||
        RegSetValueExW(key, L"Processes", 0, REG_MULTI_SZ, (const BYTE *)procs, sizeof(procs));
    RegCloseKey(key);
    if (!lsp_check(!r, "stacked: tracing LSP configured")) return FALSE;
    cat = lsp_catalog(&n);
    for (i = 0; i < n; i++)
        if (!memcmp(&cat[i].ProviderId, &chain_guid, sizeof(GUID)) && cat[i].iAddressFamily == AF_INET &&
            cat[i].iSocketType == SOCK_STREAM)
        {
            chain = cat[i];
            found = TRUE;
        }
    free(cat);
    if (!lsp_check(found && chain.ProtocolChain.ChainLen == 2, "stacked: the SOCKS TCP/IPv4 chain found")) return FALSE;
    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    dummy = chain;
    dummy.dwProviderFlags = PFL_HIDDEN;
    dummy.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    lstrcpynW(dummy.szProtocol, L"openws2 trace LSP (stacked)", WSAPROTOCOL_LEN + 1);
    r = WSCInstallProvider(&trace_dummy_guid, path, &dummy, 1, &err);
    if (!lsp_check(!r, "stacked: WSCInstallProvider the tracing layered entry (%d)", r ? err : 0)) return FALSE;
    cat = lsp_catalog(&n);
    for (i = 0; i < n; i++)
        if (!memcmp(&cat[i].ProviderId, &trace_dummy_guid, sizeof(GUID))) trace_id = cat[i].dwCatalogEntryId;
    free(cat);
    chain.ProtocolChain.ChainLen = 3;
    chain.ProtocolChain.ChainEntries[2] = chain.ProtocolChain.ChainEntries[1];
    chain.ProtocolChain.ChainEntries[1] = chain.ProtocolChain.ChainEntries[0];
    chain.ProtocolChain.ChainEntries[0] = trace_id;
    lstrcpynW(chain.szProtocol, L"openws2 trace over SOCKS5 over TCP/IP", WSAPROTOCOL_LEN + 1);
    r = WSCInstallProvider(&trace_chain_guid, path, &chain, 1, &err);
    if (!lsp_check(!r && trace_id, "stacked: WSCInstallProvider the chain [%lu, %lu, %lu] (%d)", (unsigned long)trace_id,
                   (unsigned long)chain.ProtocolChain.ChainEntries[1], (unsigned long)chain.ProtocolChain.ChainEntries[2],
                   r ? err : 0))
        return FALSE;
    cat = lsp_catalog(&n);
    order = calloc(n, sizeof(*order));
    for (i = 0; i < n; i++)
        if (!memcmp(&cat[i].ProviderId, &trace_chain_guid, sizeof(GUID))) order[k++] = cat[i].dwCatalogEntryId;
    for (i = 0; i < n; i++)
        if (memcmp(&cat[i].ProviderId, &trace_chain_guid, sizeof(GUID))) order[k++] = cat[i].dwCatalogEntryId;
    free(cat);
    r = WSCWriteProviderOrder(order, (DWORD)n);
    free(order);
    return lsp_check(!r, "stacked: the stacked chain first (%d)", r);
}

static BOOL install(BOOL ifs)
{
    WSAPROTOCOL_INFOW dummy, chains[4], *cat;
    WCHAR path[MAX_PATH];
    DWORD *order, dummy_id = 0;
    int err = 0, n, i, k = 0, r;

    lsp_module_dir_file(L"openws2_lsp_socks.dll", path, MAX_PATH);
    if (!lsp_check(lsp_base_tcp(AF_INET, &chains[0]) && lsp_base_tcp(AF_INET6, &chains[1]) &&
                       lsp_base_entry(AF_INET, SOCK_DGRAM, IPPROTO_UDP, &chains[2]) &&
                       lsp_base_entry(AF_INET6, SOCK_DGRAM, IPPROTO_UDP, &chains[3]),
                   "base TCP and UDP entries found"))
        return FALSE;
    dummy = chains[0];
    dummy.dwProviderFlags = PFL_HIDDEN;
    if (!ifs) dummy.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    dummy.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    lstrcpynW(dummy.szProtocol, L"openws2 SOCKS5 LSP", WSAPROTOCOL_LEN + 1);
    r = WSCInstallProvider(&dummy_guid, path, &dummy, 1, &err);
    if (!lsp_check(!r, "WSCInstallProvider: the layered entry (%d)", r ? err : 0)) return FALSE;
    cat = lsp_catalog(&n);
    for (i = 0; i < n; i++)
        if (!memcmp(&cat[i].ProviderId, &dummy_guid, sizeof(GUID))) dummy_id = cat[i].dwCatalogEntryId;
    free(cat);
    for (i = 0; i < 4; i++)
    {
        DWORD base = chains[i].dwCatalogEntryId;
        if (!ifs) chains[i].dwServiceFlags1 &= ~XP1_IFS_HANDLES;
        else if (!lsp_check(chains[i].dwServiceFlags1 & XP1_IFS_HANDLES, "ifs: the base TCP entry has XP1_IFS_HANDLES"))
            return FALSE;
        chains[i].ProtocolChain.ChainLen = 2;
        chains[i].ProtocolChain.ChainEntries[0] = dummy_id;
        chains[i].ProtocolChain.ChainEntries[1] = base;
        _snwprintf(chains[i].szProtocol, WSAPROTOCOL_LEN, L"openws2 SOCKS5 over %ls",
                   i == 0 ? L"TCP/IP" : i == 1 ? L"TCP/IPv6" : i == 2 ? L"UDP/IP" : L"UDP/IPv6");
    }
    r = WSCInstallProvider(&chain_guid, path, chains, 4, &err);
    if (!lsp_check(!r && dummy_id, "WSCInstallProvider: four chains (TCP, UDP) over layered entry %lu (%d)", (unsigned long)dummy_id,
                   r ? err : 0))
        return FALSE;
    /* The chains are last: WSCWriteProviderOrder puts them first. */
    cat = lsp_catalog(&n);
    order = calloc(n, sizeof(*order));
    for (i = 0; i < n; i++)
        if (!memcmp(&cat[i].ProviderId, &chain_guid, sizeof(GUID))) order[k++] = cat[i].dwCatalogEntryId;
    for (i = 0; i < n; i++)
        if (memcmp(&cat[i].ProviderId, &chain_guid, sizeof(GUID))) order[k++] = cat[i].dwCatalogEntryId;
    free(cat);
    r = WSCWriteProviderOrder(order, (DWORD)n);
    free(order);
    cat = lsp_catalog(&n);
    lsp_check(!r && n >= 2 && !memcmp(&cat[0].ProviderId, &chain_guid, sizeof(GUID)) &&
                  !memcmp(&cat[1].ProviderId, &chain_guid, sizeof(GUID)),
              "WSCWriteProviderOrder put the chains first (%d)", r);
    free(cat);
    return TRUE;
}

static int log_lines(const WCHAR *log, const char *a, const char *b)
{
    char *text = lsp_read_file(log, NULL);
    int n = text ? lsp_count_lines(text, a, b, NULL) : -1;
    free(text);
    return n;
}

/* Bind = 1: listening sockets through SOCKS BIND after a primary connection (the bind child), proven
 * by the proxy's log: 7 BINDs naming the primary target (bind_tests, bind_async, bind_blocking, 4 in
 * bind_close), 3 hosts accepted. */
static void bind_run(const WCHAR *log, unsigned port, const WCHAR *me, size_t me_size, unsigned p4, BOOL ifs)
{
    const char *tag = ifs ? "ifs: " : "";
    const char *listening = "BIND for 127.0.0.1:0 -> listening 127.0.0.1:";
    int binds = log_lines(log, listening, NULL), accepted = log_lines(log, "BIND accepted 127.0.0.1:", NULL), r;
    WCHAR args[64];
    HKEY key;
    DWORD one = 1;

    lsp_check(set_config(port, me, me_size, NULL, NULL) &&
                  !RegOpenKeyExA(HKEY_LOCAL_MACHINE, SOCKS_KEY, 0, KEY_ALL_ACCESS, &key) &&
                  !RegSetValueExW(key, L"Bind", 0, REG_DWORD, (const BYTE *)&one, sizeof(one)) && !RegCloseKey(key),
              "%sconfigured: open proxy, Bind = 1", tag);
    _snwprintf(args, 64, L"bind %u %ls", p4, ifs ? L"ifs" : L"-");
    r = lsp_run_self(args, NULL);
    lsp_check(r == 0, "%sbind child: %d failure(s)", tag, r);
    lsp_check(log_lines(log, listening, NULL) == binds + 7 &&
                  log_lines(log, "BIND accepted 127.0.0.1:", NULL) == accepted + 3,
              "%sthe proxy listened for 7 BINDs (naming the primary target) and accepted 3 hosts (%d, %d)", tag,
              log_lines(log, listening, NULL) - binds, log_lines(log, "BIND accepted 127.0.0.1:", NULL) - accepted);
}

/* The UDP child through the open proxy, proven by the proxy's log: its associations, the datagrams it
 * relayed to the targets (IPv4, IPv6, by size) and back, each association ended with its socket. */
static void udp_run(const WCHAR *log, unsigned u4, unsigned u6, BOOL ifs)
{
    const char *tag = ifs ? "ifs: " : "";
    WCHAR args[64];
    char want[96];
    int assoc0 = log_lines(log, "UDP ASSOCIATE client", NULL), end0 = log_lines(log, "UDP ASSOCIATE end", NULL);
    int reply0 = log_lines(log, "UDP REPLY", NULL), sent0 = log_lines(log, "UDP ", "-> sent");
    /* one association and one datagram per socket, but udp_overlapped_port's (3 datagrams; on IFS
     * chains 4, with the skip flag's); on IFS chains of a Wine release where the layer cannot complete
     * requests, the overlapped sockets get none */
    BOOL full = !ifs || lsp_wine_completes_ifs();
    int assoc, r, expect = full ? 7 : 5, dgrams = !full ? 5 : ifs ? 10 : 9, i;

    _snwprintf(args, 64, L"udp %u %u %ls", u4, u6, ifs ? L"ifs" : L"-");
    r = lsp_run_self(args, NULL);
    lsp_check(r == 0, "%sudp child through the proxy: %d failure(s)", tag, r);
    for (i = 0; i < 50 && log_lines(log, "UDP ASSOCIATE end", NULL) - end0 < expect; i++) Sleep(100);
    assoc = log_lines(log, "UDP ASSOCIATE client", NULL) - assoc0;
    lsp_check(assoc == expect, "%sthe proxy saw %d UDP associations (%d)", tag, expect, assoc);
    lsp_check(log_lines(log, "UDP ASSOCIATE end", NULL) - end0 == assoc,
              "%severy association ended with its socket (%d of %d)", tag,
              log_lines(log, "UDP ASSOCIATE end", NULL) - end0, assoc);
    lsp_check(log_lines(log, "UDP ", "-> sent") - sent0 == dgrams && log_lines(log, "UDP REPLY", NULL) - reply0 == dgrams,
              "%sthe proxy relayed %d datagrams each way (%d out, %d back)", tag, dgrams,
              log_lines(log, "UDP ", "-> sent") - sent0, log_lines(log, "UDP REPLY", NULL) - reply0);
    snprintf(want, sizeof(want), "UDP 127.0.0.1:%u len=60000 atyp=1 -> sent", u4);
    lsp_check(log_lines(log, want, NULL) >= 1, "%sthe 60000-byte datagram went through the proxy", tag);
    snprintf(want, sizeof(want), "UDP [::1]:%u len=777 atyp=4 -> sent", u6);
    lsp_check(log_lines(log, want, NULL) >= 1, "%sthe IPv6 datagram went through the proxy (ATYP 4)", tag);
}

int main(int argc, char **argv)
{
    static const WCHAR me[] = L"lsp_socks_e2e.exe\0", other[] = L"some_other_program.exe\0";
    WSADATA wsa;
    struct lsp_dump before, after;
    struct sockaddr_storage a4, a6;
    SOCKET l4 = INVALID_SOCKET, l6 = INVALID_SOCKET;
    HANDLE open_srv = NULL, auth_srv = NULL, hostile_srv = NULL, seq_srv = NULL;
    WCHAR open_log[MAX_PATH], auth_log[MAX_PATH], hostile_log[MAX_PATH], seq_log[MAX_PATH], args[64];
    unsigned open_port = 0, auth_port = 0, hostile_port = 0, seq_port = 0, p4 = 0, p6 = 0, closed_port = 0, u4 = 0,
             u6 = 0;
    SOCKET ue4 = INVALID_SOCKET, ue6 = INVALID_SOCKET;
    char want[64];
    int err = 0, len, r;

    if (argc > 1) return child(argc, argv);
    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    WSCDeinstallProvider(&chain_guid, &err);
    WSCDeinstallProvider(&dummy_guid, &err);
    before = lsp_catalog_dump();
    if (install(FALSE))
    {
        l4 = lsp_listener(AF_INET, &a4, &len);
        l6 = lsp_listener(AF_INET6, &a6, &len);
        if (lsp_check(l4 != INVALID_SOCKET && l6 != INVALID_SOCKET, "echo servers listening through the layer"))
        {
            CloseHandle(CreateThread(NULL, 0, echo_server, (void *)(ULONG_PTR)l4, 0, NULL));
            CloseHandle(CreateThread(NULL, 0, echo_server, (void *)(ULONG_PTR)l6, 0, NULL));
            p4 = listen_port(&a4);
            p6 = listen_port(&a6);
        }
        open_srv = start_server(L"open", L"--map echo.test=127.0.0.1", &open_port, open_log);
        auth_srv = start_server(L"auth", L"--auth alice secret", &auth_port, auth_log);
        lsp_check(open_srv && auth_srv && open_port && auth_port, "SOCKS5 servers started (ports %u, %u)", open_port,
                  auth_port);
        {
            /* a port nobody listens on */
            struct sockaddr_storage ca;
            int clen;
            SOCKET cl = lsp_listener(AF_INET, &ca, &clen);
            closed_port = cl != INVALID_SOCKET ? listen_port(&ca) : 1;
            closesocket(cl);
        }
        _snwprintf(args, 64, L"client %u %u %u", p4, p6, closed_port);
        lsp_check(set_config(open_port, me, sizeof(me), NULL, NULL), "configured: open proxy");
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0, "child through the open proxy: %d failure(s)", r);
        ue4 = udp_echo_start(AF_INET, &u4);
        ue6 = udp_echo_start(AF_INET6, &u6);
        if (lsp_check(ue4 != INVALID_SOCKET && ue6 != INVALID_SOCKET, "UDP echo targets (base providers) on %u, %u", u4,
                      u6))
            udp_run(open_log, u4, u6, FALSE);
        snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> ok", p4);
        lsp_check(log_lines(open_log, want, NULL) == 3,
                  "proxy saw three IPv4 CONNECTs (connect, ConnectEx, non-blocking): %d", log_lines(open_log, want, NULL));
        snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> fail", closed_port);
        lsp_check(log_lines(open_log, want, NULL) == 3, "proxy saw the three CONNECTs it could not make (%d)",
                  log_lines(open_log, want, NULL));
        snprintf(want, sizeof(want), "CONNECT [::1]:%u atyp=4 -> ok", p6);
        lsp_check(log_lines(open_log, want, NULL) == 1, "proxy saw the IPv6 CONNECT");
        snprintf(want, sizeof(want), "CONNECT echo.test:%u atyp=3 -> ok", p4);
        lsp_check(log_lines(open_log, want, NULL) == 1, "proxy saw the domain-name CONNECT");

        lsp_check(set_config(auth_port, me, sizeof(me), L"alice", L"secret"), "configured: proxy with authentication");
        _snwprintf(args, 64, L"auth %u", p4);
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0 && log_lines(auth_log, "AUTH user=alice ok", NULL) == 1 &&
                      log_lines(auth_log, "CONNECT 127.0.0.1:", "-> ok") == 1,
                  "RFC 1929: authenticated and connected (child %d)", r);
        lsp_check(set_config(auth_port, me, sizeof(me), L"alice", L"wrong"), "configured: wrong password");
        _snwprintf(args, 64, L"authfail %u", p4);
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0 && log_lines(auth_log, "AUTH user=alice bad", NULL) == 1 &&
                      log_lines(auth_log, "CONNECT", NULL) == 1,
                  "RFC 1929: the rejected password fails the connection (child %d)", r);

        /* A hostile proxy: broken CONNECT replies give connect errors, never a crash. */
        hostile_srv = start_server(L"hostile", L"--hostile", &hostile_port, hostile_log);
        lsp_check(hostile_srv && hostile_port, "hostile SOCKS5 server started (port %u)", hostile_port);
        lsp_check(set_config(hostile_port, me, sizeof(me), NULL, NULL), "configured: hostile proxy");
        _snwprintf(args, 64, L"hostile %u", p4);
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0 && log_lines(hostile_log, "HOSTILE", NULL) == 6,
                  "hostile proxy: six broken replies, each a connect error (child %d, replies %d)", r,
                  log_lines(hostile_log, "HOSTILE", NULL));

        /* A hostile proxy in the method negotiation and the RFC 1929 exchange (tests/socks5: the
         * n-th connection gets the n-th broken exchange of the list). */
        seq_srv = start_server(L"hostileseq", L"--hostile-seq m_refused,m_badver,m_short,m_gssapi,m_userpass,m_silent,"
                                              L"m_refused,m_badver,m_stall,a_status,a_badver,a_short,a_silent", &seq_port, seq_log);
        lsp_check(seq_srv && seq_port, "hostile-sequence SOCKS5 server started (port %u)", seq_port);
        lsp_check(set_config(seq_port, me, sizeof(me), NULL, NULL), "configured: hostile proxy, no authentication");
        _snwprintf(args, 64, L"hostile_method %u", p4);
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0, "hostile method replies: each a connect error (child %d)", r);
        lsp_check(set_config(seq_port, me, sizeof(me), L"alice", L"secret"), "configured: hostile proxy, authentication");
        _snwprintf(args, 64, L"hostile_auth %u", p4);
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0, "hostile RFC 1929 replies: each a connect error (child %d)", r);
        lsp_check(log_lines(seq_log, "HOSTILE-SEQ", NULL) == 13 && log_lines(seq_log, "HOSTILE-SEQ", ": ") == 0 &&
                      log_lines(seq_log, "CONNECT 127.0.0.1:", "-> ok") == 1,
                  "the proxy made 13 broken exchanges as planned, then one ordinary CONNECT (%d, %d unplanned, %d)",
                  log_lines(seq_log, "HOSTILE-SEQ", NULL), log_lines(seq_log, "HOSTILE-SEQ", ": "),
                  log_lines(seq_log, "CONNECT 127.0.0.1:", "-> ok"));

        lsp_check(set_config(open_port, other, sizeof(other), NULL, NULL), "configured: another process only");
        _snwprintf(args, 64, L"direct %u", p4);
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0 && log_lines(open_log, "CONNECT", NULL) == 8,
                  "an unconfigured process connects directly (child %d, proxy CONNECTs %d)", r,
                  log_lines(open_log, "CONNECT", NULL));

        /* Non-blocking sockets: the handshake in the background, reported by select, WSAPoll and
         * WSAEventSelect; failures through the exception set, SO_ERROR and FD_CONNECT's code. */
        lsp_check(set_config(open_port, me, sizeof(me), NULL, NULL), "configured: open proxy again");
        _snwprintf(args, 64, L"async %u %u", p4, closed_port);
        r = lsp_run_self(args, NULL);
        snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> ok", p4);
        lsp_check(r == 0 && log_lines(open_log, want, NULL) == 7,
                  "non-blocking connects through the proxy (child %d, IPv4 CONNECTs %d of 7)", r,
                  log_lines(open_log, want, NULL));
        snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> fail", closed_port);
        lsp_check(log_lines(open_log, want, NULL) == 5, "the proxy refused the two non-blocking ones too (%d of 5)",
                  log_lines(open_log, want, NULL));

        /* ProxyAddress as a host name. */
        lsp_check(set_config_host(open_port, L"localhost", me, sizeof(me)), "configured: ProxyAddress localhost");
        _snwprintf(args, 64, L"hostname %u %u", p4, p6);
        r = lsp_run_self(args, NULL);
        snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> ok", p4);
        lsp_check(r == 0 && log_lines(open_log, want, NULL) == 8,
                  "ProxyAddress localhost: IPv4 through the proxy (child %d, IPv4 CONNECTs %d of 8)", r,
                  log_lines(open_log, want, NULL));
        snprintf(want, sizeof(want), "CONNECT [::1]:%u atyp=4 -> ok", p6);
        lsp_check(log_lines(open_log, want, NULL) == 2, "ProxyAddress localhost: IPv6 through the proxy (%d of 2)",
                  log_lines(open_log, want, NULL));
    }
    if (open_srv && open_port && p4) bind_run(open_log, open_port, me, sizeof(me), p4, FALSE);
    if (open_srv && open_port && p4)
    {
        /* The tracing LSP stacked over the SOCKS LSP over the base provider. */
        struct lsp_dump mid, back;
        WCHAR trace_log[MAX_PATH];
        DWORD pid = 0;
        char tag[32], *text;
        int before_ok;

        snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> ok", p4);
        before_ok = log_lines(open_log, want, NULL);
        lsp_check(set_config(open_port, me, sizeof(me), NULL, NULL), "configured: open proxy for the stacked run");
        mid = lsp_catalog_dump();
        if (install_stacked(trace_log))
        {
            _snwprintf(args, 64, L"stacked %u", p4);
            r = lsp_run_self(args, &pid);
            lsp_check(r == 0, "stacked child: %d failure(s)", r);
            lsp_check(log_lines(open_log, want, NULL) == before_ok + 2,
                      "stacked: the SOCKS layer sent both connections through the proxy (%d of %d)",
                      log_lines(open_log, want, NULL), before_ok + 2);
            snprintf(tag, sizeof(tag), "pid=%lu ", (unsigned long)pid);
            text = lsp_read_file(trace_log, NULL);
            lsp_check(text && lsp_count_lines(text, tag, "WSPConnect(", NULL) == 2 &&
                          lsp_count_lines(text, tag, "WSPSend(", NULL) >= 2 &&
                          lsp_count_lines(text, tag, "WSPRecv(", NULL) >= 2 &&
                          lsp_count_lines(text, tag, "WSPSelect(", NULL) >= 1,
                      "stacked: the tracing layer above saw the connects, sends, receives and select (%d %d %d %d)",
                      text ? lsp_count_lines(text, tag, "WSPConnect(", NULL) : -1,
                      text ? lsp_count_lines(text, tag, "WSPSend(", NULL) : -1,
                      text ? lsp_count_lines(text, tag, "WSPRecv(", NULL) : -1,
                      text ? lsp_count_lines(text, tag, "WSPSelect(", NULL) : -1);
            free(text);
        }
        err = 0;
        r = WSCDeinstallProvider(&trace_chain_guid, &err);
        lsp_check(!r && !WSCDeinstallProvider(&trace_dummy_guid, &err), "stacked: the tracing LSP removed (error %d)", err);
        RegDeleteKeyA(HKEY_LOCAL_MACHINE, TRACE_KEY);
        back = lsp_catalog_dump();
        lsp_check(mid.len == back.len && !memcmp(mid.data, back.data, mid.len),
                  "stacked: the catalog's registry bytes are back to the SOCKS-only catalog (%lu / %lu bytes)",
                  (unsigned long)mid.len, (unsigned long)back.len);
        free(mid.data);
        free(back.data);
    }
    if (open_srv && open_port && p4 && closed_port)
    {
        lsp_check(set_config(open_port, me, sizeof(me), NULL, NULL), "configured: open proxy again");
        _snwprintf(args, 64, L"connectex %u %u -", p4, closed_port);
        r = lsp_run_self(args, NULL);
        lsp_check(r == 0, "ConnectEx child (completion port): %d failure(s)", r);
    }
    if (open_srv && open_port && p4 && closed_port)
    {
        /* The same LSP installed with IFS chains (XP1_IFS_HANDLES): the background handshake of
         * non-blocking sockets (select, WSAPoll, WSAEventSelect, WSAAsyncSelect, failures), ConnectEx
         * and blocking connects, all through the proxy. */
        int ok4, fail4, ok6, name;
        WSAPROTOCOL_INFOW info;
        SOCKET s;
        BOOL got;

        err = 0;
        r = WSCDeinstallProvider(&chain_guid, &err);
        lsp_check(!r && !WSCDeinstallProvider(&dummy_guid, &err), "ifs: the non-IFS install removed (error %d)", err);
        if (install(TRUE))
        {
            s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
            got = lsp_sock_info(s, &info);
            lsp_check(got && info.ProtocolChain.ChainLen == 2 && (info.dwServiceFlags1 & XP1_IFS_HANDLES),
                      "ifs: a TCP/IPv4 socket is made by the IFS chain (ChainLen %d, flags %#lx)",
                      got ? info.ProtocolChain.ChainLen : -1, got ? (unsigned long)info.dwServiceFlags1 : 0ul);
            closesocket(s);
            /* new echo listeners: the first ones' chain entries are gone (accept could not make sockets) */
            if (l4 != INVALID_SOCKET) closesocket(l4);
            if (l6 != INVALID_SOCKET) closesocket(l6);
            l4 = lsp_listener(AF_INET, &a4, &len);
            l6 = lsp_listener(AF_INET6, &a6, &len);
            if (lsp_check(l4 != INVALID_SOCKET && l6 != INVALID_SOCKET, "ifs: echo servers listening again"))
            {
                CloseHandle(CreateThread(NULL, 0, echo_server, (void *)(ULONG_PTR)l4, 0, NULL));
                CloseHandle(CreateThread(NULL, 0, echo_server, (void *)(ULONG_PTR)l6, 0, NULL));
                p4 = listen_port(&a4);
                p6 = listen_port(&a6);
            }
            lsp_check(set_config(open_port, me, sizeof(me), NULL, NULL), "ifs: configured: open proxy");
            snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> ok", p4);
            ok4 = log_lines(open_log, want, NULL);
            snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> fail", closed_port);
            fail4 = log_lines(open_log, want, NULL);
            snprintf(want, sizeof(want), "CONNECT [::1]:%u atyp=4 -> ok", p6);
            ok6 = log_lines(open_log, want, NULL);
            snprintf(want, sizeof(want), "CONNECT echo.test:%u atyp=3 -> ok", p4);
            name = log_lines(open_log, want, NULL);
            _snwprintf(args, 64, L"client %u %u %u", p4, p6, closed_port);
            r = lsp_run_self(args, NULL);
            lsp_check(r == 0, "ifs: child through the open proxy: %d failure(s)", r);
            _snwprintf(args, 64, L"async %u %u", p4, closed_port);
            r = lsp_run_self(args, NULL);
            lsp_check(r == 0, "ifs: non-blocking child: %d failure(s)", r);
            snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> ok", p4);
            lsp_check(log_lines(open_log, want, NULL) == ok4 + 7,
                      "ifs: the proxy saw 7 IPv4 CONNECTs (connect, ConnectEx, 5 non-blocking): %d",
                      log_lines(open_log, want, NULL) - ok4);
            snprintf(want, sizeof(want), "CONNECT 127.0.0.1:%u atyp=1 -> fail", closed_port);
            lsp_check(log_lines(open_log, want, NULL) == fail4 + 5, "ifs: the proxy refused 5 (%d)",
                      log_lines(open_log, want, NULL) - fail4);
            snprintf(want, sizeof(want), "CONNECT [::1]:%u atyp=4 -> ok", p6);
            lsp_check(log_lines(open_log, want, NULL) == ok6 + 1, "ifs: the proxy saw the IPv6 CONNECT");
            snprintf(want, sizeof(want), "CONNECT echo.test:%u atyp=3 -> ok", p4);
            lsp_check(log_lines(open_log, want, NULL) == name + 1, "ifs: the proxy saw the domain-name CONNECT");
            _snwprintf(args, 64, L"connectex %u %u ifs", p4, closed_port);
            r = lsp_run_self(args, NULL);
            lsp_check(r == 0, "ifs: ConnectEx child (completion port, background conversation): %d failure(s)", r);
            if (u4 && u6) udp_run(open_log, u4, u6, TRUE);
            bind_run(open_log, open_port, me, sizeof(me), p4, TRUE);
        }
    }
    if (open_srv) TerminateProcess(open_srv, 0), WaitForSingleObject(open_srv, 5000), CloseHandle(open_srv);
    if (auth_srv) TerminateProcess(auth_srv, 0), WaitForSingleObject(auth_srv, 5000), CloseHandle(auth_srv);
    if (ue4 != INVALID_SOCKET) closesocket(ue4);
    if (ue6 != INVALID_SOCKET) closesocket(ue6);
    if (hostile_srv) TerminateProcess(hostile_srv, 0), WaitForSingleObject(hostile_srv, 5000), CloseHandle(hostile_srv);
    if (seq_srv) TerminateProcess(seq_srv, 0), WaitForSingleObject(seq_srv, 5000), CloseHandle(seq_srv);
    if (l4 != INVALID_SOCKET) closesocket(l4);
    if (l6 != INVALID_SOCKET) closesocket(l6);
    RegDeleteKeyA(HKEY_LOCAL_MACHINE, SOCKS_KEY);
    err = 0;
    r = WSCDeinstallProvider(&chain_guid, &err);
    lsp_check(!r && !WSCDeinstallProvider(&dummy_guid, &err), "WSCDeinstallProvider both (error %d)", err);
    after = lsp_catalog_dump();
    lsp_check(before.len == after.len && !memcmp(before.data, after.data, before.len),
              "the catalog's registry bytes are back as before (%lu / %lu bytes)", (unsigned long)before.len,
              (unsigned long)after.len);
    WSACleanup();
    printf("%d failure(s)\n", lsp_failures);
    return lsp_failures ? 1 : 0;
}
