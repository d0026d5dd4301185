/* nsp_e2e.h - shared helpers of the namespace provider's end-to-end programs (nsp_direct.c,
 * nsp_ws2.c): check macros (one output line per check), the test configuration written to the
 * prefix (HKLM\Software\openws2\Nsp pointing at the loopback DNS test server, a test hosts file
 * replacing the prefix's one, both restored at exit), the server's query log, and hostent/servent
 * blob decoding (offsets relative to the blob).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_E2E_H
#define OPENWS2_NSP_E2E_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <ws2spi.h>
#include <svcguid.h>
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../dlls/nsp/nsp_counters.h" /* NSP_RECHECK_MS, the counter indexes */

#include "e2e_check.h"

static inline int nsp_done(const char *name)
{
    printf("%s: %d checks, %d failures\n", name, e2e_checks, e2e_failures);
    return e2e_failures ? 1 : 0;
}

/* ---- configuration of the provider in the prefix ---- */

#define NSP_KEY "Software\\openws2\\Nsp"

/* The provider sees a change of its settings or hosts file NSP_RECHECK_MS after it: every helper
 * that changes one waits a little longer before returning. */
static inline void nsp_settle(void)
{
    Sleep(NSP_RECHECK_MS + 50);
}

static inline void nsp_set_config(const char *servers, DWORD timeout_ms, DWORD attempts)
{
    HKEY key;
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, NSP_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL)) return;
    if (servers) RegSetValueExA(key, "DnsServers", 0, REG_SZ, (const BYTE *)servers, (DWORD)strlen(servers) + 1);
    else RegDeleteValueA(key, "DnsServers");
    RegSetValueExA(key, "TimeoutMs", 0, REG_DWORD, (const BYTE *)&timeout_ms, sizeof(timeout_ms));
    RegSetValueExA(key, "Attempts", 0, REG_DWORD, (const BYTE *)&attempts, sizeof(attempts));
    RegCloseKey(key);
    nsp_settle();
}

/* CacheMaxTtl: 0 (no cache, so every lookup reaches the test server) unless a test turns it on. */
static inline void nsp_set_cache_ttl(DWORD seconds)
{
    HKEY key;
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, NSP_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL)) return;
    RegSetValueExA(key, "CacheMaxTtl", 0, REG_DWORD, (const BYTE *)&seconds, sizeof(seconds));
    RegCloseKey(key);
    nsp_settle();
}

/* SearchList (NULL: removed). */
static inline void nsp_set_search_list(const char *list)
{
    HKEY key;
    if (RegCreateKeyExA(HKEY_LOCAL_MACHINE, NSP_KEY, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL)) return;
    if (list) RegSetValueExA(key, "SearchList", 0, REG_SZ, (const BYTE *)list, (DWORD)strlen(list) + 1);
    else RegDeleteValueA(key, "SearchList");
    RegCloseKey(key);
    nsp_settle();
}

static inline void nsp_clear_config(void)
{
    RegDeleteKeyA(HKEY_LOCAL_MACHINE, NSP_KEY);
    nsp_settle();
}

/* The prefix's hosts file is replaced by the test's one; the original is put back at exit. */
static char nsp_hosts_path[MAX_PATH + 32];
static char *nsp_hosts_saved;
static DWORD nsp_hosts_saved_len;
static BOOL nsp_hosts_existed;

static inline int nsp_write_file(const char *path, const char *data, DWORD len)
{
    HANDLE f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD done = 0;
    BOOL ok;
    if (f == INVALID_HANDLE_VALUE) return -1;
    ok = WriteFile(f, data, len, &done, NULL) && done == len;
    CloseHandle(f);
    return ok ? 0 : -1;
}

/* Reads a whole file (NUL-terminated, malloc'd) or NULL. */
static inline char *nsp_read_file(const char *path, DWORD *len_out)
{
    HANDLE f = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    DWORD size, done = 0;
    char *data;
    if (f == INVALID_HANDLE_VALUE) return NULL;
    size = GetFileSize(f, NULL);
    if (size == INVALID_FILE_SIZE || size > 16 * 1024 * 1024 || !(data = malloc(size + 1)))
    {
        CloseHandle(f);
        return NULL;
    }
    if (size && (!ReadFile(f, data, size, &done, NULL) || done != size)) done = 0;
    CloseHandle(f);
    data[done] = 0;
    if (len_out) *len_out = done;
    return data;
}

static inline void nsp_restore_hosts(void)
{
    if (!nsp_hosts_path[0]) return;
    if (nsp_hosts_existed) nsp_write_file(nsp_hosts_path, nsp_hosts_saved ? nsp_hosts_saved : "", nsp_hosts_saved_len);
    else DeleteFileA(nsp_hosts_path);
    free(nsp_hosts_saved);
    nsp_hosts_saved = NULL;
    nsp_settle();
}

static inline int nsp_install_hosts(const char *content)
{
    UINT n = GetSystemDirectoryA(nsp_hosts_path, MAX_PATH);
    if (!n || n >= MAX_PATH) return -1;
    strcat(nsp_hosts_path, "\\drivers\\etc\\hosts");
    nsp_hosts_saved = nsp_read_file(nsp_hosts_path, &nsp_hosts_saved_len);
    nsp_hosts_existed = nsp_hosts_saved != NULL;
    if (nsp_write_file(nsp_hosts_path, content, (DWORD)strlen(content))) return -1;
    nsp_settle();
    return 0;
}

/* The DNS test server's query log (a Unix path) read through \\?\unix. */
static char nsp_log_path[MAX_PATH * 2];

static inline void nsp_set_log(const char *unix_path)
{
    size_t i;
    snprintf(nsp_log_path, sizeof(nsp_log_path), "\\\\?\\unix%s", unix_path);
    for (i = 0; nsp_log_path[i]; i++)
        if (nsp_log_path[i] == '/') nsp_log_path[i] = '\\';
}

/* Lines of the log equal to line. */
static inline int nsp_log_count(const char *line)
{
    char *data = nsp_read_file(nsp_log_path, NULL), *p, *nl;
    size_t n = strlen(line);
    int count = 0;
    if (!data) return -1;
    for (p = data; *p; p = nl + 1)
    {
        nl = strchr(p, '\n');
        if (!nl) break;
        if ((size_t)(nl - p) == n && !memcmp(p, line, n)) count++;
    }
    free(data);
    return count;
}

/* ---- blobs ---- */

/* Decodes a hostent blob (offsets from the blob's start) with bounds checks: 0 or -1. */
struct nsp_hostent_view
{
    const char *name;
    int addrtype, length;
    int alias_count, addr_count;
    const char *aliases[64];
    const unsigned char *addrs[128];
};

static inline int nsp_blob_string(const BLOB *b, uintptr_t off, const char **out)
{
    if (off >= b->cbSize || !memchr(b->pBlobData + off, 0, b->cbSize - off)) return -1;
    *out = (const char *)b->pBlobData + off;
    return 0;
}

static inline int nsp_decode_hostent(const BLOB *b, struct nsp_hostent_view *v)
{
    struct hostent he;
    uintptr_t off, item;
    memset(v, 0, sizeof(*v));
    if (!b || !b->pBlobData || b->cbSize < sizeof(he)) return -1;
    memcpy(&he, b->pBlobData, sizeof(he));
    if (nsp_blob_string(b, (uintptr_t)he.h_name, &v->name)) return -1;
    v->addrtype = he.h_addrtype;
    v->length = he.h_length;
    for (off = (uintptr_t)he.h_aliases;; off += sizeof(char *))
    {
        if (off + sizeof(char *) > b->cbSize || v->alias_count >= 64) return -1;
        memcpy(&item, b->pBlobData + off, sizeof(item));
        if (!item) break;
        if (nsp_blob_string(b, item, &v->aliases[v->alias_count++])) return -1;
    }
    for (off = (uintptr_t)he.h_addr_list;; off += sizeof(char *))
    {
        if (off + sizeof(char *) > b->cbSize || v->addr_count >= 128) return -1;
        memcpy(&item, b->pBlobData + off, sizeof(item));
        if (!item) break;
        if (item + (uintptr_t)v->length > b->cbSize) return -1;
        v->addrs[v->addr_count++] = b->pBlobData + item;
    }
    return 0;
}

static inline const char *nsp_wide_to_ascii(const WCHAR *w, char *buf, size_t size)
{
    size_t i;
    if (!w) return NULL;
    for (i = 0; i + 1 < size && w[i]; i++) buf[i] = w[i] < 0x80 ? (char)w[i] : '?';
    buf[i] = 0;
    return buf;
}

/* The result's addresses as text, "a,b,c" in order. */
static inline const char *nsp_csaddr_text(const WSAQUERYSETW *qs, char *buf, size_t size)
{
    DWORD i;
    size_t n = 0;
    buf[0] = 0;
    for (i = 0; i < qs->dwNumberOfCsAddrs && qs->lpcsaBuffer; i++)
    {
        const SOCKADDR *sa = qs->lpcsaBuffer[i].RemoteAddr.lpSockaddr;
        char text[64] = "?";
        if (sa && sa->sa_family == AF_INET)
        {
            const unsigned char *a = (const unsigned char *)&((const SOCKADDR_IN *)sa)->sin_addr;
            snprintf(text, sizeof(text), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        }
        else if (sa && sa->sa_family == AF_INET6)
        {
            const unsigned char *a = (const unsigned char *)&((const SOCKADDR_IN6 *)sa)->sin6_addr;
            int k, m = 0;
            for (k = 0; k < 16; k += 2) m += snprintf(text + m, sizeof(text) - m, "%s%x", k ? ":" : "", a[k] << 8 | a[k + 1]);
        }
        n += snprintf(buf + n, size > n ? size - n : 0, "%s%s", i ? "," : "", text);
        if (n >= size) break;
    }
    return buf;
}

#endif
