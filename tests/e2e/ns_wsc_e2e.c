/* ns_wsc_e2e.c - end-to-end test of the namespace catalog's WSC* functions and of
 * WSAEnumNameSpaceProvidersA/W/ExA/ExW under Wine, on the prefix's NameSpace_Catalog5 (written by
 * `ws2catalog reset`): the default Tcpip/NS_DNS entry, WSCInstallNameSpace(Ex, Ex2, 32) writing
 * Windows' values, enumeration in both character sets with short-buffer sizes, WSCEnableNSProvider,
 * WSCWriteNameSpaceOrder, the argument errors, and uninstall restoring the catalog byte for byte.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ns_check.h"

int WSPAPI WSCWriteNameSpaceOrder(LPGUID lpProviderId, DWORD dwNumberOfEntries);
int WSPAPI WSCWriteNameSpaceOrder32(LPGUID lpProviderId, DWORD dwNumberOfEntries);

static int enum_w(WSANAMESPACE_INFOW **out, DWORD *size)
{
    DWORD len = 0;
    int ret = WSAEnumNameSpaceProvidersW(&len, NULL);
    *out = NULL;
    if (ret != SOCKET_ERROR || WSAGetLastError() != WSAEFAULT || !len) return -1;
    *out = malloc(len);
    if (size) *size = len;
    return WSAEnumNameSpaceProvidersW(&len, *out);
}

static int find_w(const WSANAMESPACE_INFOW *infos, int n, const GUID *id)
{
    int i;
    for (i = 0; i < n; i++)
        if (IsEqualGUID(&infos[i].NSProviderId, id)) return i;
    return -1;
}

static void test_default_and_args(void)
{
    WSANAMESPACE_INFOW *w;
    WSANAMESPACE_INFOA *a;
    DWORD len = 0, wlen = 0;
    int n, i;

    CHECK_FAIL(WSAEnumNameSpaceProvidersW(NULL, NULL), SOCKET_ERROR, WSAEFAULT);
    len = 0;
    CHECK_FAIL(WSAEnumNameSpaceProvidersW(&len, NULL), SOCKET_ERROR, WSAEFAULT);
    CHECK(len >= sizeof(WSANAMESPACE_INFOW), "required size %lu", (unsigned long)len);
    n = enum_w(&w, &wlen);
    CHECK(n >= 1, "WSAEnumNameSpaceProvidersW -> %d entries (%lu bytes)", n, (unsigned long)wlen);
    i = n > 0 ? find_w(w, n, &ns_tcpip) : -1;
    CHECK(i >= 0, "the default Tcpip namespace provider is installed");
    if (i >= 0)
    {
        CHECK(w[i].dwNameSpace == NS_DNS && w[i].fActive && w[i].dwVersion == 0, "ns %lu active %d version %lu",
              (unsigned long)w[i].dwNameSpace, w[i].fActive, (unsigned long)w[i].dwVersion);
        CHECK(w[i].lpszIdentifier && !wcscmp(w[i].lpszIdentifier, L"Tcpip"), "identifier %ls",
              w[i].lpszIdentifier ? w[i].lpszIdentifier : L"(null)");
        CHECK((BYTE *)w[i].lpszIdentifier >= (BYTE *)w && (BYTE *)w[i].lpszIdentifier < (BYTE *)w + wlen,
              "identifier inside the caller's buffer");
    }
    /* one byte short */
    len = wlen - 1;
    CHECK_FAIL(WSAEnumNameSpaceProvidersW(&len, w), SOCKET_ERROR, WSAEFAULT);
    CHECK(len == wlen, "short buffer: size needed %lu (expected %lu)", (unsigned long)len, (unsigned long)wlen);
    free(w);

    len = 0;
    CHECK_FAIL(WSAEnumNameSpaceProvidersA(&len, NULL), SOCKET_ERROR, WSAEFAULT);
    a = malloc(len);
    n = WSAEnumNameSpaceProvidersA(&len, a);
    CHECK(n >= 1, "WSAEnumNameSpaceProvidersA -> %d", n);
    for (i = 0; i < n; i++)
        if (IsEqualGUID(&a[i].NSProviderId, &ns_tcpip))
            CHECK(!strcmp(a[i].lpszIdentifier, "Tcpip"), "ANSI identifier %s", a[i].lpszIdentifier);
    free(a);
}

static void test_install_enum_uninstall(void)
{
    WCHAR path[MAX_PATH];
    size_t before_len, after_len;
    char *before, *after;
    WSANAMESPACE_INFOW *w;
    WSANAMESPACE_INFOEXW *wx;
    WSANAMESPACE_INFOEXA *ax;
    WSANAMESPACE_INFOA *a;
    BYTE info[6] = {0xde, 0xad, 0, 0xbe, 0xef, 7};
    BLOB blob = {sizeof(info), info};
    DWORD num, serial, len, alen, wlen;
    GUID order[16];
    int n, i, ia, ib, base;
    WCHAR sub[64], value[MAX_PATH];
    HKEY key;

    ns_local_path(L"tp_nsp.dll", path, MAX_PATH);
    before = ns_dump_catalog(&before_len);
    CHECK(before_len > 0, "catalog dump before: %lu bytes", (unsigned long)before_len);
    num = ns_reg_dword(L"", NS_NATIVE_NUM);
    serial = ns_reg_dword(L"", L"Serial_Access_Num");
    CHECK(num != 0xdeadbeef && num >= 1, "native Num_Catalog_Entries = %lu", (unsigned long)num);

    CHECK(WSCInstallNameSpace(L"openws2 test NSP A", path, 1000, 7, &ns_guid_a) == 0, "WSCInstallNameSpace A (error %d)",
          WSAGetLastError());
    CHECK(ns_reg_dword(L"", NS_NATIVE_NUM) == num + 1, "native Num_Catalog_Entries now %lu",
          (unsigned long)ns_reg_dword(L"", NS_NATIVE_NUM));
    CHECK(ns_reg_dword(L"", L"Serial_Access_Num") != serial, "Serial_Access_Num changed");
    swprintf(sub, 64, NS_NATIVE_ENTRIES L"\\%012lu", (unsigned long)(num + 1));
    CHECK(ns_reg_dword(sub, L"SupportedNameSpace") == 1000, "SupportedNameSpace");
    CHECK(ns_reg_dword(sub, L"Enabled") == 1, "Enabled");
    CHECK(ns_reg_dword(sub, L"Version") == 7, "Version");
    CHECK(ns_reg_dword(sub, L"StoresServiceClassInfo") == 0, "StoresServiceClassInfo");
    {
        WCHAR full[512];
        DWORD type = 0, vlen = sizeof(value);
        GUID id;
        swprintf(full, 512, L"%ls\\%ls", NS_CATALOG_KEYW, sub);
        CHECK(RegOpenKeyExW(HKEY_LOCAL_MACHINE, full, 0, KEY_READ, &key) == ERROR_SUCCESS, "entry key");
        CHECK(RegQueryValueExW(key, L"LibraryPath", NULL, &type, (BYTE *)value, &vlen) == ERROR_SUCCESS &&
              type == REG_SZ && !wcscmp(value, path), "LibraryPath %ls (type %lu)", value, (unsigned long)type);
        vlen = sizeof(value);
        CHECK(RegQueryValueExW(key, L"DisplayString", NULL, &type, (BYTE *)value, &vlen) == ERROR_SUCCESS &&
              type == REG_SZ && !wcscmp(value, L"openws2 test NSP A"), "DisplayString %ls", value);
        vlen = sizeof(id);
        CHECK(RegQueryValueExW(key, L"ProviderId", NULL, &type, (BYTE *)&id, &vlen) == ERROR_SUCCESS &&
              type == REG_BINARY && vlen == 16 && IsEqualGUID(&id, &ns_guid_a), "ProviderId");
        RegCloseKey(key);
    }

    CHECK(WSCInstallNameSpaceEx(L"openws2 test NSP B", path, 1001, 1, &ns_guid_b, &blob) == 0,
          "WSCInstallNameSpaceEx B (error %d)", WSAGetLastError());
    CHECK_FAIL(WSCInstallNameSpace(L"again", path, 1000, 1, &ns_guid_a), SOCKET_ERROR, WSANO_RECOVERY);
    CHECK_FAIL(WSCInstallNameSpace(L"x", path, 1000, 1, NULL), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSCInstallNameSpace(L"x", NULL, 1000, 1, &ns_guid_c), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSCInstallNameSpace(L"", path, 1000, 1, &ns_guid_c), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSCInstallNameSpace(NULL, path, 1000, 1, &ns_guid_c), SOCKET_ERROR, WSAEINVAL);
    {
        BLOB bad = {4, NULL};
        CHECK_FAIL(WSCInstallNameSpaceEx(L"x", path, 1000, 1, &ns_guid_c, &bad), SOCKET_ERROR, WSAEINVAL);
    }

    n = enum_w(&w, &wlen);
    ia = find_w(w, n, &ns_guid_a);
    ib = find_w(w, n, &ns_guid_b);
    CHECK(n == (int)num + 2 && ia == (int)num && ib == (int)num + 1, "enumeration: %d entries, A at %d, B at %d", n, ia, ib);
    if (ia >= 0)
        CHECK(w[ia].dwNameSpace == 1000 && w[ia].fActive && w[ia].dwVersion == 7 &&
              !wcscmp(w[ia].lpszIdentifier, L"openws2 test NSP A"), "A listed as installed");
    free(w);

    /* Ex: the provider-specific blob */
    len = 0;
    CHECK_FAIL(WSAEnumNameSpaceProvidersExW(&len, NULL), SOCKET_ERROR, WSAEFAULT);
    wx = malloc(len);
    n = WSAEnumNameSpaceProvidersExW(&len, wx);
    CHECK(n == (int)num + 2, "WSAEnumNameSpaceProvidersExW -> %d", n);
    if (n == (int)num + 2)
    {
        CHECK(wx[num + 1].ProviderSpecific.cbSize == sizeof(info) && wx[num + 1].ProviderSpecific.pBlobData &&
              !memcmp(wx[num + 1].ProviderSpecific.pBlobData, info, sizeof(info)), "B's ProviderSpecific blob");
        CHECK(wx[num].ProviderSpecific.cbSize == 0, "A has no provider info");
    }
    free(wx);
    alen = 0;
    CHECK_FAIL(WSAEnumNameSpaceProvidersExA(&alen, NULL), SOCKET_ERROR, WSAEFAULT);
    ax = malloc(alen);
    n = WSAEnumNameSpaceProvidersExA(&alen, ax);
    CHECK(n == (int)num + 2 && !strcmp(ax[num + 1].lpszIdentifier, "openws2 test NSP B") &&
          ax[num + 1].ProviderSpecific.cbSize == sizeof(info) && !memcmp(ax[num + 1].ProviderSpecific.pBlobData, info, sizeof(info)),
          "WSAEnumNameSpaceProvidersExA -> %d, B with its blob", n);
    free(ax);
    alen = 0;
    WSAEnumNameSpaceProvidersA(&alen, NULL);
    a = malloc(alen);
    n = WSAEnumNameSpaceProvidersA(&alen, a);
    CHECK(n == (int)num + 2 && !strcmp(a[num].lpszIdentifier, "openws2 test NSP A"), "WSAEnumNameSpaceProvidersA: A");
    len = 0;
    WSAEnumNameSpaceProvidersW(&len, NULL);
    CHECK(alen < len, "ANSI needs less room than Unicode (%lu < %lu)", (unsigned long)alen, (unsigned long)len);
    free(a);

    /* WSCEnableNSProvider */
    CHECK(WSCEnableNSProvider(&ns_guid_a, FALSE) == 0, "WSCEnableNSProvider(A, FALSE)");
    swprintf(sub, 64, NS_NATIVE_ENTRIES L"\\%012lu", (unsigned long)(num + 1));
    CHECK(ns_reg_dword(sub, L"Enabled") == 0, "registry Enabled = 0");
    n = enum_w(&w, NULL);
    ia = find_w(w, n, &ns_guid_a);
    CHECK(ia >= 0 && !w[ia].fActive, "A listed inactive");
    free(w);
    CHECK_FAIL(WSCEnableNSProvider(&ns_guid_missing, TRUE), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSCEnableNSProvider(NULL, TRUE), SOCKET_ERROR, WSAEINVAL);
    CHECK(WSCEnableNSProvider(&ns_guid_a, TRUE) == 0, "WSCEnableNSProvider(A, TRUE)");
    CHECK(ns_reg_dword(sub, L"Enabled") == 1, "registry Enabled = 1");

    /* WSCWriteNameSpaceOrder: B, A first, then the others */
    n = enum_w(&w, NULL);
    CHECK(n == (int)num + 2 && n <= 16, "%d entries before reordering", n);
    if (n == (int)num + 2 && n <= 16)
    {
        order[0] = ns_guid_b;
        order[1] = ns_guid_a;
        for (i = 0; i < (int)num; i++) order[2 + i] = w[i].NSProviderId;
        free(w);
        CHECK(WSCWriteNameSpaceOrder(order, n - 1) == WSAEINVAL, "too few ids -> WSAEINVAL");
        CHECK(WSCWriteNameSpaceOrder(NULL, n) == WSAEINVAL, "NULL -> WSAEINVAL");
        order[1] = ns_guid_b;
        CHECK(WSCWriteNameSpaceOrder(order, n) == WSAEINVAL, "an id twice -> WSAEINVAL");
        order[1] = ns_guid_missing;
        CHECK(WSCWriteNameSpaceOrder(order, n) == WSAEINVAL, "an unknown id -> WSAEINVAL");
        order[1] = ns_guid_a;
        CHECK(WSCWriteNameSpaceOrder(order, n) == 0, "WSCWriteNameSpaceOrder(B, A, ...) -> 0");
        n = enum_w(&w, NULL);
        CHECK(n == (int)num + 2 && find_w(w, n, &ns_guid_b) == 0 && find_w(w, n, &ns_guid_a) == 1 &&
              find_w(w, n, &ns_tcpip) >= 2, "new order: B, A, Tcpip...");
        free(w);
        CHECK(ns_reg_dword(NS_NATIVE_ENTRIES L"\\000000000001", L"SupportedNameSpace") == 1001, "registry entry 1 is B");
        /* back */
        for (i = 0; i < (int)num; i++) order[i] = order[2 + i];
        order[num] = ns_guid_a;
        order[num + 1] = ns_guid_b;
        CHECK(WSCWriteNameSpaceOrder(order, n) == 0, "original order restored");
    }
    else free(w);

    /* the 32-bit view */
    base = 0;
    len = 0;
    WSCEnumNameSpaceProviders32(&len, NULL);
    w = malloc(len ? len : 1);
    base = WSCEnumNameSpaceProviders32(&len, w);
    free(w);
    CHECK(base >= 1, "WSCEnumNameSpaceProviders32 -> %d", base);
    CHECK(WSCInstallNameSpace32(L"openws2 test NSP C32", path, 1002, 2, &ns_guid_c) == 0, "WSCInstallNameSpace32 C");
    len = 0;
    WSCEnumNameSpaceProviders32(&len, NULL);
    w = malloc(len);
    n = WSCEnumNameSpaceProviders32(&len, w);
    CHECK(n == base + 1 && find_w(w, n, &ns_guid_c) == base, "C in the 32-bit view");
    free(w);
    n = enum_w(&w, NULL);
#ifdef _WIN64
    CHECK(find_w(w, n, &ns_guid_c) < 0, "C not in the native view");
#else
    /* a 32-bit program's native view is the 32-bit one (Catalog_Entries) */
    CHECK(find_w(w, n, &ns_guid_c) == base, "C in the native view, which is the 32-bit one");
#endif
    free(w);
    {
        WSANAMESPACE_INFOEXW *x32;
        len = 0;
        WSCEnumNameSpaceProvidersEx32(&len, NULL);
        x32 = malloc(len);
        n = WSCEnumNameSpaceProvidersEx32(&len, x32);
        CHECK(n == base + 1 && x32[base].dwNameSpace == 1002, "WSCEnumNameSpaceProvidersEx32 -> %d", n);
        free(x32);
    }
#ifdef _WIN64
    CHECK_FAIL(WSCUnInstallNameSpace(&ns_guid_c), SOCKET_ERROR, WSAEINVAL); /* not in the native view */
#endif
    CHECK(WSCUnInstallNameSpace32(&ns_guid_c) == 0, "WSCUnInstallNameSpace32 C");

    /* uninstall: the catalog is back, byte for byte */
    CHECK(WSCUnInstallNameSpace(&ns_guid_a) == 0, "WSCUnInstallNameSpace A");
    CHECK(WSCUnInstallNameSpaceEx2(&ns_guid_b) == 0, "WSCUnInstallNameSpaceEx2 B");
    CHECK_FAIL(WSCUnInstallNameSpace(&ns_guid_a), SOCKET_ERROR, WSAEINVAL);
    CHECK_FAIL(WSCUnInstallNameSpace(NULL), SOCKET_ERROR, WSAEINVAL);
    after = ns_dump_catalog(&after_len);
    CHECK(after_len == before_len && !memcmp(before, after, before_len), "catalog restored byte for byte (%lu / %lu bytes)",
          (unsigned long)after_len, (unsigned long)before_len);
    free(after);

    /* Ex2 round trip */
    CHECK(WSCInstallNameSpaceEx2(&ns_guid_c, L"openws2 test NSP Ex2", path, 1003, 2, &blob) == 0, "WSCInstallNameSpaceEx2");
    n = enum_w(&w, NULL);
    ia = find_w(w, n, &ns_guid_c);
    CHECK(ia >= 0 && w[ia].dwNameSpace == 1003, "Ex2 entry listed");
    free(w);
    CHECK(WSCUnInstallNameSpaceEx2(&ns_guid_c) == 0, "WSCUnInstallNameSpaceEx2");
    after = ns_dump_catalog(&after_len);
    CHECK(after_len == before_len && !memcmp(before, after, before_len), "catalog restored after Ex2");
    free(after);
    free(before);
}

/* Indirect display strings ("@dll,-id", as Windows' own entries have) are shown resolved. */
static void test_indirect_display_string(void)
{
    static GUID id_ok = {0x7e570010, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};
    static GUID id_bad = {0x7e570011, 0x0a0a, 0x4b4b, {0x8c, 0x8c, 1, 2, 3, 4, 5, 6}};
    WCHAR sys[MAX_PATH], dll[MAX_PATH], text[256], ident[300], path[MAX_PATH];
    WSANAMESPACE_INFOW *w;
    HMODULE mod;
    int id = -1, i, n;

    ns_local_path(L"tp_nsp.dll", path, MAX_PATH);
    GetSystemDirectoryW(sys, MAX_PATH);
    swprintf(dll, MAX_PATH, L"%ls\\user32.dll", sys);
    mod = LoadLibraryExW(dll, NULL, LOAD_LIBRARY_AS_DATAFILE | LOAD_LIBRARY_AS_IMAGE_RESOURCE);
    for (i = 1; mod && i < 4096 && id < 0; i++)
        if (LoadStringW(mod, (UINT)i, text, 256) > 0) id = i;
    if (mod) FreeLibrary(mod);
    CHECK(id > 0, "a string resource of user32.dll to point at (id %d: %ls)", id, id > 0 ? text : L"");
    if (id <= 0) return;
    swprintf(ident, 300, L"@%%SystemRoot%%\\system32\\user32.dll,-%d", id);
    CHECK(WSCInstallNameSpace(ident, path, 1005, 1, &id_ok) == 0, "install with DisplayString %ls", ident);
    CHECK(WSCInstallNameSpace(L"@C:\\openws2-missing.dll,-5", path, 1005, 1, &id_bad) == 0, "install with a dangling one");
    n = enum_w(&w, NULL);
    i = find_w(w, n, &id_ok);
    CHECK(i >= 0 && !wcscmp(w[i].lpszIdentifier, text), "shown resolved: %ls", i >= 0 ? w[i].lpszIdentifier : L"");
    i = find_w(w, n, &id_bad);
    CHECK(i >= 0 && !wcscmp(w[i].lpszIdentifier, L"@C:\\openws2-missing.dll,-5"), "unresolvable: shown as stored (%ls)",
          i >= 0 ? w[i].lpszIdentifier : L"");
    free(w);
    CHECK(WSCUnInstallNameSpace(&id_ok) == 0 && WSCUnInstallNameSpace(&id_bad) == 0, "uninstalled");
}

int main(void)
{
    WSADATA data;
    DWORD len = 0;

    CHECK_FAIL(WSAEnumNameSpaceProvidersW(&len, NULL), SOCKET_ERROR, WSANOTINITIALISED);
    CHECK(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    test_default_and_args();
    test_install_enum_uninstall();
    test_indirect_display_string();
    WSACleanup();
    return ns_done("ns_wsc_e2e");
}
