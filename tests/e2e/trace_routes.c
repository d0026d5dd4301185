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

/* Runs "<exe> child" with the variables of env ("NAME=VALUE" strings, VALUE empty: unset), standard
 * error into a file; returns its text (malloc'd) and the child's exit code. */
static char *run_child(const char *const *env, size_t n, DWORD *code)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    char exe[MAX_PATH], dir[MAX_PATH], file[MAX_PATH], cmd[MAX_PATH + 16], name[64];
    char *text = NULL;
    DWORD size, got = 0;
    size_t i;
    HANDLE h;
    BOOL ok;

    *code = (DWORD)-1;
    if (!GetModuleFileNameA(NULL, exe, sizeof(exe)) || !GetTempPathA(sizeof(dir), dir) ||
        !GetTempFileNameA(dir, "otr", 0, file))
        return NULL;
    h = CreateFileA(file, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, CREATE_ALWAYS,
                    FILE_ATTRIBUTE_TEMPORARY, NULL);
    if (h == INVALID_HANDLE_VALUE) return NULL;
    snprintf(cmd, sizeof(cmd), "\"%s\" child", exe);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = h;
    for (i = 0; i < n; i++)
    {
        const char *eq = strchr(env[i], '=');
        snprintf(name, sizeof(name), "%.*s", (int)(eq - env[i]), env[i]);
        SetEnvironmentVariableA(name, eq[1] ? eq + 1 : NULL);
    }
    fflush(stdout);
    ok = CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    for (i = 0; i < n; i++)
    {
        const char *eq = strchr(env[i], '=');
        snprintf(name, sizeof(name), "%.*s", (int)(eq - env[i]), env[i]);
        SetEnvironmentVariableA(name, NULL);
    }
    if (ok)
    {
        if (WaitForSingleObject(pi.hProcess, 60000) != WAIT_OBJECT_0) TerminateProcess(pi.hProcess, 255);
        GetExitCodeProcess(pi.hProcess, code);
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
        size = GetFileSize(h, NULL);
        if (size != INVALID_FILE_SIZE && (text = malloc((size_t)size + 1)))
        {
            SetFilePointer(h, 0, NULL, FILE_BEGIN);
            if (!ReadFile(h, text, size, &got, NULL)) got = 0;
            text[got] = 0;
        }
    }
    CloseHandle(h);
    DeleteFileA(file);
    return text;
}

/* Lines of text that match: starting with prefix (NULL: anywhere) and containing sub. */
static int count(const char *text, const char *prefix, const char *sub)
{
    int n = 0;
    while (text && *text)
    {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) : strlen(text);
        char line[1200];
        if (len >= sizeof(line)) len = sizeof(line) - 1;
        memcpy(line, text, len);
        line[len] = 0;
        if ((!prefix || !strncmp(line, prefix, strlen(prefix))) && strstr(line, sub)) n++;
        text = end ? end + 1 : text + strlen(text);
    }
    return n;
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

    t = run_child(plain, 2, &code);
    CHECK(t && code == 0, "OPENWS2_TRACE=1 child ran (exit %lu)", (unsigned long)code);
    CHECK(count(t, "openws2: api ", "socket(") > 0 && count(t, "openws2: spi ", "WSPSocket") > 0 &&
              count(t, "openws2: spi afd ", "WSPSocket") > 0,
          "OPENWS2_TRACE=1: api, spi and afd lines on stderr (%d/%d/%d)", count(t, "openws2: api ", "socket("),
          count(t, "openws2: spi ", "WSPSocket"), count(t, "openws2: spi afd ", "WSPSocket"));
    free(t);

    t = run_child(api_only, 2, &code);
    CHECK(t && code == 0 && count(t, "openws2: api ", "socket(") > 0 && count(t, "openws2: spi", "") == 0 &&
              count(t, "openws2: catalog", "") == 0,
          "OPENWS2_TRACE=api: api lines only (api %d, spi %d, catalog %d)", count(t, "openws2: api ", "socket("),
          count(t, "openws2: spi", ""), count(t, "openws2: catalog", ""));
    free(t);

    t = run_child(none, 2, &code);
    CHECK(t && code == 0 && count(t, NULL, "openws2") == 0, "no tracing asked: no openws2 line (%d)",
          count(t, NULL, "openws2"));
    free(t);

    /* one file per process */
    GetTempPathA(sizeof(dir), dir);
    snprintf(tmpl, sizeof(tmpl), "%sotrace-%lu-%%p.log", dir, (unsigned long)GetCurrentProcessId());
    snprintf(var, sizeof(var), "OPENWS2_TRACE_FILE=%s", tmpl);
    file_env[0] = "OPENWS2_TRACE=1";
    file_env[1] = "WINEDEBUG=-all";
    file_env[2] = var;
    t = run_child(file_env, 3, &code);
    CHECK(t && code == 0 && count(t, NULL, "openws2") == 0, "OPENWS2_TRACE_FILE: nothing on stderr (%d)",
          count(t, NULL, "openws2"));
    free(t);
    t = run_child(file_env, 3, &code);
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
                CHECK(count(text, NULL, ": openws2: api ") > 0 && count(text, NULL, ": openws2: spi afd ") > 0,
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
