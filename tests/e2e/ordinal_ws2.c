/* ordinal_ws2.c - a program that imports ws2_32 by ordinal only (import library made from
 * ordinal_ws2_32.def with NONAME ordinals, as MSVC programs import the classic Winsock functions):
 * checks its own import table (every ws2_32 import is an ordinal), that the ws2_32 it got is ours,
 * then TCP and UDP over loopback through those ordinals; the parent re-runs it with OPENWS2_TRACE=1
 * and checks our ws2_32's trace.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"

/* Counts this program's imports from ws2_32.dll: by ordinal and by name. */
static void count_ws2_imports(int *by_ordinal, int *by_name, int ordinals[64])
{
    BYTE *base = (BYTE *)GetModuleHandleA(NULL);
    IMAGE_NT_HEADERS *nt = (IMAGE_NT_HEADERS *)(base + ((IMAGE_DOS_HEADER *)base)->e_lfanew);
    IMAGE_DATA_DIRECTORY *dir = &nt->OptionalHeader.DataDirectory[IMAGE_DIRECTORY_ENTRY_IMPORT];
    IMAGE_IMPORT_DESCRIPTOR *d = (IMAGE_IMPORT_DESCRIPTOR *)(base + dir->VirtualAddress);

    *by_ordinal = *by_name = 0;
    for (; dir->VirtualAddress && d->Name; d++)
    {
        IMAGE_THUNK_DATA *t;
        if (_stricmp((const char *)(base + d->Name), "ws2_32.dll")) continue;
        t = (IMAGE_THUNK_DATA *)(base + (d->OriginalFirstThunk ? d->OriginalFirstThunk : d->FirstThunk));
        for (; t->u1.AddressOfData; t++)
        {
            if (IMAGE_SNAP_BY_ORDINAL(t->u1.Ordinal))
            {
                if (*by_ordinal < 64) ordinals[*by_ordinal] = (int)IMAGE_ORDINAL(t->u1.Ordinal);
                (*by_ordinal)++;
            }
            else
                (*by_name)++;
        }
    }
}

static void child(void)
{
    WSADATA wsa;
    struct sockaddr_in laddr, uaddr, from;
    SOCKET listener, client, server, u1, u2;
    char buf[64];
    int by_ord, by_name, ords[64], i, r, err, len, opt = 1;
    u_long nb = 1;
    fd_set rd;
    struct timeval tv = {5, 0};

    count_ws2_imports(&by_ord, &by_name, ords);
    CHECK(by_ord >= 20 && by_name == 0, "import table: %d ws2_32 imports by ordinal, %d by name", by_ord, by_name);
    printf("  ordinals:");
    for (i = 0; i < by_ord && i < 64; i++) printf(" %d", ords[i]);
    printf("\n");

    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    CHECK(r == 0, "WSAStartup (ordinal 115) -> %d", r);
    wc_check_ws2_is_ours();
    CHECK(htons(0x1234) == 0x3412 && ntohl(htonl(0x01020304)) == 0x01020304 && ntohs(htons(80)) == 80,
          "htons/htonl/ntohl/ntohs (ordinals 8, 9, 14, 15)");
    CHECK(inet_addr("127.0.0.1") == htonl(INADDR_LOOPBACK), "inet_addr (11)");
    {
        struct in_addr a;
        a.s_addr = htonl(0x7f000001);
        CHECK(!strcmp(inet_ntoa(a), "127.0.0.1"), "inet_ntoa (12)");
    }

    listener = wc_listener(&laddr);
    CHECK(listener != INVALID_SOCKET, "socket/bind/listen/getsockname (23, 2, 13, 6): port %u", ntohs(laddr.sin_port));
    client = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(client, (struct sockaddr *)&laddr, sizeof(laddr)) == 0, "connect (4)");
    FD_ZERO(&rd);
    FD_SET(listener, &rd);
    r = select(0, &rd, NULL, NULL, &tv);
    CHECK(r == 1 && FD_ISSET(listener, &rd), "select (18) + __WSAFDIsSet (151) -> %d", r);
    server = accept(listener, NULL, NULL);
    CHECK(server != INVALID_SOCKET, "accept (1)");
    len = sizeof(from);
    CHECK(getpeername(server, (struct sockaddr *)&from, &len) == 0 && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "getpeername (5)");
    CHECK(setsockopt(client, IPPROTO_TCP, TCP_NODELAY, (char *)&opt, sizeof(opt)) == 0, "setsockopt (21)");
    opt = 0;
    len = sizeof(opt);
    r = getsockopt(client, IPPROTO_TCP, TCP_NODELAY, (char *)&opt, &len);
    CHECK(r == 0 && opt, "getsockopt (7) -> %d, TCP_NODELAY %d", r, opt);
    CHECK(send(client, "by ordinal", 10, 0) == 10, "send (19)");
    memset(buf, 0, sizeof(buf));
    CHECK(recv(server, buf, sizeof(buf), 0) == 10 && !memcmp(buf, "by ordinal", 10), "recv (16): \"%s\"", buf);
    CHECK(ioctlsocket(server, FIONBIO, &nb) == 0, "ioctlsocket (10) FIONBIO");
    r = recv(server, buf, sizeof(buf), 0);
    err = WSAGetLastError();
    CHECK(r == SOCKET_ERROR && err == WSAEWOULDBLOCK, "non-blocking recv: WSAEWOULDBLOCK via WSAGetLastError (111) "
          "(%d, %d)", r, err);
    CHECK(shutdown(client, SD_BOTH) == 0, "shutdown (22)");

    u1 = socket(AF_INET, SOCK_DGRAM, 0);
    u2 = socket(AF_INET, SOCK_DGRAM, 0);
    memset(&uaddr, 0, sizeof(uaddr));
    uaddr.sin_family = AF_INET;
    uaddr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(uaddr);
    CHECK(bind(u1, (struct sockaddr *)&uaddr, sizeof(uaddr)) == 0 &&
          getsockname(u1, (struct sockaddr *)&uaddr, &len) == 0, "UDP socket bound");
    CHECK(sendto(u2, "dgram", 5, 0, (struct sockaddr *)&uaddr, sizeof(uaddr)) == 5, "sendto (20)");
    len = sizeof(from);
    memset(buf, 0, sizeof(buf));
    CHECK(recvfrom(u1, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) == 5 && !memcmp(buf, "dgram", 5) &&
          from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), "recvfrom (17)");
    CHECK(closesocket(u1) == 0 && closesocket(u2) == 0 && closesocket(server) == 0 && closesocket(client) == 0 &&
          closesocket(listener) == 0, "closesocket (3)");
    r = WSACleanup();
    CHECK(r == 0, "WSACleanup (116) -> %d", r);
}

int main(int argc, char **argv)
{
    DWORD code;
    char *trace;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && !strcmp(argv[1], "child"))
    {
        child();
        return wc_summary("ordinal_ws2 child");
    }
    trace = wc_run_traced_child("ordinal", &code);
    CHECK(trace != NULL, "traced child ran");
    CHECK(code == 0, "child's checks passed (exit code %lu)", (unsigned long)code);
    wc_check_trace(trace, "openws2: api WSAStartup(", NULL);
    wc_check_trace(trace, "openws2: api accept(", NULL);
    wc_check_trace(trace, "openws2: api recvfrom(", NULL);
    wc_check_trace(trace, "openws2: api select(", NULL);
    wc_check_trace(trace, "openws2: spi WSPSocket(", NULL);
    wc_check_trace(trace, "openws2: spi WSPSendTo", NULL);
    free(trace);
    return wc_summary("ordinal_ws2");
}
