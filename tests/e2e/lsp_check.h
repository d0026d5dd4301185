/* lsp_check.h - what the layered service provider end-to-end programs (tests/e2e/lsp_*.c) share:
 * check lines, the protocol catalog as registry bytes (to prove an uninstall restores it), LSP
 * installation helpers, loopback TCP helpers, reading a text file and running a child process.
 * Header-only (static functions): each program includes it once.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_E2E_LSP_CHECK_H
#define OPENWS2_E2E_LSP_CHECK_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <mswsock.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LSP_CATALOG_KEY "System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9"

static int lsp_failures;

/* Does this Wine release let a layer complete an IFS socket's requests as the kernel does (Wine
 * 8.0.x, 9.0.x and 10.0.x: include/wine_compat.h, wine_compat_can_complete)? Written out here, not taken
 * from openws2, so that the tests say which releases they expect it on. */
static inline BOOL lsp_wine_completes_ifs(void)
{
    const char *(__cdecl *get_version)(void) =
        (const char *(__cdecl *)(void))(void (*)(void))GetProcAddress(GetModuleHandleA("ntdll.dll"), "wine_get_version");
    const char *v = get_version ? get_version() : "";
    return !strcmp(v, "8.0") || !strncmp(v, "8.0.", 4) || !strcmp(v, "9.0") || !strncmp(v, "9.0.", 4) ||
           !strcmp(v, "10.0") || !strncmp(v, "10.0.", 5);
}

static inline BOOL lsp_check(BOOL cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline BOOL lsp_check(BOOL cond, const char *fmt, ...)
{
    va_list ap;
    printf("%s: ", cond ? "ok" : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    if (!cond) lsp_failures++;
    return cond;
}

/* ---- the catalog as registry bytes ---- */
struct lsp_dump
{
    char *data;
    size_t len, cap;
};

static inline void dump_add(struct lsp_dump *d, const void *p, size_t n)
{
    if (d->len + n + 1 > d->cap)
    {
        size_t cap = (d->cap ? d->cap * 2 : 65536) + n;
        char *nd = realloc(d->data, cap);
        if (!nd) exit(2);
        d->data = nd;
        d->cap = cap;
    }
    memcpy(d->data + d->len, p, n);
    d->len += n;
    d->data[d->len] = 0;
}

/* Every subkey and value below key, in enumeration order (values sorted by the registry), except the
 * two counters an install/uninstall cycle advances by design (Serial_Access_Num, Next_Catalog_Entry_ID). */
static inline void dump_key(HKEY parent, const char *path, struct lsp_dump *d)
{
    HKEY key;
    char name[512];
    static BYTE data[65536];
    DWORD i, nlen, dlen, type;

    if (RegOpenKeyExA(parent, path, 0, KEY_READ, &key) != ERROR_SUCCESS) return;
    dump_add(d, "[", 1);
    dump_add(d, path, strlen(path));
    dump_add(d, "]\n", 2);
    for (i = 0;; i++)
    {
        nlen = sizeof(name);
        dlen = sizeof(data);
        if (RegEnumValueA(key, i, name, &nlen, NULL, &type, data, &dlen) != ERROR_SUCCESS) break;
        if (!strcmp(name, "Serial_Access_Num") || !strcmp(name, "Next_Catalog_Entry_ID")) continue;
        dump_add(d, name, nlen);
        dump_add(d, "=", 1);
        dump_add(d, &type, sizeof(type));
        dump_add(d, &dlen, sizeof(dlen));
        dump_add(d, data, dlen);
        dump_add(d, "\n", 1);
    }
    for (i = 0;; i++)
    {
        nlen = sizeof(name);
        if (RegEnumKeyExA(key, i, name, &nlen, NULL, NULL, NULL, NULL) != ERROR_SUCCESS) break;
        dump_key(key, name, d);
    }
    RegCloseKey(key);
}

static inline struct lsp_dump lsp_catalog_dump(void)
{
    struct lsp_dump d = { NULL, 0, 0 };
    dump_add(&d, "", 0);
    dump_key(HKEY_LOCAL_MACHINE, LSP_CATALOG_KEY, &d);
    return d;
}

/* ---- catalog helpers ---- */
typedef int (WSPAPI *lsp_install_chains_fn)(LPGUID, const LPWSTR, const LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD,
                                            LPDWORD, LPINT);

static WSAPROTOCOL_INFOW *lsp_catalog(int *count)
{
    DWORD len = 0;
    int err = 0;
    WSAPROTOCOL_INFOW *buf;

    *count = 0;
    WSCEnumProtocols(NULL, NULL, &len, &err);
    if (!len || !(buf = malloc(len))) return NULL;
    *count = WSCEnumProtocols(NULL, buf, &len, &err);
    if (*count <= 0)
    {
        free(buf);
        *count = 0;
        return NULL;
    }
    return buf;
}

/* The first base (ChainLen 1) entry of af/type/protocol. */
static inline BOOL lsp_base_entry(int af, int type, int protocol, WSAPROTOCOL_INFOW *out)
{
    int n, i;
    WSAPROTOCOL_INFOW *cat = lsp_catalog(&n);
    BOOL found = FALSE;

    for (i = 0; i < n && !found; i++)
        if (cat[i].ProtocolChain.ChainLen == BASE_PROTOCOL && cat[i].iAddressFamily == af &&
            cat[i].iSocketType == type && cat[i].iProtocol == protocol)
        {
            *out = cat[i];
            found = TRUE;
        }
    free(cat);
    return found;
}

static inline BOOL lsp_base_tcp(int af, WSAPROTOCOL_INFOW *out)
{
    return lsp_base_entry(af, SOCK_STREAM, IPPROTO_TCP, out);
}

/* The DLL next to this program. */
static inline void lsp_module_dir_file(const WCHAR *file, WCHAR *out, DWORD size)
{
    WCHAR *slash;
    GetModuleFileNameW(NULL, out, size);
    if ((slash = wcsrchr(out, L'\\'))) slash[1] = 0;
    wcsncat(out, file, size - wcslen(out) - 1);
}

/* The protocol info of a socket (SO_PROTOCOL_INFOW). */
static inline BOOL lsp_sock_info(SOCKET s, WSAPROTOCOL_INFOW *out)
{
    int len = sizeof(*out);
    return !getsockopt(s, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)out, &len);
}

/* ---- loopback TCP ---- */
static inline SOCKET lsp_listener(int af, struct sockaddr_storage *addr, int *addr_len)
{
    SOCKET s = socket(af, SOCK_STREAM, IPPROTO_TCP);
    struct sockaddr_storage a;

    memset(&a, 0, sizeof(a));
    if (af == AF_INET)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)&a;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        *addr_len = sizeof(*in);
    }
    else
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&a;
        in6->sin6_family = AF_INET6;
        in6->sin6_addr.s6_addr[15] = 1; /* ::1 */
        *addr_len = sizeof(*in6);
    }
    if (s == INVALID_SOCKET) return s;
    if (bind(s, (struct sockaddr *)&a, *addr_len) || listen(s, 8) ||
        getsockname(s, (struct sockaddr *)addr, addr_len))
    {
        closesocket(s);
        return INVALID_SOCKET;
    }
    return s;
}

/* A connected TCP pair of family af through whatever provider the catalog picks: client *c, server
 * side *a (INVALID_SOCKET on failure). */
static __attribute__((unused)) BOOL lsp_connected_pair(int af, SOCKET *c, SOCKET *a)
{
    struct sockaddr_storage addr;
    int len;
    SOCKET l = lsp_listener(af, &addr, &len);

    *c = *a = INVALID_SOCKET;
    if (l == INVALID_SOCKET) return FALSE;
    *c = socket(af, SOCK_STREAM, IPPROTO_TCP);
    if (*c != INVALID_SOCKET && !connect(*c, (struct sockaddr *)&addr, len)) *a = accept(l, NULL, NULL);
    closesocket(l);
    return *a != INVALID_SOCKET;
}

static inline BOOL lsp_send_all(SOCKET s, const char *p, int len)
{
    while (len > 0)
    {
        int n = send(s, p, len, 0);
        if (n <= 0) return FALSE;
        p += n;
        len -= n;
    }
    return TRUE;
}

static inline BOOL lsp_recv_all(SOCKET s, char *p, int len)
{
    while (len > 0)
    {
        int n = recv(s, p, len, 0);
        if (n <= 0) return FALSE;
        p += n;
        len -= n;
    }
    return TRUE;
}

/* ---- files and processes ---- */
static char *lsp_read_file(const WCHAR *path, size_t *len)
{
    HANDLE f = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, 0, NULL);
    LARGE_INTEGER size;
    DWORD got = 0;
    char *buf;

    if (len) *len = 0;
    if (f == INVALID_HANDLE_VALUE) return NULL;
    if (!GetFileSizeEx(f, &size) || size.QuadPart > 512 * 1024 * 1024 || !(buf = malloc((size_t)size.QuadPart + 1)))
    {
        CloseHandle(f);
        return NULL;
    }
    ReadFile(f, buf, (DWORD)size.QuadPart, &got, NULL);
    CloseHandle(f);
    buf[got] = 0;
    if (len) *len = got;
    return buf;
}

/* Lines of text that contain every one of the (NULL-terminated) needles. */
static inline int lsp_count_lines(const char *text, ...)
{
    const char *line = text, *needles[8];
    int count = 0, n = 0;
    va_list ap;

    va_start(ap, text);
    while (n < 8 && (needles[n] = va_arg(ap, const char *))) n++;
    va_end(ap);
    while (line && *line)
    {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        int i, all = 1;
        for (i = 0; i < n && all; i++)
        {
            size_t k, nl = strlen(needles[i]);
            int hit = 0;
            for (k = 0; k + nl <= len && !hit; k++) hit = !memcmp(line + k, needles[i], nl);
            all = hit;
        }
        count += all;
        line = end ? end + 1 : NULL;
    }
    return count;
}

/* CreateProcessW for the tests' children (the program itself, servers, the catalog tool). Process
 * creation is not what the tests check: a failure is said with its error and tried once more. */
static inline BOOL lsp_create_process(const WCHAR *exe, WCHAR *cmd, BOOL inherit, STARTUPINFOW *si,
                                      PROCESS_INFORMATION *pi)
{
    int tries;

    for (tries = 0; !CreateProcessW(exe, cmd, NULL, NULL, inherit, 0, NULL, NULL, si, pi); Sleep(500))
    {
        printf("note: CreateProcess(\"%ls\") failed, error %lu\n", cmd, (unsigned long)GetLastError());
        if (++tries == 2) return FALSE;
    }
    return TRUE;
}

/* Runs this program again with args; returns its exit code (-1 on failure), *pid its process id. */
static inline int lsp_run_self(const WCHAR *args, DWORD *pid)
{
    WCHAR exe[MAX_PATH], cmd[2 * MAX_PATH];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = (DWORD)-1;

    GetModuleFileNameW(NULL, exe, MAX_PATH);
    _snwprintf(cmd, (sizeof(cmd) / sizeof(cmd[0])), L"\"%ls\" %ls", exe, args);
    cmd[(sizeof(cmd) / sizeof(cmd[0])) - 1] = 0;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    /* The child's check lines go to our output. */
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    fflush(stdout);
    if (!lsp_create_process(exe, cmd, TRUE, &si, &pi)) return -1;
    if (pid) *pid = pi.dwProcessId;
    if (WaitForSingleObject(pi.hProcess, 120000) == WAIT_OBJECT_0) GetExitCodeProcess(pi.hProcess, &code);
    else printf("note: the child \"%ls\" did not end within 120 s (error %lu)\n", cmd, (unsigned long)GetLastError());
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (int)code;
}

/* Configures the tracing LSP (HKLM\Software\openws2\LspTrace): LogFile = the file log_file beside
 * this program (its full path into log_path, MAX_PATH characters; an old file is deleted), Processes =
 * procs (a REG_MULTI_SZ of procs_size bytes). */
static __attribute__((unused)) BOOL lsp_trace_configure(const WCHAR *log_file, const WCHAR *procs, DWORD procs_size,
                                                        WCHAR *log_path)
{
    HKEY key;
    BOOL ok;

    lsp_module_dir_file(log_file, log_path, MAX_PATH);
    DeleteFileW(log_path);
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, "Software\\openws2\\LspTrace", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL))
        return FALSE;
    ok = !RegSetValueExW(key, L"LogFile", 0, REG_SZ, (BYTE *)log_path, (DWORD)(wcslen(log_path) + 1) * sizeof(WCHAR)) &&
         !RegSetValueExW(key, L"Processes", 0, REG_MULTI_SZ, (const BYTE *)procs, procs_size);
    RegCloseKey(key);
    return ok;
}

/* Removes an LSP as installers do: WSCDeinstallProvider on the hidden entry's GUID (the first entry
 * with it), then on each chain naming it in ChainEntries[0]. Returns the first failure's error, 0, or
 * -1 when the GUID is not installed. */
static __attribute__((unused)) int lsp_remove_by_guid(const GUID *g)
{
    int n, i, err = 0, first = -1;
    WSAPROTOCOL_INFOW *cat = lsp_catalog(&n);
    DWORD hidden = 0;
    GUID id = *g;

    for (i = 0; cat && i < n && !hidden; i++)
        if (!memcmp(&cat[i].ProviderId, g, sizeof(GUID))) hidden = cat[i].dwCatalogEntryId;
    if (hidden)
    {
        first = WSCDeinstallProvider(&id, &err) ? err : 0;
        for (i = 0; i < n; i++)
            if (cat[i].ProtocolChain.ChainLen >= 2 && cat[i].ProtocolChain.ChainEntries[0] == hidden &&
                WSCDeinstallProvider(&cat[i].ProviderId, &err) && !first)
                first = err;
    }
    free(cat);
    return first;
}

#endif
