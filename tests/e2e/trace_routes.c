/* trace_routes.c - the trace library's selection and outputs (include/trace.h), end to end under Wine:
 * the program runs itself as a child with a given environment (its standard error into a file) and
 * checks the child's trace: OPENWS2_TRACE=1 (every channel on stderr, "openws2: api ..."), a channel
 * list, OPENWS2_TRACE_FILE with "%p" (one file per process, process and thread ids on every line,
 * nothing on stderr), and nothing at all without either. Wine's debug output (WINEDEBUG=+openws2)
 * goes to the process' Unix standard error, which a Windows parent cannot redirect: trace_wine.sh
 * checks that route on "trace_routes.exe child". The child: WSAStartup, a TCP socket bound to
 * 127.0.0.1, closesocket, WSACleanup.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"

/* The child's work: enough for api, spi, catalog and afd lines. */
static int child(void)
{
    struct sockaddr_in a;
    WSADATA wsa;
    SOCKET s;
    int r;

    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) return 3;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    r = bind(s, (struct sockaddr *)&a, sizeof(a));
    closesocket(s);
    WSACleanup();
    return r ? 4 : 0;
}

int main(int argc, char **argv)
{
    static const char *const plain[] = {"OPENWS2_TRACE=1", "WINEDEBUG=-all"};
    static const char *const api_only[] = {"OPENWS2_TRACE=api", "WINEDEBUG=-all"};
    static const char *const none[] = {"OPENWS2_TRACE=", "WINEDEBUG=-all"};
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
    free(t);

    t = wc_run_child("child", api_only, 2, &code);
    CHECK(t && code == 0 && wc_count_lines(t, "openws2: api ", "socket(") > 0 && wc_count_lines(t, "openws2: spi", NULL) == 0 &&
              wc_count_lines(t, "openws2: catalog", NULL) == 0,
          "OPENWS2_TRACE=api: api lines only (api %d, spi %d, catalog %d)", wc_count_lines(t, "openws2: api ", "socket("),
          wc_count_lines(t, "openws2: spi", NULL), wc_count_lines(t, "openws2: catalog", NULL));
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
