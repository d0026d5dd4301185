/* gai_async_e2e.c - end-to-end checks of WSAAsyncGetHostByName/ByAddr, WSAAsyncGetServByName/ByPort,
 * WSAAsyncGetProtoByName/ByNumber and WSACancelAsyncRequest under Wine: the reply message posted to
 * a message-only window (wParam = task handle, lParam = WSAMAKEASYNCREPLY), the hostent/servent/
 * protoent laid out in the caller's buffer, WSAENOBUFS with the size needed, lookup errors in the
 * reply, cancellation (no message) and the call-time errors.
 * Usage: gai_async_e2e PORT BLACKHOLE DEAD QUERY_LOG (with-dnsserver.sh fills them in).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gai_e2e.h"

#define WM_GAI (WM_USER + 7)

static struct { WPARAM w; LPARAM l; } msgs[64];
static int msg_count;

static LRESULT CALLBACK wndproc(HWND hwnd, UINT msg, WPARAM w, LPARAM l)
{
    if (msg == WM_GAI)
    {
        if (msg_count < 64)
        {
            msgs[msg_count].w = w;
            msgs[msg_count].l = l;
            msg_count++;
        }
        return 0;
    }
    return DefWindowProcA(hwnd, msg, w, l);
}

/* Pumps messages until the reply for task h arrives (1, *lparam set) or the time is up (0). */
static int wait_reply(HANDLE h, DWORD ms, LPARAM *lparam)
{
    DWORD start = GetTickCount();
    MSG m;
    int i;
    for (;;)
    {
        while (PeekMessageA(&m, NULL, 0, 0, PM_REMOVE)) DispatchMessageA(&m);
        for (i = 0; i < msg_count; i++)
            if ((HANDLE)msgs[i].w == h)
            {
                *lparam = msgs[i].l;
                msgs[i].w = 0;
                return 1;
            }
        if (GetTickCount() - start >= ms) return 0;
        MsgWaitForMultipleObjects(0, NULL, FALSE, 50, QS_ALLINPUT);
    }
}

static int in_buffer(const void *p, const char *buf, size_t size)
{
    return (const char *)p >= buf && (const char *)p < buf + size;
}

int main(int argc, char **argv)
{
    static union { char bytes[MAXGETHOSTSTRUCT]; void *align; } ubuf;
    static const unsigned char www4[4] = { 192, 0, 2, 10 };
    char *buf = ubuf.bytes;
    struct hostent *he = (struct hostent *)buf;
    struct servent *se = (struct servent *)buf;
    struct protoent *pe = (struct protoent *)buf;
    WNDCLASSA wc;
    HWND hwnd;
    HANDLE h;
    LPARAM lp = 0;
    WSADATA wsa;
    char line[64], *big;
    int need;

    if (gai_setup(argc, argv))
    {
        printf("usage: gai_async_e2e PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    snprintf(line, sizeof(line), "127.0.0.1:%s", argv[1]);
    nsp_set_config(line, 2000, 1);
    memset(&wc, 0, sizeof(wc));
    wc.lpfnWndProc = wndproc;
    wc.hInstance = GetModuleHandleA(NULL);
    wc.lpszClassName = "openws2_gai_async";
    RegisterClassA(&wc);
    hwnd = CreateWindowExA(0, wc.lpszClassName, "", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, NULL);
    CHECK(hwnd != NULL, "message-only window");

    h = WSAAsyncGetHostByName(hwnd, WM_GAI, "gaihost.test.example", buf, MAXGETHOSTSTRUCT);
    CHECK(!h && WSAGetLastError() == WSANOTINITIALISED, "before WSAStartup: WSANOTINITIALISED");
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");

    /* ---- host by name ---- */
    h = WSAAsyncGetHostByName(hwnd, WM_GAI, "gaihost.test.example", buf, MAXGETHOSTSTRUCT);
    CHECK(h != NULL, "WSAAsyncGetHostByName returns a task handle");
    CHECK(wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == 0 && WSAGETASYNCBUFLEN(lp) <= MAXGETHOSTSTRUCT &&
          !strcmp(he->h_name, "gaihost.test.example") && in_buffer(he->h_name, buf, MAXGETHOSTSTRUCT) &&
          he->h_addrtype == AF_INET && he->h_length == 4 && he->h_addr_list[0] && !he->h_addr_list[1] &&
          in_buffer(he->h_addr_list[0], buf, MAXGETHOSTSTRUCT) && !memcmp(he->h_addr_list[0], "\xc0\x00\x02\x32", 4) &&
          he->h_aliases[0] && !strcmp(he->h_aliases[0], "gaialias"),
          "reply message: hostent in the caller's buffer (error %d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetHostByName(hwnd, WM_GAI, "www.test.example", buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && he->h_addr_list[0] && he->h_addr_list[1] &&
          !he->h_addr_list[2] && !memcmp(he->h_addr_list[0], www4, 4), "DNS name: both addresses (error %d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetHostByName(hwnd, WM_GAI, "nx.test.example", buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSAHOST_NOT_FOUND, "NXDOMAIN: WSAHOST_NOT_FOUND in the reply (%d)",
          WSAGETASYNCERROR(lp));
    memset(buf, 0x5a, 64);
    h = WSAAsyncGetHostByName(hwnd, WM_GAI, "www.test.example", buf, 16);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSAENOBUFS && WSAGETASYNCBUFLEN(lp) > 16 &&
          (unsigned char)buf[0] == 0x5a, "short buffer: WSAENOBUFS with the size needed, buffer untouched (%d, %d)",
          WSAGETASYNCERROR(lp), WSAGETASYNCBUFLEN(lp));
    need = WSAGETASYNCBUFLEN(lp);
    big = malloc(need);
    h = WSAAsyncGetHostByName(hwnd, WM_GAI, "www.test.example", big, need);
    CHECK(h && big && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && !strcmp(((struct hostent *)big)->h_name, "www.test.example"),
          "exactly that size is enough (%d)", WSAGETASYNCERROR(lp));
    free(big);

    /* ---- host by address ---- */
    h = WSAAsyncGetHostByAddr(hwnd, WM_GAI, (const char *)www4, 4, AF_INET, buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && !strcmp(he->h_name, "www.test.example") &&
          !memcmp(he->h_addr_list[0], www4, 4), "WSAAsyncGetHostByAddr (%d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetHostByAddr(hwnd, WM_GAI, (const char *)www4, 4, 99, buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSAEAFNOSUPPORT,
          "type 99: a handle, WSAEAFNOSUPPORT in the reply (arguments are not checked at the call, as Windows)");
    h = WSAAsyncGetHostByAddr(hwnd, WM_GAI, NULL, 4, AF_INET, buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSAEFAULT, "NULL address: WSAEFAULT in the reply");

    /* ---- services and protocols ---- */
    h = WSAAsyncGetServByName(hwnd, WM_GAI, "http", "tcp", buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && !strcmp(se->s_name, "http") && se->s_port == htons(80) &&
          !strcmp(se->s_proto, "tcp") && in_buffer(se->s_name, buf, MAXGETHOSTSTRUCT), "WSAAsyncGetServByName (%d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetServByPort(hwnd, WM_GAI, htons(53), "udp", buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && !strcmp(se->s_name, "domain") && !strcmp(se->s_proto, "udp"),
          "WSAAsyncGetServByPort, port in network order (%d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetServByName(hwnd, WM_GAI, "no-such-service-gai", NULL, buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSANO_DATA, "unknown service: WSANO_DATA (%d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetProtoByName(hwnd, WM_GAI, "tcp", buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && pe->p_proto == 6 && !strcmp(pe->p_name, "tcp"),
          "WSAAsyncGetProtoByName (%d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetProtoByNumber(hwnd, WM_GAI, 17, buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && pe->p_proto == 17 && !strcmp(pe->p_name, "udp"),
          "WSAAsyncGetProtoByNumber (%d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetProtoByNumber(hwnd, WM_GAI, 17, buf, 4);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSAENOBUFS && WSAGETASYNCBUFLEN(lp) > 4,
          "protoent in a short buffer: WSAENOBUFS (%d)", WSAGETASYNCERROR(lp));
    CHECK(WSACancelAsyncRequest(h) == SOCKET_ERROR && WSAGetLastError() == WSAEALREADY, "cancelling a completed request: WSAEALREADY");

    /* ---- cancellation: the DNS server never answers silent.test.example ---- */
    memset(buf, 0x5a, 64);
    h = WSAAsyncGetHostByName(hwnd, WM_GAI, "silent.test.example", buf, MAXGETHOSTSTRUCT);
    CHECK(h != NULL, "request for a silent name");
    CHECK(WSACancelAsyncRequest(h) == 0, "WSACancelAsyncRequest");
    CHECK(!wait_reply(h, 3500, &lp) && (unsigned char)buf[0] == 0x5a, "a cancelled request posts nothing and leaves the buffer alone");
    CHECK(WSACancelAsyncRequest((HANDLE)(ULONG_PTR)0x7777) == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "unknown handle: WSAEINVAL");

    /* ---- arguments are checked by the reply, not the call ---- */
    h = WSAAsyncGetServByPort(hwnd, WM_GAI, htons(80), NULL, NULL, 0);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSAENOBUFS && WSAGETASYNCBUFLEN(lp) > 0,
          "no buffer: a handle, then WSAENOBUFS with the size (%d)", WSAGETASYNCERROR(lp));
    h = WSAAsyncGetServByName(hwnd, WM_GAI, NULL, "tcp", buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && WSAGETASYNCERROR(lp) == WSAEFAULT, "NULL service name: WSAEFAULT in the reply");
    h = WSAAsyncGetHostByName(hwnd, WM_GAI, NULL, buf, MAXGETHOSTSTRUCT);
    CHECK(h && wait_reply(h, 10000, &lp) && !WSAGETASYNCERROR(lp) && he->h_name[0], "NULL host name: the local host, as gethostbyname");

    WSACleanup();
    CHECK(WSACancelAsyncRequest(h) == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "after WSACleanup: WSANOTINITIALISED");
    DestroyWindow(hwnd);
    gai_teardown();
    return nsp_done("gai_async_e2e");
}
