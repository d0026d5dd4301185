/* trace_routes.c - the trace library's selection and outputs (include/trace.h), end to end under Wine:
 * the program runs itself as a child with a given environment (its standard error into a file) and
 * checks the child's trace: OPENWS2_TRACE=1 (every channel on stderr, "openws2: api ..."), a channel
 * list, OPENWS2_TRACE_FILE with "%p" (one file per process, process and thread ids on every line,
 * nothing on stderr), and nothing at all without either. Wine's debug output (WINEDEBUG=+openws2)
 * goes to the process' Unix standard error, which a Windows parent cannot redirect: trace_wine.sh
 * checks that route on "trace_routes.exe child". The child: WSAStartup, a TCP socket bound to
 * 127.0.0.1 and listening, SO_RCVBUF set, FIONBIO, an accept that would block, a second socket
 * connected to the first, closesocket, WSACleanup; it prints its port and thread id on stderr, and
 * the api lines must show the decoded arguments ("127.0.0.1:PORT", "SOL_SOCKET/SO_RCVBUF",
 * "FIONBIO", "WSAEWOULDBLOCK") and, with "tid" in OPENWS2_TRACE, start with the thread id.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"

/* The child's work: enough for api, spi, catalog and afd lines, and decoded arguments. */
static int child(void)
{
    struct sockaddr_in a;
    int alen = sizeof(a), size = 65536, r;
    u_long one = 1;
    WSADATA wsa;
    SOCKET s, c;

    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET || c == INVALID_SOCKET) return 3;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r = bind(s, (struct sockaddr *)&a, sizeof(a));
    if (!r) r = listen(s, 1);
    if (!r) r = getsockname(s, (struct sockaddr *)&a, &alen);
    if (!r) r = setsockopt(s, SOL_SOCKET, SO_RCVBUF, (const char *)&size, sizeof(size));
    if (!r) r = ioctlsocket(s, FIONBIO, &one);
    if (!r && (accept(s, NULL, NULL) != INVALID_SOCKET || WSAGetLastError() != WSAEWOULDBLOCK)) r = 5;
    if (!r) r = connect(c, (struct sockaddr *)&a, sizeof(a));
    fprintf(stderr, "child port %u thread %04lx\n", ntohs(a.sin_port), (unsigned long)GetCurrentThreadId());
    closesocket(c);
    closesocket(s);
    WSACleanup();
    return r ? 4 : 0;
}

/* The decoded arguments in the child's stderr t; with tid, its api lines start with its thread id. */
static void check_decoded(const char *t, BOOL tid_wanted, const char *what)
{
    unsigned port = 0;
    unsigned long tid = 0;
    const char *p = t ? strstr(t, "child port ") : NULL;
    char want[64];

    CHECK(p && sscanf(p, "child port %u thread %lx", &port, &tid) == 2, "%s: the child's port and thread (%u %lx)",
          what, port, tid);
    snprintf(want, sizeof(want), "[127.0.0.1:%u]", port);
    CHECK(wc_count_lines(t, "openws2: api connect(", want) > 0,
          "%s: connect shows %s (%d)", what, want, wc_count_lines(t, "connect(", want));
    CHECK(wc_count_lines(t, "bind(", "[127.0.0.1:0]") > 0, "%s: bind shows [127.0.0.1:0]", what);
    CHECK(wc_count_lines(t, "setsockopt(", "[SOL_SOCKET/SO_RCVBUF]") > 0, "%s: setsockopt shows SOL_SOCKET/SO_RCVBUF",
          what);
    CHECK(wc_count_lines(t, "ioctlsocket(", "[FIONBIO]") > 0, "%s: ioctlsocket shows FIONBIO", what);
    CHECK(wc_count_lines(t, "accept(", "-> 0xffffffffffffffff (error 10035 WSAEWOULDBLOCK)") +
              wc_count_lines(t, "accept(", "-> 0xffffffff (error 10035 WSAEWOULDBLOCK)") > 0,
          "%s: accept shows WSAEWOULDBLOCK", what);
    CHECK(wc_count_lines(t, "listen(", "-> 0 (error 0)") > 0, "%s: a success reads (error 0)", what);
    if (tid_wanted)
    {
        char tid_prefix[32];
        snprintf(tid_prefix, sizeof(tid_prefix), "%04lx:openws2: api ", tid);
        CHECK(wc_count_lines(t, tid_prefix, "connect(") > 0, "%s: api lines start with the thread id (%s)", what,
              tid_prefix);
    }
}

int main(int argc, char **argv)
{
    static const char *const plain[] = {"OPENWS2_TRACE=1", "WINEDEBUG=-all"};
    static const char *const api_only[] = {"OPENWS2_TRACE=api", "WINEDEBUG=-all"};
    static const char *const none[] = {"OPENWS2_TRACE=", "WINEDEBUG=-all"};
    static const char *const api_tid[] = {"OPENWS2_TRACE=api,tid", "WINEDEBUG=-all"};
    char dir[MAX_PATH], tmpl[MAX_PATH + 32], path[MAX_PATH + 32], var[MAX_PATH + 64], *t;
    const char *file_env[3];
    WIN32_FIND_DATAA fd;
    HANDLE find;
    DWORD code;
    int files = 0;

    if (argc > 1 && !strcmp(argv[1], "child")) return child();

    t = wc_run_child("child", plain, 2, &code);
    CHECK(t && code == 0, "OPENWS2_TRACE=1 child ran (exit %lu)", (unsigned long)code);
    CHECK(wc_count_lines(t, "openws2: api ", "socket(") > 0 && wc_count_lines(t, "openws2: spi ", "WSPSocket") > 0 &&
              wc_count_lines(t, "openws2: spi afd ", "WSPSocket") > 0,
          "OPENWS2_TRACE=1: api, spi and afd lines on stderr (%d/%d/%d)", wc_count_lines(t, "openws2: api ", "socket("),
          wc_count_lines(t, "openws2: spi ", "WSPSocket"), wc_count_lines(t, "openws2: spi afd ", "WSPSocket"));
    /* ws2_32's provider-call lines and the base provider's lines decode their arguments too */
    CHECK(wc_count_lines(t, "openws2: spi WSPSetSockOpt(", "[SOL_SOCKET/SO_RCVBUF]") > 0 &&
              wc_count_lines(t, "openws2: spi WSPIoctl(", "[FIONBIO]") > 0 &&
              wc_count_lines(t, "openws2: spi WSPBind(", "[127.0.0.1:0]") > 0,
          "OPENWS2_TRACE=1: spi lines show the option, ioctl and address (setsockopt %d, ioctl %d, bind %d)",
          wc_count_lines(t, "openws2: spi WSPSetSockOpt(", "[SOL_SOCKET/SO_RCVBUF]"),
          wc_count_lines(t, "openws2: spi WSPIoctl(", "[FIONBIO]"),
          wc_count_lines(t, "openws2: spi WSPBind(", "[127.0.0.1:0]"));
    CHECK(wc_count_lines(t, "openws2: spi afd WSPBind(", "127.0.0.1:0) -> 0") > 0 &&
              wc_count_lines(t, "openws2: spi afd WSPSetSockOpt(", "SOL_SOCKET/SO_RCVBUF") > 0 &&
              wc_count_lines(t, "openws2: spi afd WSPIoctl(", "FIONBIO") > 0 &&
              wc_count_lines(t, "openws2: spi afd WSPConnect(", "127.0.0.1:") > 0,
          "OPENWS2_TRACE=1: afd lines show the address, option and ioctl names (bind %d, setsockopt %d, ioctl %d, "
          "connect %d)", wc_count_lines(t, "openws2: spi afd WSPBind(", "127.0.0.1:0) -> 0"),
          wc_count_lines(t, "openws2: spi afd WSPSetSockOpt(", "SOL_SOCKET/SO_RCVBUF"),
          wc_count_lines(t, "openws2: spi afd WSPIoctl(", "FIONBIO"),
          wc_count_lines(t, "openws2: spi afd WSPConnect(", "127.0.0.1:"));
    free(t);

    t = wc_run_child("child", api_only, 2, &code);
    CHECK(t && code == 0 && wc_count_lines(t, "openws2: api ", "socket(") > 0 && wc_count_lines(t, "openws2: spi", NULL) == 0 &&
              wc_count_lines(t, "openws2: catalog", NULL) == 0,
          "OPENWS2_TRACE=api: api lines only (api %d, spi %d, catalog %d)", wc_count_lines(t, "openws2: api ", "socket("),
          wc_count_lines(t, "openws2: spi", NULL), wc_count_lines(t, "openws2: catalog", NULL));
    check_decoded(t, FALSE, "OPENWS2_TRACE=api");
    CHECK(wc_count_lines(t, ":openws2: ", NULL) == 0, "OPENWS2_TRACE=api: no thread ids (%d)",
          wc_count_lines(t, ":openws2: ", NULL));
    free(t);

    t = wc_run_child("child", api_tid, 2, &code);
    CHECK(t && code == 0, "OPENWS2_TRACE=api,tid child ran (exit %lu)", (unsigned long)code);
    check_decoded(t, TRUE, "OPENWS2_TRACE=api,tid");
    free(t);

    t = wc_run_child("child", none, 2, &code);
    CHECK(t && code == 0 && wc_count_lines(t, "openws2", NULL) == 0, "no tracing asked: no openws2 line (%d)",
          wc_count_lines(t, "openws2", NULL));
    free(t);

    /* one file per process */
    GetTempPathA(sizeof(dir), dir);
    snprintf(tmpl, sizeof(tmpl), "%sotrace-%lu-%%p.log", dir, (unsigned long)GetCurrentProcessId());
    snprintf(var, sizeof(var), "OPENWS2_TRACE_FILE=%s", tmpl);
    file_env[0] = "OPENWS2_TRACE=1";
    file_env[1] = "WINEDEBUG=-all";
    file_env[2] = var;
    t = wc_run_child("child", file_env, 3, &code);
    CHECK(t && code == 0 && wc_count_lines(t, "openws2", NULL) == 0, "OPENWS2_TRACE_FILE: nothing on stderr (%d)",
          wc_count_lines(t, "openws2", NULL));
    free(t);
    t = wc_run_child("child", file_env, 3, &code);
    free(t);
    snprintf(path, sizeof(path), "%sotrace-%lu-*.log", dir, (unsigned long)GetCurrentProcessId());
    find = FindFirstFileA(path, &fd);
    if (find != INVALID_HANDLE_VALUE)
    {
        do
        {
            char full[2 * MAX_PATH];
            HANDLE h;
            DWORD size, got = 0;
            char *text;
            snprintf(full, sizeof(full), "%s%s", dir, fd.cFileName);
            h = CreateFileA(full, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
            if (h == INVALID_HANDLE_VALUE) continue;
            size = GetFileSize(h, NULL);
            text = malloc((size_t)size + 1);
            if (text && ReadFile(h, text, size, &got, NULL))
            {
                text[got] = 0;
                files++;
                /* "PID:TID: openws2: api ..." with PID the hex id of the process named in the file */
                CHECK(wc_count_lines(text, ": openws2: api ", NULL) > 0 && wc_count_lines(text, ": openws2: spi afd ", NULL) > 0,
                      "%s has the child's api and afd lines", fd.cFileName);
                {
                    unsigned long pid_name = strtoul(fd.cFileName + strlen("otrace-") +
                                                     (size_t)snprintf(NULL, 0, "%lu-", (unsigned long)GetCurrentProcessId()),
                                                     NULL, 10);
                    CHECK(strtoul(text, NULL, 16) == pid_name, "%s: lines start with that process's id (%lx)",
                          fd.cFileName, pid_name);
                }
            }
            free(text);
            CloseHandle(h);
            DeleteFileA(full);
        } while (FindNextFileA(find, &fd));
        FindClose(find);
    }
    CHECK(files == 2, "two children, two trace files (%d)", files);
    return wc_summary("trace_routes");
}
