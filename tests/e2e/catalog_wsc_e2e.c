/* catalog_wsc_e2e.c - the WSC* installation functions against the prefix's registry: install, order,
 * update, deinstall with the registry checked byte for byte afterwards, the 32/64-bit views,
 * WSCInstallProviderAndChains, provider info, application categories, corrupt registry entries
 * skipped. Uses address families no real provider has, so other tests sharing the prefix are not
 * disturbed, and puts the catalog back as it found it.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_check.h"

#define TEST_AF 0x7701
#define TEST_AF2 0x7702

int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
#ifdef _WIN64
int WSPAPI WSCWriteProviderOrder32(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries);
#endif
int WSPAPI openws2_WSCInstallProviderAndChains(LPGUID, const LPWSTR, const LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD,
                                               LPDWORD, LPINT) __asm__(
#ifdef _WIN64
    "WSCInstallProviderAndChains"
#else
    "_WSCInstallProviderAndChains@32"
#endif
);

static GUID guid_a = {0x0e2e0001, 0x1111, 0x2222, {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x01}};
static GUID guid_lsp = {0x0e2e0002, 0x1111, 0x2222, {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x02}};

/* Every PackedCatalogItem of the native view, in order. */
static unsigned char *snapshot(DWORD *count)
{
    DWORD n = cat_reg_dword(NULL, CAT_NATIVE_NUM, 0), i;
    unsigned char *all = malloc((n ? n : 1) * 888);
    for (i = 0; i < n; i++)
        if (!cat_reg_item(CAT_NATIVE_ENTRIES, i + 1, all + i * 888)) memset(all + i * 888, 0xee, 888);
    *count = n;
    return all;
}

static int find_index(const WSAPROTOCOL_INFOW *list, int n, const GUID *g, int nth)
{
    int i;
    for (i = 0; i < n; i++)
        if (!memcmp(&list[i].ProviderId, g, sizeof(GUID)) && !nth--) return i;
    return -1;
}

static void install_round_trip(void)
{
    WSAPROTOCOL_INFOW infos[2], *list, expect;
    unsigned char *before, *after, blob[888], want[888];
    DWORD nbefore, nafter, serial, order[64], i;
    int err = 0, ret, n, a0, a1;

    infos[0] = cat_test_info(TEST_AF, SOCK_STREAM, 6, "e2e stream");
    infos[1] = cat_test_info(TEST_AF, SOCK_DGRAM, 17, "e2e dgram");
    WSCDeinstallProvider(&guid_a, &err); /* left over from an aborted run */
    before = snapshot(&nbefore);
    serial = cat_reg_dword(NULL, "Serial_Access_Num", 0);

    ret = WSCInstallProvider(&guid_a, L"%SystemRoot%\\system32\\e2e_dummy.dll", infos, 2, &err);
    CHECK(ret == 0, "WSCInstallProvider -> %d error %d", ret, err);
    CHECK(cat_reg_dword(NULL, "Serial_Access_Num", 0) > serial, "Serial_Access_Num incremented");
    after = snapshot(&nafter);
    CHECK(nafter == nbefore + 2, CAT_NATIVE_NUM " %lu -> %lu", (unsigned long)nbefore, (unsigned long)nafter);
    CHECK(nafter >= nbefore && !memcmp(before, after, nbefore * 888), "existing entries unchanged byte for byte");
    list = cat_enum(FALSE, &n);
    a0 = find_index(list, n, &guid_a, 0);
    a1 = find_index(list, n, &guid_a, 1);
    CHECK(a0 == (int)nbefore && a1 == (int)nbefore + 1, "appended at the end: %d %d", a0, a1);
    if (a0 >= 0 && a1 >= 0)
    {
        CHECK(list[a0].dwCatalogEntryId && list[a1].dwCatalogEntryId == list[a0].dwCatalogEntryId + 1,
              "new catalog ids %lu %lu", (unsigned long)list[a0].dwCatalogEntryId, (unsigned long)list[a1].dwCatalogEntryId);
        CHECK(cat_reg_dword(NULL, "Next_Catalog_Entry_ID", 0) > list[a1].dwCatalogEntryId, "Next_Catalog_Entry_ID advanced");
        expect = infos[1];
        expect.ProviderId = guid_a;
        expect.dwCatalogEntryId = list[a1].dwCatalogEntryId;
        cat_pack("%SystemRoot%\\system32\\e2e_dummy.dll", &expect, want);
        CHECK(cat_reg_item(CAT_NATIVE_ENTRIES, a1 + 1, blob) && !memcmp(blob, want, 888),
              "the registry holds Windows' PackedCatalogItem of the new entry byte for byte");
    }
    ret = WSCInstallProvider(&guid_a, L"C:\\other.dll", infos, 1, &err);
    CHECK(ret == SOCKET_ERROR && err == WSANO_RECOVERY, "installing the same provider again -> error %d", err);
    ret = WSCInstallProvider(&guid_lsp, L"C:\\x.dll", infos, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "zero entries -> error %d", err);
    ret = WSCInstallProvider(&guid_lsp, L"C:\\x.dll", NULL, 1, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEFAULT, "no list -> error %d", err);
    ret = WSCInstallProvider(&guid_lsp, L"", infos, 1, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "empty path -> error %d", err);

    /* order: swap our two entries, everything else in place */
    if (a0 >= 0 && a1 >= 0 && n <= 64)
    {
        for (i = 0; i < (DWORD)n; i++) order[i] = list[i].dwCatalogEntryId;
        order[a0] = list[a1].dwCatalogEntryId;
        order[a1] = list[a0].dwCatalogEntryId;
        ret = WSCWriteProviderOrder(order, n - 1);
        CHECK(ret == WSAEINVAL, "WSCWriteProviderOrder with an entry missing -> %d", ret);
        ret = WSCWriteProviderOrder(order, n);
        CHECK(ret == 0, "WSCWriteProviderOrder -> %d", ret);
        free(after);
        after = snapshot(&nafter);
        expect = infos[1];
        expect.ProviderId = guid_a;
        expect.dwCatalogEntryId = list[a1].dwCatalogEntryId;
        cat_pack("%SystemRoot%\\system32\\e2e_dummy.dll", &expect, want);
        CHECK(nafter == (DWORD)n && !memcmp(after + a0 * 888, want, 888) && !memcmp(before, after, nbefore * 888),
              "registry order swapped byte for byte, the rest untouched");
    }

    /* update: new names and a new path, same ids and places */
    infos[0] = cat_test_info(TEST_AF, SOCK_STREAM, 6, "e2e stream v2");
    infos[1] = cat_test_info(TEST_AF, SOCK_DGRAM, 17, "e2e dgram v2");
    ret = WSCUpdateProvider(&guid_a, L"C:\\v2\\e2e_dummy.dll", infos, 2, &err);
    CHECK(ret == 0, "WSCUpdateProvider -> %d error %d", ret, err);
    if (a0 >= 0 && a1 >= 0)
    {
        expect = infos[1]; /* positional: the first entry of the provider (now at a0) gets infos[0]... */
        expect = infos[0];
        expect.ProviderId = guid_a;
        expect.dwCatalogEntryId = list[a1].dwCatalogEntryId;
        cat_pack("C:\\v2\\e2e_dummy.dll", &expect, want);
        CHECK(cat_reg_item(CAT_NATIVE_ENTRIES, a0 + 1, blob) && !memcmp(blob, want, 888),
              "updated entry byte for byte (id %lu kept)", (unsigned long)expect.dwCatalogEntryId);
    }
    ret = WSCUpdateProvider(&guid_lsp, L"C:\\v2\\e2e_dummy.dll", infos, 2, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "updating an unknown provider -> error %d", err);

    /* deinstall: the catalog is back, byte for byte */
    ret = WSCDeinstallProvider(&guid_a, &err);
    CHECK(ret == 0, "WSCDeinstallProvider -> %d error %d", ret, err);
    free(after);
    after = snapshot(&nafter);
    CHECK(nafter == nbefore && !memcmp(before, after, nbefore * 888), "after deinstall the view is as before");
    ret = WSCDeinstallProvider(&guid_a, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "deinstalling again -> error %d", err);
    ret = WSCDeinstallProvider(NULL, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEFAULT, "NULL provider -> error %d", err);
    free(list);
    free(before);
    free(after);
}

static void views(void)
{
#ifdef _WIN64
    WSAPROTOCOL_INFOW info = cat_test_info(TEST_AF, SOCK_STREAM, 6, "e2e both views"), *l64, *l32;
    WCHAR path[MAX_PATH];
    int err = 0, ret, n64, n32, len;
    DWORD n64before = cat_reg_dword(NULL, "Num_Catalog_Entries64", 0), n32before = cat_reg_dword(NULL, "Num_Catalog_Entries", 0);

    ret = WSCInstallProvider64_32(&guid_a, L"C:\\both.dll", &info, 1, &err);
    CHECK(ret == 0, "WSCInstallProvider64_32 -> %d error %d", ret, err);
    CHECK(cat_reg_dword(NULL, "Num_Catalog_Entries64", 0) == n64before + 1 &&
          cat_reg_dword(NULL, "Num_Catalog_Entries", 0) == n32before + 1, "one entry more in both views");
    l64 = cat_enum(FALSE, &n64);
    l32 = cat_enum(TRUE, &n32);
    CHECK(find_index(l64, n64, &guid_a, 0) >= 0 && find_index(l32, n32, &guid_a, 0) >= 0,
          "WSCEnumProtocols and WSCEnumProtocols32 both list it");
    len = MAX_PATH;
    CHECK(!WSCGetProviderPath32(&guid_a, path, &len, &err) && !lstrcmpW(path, L"C:\\both.dll"), "WSCGetProviderPath32");
    ret = WSCDeinstallProvider32(&guid_a, &err);
    CHECK(ret == 0, "WSCDeinstallProvider32 -> %d error %d", ret, err);
    free(l64);
    free(l32);
    l64 = cat_enum(FALSE, &n64);
    l32 = cat_enum(TRUE, &n32);
    CHECK(find_index(l64, n64, &guid_a, 0) >= 0 && find_index(l32, n32, &guid_a, 0) < 0,
          "WSCDeinstallProvider32 removed it from the 32-bit view only");
    info = cat_test_info(TEST_AF, SOCK_STREAM, 6, "e2e 64 updated");
    ret = WSCUpdateProvider32(&guid_a, L"C:\\both.dll", &info, 1, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "WSCUpdateProvider32 of a provider not in the 32-bit view -> %d", err);
    ret = WSCDeinstallProvider(&guid_a, &err);
    CHECK(ret == 0 && cat_reg_dword(NULL, "Num_Catalog_Entries64", 0) == n64before, "WSCDeinstallProvider (64-bit view)");
    free(l64);
    free(l32);
#else
    CHECK(1, "32-bit build: one view");
#endif
}

static void chains(void)
{
    WSAPROTOCOL_INFOW bases[2], want, *list;
    DWORD dummy = 0;
    int err = 0, ret, n, i, chains_found = 0, first_mine = -1, chain_at = -1;
    GUID chain_guid = {0};
    size_t cats_len = sizeof(DWORD);
    DWORD cats = LSP_INSPECTOR | LSP_SYSTEM, got = 0;

    WSCDeinstallProvider(&guid_lsp, &err);
    WSCDeinstallProvider(&guid_a, &err);
    bases[0] = cat_test_info(TEST_AF2, SOCK_STREAM, 6, "e2e base stream");
    bases[1] = cat_test_info(TEST_AF2, SOCK_DGRAM, 17, "e2e base dgram");
    ret = WSCInstallProvider(&guid_a, L"C:\\base.dll", bases, 2, &err);
    CHECK(ret == 0, "base provider for the chains -> %d error %d", ret, err);

    want = cat_test_info(TEST_AF2, SOCK_STREAM, 6, "");
    ret = openws2_WSCInstallProviderAndChains(&guid_lsp, L"C:\\lsp.dll", L"E2E LSP", XP1_IFS_HANDLES, &want, 1, &dummy, &err);
    CHECK(ret == 0 && dummy, "WSCInstallProviderAndChains -> %d error %d dummy %lu", ret, err, (unsigned long)dummy);
    list = cat_enum(FALSE, &n);
    for (i = 0; i < n; i++)
    {
        BOOL mine = !memcmp(&list[i].ProviderId, &guid_lsp, sizeof(GUID));
        if (mine && first_mine < 0) first_mine = i;
        if (mine)
            CHECK(list[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL && list[i].dwCatalogEntryId == dummy &&
                  (list[i].dwProviderFlags & PFL_HIDDEN), "the only entry with the LSP's GUID: the dummy %lu",
                  (unsigned long)list[i].dwCatalogEntryId);
        else if (list[i].ProtocolChain.ChainLen > 1 && list[i].ProtocolChain.ChainEntries[0] == dummy)
        {
            if (!chains_found++) chain_guid = list[i].ProviderId, chain_at = i;
            CHECK(list[i].ProtocolChain.ChainLen == 2 && list[i].iAddressFamily == TEST_AF2 &&
                  list[i].iSocketType == SOCK_STREAM && list[i].dwCatalogEntryId == dummy + 1,
                  "chain entry %lu: [%lu, %lu], a GUID of its own", (unsigned long)list[i].dwCatalogEntryId,
                  (unsigned long)list[i].ProtocolChain.ChainEntries[0], (unsigned long)list[i].ProtocolChain.ChainEntries[1]);
        }
    }
    CHECK(chains_found == 1 && chain_at == 0 && first_mine == n - 1, "one chain, placed first in the catalog, the dummy last (%d, %d, %d)",
          chains_found, chain_at, first_mine);
    free(list);
    ret = openws2_WSCInstallProviderAndChains(&guid_lsp, L"C:\\lsp.dll", L"E2E LSP 2", 0, &want, 1, &dummy, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "same provider id again -> error %d", err);
    ret = openws2_WSCInstallProviderAndChains(&guid_lsp, L"C:\\lsp.dll", L"E2E LSP 2", 0, &want, 0, &dummy, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "list with no entries -> error %d", err);

    /* provider info on the LSP */
    ret = WSCSetProviderInfo(&guid_lsp, ProviderInfoLspCategories, (BYTE *)&cats, sizeof(cats), 0, &err);
    CHECK(ret == 0, "WSCSetProviderInfo -> %d error %d", ret, err);
    ret = WSCGetProviderInfo(&guid_lsp, ProviderInfoLspCategories, (BYTE *)&got, &cats_len, 0, &err);
    CHECK(ret == 0 && got == cats, "WSCGetProviderInfo -> %d categories %#lx", ret, (unsigned long)got);
    ret = WSCSetProviderInfo(&guid_lsp, ProviderInfoLspCategories, (BYTE *)&cats, 3, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "WSCSetProviderInfo with a bad size -> error %d", err);

    ret = WSCDeinstallProvider(&guid_lsp, &err);
    CHECK(ret == 0, "deinstall the LSP's dummy -> %d error %d", ret, err);
    ret = WSCDeinstallProvider(&chain_guid, &err);
    CHECK(ret == 0, "deinstall the LSP's chain by its GUID -> %d error %d", ret, err);
    ret = WSCDeinstallProvider(&chain_guid, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "the chain's GUID again -> %d error %d", ret, err);
    ret = WSCGetProviderInfo(&guid_lsp, ProviderInfoLspCategories, (BYTE *)&got, &cats_len, 0, &err);
    CHECK(ret == SOCKET_ERROR && err == WSANO_RECOVERY, "info of a removed provider -> error %d", err);
    ret = WSCDeinstallProvider(&guid_a, &err);
    CHECK(ret == 0, "deinstall the base -> %d error %d", ret, err);
}

static void app_category(void)
{
    static const WCHAR app[] = L"C:\\e2e\\catalog_app.exe", extra[] = L"-k test";
    DWORD prev = 0xdead, got = 0;
    int ret, err = 0;

    ret = WSCGetApplicationCategory(app, lstrlenW(app), extra, lstrlenW(extra), &got, &err);
    CHECK(ret == SOCKET_ERROR && err == WSASERVICE_NOT_FOUND, "uncategorised application -> error %d", err);
    ret = WSCSetApplicationCategory(app, lstrlenW(app), extra, lstrlenW(extra), LSP_SYSTEM, &prev, &err);
    CHECK(ret == 0 && prev == 0, "WSCSetApplicationCategory -> %d prev %#lx", ret, (unsigned long)prev);
    ret = WSCSetApplicationCategory(app, lstrlenW(app), extra, lstrlenW(extra), LSP_REDIRECTOR, &prev, &err);
    CHECK(ret == 0 && prev == LSP_SYSTEM, "second call -> %d prev %#lx", ret, (unsigned long)prev);
    ret = WSCGetApplicationCategory(L"c:\\E2E\\catalog_app.exe", lstrlenW(app), extra, lstrlenW(extra), &got, &err);
    CHECK(ret == 0 && got == (LSP_SYSTEM | LSP_REDIRECTOR), "categories are ORed, path compared without case: %#lx",
          (unsigned long)got);
    ret = WSCGetApplicationCategory(app, lstrlenW(app), NULL, 0, &got, &err);
    CHECK(ret == SOCKET_ERROR && err == WSASERVICE_NOT_FOUND, "other arguments, other application -> error %d", err);
    ret = WSCGetApplicationCategory(NULL, 4, NULL, 0, &got, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEFAULT, "NULL path -> error %d", err);
    ret = WSCGetApplicationCategory(app, 0, NULL, 0, &got, &err);
    CHECK(ret == SOCKET_ERROR && err == WSAEINVAL, "zero length -> error %d", err);
    {
        HKEY k;
        LONG r = RegOpenKeyExA(HKEY_LOCAL_MACHINE, "System\\CurrentControlSet\\Services\\WinSock2\\Parameters\\AppId_Catalog", 0,
                               KEY_READ, &k);
        CHECK(r == 0, "stored below WinSock2\\Parameters\\AppId_Catalog");
        if (!r) RegCloseKey(k);
    }
}

static void corrupt_entries(void)
{
    HKEY k;
    char path[512];
    unsigned char junk[888];
    DWORD n = cat_reg_dword(NULL, CAT_NATIVE_NUM, 0), bad = n + 2, serial;
    WSAPROTOCOL_INFOW *list, info = cat_test_info(TEST_AF, SOCK_STREAM, 6, "e2e after corrupt");
    int count, count2, err = 0, i;
    BOOL junk_listed = FALSE;

    list = cat_enum(FALSE, &count);
    free(list);
    /* two corrupt entries appended: a short blob and an unterminated path */
    memset(junk, 'A', sizeof(junk));
    for (i = 1; i <= 2; i++)
    {
        snprintf(path, sizeof(path), "%s\\%s\\%012lu", CAT_KEY, CAT_NATIVE_ENTRIES, (unsigned long)(n + i));
        if (!RegCreateKeyExA(HKEY_LOCAL_MACHINE, path, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &k, NULL))
        {
            RegSetValueExA(k, "PackedCatalogItem", 0, REG_BINARY, junk, i == 1 ? 100 : 888);
            RegCloseKey(k);
        }
    }
    if (!RegOpenKeyExA(HKEY_LOCAL_MACHINE, CAT_KEY, 0, KEY_ALL_ACCESS, &k))
    {
        RegSetValueExA(k, CAT_NATIVE_NUM, 0, REG_DWORD, (BYTE *)&bad, sizeof(bad));
        serial = cat_reg_dword(NULL, "Serial_Access_Num", 0) + 1;
        RegSetValueExA(k, "Serial_Access_Num", 0, REG_DWORD, (BYTE *)&serial, sizeof(serial));
        RegCloseKey(k);
    }
    list = cat_enum(FALSE, &count2);
    for (i = 0; i < count2; i++)
        if (list[i].szProtocol[0] == 'A' && list[i].szProtocol[1] == 'A') junk_listed = TRUE;
    CHECK(count2 == count && !junk_listed, "corrupt registry entries skipped (%d entries, was %d)", count2, count);
    free(list);
    /* the next change rewrites the view without them */
    CHECK(WSCInstallProvider(&guid_a, L"C:\\c.dll", &info, 1, &err) == 0, "install over a corrupt view -> error %d", err);
    CHECK(WSCDeinstallProvider(&guid_a, &err) == 0, "deinstall");
    CHECK(cat_reg_dword(NULL, CAT_NATIVE_NUM, 0) == n, "the view was rewritten with the %lu good entries", (unsigned long)n);
}

int main(void)
{
    install_round_trip();
    views();
    chains();
    app_category();
    corrupt_entries();
    return cat_done("catalog_wsc_e2e");
}
