/* wine_mswsock.c - Wine's builtin mswsock.dll over openws2's ws2_32: AcceptEx (with initial data,
 * overlapped), GetAcceptExSockaddrs and TransmitFile (file body plus head and tail buffers) called
 * through mswsock's exports, which fetch the provider's functions with
 * WSAIoctl(SIO_GET_EXTENSION_FUNCTION_POINTER) from our ws2_32. The parent re-runs itself with
 * OPENWS2_TRACE=1 and checks that our ws2_32 answered the WSAIoctl and that openws2afd's AcceptEx,
 * GetAcceptExSockaddrs and TransmitFile carried the calls. (Wine 8's mswsock has no ConnectEx export,
 * and its WSARecvEx is an unimplemented stub of Wine, so neither is tested here.)
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"
#include <mswsock.h>

#define FILE_BYTES (300 * 1024 + 17)
#define ADDR_SPACE (sizeof(struct sockaddr_in) + 16)

struct drain
{
    SOCKET s;
    char *buf;
    int want, got;
};

static DWORD WINAPI drain_thread(void *arg)
{
    struct drain *d = arg;
    while (d->got < d->want)
    {
        int n = recv(d->s, d->buf + d->got, d->want - d->got, 0);
        if (n <= 0) break;
        d->got += n;
    }
    return 0;
}

static char pattern_byte(int i)
{
    return (char)((i * 7 + i / 251) & 0xff);
}

static void child(void)
{
    WSADATA wsa;
    struct sockaddr_in laddr, caddr, *local = NULL, *remote = NULL;
    int caddr_len = sizeof(caddr), local_len = 0, remote_len = 0, i, ok;
    SOCKET listener, acceptor, client;
    char buf[64 + 2 * ADDR_SPACE];
    static const char hello[] = "hello mswsock";
    OVERLAPPED ov;
    DWORD got = 0, flags = 0;
    BOOL r;

    CHECK(WSAStartup(MAKEWORD(2, 2), &wsa) == 0, "WSAStartup");
    wc_check_ws2_is_ours();
    listener = wc_listener(&laddr);
    CHECK(listener != INVALID_SOCKET, "listener on 127.0.0.1:%u", ntohs(laddr.sin_port));
    acceptor = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(acceptor != INVALID_SOCKET && client != INVALID_SOCKET, "acceptor and client sockets");
    wc_check_wine_builtin("mswsock.dll");

    /* AcceptEx through mswsock, waiting for 13 bytes of initial data */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
    r = AcceptEx(listener, acceptor, buf, sizeof(hello) - 1, ADDR_SPACE, ADDR_SPACE, &got, &ov);
    CHECK(!r && WSAGetLastError() == ERROR_IO_PENDING, "mswsock AcceptEx pends (r %d error %d)", r,
          WSAGetLastError());
    CHECK(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)) == 0, "client connects");
    CHECK(send(client, hello, sizeof(hello) - 1, 0) == (int)sizeof(hello) - 1, "client sends initial data");
    CHECK(WaitForSingleObject(ov.hEvent, 10000) == WAIT_OBJECT_0, "AcceptEx completes");
    r = WSAGetOverlappedResult(acceptor, &ov, &got, FALSE, &flags);
    CHECK(r && got == sizeof(hello) - 1 && !memcmp(buf, hello, got), "AcceptEx received \"%.*s\" (%lu bytes)",
          (int)got, buf, (unsigned long)got);
    CHECK(setsockopt(acceptor, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&listener, sizeof(listener)) == 0,
          "SO_UPDATE_ACCEPT_CONTEXT");

    /* GetAcceptExSockaddrs through mswsock */
    GetAcceptExSockaddrs(buf, sizeof(hello) - 1, ADDR_SPACE, ADDR_SPACE, (struct sockaddr **)&local, &local_len,
                         (struct sockaddr **)&remote, &remote_len);
    getsockname(client, (struct sockaddr *)&caddr, &caddr_len);
    CHECK(local && local_len == sizeof(*local) && local->sin_port == laddr.sin_port &&
          local->sin_addr.s_addr == laddr.sin_addr.s_addr, "GetAcceptExSockaddrs local is the listener's address");
    CHECK(remote && remote_len == sizeof(*remote) && remote->sin_port == caddr.sin_port,
          "GetAcceptExSockaddrs remote is the client's address (port %u)", ntohs(caddr.sin_port));

    /* the accepted socket is one of our catalog's entries */
    {
        WSAPROTOCOL_INFOW info;
        int len = sizeof(info);
        memset(&info, 0, sizeof(info));
        ok = getsockopt(acceptor, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&info, &len) == 0;
        CHECK(ok && info.iSocketType == SOCK_STREAM && info.iAddressFamily == AF_INET && info.dwCatalogEntryId,
              "SO_PROTOCOL_INFOW of the accepted socket: catalog entry %lu", (unsigned long)info.dwCatalogEntryId);
    }

    /* TransmitFile through mswsock: head + file + tail */
    {
        char dir[MAX_PATH], name[MAX_PATH], *data = malloc(FILE_BYTES), *rx = malloc(FILE_BYTES + 64);
        static char head[] = "HEAD:", tail[] = ":TAIL";
        TRANSMIT_FILE_BUFFERS tfb = {head, sizeof(head) - 1, tail, sizeof(tail) - 1};
        struct drain d;
        HANDLE file, th;
        DWORD written = 0;

        GetTempPathA(sizeof(dir), dir);
        GetTempFileNameA(dir, "tf", 0, name);
        for (i = 0; data && i < FILE_BYTES; i++) data[i] = pattern_byte(i);
        file = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS,
                           FILE_FLAG_DELETE_ON_CLOSE, NULL);
        CHECK(data && rx && file != INVALID_HANDLE_VALUE && WriteFile(file, data, FILE_BYTES, &written, NULL) &&
              written == FILE_BYTES, "temporary file of %d bytes", FILE_BYTES);
        SetFilePointer(file, 0, NULL, FILE_BEGIN);
        d.s = client;
        d.buf = rx;
        d.want = FILE_BYTES + (int)(sizeof(head) - 1 + sizeof(tail) - 1);
        d.got = 0;
        th = CreateThread(NULL, 0, drain_thread, &d, 0, NULL);
        r = TransmitFile(acceptor, file, 0, 0, NULL, &tfb, 0);
        i = r ? 0 : WSAGetLastError();
        CHECK(r, "mswsock TransmitFile (error %d)", i);
        WaitForSingleObject(th, 20000);
        CloseHandle(th);
        ok = d.got == d.want && !memcmp(rx, head, sizeof(head) - 1) &&
             !memcmp(rx + sizeof(head) - 1, data, FILE_BYTES) &&
             !memcmp(rx + sizeof(head) - 1 + FILE_BYTES, tail, sizeof(tail) - 1);
        CHECK(ok, "client received head + %d file bytes + tail intact (%d of %d bytes)", FILE_BYTES, d.got, d.want);
        CloseHandle(file);
        free(data);
        free(rx);
    }

    /* data both ways after all that */
    CHECK(send(acceptor, "pong", 4, 0) == 4 && recv(client, buf, sizeof(buf), 0) == 4 && !memcmp(buf, "pong", 4),
          "accepted socket still carries data");
    CloseHandle(ov.hEvent);
    closesocket(client);
    closesocket(acceptor);
    closesocket(listener);
    WSACleanup();
}

int main(int argc, char **argv)
{
    DWORD code;
    char *trace;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "child"))
    {
        child();
        return wc_summary("wine_mswsock child");
    }
    trace = wc_run_traced_child("mswsock", &code);
    CHECK(trace != NULL, "traced child ran");
    CHECK(code == 0, "child's checks passed (exit code %lu)", (unsigned long)code);
    /* mswsock asked our ws2_32 for the extension functions ... */
    wc_check_trace(trace, "openws2: api WSAIoctl(", "dwIoControlCode 0xc8000006");
    wc_check_trace(trace, "openws2: spi WSPIoctl(", "code 0xc8000006");
    /* ... and the base provider's functions did the work */
    wc_check_trace(trace, "openws2: spi afd AcceptEx(", NULL);
    wc_check_trace(trace, "openws2: spi afd GetAcceptExSockaddrs(", NULL);
    wc_check_trace(trace, "openws2: spi afd TransmitFile(", NULL);
    free(trace);
    return wc_summary("wine_mswsock");
}
