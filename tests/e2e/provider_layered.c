/* provider_layered.c - end-to-end test of a layered provider under Wine: installs the recording
 * layered test provider tp_lsp.dll (a hidden layered entry plus a protocol chain [layer, tp_nifs]),
 * creates sockets through the chain entry and checks that ws2_32 loads the layer for the chain
 * entry, the layer loads the base below it with the same upcall table, the socket API reaches the
 * layer and through it the base (connect/accept/send/recv/close), a chain whose next layer cannot be
 * loaded fails with WSAEPROVIDERFAILEDINIT, and the last WSACleanup reaches the layer's WSPCleanup
 * (which cleans the base up). One line per check; exit code 1 on any failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "provider_common.h"

#include <stdio.h>
#include <stdlib.h>

static GUID lsp_dummy_guid = { 0x6f70656e, 0x7773, 0x3210, { 0x74, 0x70, 0x2d, 0x6c, 0x73, 0x70, 0x00, 0x10 } };
static GUID lsp_chain_guid = { 0x6f70656e, 0x7773, 0x3211, { 0x74, 0x70, 0x2d, 0x6c, 0x73, 0x70, 0x00, 0x11 } };
static GUID lsp_broken_guid = { 0x6f70656e, 0x7773, 0x3212, { 0x74, 0x70, 0x2d, 0x6c, 0x73, 0x70, 0x00, 0x12 } };

static void lsp_uninstall(void)
{
    int err;
    WSCDeinstallProvider(&lsp_broken_guid, &err);
    WSCDeinstallProvider(&lsp_chain_guid, &err);
    WSCDeinstallProvider(&lsp_dummy_guid, &err);
}

/* The hidden layered entry, then chains over base_id (working) and missing_id (broken). */
static BOOL lsp_install(DWORD base_id, DWORD missing_id, WSAPROTOCOL_INFOW *chain, WSAPROTOCOL_INFOW *broken)
{
    WCHAR path[MAX_PATH], *slash;
    WSAPROTOCOL_INFOW dummy, info;
    int err = 0;

    lsp_uninstall();
    GetModuleFileNameW(NULL, path, MAX_PATH);
    if ((slash = wcsrchr(path, L'\\'))) slash[1] = 0;
    wcscat(path, L"tp_lsp.dll");

    dummy = tp_entries[TP_NIFS].info;
    dummy.ProviderId = lsp_dummy_guid;
    dummy.dwCatalogEntryId = 0;
    dummy.dwProviderFlags = PFL_HIDDEN;
    dummy.ProtocolChain.ChainLen = LAYERED_PROTOCOL;
    lstrcpynW(dummy.szProtocol, L"openws2 test LSP (layer)", WSAPROTOCOL_LEN + 1);
    if (!tp_check(!WSCInstallProvider(&lsp_dummy_guid, path, &dummy, 1, &err) && tp_find_entry(&lsp_dummy_guid, &dummy),
                  "layered entry installed (%d), catalog entry %lu", err, (unsigned long)dummy.dwCatalogEntryId))
        return FALSE;

    info = tp_entries[TP_NIFS].info;
    info.ProviderId = lsp_chain_guid;
    info.dwCatalogEntryId = 0;
    info.dwServiceFlags1 &= ~XP1_IFS_HANDLES;
    info.ProtocolChain.ChainLen = 2;
    info.ProtocolChain.ChainEntries[0] = dummy.dwCatalogEntryId;
    info.ProtocolChain.ChainEntries[1] = base_id;
    lstrcpynW(info.szProtocol, L"openws2 test LSP over tp_nifs", WSAPROTOCOL_LEN + 1);
    if (!tp_check(!WSCInstallProvider(&lsp_chain_guid, path, &info, 1, &err) && tp_find_entry(&lsp_chain_guid, chain),
                  "chain [layer, tp_nifs] installed (%d), catalog entry %lu", err,
                  (unsigned long)chain->dwCatalogEntryId))
        return FALSE;

    info.ProviderId = lsp_broken_guid;
    info.ProtocolChain.ChainEntries[1] = missing_id;
    lstrcpynW(info.szProtocol, L"openws2 test LSP over a missing DLL", WSAPROTOCOL_LEN + 1);
    return tp_check(!WSCInstallProvider(&lsp_broken_guid, path, &info, 1, &err) && tp_find_entry(&lsp_broken_guid, broken),
                    "chain [layer, missing DLL] installed (%d)", err);
}

static char *lsp_log(void)
{
    int (WINAPI *read_log)(char *, int) = (void *)GetProcAddress(GetModuleHandleW(L"tp_lsp.dll"), "tp_log_read");
    int n;
    char *buf;
    if (!read_log || (n = read_log(NULL, 0)) < 0 || !(buf = malloc((size_t)n + 1))) return NULL;
    read_log(buf, n + 1);
    return buf;
}

static void lsp_log_reset(void)
{
    void (WINAPI *clear)(void) = (void *)GetProcAddress(GetModuleHandleW(L"tp_lsp.dll"), "tp_log_clear");
    if (clear) clear();
}

int main(void)
{
    WSAPROTOCOL_INFOW chain, broken, info;
    struct sockaddr_in sin;
    SOCKET lst, c = INVALID_SOCKET, a = INVALID_SOCKET, s;
    WCHAR path[MAX_PATH], *slash;
    char buf[64], expect[128], *log, *base_log;
    unsigned long long base = 0, own = 0;
    const char *line;
    int len = sizeof(sin), n;
    WSADATA data;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (!tp_check(tp_install() == 0, "test providers installed in the catalog")) return 1;
    if (!lsp_install(tp_entries[TP_NIFS].info.dwCatalogEntryId, tp_entries[TP_MISSING].info.dwCatalogEntryId, &chain,
                     &broken))
    {
        lsp_uninstall();
        tp_uninstall();
        return 1;
    }
    Sleep(300);
    GetModuleFileNameW(NULL, path, MAX_PATH);
    if ((slash = wcsrchr(path, L'\\'))) slash[1] = 0;
    wcscat(path, L"tp_lsp.dll");
    tp_check(LoadLibraryW(path) != NULL, "tp_lsp.dll pinned by the test");
    tp_pin(TP_NIFS);
    tp_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");

    info = chain;
    lst = WSASocketW(AF_INET, SOCK_STREAM, info.iProtocol, &info, 0, 0);
    if (!tp_check(lst != INVALID_SOCKET, "WSASocketW with the chain entry (%d)", lst == INVALID_SOCKET ? WSAGetLastError() : 0))
        goto done;
    log = lsp_log();
    snprintf(expect, sizeof(expect), "next WSPStartup catalog=%lu ",
             (unsigned long)tp_entries[TP_NIFS].info.dwCatalogEntryId);
    tp_check(log && tp_log_count(log, expect) == 1, "the layer loaded the next entry of its chain (tp_nifs)");
    snprintf(expect, sizeof(expect), "WSPStartup requested=0x0202 catalog=%lu ", (unsigned long)chain.dwCatalogEntryId);
    tp_check(log && tp_log_count(log, expect) == 1, "ws2_32 started the layer once, for the chain entry");
    line = log ? strstr(log, "WSPSocket af=2 type=1 protocol=254 base=") : NULL;
    tp_check(line && sscanf(line, "WSPSocket af=2 type=1 protocol=254 base=%llx -> %llx", &base, &own) == 2 &&
                 own == (unsigned long long)lst && base != own,
             "the application's socket is the layer's handle (%#llx), not the base's (%#llx)", own, base);
    free(log);
    base_log = tp_log_get(TP_NIFS);
    tp_check(base_log && tp_log_count(base_log, "WSPSocket af=2 type=1") == 1, "the base made the socket below");
    free(base_log);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    tp_check(bind(lst, (struct sockaddr *)&sin, sizeof(sin)) == 0, "bind through the layer (%d)", WSAGetLastError());
    tp_check(getsockname(lst, (struct sockaddr *)&sin, &len) == 0 && sin.sin_port, "getsockname through the layer");
    tp_check(listen(lst, 2) == 0, "listen through the layer");
    info = chain;
    c = WSASocketW(AF_INET, SOCK_STREAM, info.iProtocol, &info, 0, 0);
    tp_check(c != INVALID_SOCKET && connect(c, (struct sockaddr *)&sin, sizeof(sin)) == 0,
             "connect through the layer (%d)", WSAGetLastError());
    a = accept(lst, NULL, NULL);
    tp_check(a != INVALID_SOCKET, "accept through the layer (%d)", a == INVALID_SOCKET ? WSAGetLastError() : 0);
    lsp_log_reset();
    tp_log_reset(TP_NIFS);
    tp_check(send(c, "layered", 7, 0) == 7, "send through the layer");
    memset(buf, 0, sizeof(buf));
    n = recv(a, buf, sizeof(buf), 0);
    tp_check(n == 7 && !memcmp(buf, "layered", 7), "recv through the layer (%d)", n);
    log = lsp_log();
    base_log = tp_log_get(TP_NIFS);
    tp_check(log && tp_log_count(log, "WSPSend") == 1 && tp_log_count(log, "WSPRecv") == 1,
             "the layer saw the send and the receive");
    tp_check(base_log && tp_log_count(base_log, "WSPSend") == 1 && tp_log_count(base_log, "WSPRecv") == 1,
             "and passed them to the base");
    free(log);
    free(base_log);

    lsp_log_reset();
    tp_log_reset(TP_NIFS);
    tp_check(closesocket(c) == 0 && closesocket(a) == 0 && closesocket(lst) == 0, "closesocket x3");
    log = lsp_log();
    base_log = tp_log_get(TP_NIFS);
    tp_check(log && tp_log_count(log, "WSPCloseSocket") == 3, "the layer closed its three sockets");
    tp_check(base_log && tp_log_count(base_log, "WSPCloseSocket") == 3, "and the three below");
    free(log);
    free(base_log);
    c = a = INVALID_SOCKET;

    info = broken;
    s = WSASocketW(AF_INET, SOCK_STREAM, info.iProtocol, &info, 0, 0);
    tp_check(s == INVALID_SOCKET && WSAGetLastError() == WSAEPROVIDERFAILEDINIT,
             "chain whose next layer is missing: WSAEPROVIDERFAILEDINIT (%d)", WSAGetLastError());

done:
    lsp_log_reset();
    tp_check(WSACleanup() == 0, "WSACleanup");
    log = lsp_log();
    tp_check(log && tp_log_count(log, "next WSPCleanup -> 0") == 1 && tp_log_count(log, "WSPCleanup -> 0") == 1,
             "the last WSACleanup reached the layer's WSPCleanup, which cleaned the base up");
    free(log);
    lsp_uninstall();
    tp_uninstall();
    printf("%s: %d failure(s)\n", tp_failures ? "FAIL" : "PASS", tp_failures);
    return tp_failures ? 1 : 0;
}
