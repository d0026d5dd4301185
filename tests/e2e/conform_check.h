/* conform_check.h - what the conform_* and catalog_tool_* e2e programs share: CHECK lines, running
 * ws2conform.exe / ws2catalog.exe as a child with its standard output captured, reading the output's
 * lines, and the protocol catalog through WSCEnumProtocols.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_CONFORM_CHECK_H
#define OPENWS2_CONFORM_CHECK_H

#include <winsock2.h>
#include <ws2spi.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "FAILED": the FAIL lines are the children's (ws2conform.exe) */
#define E2E_CHECK_PLAIN
#define E2E_CHECK_FAIL_WORD "FAILED"
#include "e2e_check.h"

static inline int cc_done(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, e2e_checks, e2e_failures);
    return e2e_failures ? 1 : 0;
}

/* Runs "<cmd>" (a program of the e2e directory), returns its exit code and its standard output
 * (malloc'd, CR removed). 0xdead when it could not run or did not end within timeout_ms. */
static inline DWORD cc_run(const char *cmd, char **out, DWORD timeout_ms)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE rd, wr;
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    char *line = _strdup(cmd);
    size_t size = 0, cap = 1 << 20, i, j;
    DWORD code = 0xdead, got;

    *out = calloc(1, cap + 1);
    if (!line || !*out || !CreatePipe(&rd, &wr, &sa, 0))
    {
        free(line);
        return 0xdead;
    }
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = wr;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    if (!CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        CloseHandle(rd);
        CloseHandle(wr);
        free(line);
        return 0xdead;
    }
    free(line);
    CloseHandle(wr);
    while (size < cap && ReadFile(rd, *out + size, (DWORD)(cap - size), &got, NULL) && got) size += got;
    (*out)[size] = 0;
    for (i = j = 0; i < size; i++)
        if ((*out)[i] != '\r') (*out)[j++] = (*out)[i];
    (*out)[j] = 0;
    if (WaitForSingleObject(pi.hProcess, timeout_ms) == WAIT_OBJECT_0) GetExitCodeProcess(pi.hProcess, &code);
    else TerminateProcess(pi.hProcess, 0xdead);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(rd);
    return code;
}

/* Does out hold a line starting with prefix and containing needle (NULL: any)? */
static inline BOOL cc_has_line(const char *out, const char *prefix, const char *needle)
{
    const char *p = out;
    size_t plen = strlen(prefix);

    while (*p)
    {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len >= plen && !strncmp(p, prefix, plen))
        {
            char *l = malloc(len + 1);
            BOOL hit;
            if (!l) return FALSE;
            memcpy(l, p, len);
            l[len] = 0;
            hit = !needle || strstr(l, needle) != NULL;
            free(l);
            if (hit) return TRUE;
        }
        p += len + (end ? 1 : 0);
    }
    return FALSE;
}

/* How many lines start with prefix. */
/* Lines beginning with prefix that contain needle. */
static inline int cc_count_lines_with(const char *out, const char *prefix, const char *needle)
{
    const char *p = out;
    size_t plen = strlen(prefix), nlen = strlen(needle);
    int n = 0;

    while (*p)
    {
        const char *end = strchr(p, '\n'), *q;
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len >= plen && !strncmp(p, prefix, plen))
            for (q = p; q + nlen <= p + len; q++)
                if (!strncmp(q, needle, nlen))
                {
                    n++;
                    break;
                }
        if (!end) break;
        p = end + 1;
    }
    return n;
}

static inline int cc_count_lines(const char *out, const char *prefix)
{
    const char *p = out;
    size_t plen = strlen(prefix);
    int n = 0;

    while (*p)
    {
        const char *end = strchr(p, '\n');
        if (!strncmp(p, prefix, plen)) n++;
        if (!end) break;
        p = end + 1;
    }
    return n;
}

/* Prints every line of out starting with prefix (diagnostics). */
static inline void cc_print_lines(const char *out, const char *prefix)
{
    const char *p = out;
    size_t plen = strlen(prefix);

    while (*p)
    {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!strncmp(p, prefix, plen)) printf("    | %.*s\n", (int)len, p);
        p += len + (end ? 1 : 0);
    }
}

/* The native view of the protocol catalog (malloc'd). */
static inline WSAPROTOCOL_INFOW *cc_enum(int *count)
{
    WSAPROTOCOL_INFOW *list = NULL;
    DWORD len = 0;
    int err = 0, n;

    *count = 0;
    if (WSCEnumProtocols(NULL, NULL, &len, &err) != SOCKET_ERROR || err != WSAENOBUFS) return NULL;
    if (!(list = malloc(len))) return NULL;
    if ((n = WSCEnumProtocols(NULL, list, &len, &err)) == SOCKET_ERROR)
    {
        free(list);
        return NULL;
    }
    *count = n;
    return list;
}

/* The catalog id of the first entry whose name starts with prefix (0: none). */
static inline DWORD cc_find_entry(const char *prefix)
{
    WSAPROTOCOL_INFOW *list;
    char name[WSAPROTOCOL_LEN * 3 + 3];
    DWORD id = 0;
    int n, i;

    if (!(list = cc_enum(&n))) return 0;
    for (i = 0; i < n && !id; i++)
    {
        WideCharToMultiByte(CP_UTF8, 0, list[i].szProtocol, -1, name, sizeof(name), NULL, NULL);
        if (!strncmp(name, prefix, strlen(prefix))) id = list[i].dwCatalogEntryId;
    }
    free(list);
    return id;
}

/* The directory of this program, with a trailing backslash. */
static inline void cc_exe_dir(char *dir, size_t size)
{
    char *slash;

    GetModuleFileNameA(NULL, dir, (DWORD)size);
    if ((slash = strrchr(dir, '\\'))) slash[1] = 0;
}

#endif
