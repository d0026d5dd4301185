/* wine_check.h - shared helpers of the wine_* / ordinal_* / system32_* end-to-end programs (Wine's own
 * DLLs and other loaders over our ws2_32): one printed line per check, proof of which ws2_32 is loaded
 * (Wine's builtin PE DLLs carry "Wine builtin DLL" after their DOS header, ours does not), and a traced
 * run of the program itself (child process with OPENWS2_TRACE=1, its standard error captured) so that
 * the parent can check the trace lines our ws2_32 and provider wrote while the child's traffic ran.
 * Header-only: each program includes it once.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_WINE_CHECK_H
#define OPENWS2_WINE_CHECK_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define E2E_CHECK_PLAIN  /* "ok: message" */
#include "e2e_check.h"

static __attribute__((unused)) int wc_summary(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, e2e_checks, e2e_failures);
    fflush(stdout);
    return e2e_failures ? 1 : 0;
}

/* Whether a loaded module is one of Wine's builtin PE DLLs (Wine writes this signature right after
 * the 64-byte DOS header of every builtin it builds; MinGW-built DLLs such as ours have a DOS stub
 * there). */
static __attribute__((unused)) int wc_module_is_wine_builtin(HMODULE mod)
{
    static const char sig[] = "Wine builtin DLL";
    const IMAGE_DOS_HEADER *dos = (const IMAGE_DOS_HEADER *)mod;
    if (!mod || dos->e_magic != IMAGE_DOS_SIGNATURE) return 0;
    return memcmp((const char *)mod + sizeof(IMAGE_DOS_HEADER), sig, sizeof(sig) - 1) == 0;
}

/* Checks that the ws2_32.dll loaded in this process is openws2's, prints where it came from. */
static __attribute__((unused)) void wc_check_ws2_is_ours(void)
{
    HMODULE ws2 = GetModuleHandleA("ws2_32.dll");
    char path[MAX_PATH] = "";
    if (ws2) GetModuleFileNameA(ws2, path, sizeof(path));
    CHECK(ws2 != NULL, "ws2_32.dll is loaded (%s)", path);
    CHECK(ws2 && !wc_module_is_wine_builtin(ws2), "the loaded ws2_32.dll is openws2's, not Wine's builtin");
}

/* Checks that a DLL of Wine (mswsock, wsock32, winhttp ...) is loaded as Wine's own builtin. */
static __attribute__((unused)) void wc_check_wine_builtin(const char *dll)
{
    HMODULE mod = GetModuleHandleA(dll);
    char path[MAX_PATH] = "";
    if (mod) GetModuleFileNameA(mod, path, sizeof(path));
    CHECK(mod != NULL, "%s is loaded (%s)", dll, path);
    CHECK(mod && wc_module_is_wine_builtin(mod), "%s is Wine's builtin", dll);
}

/* Sets (VALUE non-empty) or removes (VALUE empty) the variables of env ("NAME=VALUE" strings). */
static __attribute__((unused)) void wc_set_env(const char *const *env, size_t n, int restore)
{
    char name[64];
    size_t i;
    for (i = 0; i < n; i++)
    {
        const char *eq = strchr(env[i], '=');
        if (!eq) continue;
        snprintf(name, sizeof(name), "%.*s", (int)(eq - env[i]), env[i]);
        SetEnvironmentVariableA(name, !restore && eq[1] ? eq + 1 : NULL);
    }
}

/* Runs this program again as "<exe> ARGS" with the variables of env set for it, its standard output
 * shared with ours and its standard error written to a temporary file. Returns that text (malloc'd,
 * NUL-terminated; NULL on failure) and stores the child's exit code. */
static __attribute__((unused)) char *wc_run_child(const char *args, const char *const *env, size_t n,
                                                  DWORD *exit_code)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    char exe[MAX_PATH], dir[MAX_PATH], file[MAX_PATH], cmd[2 * MAX_PATH];
    HANDLE h;
    char *text = NULL;
    DWORD size, got = 0;
    BOOL ok;

    *exit_code = (DWORD)-1;
    if (!GetModuleFileNameA(NULL, exe, sizeof(exe))) return NULL;
    if (!GetTempPathA(sizeof(dir), dir) || !GetTempFileNameA(dir, "ow2", 0, file)) return NULL;
    h = CreateFileA(file, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa,
                    CREATE_ALWAYS, FILE_ATTRIBUTE_TEMPORARY, NULL);
    if (h == INVALID_HANDLE_VALUE) return NULL;
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", exe, args);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = h;
    fflush(stdout);
    wc_set_env(env, n, 0);
    ok = CreateProcessA(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi);
    wc_set_env(env, n, 1);
    if (ok)
    {
        if (WaitForSingleObject(pi.hProcess, 90000) != WAIT_OBJECT_0)
        {
            printf("child %s did not finish in 90 s; terminating it\n", args);
            TerminateProcess(pi.hProcess, 255);
            WaitForSingleObject(pi.hProcess, 5000);
        }
        GetExitCodeProcess(pi.hProcess, exit_code);
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

/* Runs this program again as "<exe> child <mode>" with OPENWS2_TRACE=1 (wc_run_child): the trace. */
static __attribute__((unused)) char *wc_run_traced_child(const char *mode, DWORD *exit_code)
{
    static const char *const traced[] = {"OPENWS2_TRACE=1"};
    char args[MAX_PATH];
    snprintf(args, sizeof(args), "child %s", mode);
    return wc_run_child(args, traced, 1, exit_code);
}

/* Number of trace lines containing every one of up to two substrings (the second may be NULL). */
static __attribute__((unused)) int wc_count_lines(const char *text, const char *a, const char *b)
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
        if (strstr(line, a) && (!b || strstr(line, b))) n++;
        text += len + (end ? 1 : 0);
        if (!end) break;
    }
    return n;
}

/* Checks that the trace holds at least one line with a (and b). */
static __attribute__((unused)) void wc_check_trace(const char *trace, const char *a, const char *b)
{
    int n = wc_count_lines(trace, a, b);
    CHECK(n > 0, "trace has %d line(s) with \"%s\"%s%s%s", n, a, b ? " and \"" : "", b ? b : "", b ? "\"" : "");
}

/* A listening TCP socket on 127.0.0.1 (ephemeral port), its address in *addr. */
static __attribute__((unused)) SOCKET wc_listener(struct sockaddr_in *addr)
{
    int len = sizeof(*addr);
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    if (s == INVALID_SOCKET) return s;
    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(s, (struct sockaddr *)addr, sizeof(*addr)) || listen(s, 8) ||
        getsockname(s, (struct sockaddr *)addr, &len))
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

#endif
