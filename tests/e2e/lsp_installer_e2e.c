/* lsp_installer_e2e.c - an LSP installer's calls, as installers built on Microsoft's LSP sample make
 * them, against openws2 under Wine; and a layered provider whose WSPStartup fails.
 * Copyright (C) 2026 the openws2 authors
 *
 * Modes (argv[1]):
 *   chains, chains-ifs  the tracing LSP installed with WSCInstallProviderAndChains64_32 over TCP/IPv4
 *   legacy, legacy-ifs  the same with WSCInstallProvider64_32 (hidden entry, then the chain under a GUID
 *                       of its own) and WSCWriteProviderOrder / WSCWriteProviderOrder32 (chain first)
 *     Each: the entries located the way installers and LSPs do (the hidden entry: the first entry with
 *     the LSP's GUID, ChainLen 0; its chains: ChainEntries[0]; the same ids in both views), traffic
 *     checked through the LSP's trace file, then removed with WSCDeinstallProvider(32) on the hidden
 *     entry's GUID and then on the chain's, call by call; the registry is back byte for byte (both
 *     views; except the counters).
 *   failstartup         tp_lsp.dll installed over TCP/IPv4 with its WSPStartup failing (knob
 *                       OPENWS2_TP_LSP_FAIL): 300 socket() calls fail with WSAEPROVIDERFAILEDINIT and
 *                       leave no handle, thread or module behind; UDP sockets keep working.
 *   failnext            the tracing LSP over a base entry on tp_nostartup.dll (no WSPStartup): its
 *                       WSPStartup fails because its next layer cannot start; the same 300 failures.
 * i686: a 32-bit program has one view, its own (Catalog_Entries: WSCEnumProtocols, WSCInstallProvider,
 * WSCInstallProviderAndChains, WSCWriteProviderOrder, WSCDeinstallProvider); the *32 and *64_32
 * functions are how 64-bit programs reach the 32-bit view. A 32-bit installer makes the single-view
 * calls: the same checks run on that one view, with no second removal and no lpszProviderDllPath32 case.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_check.h"
#include <tlhelp32.h>
#include <sporder.h>

#define TRACE_KEY "Software\\openws2\\LspTrace"

typedef int (WSPAPI *chains64_32_fn)(LPGUID, LPWSTR, LPWSTR, LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD, LPDWORD, LPINT);
typedef int (WSPAPI *install64_32_fn)(LPGUID, const WCHAR *, const LPWSAPROTOCOL_INFOW, DWORD, LPINT);
typedef int (WSPAPI *guid_fn)(LPGUID, LPINT);
typedef int (WSPAPI *enum_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSPAPI *order_fn)(LPDWORD, DWORD);

static chains64_32_fn chains64_32;
static install64_32_fn install64_32;
static guid_fn deinstall32;
static enum_fn enum32;
static order_fn order32;
static BOOL one_view; /* a 32-bit program: its own view only */

#ifndef _WIN64
/* The single-view calls of a 32-bit installer, in the places of the 64-bit installer's *64_32 / *32. */
typedef int (WSPAPI *chains_fn)(LPGUID, LPWSTR, LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD, LPDWORD, LPINT);
static chains_fn chains_native;

static int WSPAPI chains_one_view(LPGUID g, LPWSTR path, LPWSTR path32, LPWSTR name, DWORD flags,
                                  LPWSAPROTOCOL_INFOW list, DWORD n, LPDWORD id, LPINT err)
{
    (void)path32;
    return chains_native(g, path, name, flags, list, n, id, err);
}

static int WSPAPI install_one_view(LPGUID g, const WCHAR *path, const LPWSAPROTOCOL_INFOW list, DWORD n, LPINT err)
{
    return WSCInstallProvider(g, path, list, n, err);
}

static int WSPAPI order_one_view(LPDWORD ids, DWORD n)
{
    return WSCWriteProviderOrder(ids, n);
}

static int WSPAPI enum_one_view(LPINT protocols, LPWSAPROTOCOL_INFOW buf, LPDWORD len, LPINT err)
{
    return WSCEnumProtocols(protocols, buf, len, err);
}
#endif

/* The removal from the other view (WSCDeinstallProvider32): none when there is one view. */
static int deinstall_other(GUID *g, int *err)
{
    return one_view ? 0 : deinstall32(g, err);
}

static GUID lsp_guid = { 0x6f70656e, 0x7773, 0x4c10, { 0x69, 0x6e, 0x73, 0x74, 0x61, 0x6c, 0x6c, 0x01 } };
static GUID legacy_chain_guid = { 0x6f70656e, 0x7773, 0x4c11, { 0x69, 0x6e, 0x73, 0x74, 0x61, 0x6c, 0x6c, 0x02 } };
static WCHAR log_path[MAX_PATH];
static char pid_tag[32];

/* One view's catalog: WSCEnumProtocols (native) or WSCEnumProtocols32. */
static WSAPROTOCOL_INFOW *view(BOOL v32, int *n)
{
    DWORD len = 0;
    int err = 0;
    WSAPROTOCOL_INFOW *buf;

    if (!v32) return lsp_catalog(n);
    *n = 0;
    enum32(NULL, NULL, &len, &err);
    if (!len || !(buf = malloc(len))) return NULL;
    if ((*n = enum32(NULL, buf, &len, &err)) <= 0)
    {
        free(buf);
        *n = 0;
        return NULL;
    }
    return buf;
}

/* What an installer looks for: the hidden entry (first entry with the GUID) and its chains. */
struct found
{
    int hidden_at, nchains, first_chain_at;
    DWORD hidden_id, chain_id, chain_base;
    GUID chain_guid;
    DWORD chain_flags;
};

static struct found locate(BOOL v32, const GUID *guid)
{
    struct found f = { -1, 0, -1, 0, 0, 0, { 0 }, 0 };
    int n, i;
    WSAPROTOCOL_INFOW *cat = view(v32, &n);

    for (i = 0; i < n && f.hidden_at < 0; i++)
        if (!memcmp(&cat[i].ProviderId, guid, sizeof(GUID)))
        {
            f.hidden_at = i;
            f.hidden_id = cat[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL ? cat[i].dwCatalogEntryId : 0;
        }
    for (i = 0; f.hidden_id && i < n; i++)
        if (cat[i].ProtocolChain.ChainLen >= 2 && cat[i].ProtocolChain.ChainEntries[0] == f.hidden_id)
        {
            if (!f.nchains++)
            {
                f.first_chain_at = i;
                f.chain_id = cat[i].dwCatalogEntryId;
                f.chain_base = cat[i].ProtocolChain.ChainEntries[1];
                f.chain_guid = cat[i].ProviderId;
                f.chain_flags = cat[i].dwServiceFlags1;
            }
        }
    free(cat);
    return f;
}

static BOOL configure_trace(void)
{
    static const WCHAR procs[] = L"lsp_installer_e2e.exe\0";
    return lsp_trace_configure(L"lsp_installer_e2e.log", procs, sizeof(procs), log_path);
}

/* The legacy path of Microsoft's sample: the hidden entry (a copy of the base entry, ChainLen 0,
 * hidden), then the chain [hidden, base] under a GUID of its own, then the chain first in each view. */
static BOOL install_legacy(const WSAPROTOCOL_INFOW *base, const WCHAR *path, const WCHAR *name, BOOL ifs)
{
    WSAPROTOCOL_INFOW hidden = *base, chain = *base;
    int err = 0, r, v;
    struct found f;

    hidden.dwProviderFlags = (hidden.dwProviderFlags | PFL_HIDDEN) & ~PFL_MATCHES_PROTOCOL_ZERO;
    hidden.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    lstrcpynW(hidden.szProtocol, name, WSAPROTOCOL_LEN);
    if (!ifs) hidden.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    r = install64_32(&lsp_guid, path, &hidden, 1, &err);
    if (!lsp_check(!r, "WSCInstallProvider64_32 (hidden entry) -> %d (error %d)", r, r ? err : 0)) return FALSE;
    f = locate(FALSE, &lsp_guid);
    if (!lsp_check(f.hidden_id != 0, "the hidden entry is the first entry with the GUID (%d)", f.hidden_at)) return FALSE;
    chain.ProtocolChain.ChainLen = 2;
    chain.ProtocolChain.ChainEntries[0] = f.hidden_id;
    chain.ProtocolChain.ChainEntries[1] = base->dwCatalogEntryId;
    _snwprintf(chain.szProtocol, WSAPROTOCOL_LEN, L"%ls over [%ls]", name, base->szProtocol);
    chain.szProtocol[WSAPROTOCOL_LEN - 1] = 0;
    if (!ifs) chain.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    r = install64_32(&legacy_chain_guid, path, &chain, 1, &err);
    if (!lsp_check(!r, "WSCInstallProvider64_32 (chain) -> %d (error %d)", r, r ? err : 0)) return FALSE;
    for (v = 0; v < 2; v++)
    {
        int n, i, k = 0;
        WSAPROTOCOL_INFOW *cat = view(v, &n);
        DWORD *order = malloc((n ? n : 1) * sizeof(DWORD));
        if (!cat || !order) return FALSE;
        for (i = 0; i < n; i++)
            if (cat[i].ProtocolChain.ChainLen >= 2 && cat[i].ProtocolChain.ChainEntries[0] == f.hidden_id)
                order[k++] = cat[i].dwCatalogEntryId;
        for (i = 0; i < n; i++)
            if (!(cat[i].ProtocolChain.ChainLen >= 2 && cat[i].ProtocolChain.ChainEntries[0] == f.hidden_id))
                order[k++] = cat[i].dwCatalogEntryId;
        r = v ? order32(order, (DWORD)n) : WSCWriteProviderOrder(order, (DWORD)n);
        lsp_check(r == 0, "WSCWriteProviderOrder%s: the chain first -> %d", v ? "32" : "", r);
        free(order);
        free(cat);
    }
    return TRUE;
}

/* lpszProviderDllPath32 NULL: documented to need lpszProviderDllPath = %windir%\system32\<dllname>
 * (the 32-bit view then names the same path), else WSAEINVAL. */
static void null_path32(const WSAPROTOCOL_INFOW *base)
{
    typedef int (WSPAPI *path32_fn)(LPGUID, WCHAR *, LPINT, LPINT);
    path32_fn get_path32 = (path32_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSCGetProviderPath32");
    WCHAR sys[] = L"%windir%\\system32\\openws2_nolsp.dll", other[] = L"C:\\lsp\\openws2_nolsp.dll",
          deeper[] = L"%windir%\\system32\\sub\\openws2_nolsp.dll", name[] = L"openws2 path32 LSP";
    GUID g = { 0x6f70656e, 0x7773, 0x4c13, { 0x70, 0x61, 0x74, 0x68, 0x33, 0x32, 0x00, 0x01 } };
    WCHAR p64[MAX_PATH], p32[MAX_PATH];
    struct lsp_dump before = lsp_catalog_dump(), after;
    WSAPROTOCOL_INFOW list = *base;
    DWORD id = 0;
    int err = 0, r, l64 = MAX_PATH, l32 = MAX_PATH, e2 = 0;
    struct found f;

    r = chains64_32(&g, other, NULL, name, 0, &list, 1, &id, &err);
    lsp_check(r == SOCKET_ERROR && err == WSAEINVAL, "path32 NULL, a path outside system32 -> %d error %d", r, err);
    err = 0;
    r = chains64_32(&g, deeper, NULL, name, 0, &list, 1, &id, &err);
    lsp_check(r == SOCKET_ERROR && err == WSAEINVAL, "path32 NULL, a path below system32 -> %d error %d", r, err);
    err = 0;
    r = chains64_32(&g, sys, NULL, name, 0, &list, 1, &id, &err);
    lsp_check(!r && id, "path32 NULL, %%windir%%\\system32\\<dll> -> %d error %d", r, r ? err : 0);
    if (r) return;
    r = WSCGetProviderPath(&g, p64, &l64, &err) || !get_path32 || get_path32(&g, p32, &l32, &e2);
    lsp_check(!r && !lstrcmpiW(p64, sys) && !lstrcmpiW(p32, sys), "both views name %ls (%ls / %ls)", sys, r ? L"-" : p64,
              r ? L"-" : p32);
    f = locate(FALSE, &g);
    r = WSCDeinstallProvider(&g, &err) || WSCDeinstallProvider(&f.chain_guid, &err) || deinstall_other(&g, &err) ||
        deinstall_other(&f.chain_guid, &err);
    after = lsp_catalog_dump();
    lsp_check(!r && before.len == after.len && !memcmp(before.data, after.data, before.len), "removed again (error %d)",
              r ? err : 0);
    free(before.data);
    free(after.data);
}

static int installer(const char *mode)
{
    BOOL ifs = strstr(mode, "ifs") != NULL, legacy = !strncmp(mode, "legacy", 6);
    WSAPROTOCOL_INFOW base;
    WCHAR path[MAX_PATH], name[64];
    struct lsp_dump before, after;
    struct found f64, f32;
    DWORD id = 0;
    int err = 0, r, v;

    _snwprintf(name, 64, L"openws2 installer LSP (%hs)", mode);
    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    if (!lsp_check(chains64_32 && install64_32 && deinstall32 && enum32 && order32 && lsp_base_tcp(AF_INET, &base),
                   "the 64_32 and 32 functions are exported, a base TCP/IPv4 entry"))
        return 1;
    lsp_check(configure_trace(), "HKLM\\%s configured", TRACE_KEY);
    before = lsp_catalog_dump();

    if (legacy) install_legacy(&base, path, name, ifs);
    else
    {
        r = chains64_32(&lsp_guid, path, path, name, ifs ? XP1_IFS_HANDLES : 0, &base, 1, &id, &err);
        lsp_check(!r && id, "WSCInstallProviderAndChains64_32 -> %d (error %d), hidden entry %lu", r, r ? err : 0,
                  (unsigned long)id);
    }

    /* where the installer and the LSP find their entries */
    f64 = locate(FALSE, &lsp_guid);
    f32 = locate(TRUE, &lsp_guid);
    for (v = 0; v < 2; v++)
    {
        const struct found *f = v ? &f32 : &f64;
        lsp_check(f->hidden_id && (legacy || f->hidden_id == id),
                  "%s view: the first entry with the LSP's GUID is the hidden entry %lu (at %d)", v ? "32-bit" : "native",
                  (unsigned long)f->hidden_id, f->hidden_at);
        lsp_check(f->nchains == 1 && f->first_chain_at == 0 && f->chain_base == base.dwCatalogEntryId &&
                      memcmp(&f->chain_guid, &lsp_guid, sizeof(GUID)) && !(f->chain_flags & XP1_IFS_HANDLES) == !ifs,
                  "%s view: one chain [hidden, %lu], first in catalog order, a GUID of its own, %s", v ? "32-bit" : "native",
                  (unsigned long)base.dwCatalogEntryId, ifs ? "IFS" : "non-IFS");
    }
    lsp_check(f64.hidden_id == f32.hidden_id && f64.chain_id == f32.chain_id &&
                  !memcmp(&f64.chain_guid, &f32.chain_guid, sizeof(GUID)),
              "both views: the same ids (hidden %lu / %lu, chain %lu / %lu) and the same chain GUID",
              (unsigned long)f64.hidden_id, (unsigned long)f32.hidden_id, (unsigned long)f64.chain_id,
              (unsigned long)f32.chain_id);

    /* traffic through the LSP */
    {
        struct sockaddr_storage addr;
        int len;
        SOCKET l = lsp_listener(AF_INET, &addr, &len), c = INVALID_SOCKET, a = INVALID_SOCKET;
        WSAPROTOCOL_INFOW info;
        char buf[8] = { 0 }, *log;

        if (l != INVALID_SOCKET) c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (c != INVALID_SOCKET && !connect(c, (struct sockaddr *)&addr, len)) a = accept(l, NULL, NULL);
        lsp_check(a != INVALID_SOCKET && lsp_sock_info(c, &info) && info.dwCatalogEntryId == f64.chain_id &&
                      info.ProtocolChain.ChainEntries[0] == f64.hidden_id,
                  "a TCP socket is made through the chain (%d)", c == INVALID_SOCKET ? WSAGetLastError() : 0);
        lsp_check(a != INVALID_SOCKET && lsp_send_all(c, "hello", 5) && lsp_recv_all(a, buf, 5) && !memcmp(buf, "hello", 5),
                  "data passes");
        closesocket(c);
        closesocket(a);
        closesocket(l);
        log = lsp_read_file(log_path, NULL);
        lsp_check(log && lsp_count_lines(log, pid_tag, "WSPStartup(", NULL) > 0 &&
                      lsp_count_lines(log, pid_tag, "WSPConnect(", NULL) > 0 &&
                      lsp_count_lines(log, pid_tag, "WSPCloseSocket(", NULL) > 0 &&
                      (ifs || lsp_count_lines(log, pid_tag, "WSPSend(", "bytes=5", NULL) > 0),
                  "the LSP's trace file has this process' calls");
        free(log);
    }

    if (!legacy && !ifs && !one_view)
    {
        /* another LSP, with this one installed (its chain layers over this one's chain) */
        null_path32(&base);
    }

    /* removal, call by call, as the installer makes it */
    r = WSCDeinstallProvider(&lsp_guid, &err);
    lsp_check(!r, "WSCDeinstallProvider(hidden entry's GUID) -> %d (error %d)", r, r ? err : 0);
    r = WSCDeinstallProvider(&f64.chain_guid, &err);
    lsp_check(!r, "WSCDeinstallProvider(chain's GUID) -> %d (error %d)", r, r ? err : 0);
    if (!one_view)
    {
        r = deinstall32(&lsp_guid, &err);
        lsp_check(!r, "WSCDeinstallProvider32(hidden entry's GUID) -> %d (error %d)", r, r ? err : 0);
        r = deinstall32(&f32.chain_guid, &err);
        lsp_check(!r, "WSCDeinstallProvider32(chain's GUID) -> %d (error %d)", r, r ? err : 0);
    }
    r = WSCDeinstallProvider(&lsp_guid, &err);
    lsp_check(r == SOCKET_ERROR && err == WSAEINVAL, "again: WSAEINVAL (%d, %d)", r, err);
    f64 = locate(FALSE, &lsp_guid);
    f32 = locate(TRUE, &lsp_guid);
    lsp_check(f64.hidden_at < 0 && f32.hidden_at < 0, "no entry left");
    after = lsp_catalog_dump();
    lsp_check(before.len == after.len && !memcmp(before.data, after.data, before.len),
              "the catalog's registry bytes are back, both views (%lu / %lu bytes)", (unsigned long)before.len,
              (unsigned long)after.len);
    free(before.data);
    free(after.data);
    return 0;
}

/* The process' threads (at least 1: this one). A snapshot can fail on a busy machine (Wine: seen
 * once under a parallel ctest run, which read as 0 threads): it is taken again a few times. */
static DWORD thread_count(void)
{
    DWORD n = 0, pid = GetCurrentProcessId();
    int attempt;

    for (attempt = 0; attempt < 10 && !n; attempt++)
    {
        HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
        THREADENTRY32 te;

        if (attempt) Sleep(50);
        if (snap == INVALID_HANDLE_VALUE) continue;
        te.dwSize = sizeof(te);
        if (Thread32First(snap, &te))
            do
                if (te.th32OwnerProcessID == pid) n++;
            while (Thread32Next(snap, &te));
        CloseHandle(snap);
    }
    return n;
}

/* The highest of 64 new handle values: a handle left open below it pushes it up (Wine and Windows
 * hand out the lowest free slot), whether or not GetProcessHandleCount is implemented. */
static ULONG_PTR handle_probe(void)
{
    HANDLE h[64];
    ULONG_PTR top = 0;
    int i;

    for (i = 0; i < 64; i++)
    {
        h[i] = CreateEventW(NULL, TRUE, FALSE, NULL);
        if ((ULONG_PTR)h[i] > top) top = (ULONG_PTR)h[i];
    }
    for (i = 0; i < 64; i++)
        if (h[i]) CloseHandle(h[i]);
    return top;
}

static int failstartup(void)
{
    GUID g = { 0x6f70656e, 0x7773, 0x4c12, { 0x66, 0x61, 0x69, 0x6c, 0x73, 0x74, 0x72, 0x74 } };
    WSAPROTOCOL_INFOW base;
    WCHAR path[MAX_PATH], name[] = L"openws2 failing LSP";
    struct lsp_dump before, after;
    DWORD id = 0, h0 = 0, h1 = 0, t0, t1;
    ULONG_PTR p0, p1;
    int err = 0, r, i, wrong = 0, last = 0;
    struct found f;

    lsp_module_dir_file(L"tp_lsp.dll", path, MAX_PATH);
    if (!lsp_check(chains64_32 && deinstall32 && lsp_base_tcp(AF_INET, &base), "exports, a base TCP/IPv4 entry")) return 1;
    SetEnvironmentVariableA("OPENWS2_TP_LSP_FAIL", "10091");
    before = lsp_catalog_dump();
    r = chains64_32(&g, path, path, name, 0, &base, 1, &id, &err);
    lsp_check(!r && id, "tp_lsp installed over TCP/IPv4 -> %d (error %d)", r, r ? err : 0);
    {
        /* warm up: the base provider loaded, a first failure (the catalog reloaded) */
        SOCKET u = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (u != INVALID_SOCKET) closesocket(u);
        if (s != INVALID_SOCKET) closesocket(s);
    }
    GetProcessHandleCount(GetCurrentProcess(), &h0);
    p0 = handle_probe();
    t0 = thread_count();
    for (i = 0; i < 300; i++)
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        int e = WSAGetLastError();
        if (s != INVALID_SOCKET)
        {
            closesocket(s);
            wrong++;
        }
        else if (e != WSAEPROVIDERFAILEDINIT)
        {
            wrong++;
            last = e;
        }
    }
    GetProcessHandleCount(GetCurrentProcess(), &h1);
    p1 = handle_probe();
    t1 = thread_count();
    lsp_check(!wrong, "300 x socket(TCP) through the failing LSP: INVALID_SOCKET, WSAEPROVIDERFAILEDINIT (%d wrong, last %d)",
              wrong, last);
    lsp_check(h1 <= h0 + 2, "GetProcessHandleCount: no handle left behind (%lu before, %lu after)", (unsigned long)h0,
              (unsigned long)h1);
    lsp_check(p0 && p1 <= p0 + 2 * sizeof(HANDLE), "new handles' values: no handle left behind (top %#lx before, %#lx after)",
              (unsigned long)p0, (unsigned long)p1);
    lsp_check(t0 && t1 <= t0, "no thread left behind (%lu before, %lu after)", (unsigned long)t0, (unsigned long)t1);
    lsp_check(!GetModuleHandleW(L"tp_lsp.dll"), "the failing provider's DLL is unloaded");
    {
        SOCKET u1 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), u2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
        struct sockaddr_in a1, a2;
        int len = sizeof(a2);
        char buf[8] = { 0 };
        memset(&a1, 0, sizeof(a1));
        a1.sin_family = AF_INET;
        a1.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a2 = a1;
        lsp_check(u1 != INVALID_SOCKET && u2 != INVALID_SOCKET && !bind(u2, (struct sockaddr *)&a2, sizeof(a2)) &&
                      !getsockname(u2, (struct sockaddr *)&a2, &len) &&
                      sendto(u1, "udp", 3, 0, (struct sockaddr *)&a2, sizeof(a2)) == 3 &&
                      recv(u2, buf, sizeof(buf), 0) == 3 && !memcmp(buf, "udp", 3),
                  "UDP sockets (not layered) keep working");
        closesocket(u1);
        closesocket(u2);
    }
    f = locate(FALSE, &g);
    lsp_check(f.nchains == 1, "the failing LSP's chain found by ChainEntries[0]");
    r = WSCDeinstallProvider(&g, &err) || WSCDeinstallProvider(&f.chain_guid, &err) || deinstall_other(&g, &err) ||
        deinstall_other(&f.chain_guid, &err);
    lsp_check(!r, "the failing LSP removed from both views (error %d)", r ? err : 0);
    after = lsp_catalog_dump();
    lsp_check(before.len == after.len && !memcmp(before.data, after.data, before.len), "the catalog is back");
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        lsp_check(s != INVALID_SOCKET, "TCP sockets work again once it is removed (%d)", s == INVALID_SOCKET ? WSAGetLastError() : 0);
        if (s != INVALID_SOCKET) closesocket(s);
    }
    free(before.data);
    free(after.data);
    return 0;
}

/* 300 failing socket(af, type, protocol) calls: counted as failures with WSAEPROVIDERFAILEDINIT, no
 * handle or thread left behind, the DLL `gone` (when given) not loaded afterwards. */
static void fail_loop(int af, int type, int protocol, const WCHAR *gone, const char *what)
{
    DWORD t0, t1;
    ULONG_PTR p0, p1;
    int i, wrong = 0, last = 0;

    p0 = handle_probe();
    t0 = thread_count();
    for (i = 0; i < 300; i++)
    {
        SOCKET s = socket(af, type, protocol);
        int e = WSAGetLastError();
        if (s != INVALID_SOCKET)
        {
            closesocket(s);
            wrong++;
        }
        else if (e != WSAEPROVIDERFAILEDINIT)
        {
            wrong++;
            last = e;
        }
    }
    p1 = handle_probe();
    t1 = thread_count();
    lsp_check(!wrong, "%s: 300 x socket(): INVALID_SOCKET, WSAEPROVIDERFAILEDINIT (%d wrong, last %d)", what, wrong, last);
    lsp_check(p0 && p1 <= p0 + 2 * sizeof(HANDLE), "%s: no handle left behind (top %#lx before, %#lx after)", what,
              (unsigned long)p0, (unsigned long)p1);
    lsp_check(t0 && t1 <= t0, "%s: no thread left behind (%lu before, %lu after)", what, (unsigned long)t0, (unsigned long)t1);
    if (gone) lsp_check(!GetModuleHandleW(gone), "%s: %ls is not loaded", what, gone);
}

/* A working LSP (the tracing one) over a base entry whose provider cannot start (tp_nostartup.dll,
 * no WSPStartup), on a protocol number of its own: the layer's WSPSocket fails. */
static int failnext(void)
{
    typedef int (WSPAPI *chains_fn)(LPGUID, LPWSTR, LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD, LPDWORD, LPINT);
    chains_fn chains = (chains_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSCInstallProviderAndChains");
    GUID gbase = { 0x6f70656e, 0x7773, 0x4c14, { 0x6e, 0x6f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x01 } };
    GUID glsp = { 0x6f70656e, 0x7773, 0x4c15, { 0x6e, 0x6f, 0x73, 0x74, 0x61, 0x72, 0x74, 0x02 } };
    WSAPROTOCOL_INFOW base, entry;
    WCHAR bpath[MAX_PATH], lpath[MAX_PATH], name[] = L"openws2 LSP over a broken base";
    struct lsp_dump before, after;
    DWORD id = 0;
    int err = 0, r;
    struct found f;

    if (!lsp_check(chains && lsp_base_tcp(AF_INET, &base), "WSCInstallProviderAndChains, a base TCP/IPv4 entry")) return 1;
    lsp_check(configure_trace(), "HKLM\\%s configured", TRACE_KEY);
    lsp_module_dir_file(L"tp_nostartup.dll", bpath, MAX_PATH);
    lsp_module_dir_file(L"openws2_lsp_trace.dll", lpath, MAX_PATH);
    before = lsp_catalog_dump();
    entry = base;
    entry.iProtocol = 240;
    entry.iProtocolMaxOffset = 0;
    entry.dwProviderFlags &= ~PFL_MATCHES_PROTOCOL_ZERO;
    lstrcpyW(entry.szProtocol, L"openws2 broken base");
    r = WSCInstallProvider(&gbase, bpath, &entry, 1, &err);
    lsp_check(!r, "a base entry (protocol 240) on tp_nostartup.dll -> %d (error %d)", r, r ? err : 0);
    r = chains(&glsp, lpath, name, 0, &entry, 1, &id, &err);
    lsp_check(!r && id, "the tracing LSP over it -> %d (error %d)", r, r ? err : 0);
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, 240); /* warm up: the layer loaded */
        if (s != INVALID_SOCKET) closesocket(s);
    }
    fail_loop(AF_INET, SOCK_STREAM, 240, L"tp_nostartup.dll", "a layer over a provider without WSPStartup");
    {
        /* the layer's WSPStartup finds its next layer, fails, and the layer is unloaded again */
        char *log = lsp_read_file(log_path, NULL);
        int n = log ? lsp_count_lines(log, pid_tag, "tp_nostartup.dll: not loadable", NULL) : 0;
        lsp_check(n >= 300, "the layer ran and found its next layer not loadable (%d trace lines)", n);
        lsp_check(!GetModuleHandleW(L"openws2_lsp_trace.dll"), "the layer is unloaded again");
        free(log);
    }
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        lsp_check(s != INVALID_SOCKET, "TCP sockets keep working (%d)", s == INVALID_SOCKET ? WSAGetLastError() : 0);
        if (s != INVALID_SOCKET) closesocket(s);
    }
    f = locate(FALSE, &glsp);
    r = WSCDeinstallProvider(&glsp, &err) || WSCDeinstallProvider(&f.chain_guid, &err) || WSCDeinstallProvider(&gbase, &err);
    after = lsp_catalog_dump();
    lsp_check(!r && before.len == after.len && !memcmp(before.data, after.data, before.len), "removed again (error %d)",
              r ? err : 0);
    free(before.data);
    free(after.data);
    return 0;
}

int main(int argc, char **argv)
{
    HMODULE ws2;
    WSADATA wsa;
    const char *mode = argc > 1 ? argv[1] : "chains";

    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(pid_tag, sizeof(pid_tag), "pid=%lu ", GetCurrentProcessId());
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    ws2 = GetModuleHandleA("ws2_32.dll");
    chains64_32 = (chains64_32_fn)(void *)GetProcAddress(ws2, "WSCInstallProviderAndChains64_32");
    install64_32 = (install64_32_fn)(void *)GetProcAddress(ws2, "WSCInstallProvider64_32");
    deinstall32 = (guid_fn)(void *)GetProcAddress(ws2, "WSCDeinstallProvider32");
    enum32 = (enum_fn)(void *)GetProcAddress(ws2, "WSCEnumProtocols32");
    order32 = (order_fn)(void *)GetProcAddress(ws2, "WSCWriteProviderOrder32");
#ifndef _WIN64
    one_view = TRUE;
    chains_native = (chains_fn)(void *)GetProcAddress(ws2, "WSCInstallProviderAndChains");
    chains64_32 = chains_native ? chains_one_view : NULL;
    install64_32 = install_one_view;
    enum32 = enum_one_view;
    order32 = order_one_view;
#endif
    {
        /* a previous run's leftovers */
        int err = 0;
        struct found f = locate(FALSE, &lsp_guid);
        WSCDeinstallProvider(&lsp_guid, &err);
        if (f.nchains) WSCDeinstallProvider(&f.chain_guid, &err);
        WSCDeinstallProvider(&legacy_chain_guid, &err);
        if (deinstall32 && !one_view)
        {
            deinstall32(&lsp_guid, &err);
            deinstall32(&f.chain_guid, &err);
            deinstall32(&legacy_chain_guid, &err);
        }
    }
    if (!strcmp(mode, "failstartup")) failstartup();
    else if (!strcmp(mode, "failnext")) failnext();
    else installer(mode);
    WSACleanup();
    printf("%d failure(s)\n", lsp_failures);
    return lsp_failures ? 1 : 0;
}
