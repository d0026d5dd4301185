/* catalog_enum_e2e.c - WSAEnumProtocolsW/A and WSCEnumProtocols on the prefix's catalog (the default
 * written by `ws2catalog reset`), with Windows' filtering and error cases, and the argument checks of
 * WSCGetProviderPath / WSCGetProviderInfo that Windows shows (Wine's tests run on Windows).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_check.h"

static const GUID msafd_v4 = {0xe70f1aa0, 0xab8b, 0x11cf, {0x8c, 0xa3, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};

static BOOL is_msafd(const WCHAR *w, const char *a)
{
    size_t i;
    for (i = 0; a[i]; i++)
        if (w[i] != (WCHAR)(unsigned char)a[i]) return FALSE;
    return !w[i];
}

static void enum_w(void)
{
    WSAPROTOCOL_INFOW *buf, one;
    INT filter[] = {0xdead, IPPROTO_TCP, 0xcafe, IPPROTO_UDP, 0xbeef, 0};
    INT only_tcp[] = {IPPROTO_TCP, 0};
    DWORD len = 0, need;
    int n, i, msafd = 0;

    WSASetLastError(0);
    n = WSAEnumProtocolsW(NULL, NULL, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS, "WSAEnumProtocolsW(NULL, NULL, &0) -> %d error %d", n,
          WSAGetLastError());
    CHECK(len >= 4 * sizeof(WSAPROTOCOL_INFOW) && len % sizeof(WSAPROTOCOL_INFOW) == 0, "required length %lu",
          (unsigned long)len);
    need = len;
    len = sizeof(one);
    n = WSAEnumProtocolsW(NULL, &one, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS && len == need, "one-entry buffer -> %d error %d len %lu",
          n, WSAGetLastError(), (unsigned long)len);
    n = WSAEnumProtocolsW(NULL, NULL, NULL);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "NULL length -> %d error %d", n, WSAGetLastError());

    buf = malloc(need);
    len = need;
    n = WSAEnumProtocolsW(NULL, buf, &len);
    CHECK(n == (int)(need / sizeof(WSAPROTOCOL_INFOW)), "WSAEnumProtocolsW -> %d entries", n);
    for (i = 0; i < n; i++)
    {
        CHECK(!(buf[i].dwProviderFlags & PFL_HIDDEN) && buf[i].ProtocolChain.ChainLen != LAYERED_PROTOCOL,
              "entry %lu is neither hidden nor layered", (unsigned long)buf[i].dwCatalogEntryId);
        if (!memcmp(&buf[i].ProviderId, &msafd_v4, sizeof(GUID))) msafd++;
    }
    CHECK(n >= 4 && buf[0].dwCatalogEntryId == 1001 && is_msafd(buf[0].szProtocol, "MSAFD Tcpip [TCP/IP]") &&
          buf[0].dwServiceFlags1 == 0x20066 && buf[0].iAddressFamily == AF_INET && buf[0].iProtocol == IPPROTO_TCP,
          "first entry is MSAFD Tcpip [TCP/IP] 1001 (flags %#lx)", n ? (unsigned long)buf[0].dwServiceFlags1 : 0ul);
    CHECK(n >= 4 && is_msafd(buf[1].szProtocol, "MSAFD Tcpip [UDP/IP]") && buf[1].dwServiceFlags1 == 0x20609 &&
          buf[1].dwMessageSize == 0xffbb, "second entry is MSAFD Tcpip [UDP/IP]");
    CHECK(msafd == 2, "two visible IPv4 MSAFD entries (RAW is hidden): %d", msafd);

    len = need;
    n = WSAEnumProtocolsW(filter, buf, &len);
    CHECK(n >= 4, "filter {0xdead, TCP, 0xcafe, UDP, 0xbeef} -> %d", n);
    for (i = 0; i < n; i++)
        CHECK(buf[i].iProtocol == IPPROTO_TCP || buf[i].iProtocol == IPPROTO_UDP, "filtered entry protocol %d",
              buf[i].iProtocol);
    len = 0;
    n = WSAEnumProtocolsW(only_tcp, NULL, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS && len >= 2 * sizeof(WSAPROTOCOL_INFOW) && len < need,
          "TCP only: required %lu", (unsigned long)len);
    /* Windows (Wine's protocol.c): a NULL buffer is WSAENOBUFS even when the length would do */
    len = need;
    n = WSAEnumProtocolsW(filter, NULL, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS && len >= 4 * sizeof(WSAPROTOCOL_INFOW) && len <= need,
          "NULL buffer, large length -> %d error %d len %lu", n, WSAGetLastError(), (unsigned long)len);
    len = need;
    n = WSAEnumProtocolsA(filter, NULL, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS && len >= 4 * sizeof(WSAPROTOCOL_INFOA),
          "A: NULL buffer, large length -> %d error %d len %lu", n, WSAGetLastError(), (unsigned long)len);
    free(buf);
}

static void enum_a(void)
{
    WSAPROTOCOL_INFOA *buf;
    DWORD len = 0;
    int n;

    n = WSAEnumProtocolsA(NULL, NULL, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSAENOBUFS && len % sizeof(WSAPROTOCOL_INFOA) == 0,
          "WSAEnumProtocolsA size query -> %lu", (unsigned long)len);
    buf = malloc(len);
    n = WSAEnumProtocolsA(NULL, buf, &len);
    CHECK(n >= 4 && !strcmp(buf[0].szProtocol, "MSAFD Tcpip [TCP/IP]") && !strcmp(buf[3].szProtocol, "MSAFD Tcpip [UDP/IPv6]"),
          "WSAEnumProtocolsA -> %d, names %s / %s", n, n > 0 ? buf[0].szProtocol : "", n > 3 ? buf[3].szProtocol : "");
    CHECK(n >= 4 && buf[2].iAddressFamily == AF_INET6 && buf[2].iMaxSockAddr == 28 && buf[2].dwCatalogEntryId == 1004,
          "third visible entry is TCP/IPv6 1004");
    free(buf);
}

static void wsc_enum(void)
{
    WSAPROTOCOL_INFOW *buf;
    DWORD len = 0;
    int n, err = 0, raw = 0, i;

    n = WSCEnumProtocols(NULL, NULL, &len, &err);
    CHECK(n == SOCKET_ERROR && err == WSAENOBUFS, "WSCEnumProtocols size query -> %d error %d", n, err);
    n = WSCEnumProtocols(NULL, NULL, &len, NULL);
    CHECK(n == SOCKET_ERROR, "WSCEnumProtocols without lpErrno fails");
    buf = malloc(len);
    n = WSCEnumProtocols(NULL, buf, &len, &err);
    for (i = 0; i < n; i++)
        if (buf[i].iSocketType == SOCK_RAW && (buf[i].dwProviderFlags & PFL_HIDDEN)) raw++;
    CHECK(n >= 6 && raw == 2, "WSCEnumProtocols -> %d, hidden RAW entries %d", n, raw);
    free(buf);
#ifdef _WIN64
    len = 0;
    n = WSCEnumProtocols32(NULL, NULL, &len, &err);
    CHECK(n == SOCKET_ERROR && err == WSAENOBUFS && len >= 6 * sizeof(WSAPROTOCOL_INFOW),
          "WSCEnumProtocols32 (Catalog_Entries) size %lu", (unsigned long)len);
#endif
}

static void provider_path(void)
{
    GUID zero = {0}, v4 = msafd_v4;
    WCHAR path[MAX_PATH];
    INT len, err, ret;

    ret = WSCGetProviderPath(NULL, NULL, NULL, NULL);
    CHECK(ret == SOCKET_ERROR, "WSCGetProviderPath(NULL x4) -> %d", ret);
    err = 0;
    ret = WSCGetProviderPath(NULL, NULL, NULL, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEFAULT, "no provider -> %d error %d", ret, err);
    err = 0;
    ret = WSCGetProviderPath(&zero, NULL, NULL, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEFAULT, "no length -> error %d", err);
    err = 0;
    len = -1;
    ret = WSCGetProviderPath(&zero, NULL, &len, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL && len == -1, "length -1 -> error %d len %d", err, len);
    err = 0;
    len = MAX_PATH;
    ret = WSCGetProviderPath(&zero, path, &len, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL && len == MAX_PATH, "unknown provider -> error %d len %d", err, len);
    len = MAX_PATH;
    ret = WSCGetProviderPath(&v4, path, &len, &err);
    CHECK(ret == 0 && !lstrcmpW(path, L"%SystemRoot%\\system32\\openws2afd.dll"),
          "MSAFD path (not expanded): %d %ls", ret, ret ? L"" : path);
    len = 5;
    ret = WSCGetProviderPath(&v4, path, &len, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEFAULT && len == (INT)lstrlenW(L"%SystemRoot%\\system32\\openws2afd.dll") + 1,
          "small buffer -> error %d, required %d", err, len);
}

static void provider_info(void)
{
    GUID zero = {0}, v4 = msafd_v4;
    BYTE info[8];
    size_t len = 0;
    DWORD cat = 0xdeadbeef;
    int ret, err;

    ret = WSCGetProviderInfo(NULL, (WSC_PROVIDER_INFO_TYPE)-1, NULL, NULL, 0, NULL);
    CHECK(ret == SOCKET_ERROR, "WSCGetProviderInfo(NULL ...) -> %d", ret);
    err = 0;
    ret = WSCGetProviderInfo(NULL, ProviderInfoLspCategories, info, &len, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEFAULT, "no provider -> error %d", err);
    err = 0;
    ret = WSCGetProviderInfo(&zero, (WSC_PROVIDER_INFO_TYPE)-1, info, &len, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == WSANO_RECOVERY, "unknown provider, bad type -> error %d", err);
    err = 0;
    ret = WSCGetProviderInfo(&zero, ProviderInfoLspCategories, NULL, &len, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == WSANO_RECOVERY, "unknown provider, no buffer -> error %d", err);
    err = 0;
    ret = WSCGetProviderInfo(&zero, ProviderInfoLspCategories, info, &len, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == WSANO_RECOVERY, "unknown provider -> error %d", err);
    len = sizeof(cat);
    ret = WSCGetProviderInfo(&v4, ProviderInfoLspCategories, (BYTE *)&cat, &len, 0, &err);
    CHECK(ret == 0 && cat == 0 && len == sizeof(DWORD), "MSAFD categories -> %d cat %#lx", ret, (unsigned long)cat);
    ret = WSCGetProviderInfo(&v4, ProviderInfoAudit, (BYTE *)&cat, &len, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == ERROR_CALL_NOT_IMPLEMENTED, "ProviderInfoAudit -> error %d", err);
}

int main(void)
{
    WSADATA wsa;
    DWORD len = 0;
    int n;

    n = WSAEnumProtocolsW(NULL, NULL, &len);
    CHECK(n == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "before WSAStartup -> %d error %d", n,
          WSAGetLastError());
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");
    enum_w();
    enum_a();
    wsc_enum();
    provider_path();
    provider_info();
    WSACleanup();
    return cat_done("catalog_enum_e2e");
}
