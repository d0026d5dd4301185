/* addr_provider_e2e.c - end-to-end checks that WSAAddressToStringA/W and WSAStringToAddressA/W
 * hand the conversion to the provider named by lpProtocolInfo (WSPAddressToString /
 * WSPStringToAddress of the recording test provider tp_ifs), convert ANSI <-> wide around it, and
 * keep converting IP addresses themselves when no provider is named. One line per check.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "provider_common.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void info_w_to_a(const WSAPROTOCOL_INFOW *w, WSAPROTOCOL_INFOA *a)
{
    memcpy(a, w, offsetof(WSAPROTOCOL_INFOA, szProtocol));
    WideCharToMultiByte(CP_ACP, 0, w->szProtocol, -1, a->szProtocol, sizeof(a->szProtocol), NULL, NULL);
}

static int log_count(const char *prefix)
{
    char *log = tp_log_get(TP_IFS);
    int n = tp_log_count(log, prefix);
    free(log);
    return n;
}

int main(void)
{
    WSADATA data;
    WSAPROTOCOL_INFOW infoW;
    WSAPROTOCOL_INFOA infoA;
    struct sockaddr_in sin;
    char text[64];
    WCHAR wtext[64];
    DWORD len;
    INT alen;
    int err;

    setvbuf(stdout, NULL, _IONBF, 0);
    tp_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    err = tp_install();
    if (!tp_check(err == 0, "install the test providers (%d)", err))
    {
        WSACleanup();
        return 1;
    }
    tp_pin(TP_IFS);
    infoW = tp_entries[TP_IFS].info;
    info_w_to_a(&infoW, &infoA);

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(1);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    /* without a provider named, ws2_32 converts IP itself (no WSPAddressToString) */
    len = sizeof(text);
    tp_check(WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), NULL, text, &len) == 0
             && !strcmp(text, "127.0.0.1:1"), "WSAAddressToStringA without protocol info = %s", text);

    len = 64;
    err = WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), &infoW, wtext, &len);
    tp_check(err == 0 && !wcscmp(wtext, L"127.0.0.1:1") && len == 12, "WSAAddressToStringW through tp_ifs (%d)",
             err ? WSAGetLastError() : 0);
    tp_pin(TP_IFS);
    tp_check(log_count("WSPAddressToString") == 1, "tp_ifs logged WSPAddressToString");

    tp_log_reset(TP_IFS);
    len = sizeof(text);
    err = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), &infoA, text, &len);
    tp_check(err == 0 && !strcmp(text, "127.0.0.1:1") && len == 12, "WSAAddressToStringA through tp_ifs = %s (%d)",
             err ? "" : text, err ? WSAGetLastError() : 0);
    len = 5;
    err = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), &infoA, text, &len);
    tp_check(err == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT && len == 12,
             "WSAAddressToStringA through tp_ifs, short buffer: WSAEFAULT, len %lu", len);
    tp_check(log_count("WSPAddressToString") == 2, "tp_ifs logged both calls");

    /* the provider's own error comes back */
    sin.sin_family = AF_INET6;
    len = sizeof(text);
    err = WSAAddressToStringA((SOCKADDR *)&sin, sizeof(sin), &infoA, text, &len);
    tp_check(err == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "provider refuses AF_INET6: WSAEINVAL");
    sin.sin_family = AF_INET;

    tp_log_reset(TP_IFS);
    memset(&sin, 0xab, sizeof(sin));
    alen = sizeof(sin);
    err = WSAStringToAddressW((WCHAR *)L"10.0.0.1:80", AF_INET, &infoW, (SOCKADDR *)&sin, &alen);
    tp_check(err == 0 && sin.sin_family == AF_INET && sin.sin_addr.s_addr == htonl(0x0a000001)
             && sin.sin_port == htons(80) && alen == sizeof(sin), "WSAStringToAddressW through tp_ifs");
    memset(&sin, 0xab, sizeof(sin));
    alen = sizeof(sin);
    err = WSAStringToAddressA((char *)"10.0.0.2:81", AF_INET, &infoA, (SOCKADDR *)&sin, &alen);
    tp_check(err == 0 && sin.sin_addr.s_addr == htonl(0x0a000002) && sin.sin_port == htons(81),
             "WSAStringToAddressA through tp_ifs");
    tp_check(log_count("WSPStringToAddress") == 2, "tp_ifs logged WSPStringToAddress twice");
    alen = sizeof(sin);
    err = WSAStringToAddressA((char *)"not an address", AF_INET, &infoA, (SOCKADDR *)&sin, &alen);
    tp_check(err == SOCKET_ERROR && WSAGetLastError() == WSAEINVAL, "the provider's WSAEINVAL comes back");
    alen = sizeof(sin);
    err = WSAStringToAddressA((char *)"10.0.0.3", AF_INET, NULL, (SOCKADDR *)&sin, &alen);
    tp_check(err == 0 && log_count("WSPStringToAddress") == 3, "without protocol info no provider call (%d)",
             log_count("WSPStringToAddress"));

    /* a protocol info naming no installed entry */
    infoW.dwCatalogEntryId = 0x7ffffff0;
    infoW.ProviderId.Data1 ^= 0x5a5a5a5a;
    len = 64;
    err = WSAAddressToStringW((SOCKADDR *)&sin, sizeof(sin), &infoW, wtext, &len);
    tp_check(err == SOCKET_ERROR, "unknown protocol info: failure (%d)", WSAGetLastError());

    tp_uninstall();
    WSACleanup();
    printf("%d failures\n", tp_failures);
    return tp_failures ? 1 : 0;
}
