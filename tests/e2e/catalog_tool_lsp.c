/* catalog_tool_lsp.c - the ws2catalog tool's LSP round trip, checked against the registry:
 * reset, snapshot of Protocol_Catalog9 and NameSpace_Catalog5 (every value of every subkey, both
 * views); install-lsp over two entries (hidden dummy + two chains placed first, both views, right
 * chain ids, flags, shared provider GUID); order; argument errors (exit 1/2, catalog unchanged);
 * order back; remove-lsp by name: the registry equals the snapshot byte for byte (except
 * Serial_Access_Num and Next_Catalog_Entry_ID, which only grow); an IFS, native-only install with a
 * given GUID, removed by GUID; reset: byte for byte the first snapshot again (except those two: ids
 * are never reused, Next_Catalog_Entry_ID is checked not to go back); show lists both catalogs in
 * text and JSON; order --32 touches the 32-bit view only.
 * Views (Microsoft's WSCEnumProtocols32 / WSCInstallProvider64_32 docs): every call without "32"
 * works on the calling program's native view, the *32 calls are for 64-bit programs to reach the
 * 32-bit view. The x86_64 build's "other" view is Catalog_Entries (checked through
 * WSCEnumProtocols32); the i686 build's native view is Catalog_Entries itself, the tool cannot reach
 * Catalog_Entries64 from a 32-bit process, and the checks read that view from the registry: it must
 * stay untouched.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform_check.h"
#include "netsh_format.h"
#include <stdarg.h>

#define PARAMS "System\\CurrentControlSet\\Services\\WinSock2\\Parameters"
#define RUN_MS 60000
#define PACKED_PATH_SIZE 260 /* a PackedCatalogItem: ANSI DLL path, then WSAPROTOCOL_INFOW */
#define PACKED_ITEM_SIZE (PACKED_PATH_SIZE + sizeof(WSAPROTOCOL_INFOW))

typedef int (WSPAPI *enum32_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);

struct dump { char *s; size_t len, cap; };

static void put(struct dump *d, const char *fmt, ...)
{
    va_list ap;
    int n;

    for (;;)
    {
        va_start(ap, fmt);
        n = vsnprintf(d->s + d->len, d->cap - d->len, fmt, ap);
        va_end(ap);
        if (n >= 0 && (size_t)n < d->cap - d->len) break;
        d->cap = d->cap * 2 + 4096;
        if (!(d->s = realloc(d->s, d->cap))) abort();
    }
    d->len += (size_t)n;
}

/* Appends "path\name = type:hex" for every value of key and its subkeys (skipping names in skip). */
static void dump_key(struct dump *d, HKEY parent, const char *path, const char *const *skip)
{
    HKEY key;
    char name[256], full[1024];
    BYTE *data = malloc(1 << 16);
    DWORD i, nlen, dlen, type, k;

    if (RegOpenKeyExA(parent, path, 0, KEY_READ | KEY_WOW64_64KEY, &key))
    {
        put(d, "%s: (missing)\n", path);
        free(data);
        return;
    }
    for (i = 0;; i++)
    {
        BOOL skipped = FALSE;
        nlen = sizeof(name);
        dlen = 1 << 16;
        if (RegEnumValueA(key, i, name, &nlen, NULL, &type, data, &dlen)) break;
        for (k = 0; skip[k]; k++)
            if (!lstrcmpiA(name, skip[k])) skipped = TRUE;
        if (skipped) continue;
        put(d, "%s\\%s = %lu:", path, name, (unsigned long)type);
        for (k = 0; k < dlen; k++) put(d, "%02x", data[k]);
        put(d, "\n");
    }
    for (i = 0;; i++)
    {
        nlen = sizeof(name);
        if (RegEnumKeyExA(key, i, name, &nlen, NULL, NULL, NULL, NULL)) break;
        snprintf(full, sizeof(full), "%s\\%s", path, name);
        dump_key(d, parent, full, skip);
    }
    RegCloseKey(key);
    free(data);
}

static char *snapshot(BOOL skip_next_id)
{
    static const char *const with_next[] = {"Serial_Access_Num", NULL};
    static const char *const without_next[] = {"Serial_Access_Num", "Next_Catalog_Entry_ID", NULL};
    struct dump d = {NULL, 0, 0};

    put(&d, "%s", "");
    dump_key(&d, HKEY_LOCAL_MACHINE, PARAMS "\\Protocol_Catalog9", skip_next_id ? without_next : with_next);
    dump_key(&d, HKEY_LOCAL_MACHINE, PARAMS "\\NameSpace_Catalog5", skip_next_id ? without_next : with_next);
    return d.s;
}

/* CHECKs that two snapshots are equal, printing the first differing line. */
static void same(const char *a, const char *b, const char *what)
{
    size_t i = 0, line = 0;

    while (a[i] && a[i] == b[i]) i++;
    if (a[i] || b[i])
    {
        while (i > 0 && a[i - 1] != '\n') i--;
        line = i;
        printf("    | before: %.200s\n    | after:  %.200s\n", a + line, b + line);
    }
    CHECK(!strcmp(a, b), "%s: registry byte for byte as before (%lu bytes of dump)", what, (unsigned long)strlen(a));
}

static DWORD tool(const char *args, char **out)
{
    char cmd[800];
    snprintf(cmd, sizeof(cmd), "ws2catalog.exe %s", args);
    return cc_run(cmd, out, RUN_MS);
}

static DWORD tool_code(const char *args)
{
    char *out;
    DWORD code = tool(args, &out);
    free(out);
    return code;
}

#ifdef _WIN64
static WSAPROTOCOL_INFOW *enum32(int *count)
{
    enum32_fn p = (enum32_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSCEnumProtocols32");
    WSAPROTOCOL_INFOW *list;
    DWORD len = 0;
    int err = 0, n;

    *count = 0;
    if (!p || p(NULL, NULL, &len, &err) != SOCKET_ERROR || !(list = malloc(len))) return NULL;
    if ((n = p(NULL, list, &len, &err)) == SOCKET_ERROR)
    {
        free(list);
        return NULL;
    }
    *count = n;
    return list;
}
#endif

/* Index of the first entry named exactly name, or (a trailing '*') starting with it; -1: none. */
static int find_name(const WSAPROTOCOL_INFOW *list, int n, const char *pattern)
{
    char name[WSAPROTOCOL_LEN * 3 + 3];
    size_t len = strlen(pattern);
    BOOL prefix = len && pattern[len - 1] == '*';
    int i;

    for (i = 0; i < n; i++)
    {
        WideCharToMultiByte(CP_UTF8, 0, list[i].szProtocol, -1, name, sizeof(name), NULL, NULL);
        if (prefix ? !strncmp(name, pattern, len - 1) : !strcmp(name, pattern)) return i;
    }
    return -1;
}

static DWORD find_id(const char *pattern)
{
    WSAPROTOCOL_INFOW *list;
    int n, i;
    DWORD id = 0;

    if ((list = cc_enum(&n)) && (i = find_name(list, n, pattern)) >= 0) id = list[i].dwCatalogEntryId;
    free(list);
    return id;
}

static DWORD next_id(void)
{
    DWORD v = 0, size = sizeof(v);
    RegGetValueA(HKEY_LOCAL_MACHINE, PARAMS "\\Protocol_Catalog9", "Next_Catalog_Entry_ID", RRF_RT_REG_DWORD, NULL,
                 &v, &size);
    return v;
}
/* The view this program's native API does not show: Catalog_Entries64 for a 32-bit program (read
 * from the registry), the 32-bit view for a 64-bit one (WSCEnumProtocols32). *first gets the id of
 * its first entry. Returns the number of entries, -1 on failure. */
static int other_view(DWORD *first)
{
#ifdef _WIN64
    int n;
    WSAPROTOCOL_INFOW *list = enum32(&n);
    *first = list && n ? list[0].dwCatalogEntryId : 0;
    free(list);
    return list ? n : -1;
#else
    BYTE item[PACKED_ITEM_SIZE];
    DWORD n = 0, size = sizeof(n), isize = sizeof(item);
    *first = 0;
    if (RegGetValueA(HKEY_LOCAL_MACHINE, PARAMS "\\Protocol_Catalog9", "Num_Catalog_Entries64",
                     RRF_RT_REG_DWORD | RRF_SUBKEY_WOW6464KEY, NULL, &n, &size))
        return -1;
    if (n && !RegGetValueA(HKEY_LOCAL_MACHINE, PARAMS "\\Protocol_Catalog9\\Catalog_Entries64\\000000000001",
                           "PackedCatalogItem", RRF_RT_REG_BINARY | RRF_SUBKEY_WOW6464KEY, NULL, item, &isize) &&
        isize == sizeof(item))
        *first = ((const WSAPROTOCOL_INFOW *)(item + PACKED_PATH_SIZE))->dwCatalogEntryId;
    return (int)n;
#endif
}

int main(void)
{
    char *s0_ids, *s1, *s2, *out, args[700], dir[MAX_PATH], ids[400] = "";
    WSAPROTOCOL_INFOW *list;
#ifdef _WIN64
    WSAPROTOCOL_INFOW *list32;
#endif
    int n, n32, i, d, c1, c2, n0;
    DWORD tcp, udp, code, first_next;

    setvbuf(stdout, NULL, _IONBF, 0);
    cc_exe_dir(dir, sizeof(dir));
    CHECK(tool_code("reset") == 0, "reset");

    s0_ids = snapshot(TRUE);
    first_next = next_id();
    list = cc_enum(&n0);
    for (i = 0; list && i < n0; i++)
        snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%lu", i ? "," : "", (unsigned long)list[i].dwCatalogEntryId);
    free(list);
    tcp = find_id("MSAFD Tcpip [TCP/IP]");
    udp = find_id("MSAFD Tcpip [UDP/IP]");
    CHECK(n0 == 6 && tcp && udp, "default catalog: %d entries (%s)", n0, ids);

    /* install-lsp over TCP and UDP */
    snprintf(args, sizeof(args), "install-lsp --dll \"%stp_lsp.dll\" --name \"roundtrip lsp\" --nonifs --over %lu,%lu",
             dir, (unsigned long)tcp, (unsigned long)udp);
    code = tool(args, &out);
    CHECK(code == 0 && strstr(out, "install-lsp: {") && strstr(out, "dummy entry"), "%s -> %lu", args, (unsigned long)code);
    free(out);
    list = cc_enum(&n);
    d = find_name(list, n, "roundtrip lsp");
    c1 = find_name(list, n, "roundtrip lsp over [MSAFD Tcpip [TCP/IP]]");
    c2 = find_name(list, n, "roundtrip lsp over [MSAFD Tcpip [UDP/IP]]");
    CHECK(n == 9 && d == 8 && c1 == 0 && c2 == 1, "native view: %d entries, dummy at %d (last), chains at %d, %d (first)",
          n, d, c1, c2);
    if (n == 9 && d >= 0 && c1 >= 0 && c2 >= 0)
    {
        const WSAPROTOCOL_INFOW *dm = &list[d], *a = &list[c1], *b = &list[c2];
        CHECK(dm->ProtocolChain.ChainLen == LAYERED_PROTOCOL && (dm->dwProviderFlags & PFL_HIDDEN),
              "dummy: LAYERED_PROTOCOL, hidden");
        CHECK(a->ProtocolChain.ChainLen == 2 && a->ProtocolChain.ChainEntries[0] == dm->dwCatalogEntryId &&
              a->ProtocolChain.ChainEntries[1] == tcp && b->ProtocolChain.ChainLen == 2 &&
              b->ProtocolChain.ChainEntries[0] == dm->dwCatalogEntryId && b->ProtocolChain.ChainEntries[1] == udp,
              "chains [dummy %lu, %lu] and [dummy, %lu]", (unsigned long)dm->dwCatalogEntryId, (unsigned long)tcp,
              (unsigned long)udp);
        CHECK(!IsEqualGUID(&a->ProviderId, &dm->ProviderId) && !IsEqualGUID(&b->ProviderId, &dm->ProviderId) &&
              !IsEqualGUID(&a->ProviderId, &b->ProviderId) && !(a->dwServiceFlags1 & XP1_IFS_HANDLES),
              "a GUID per chain (as Windows), non-IFS chains");
    }
    free(list);
#ifdef _WIN64
    list32 = enum32(&n32);
    CHECK(list32 && n32 == 9 && find_name(list32, n32, "roundtrip lsp over [MSAFD Tcpip [TCP/IP]]") == 0,
          "32-bit view has the LSP too (%d entries)", n32);
    free(list32);
#else
    CHECK((n32 = other_view(&code)) == 6, "a 32-bit tool leaves Catalog_Entries64 alone (%d entries)", n32);
#endif
    s1 = snapshot(TRUE);
    CHECK(strcmp(s0_ids, s1) != 0, "the registry changed");
    free(s1);
    code = tool("show --json", &out);
    CHECK(code == 0 && strstr(out, "\"description\": \"roundtrip lsp\"") && strstr(out, "\"catalog\": \"namespace\""),
          "show --json lists the LSP and the namespace catalog");
    free(out);
    /* text: netsh's layout with the LSP's entries: the dummy a "Layered Service Provider" with chain
     * length 0, each chain a "Layered Chain Entry" with its ids on a "Protocol Chain: a : b" line */
    {
        char chain[96], why[300];
        int np = 0, nn = 0, fmt;
        code = tool("show", &out);
        fmt = netsh_format_check(out, &np, &nn, why, sizeof(why));
        snprintf(chain, sizeof(chain), "Protocol Chain: %lu : %lu", (unsigned long)find_id("roundtrip lsp"),
                 (unsigned long)tcp);
        CHECK(code == 0 && fmt && np == 9 && nn > 0 && strstr(out, chain) &&
              strstr(out, "Entry Type:                         Layered Chain Entry") &&
              strstr(out, "Entry Type:                         Layered Service Provider") &&
              strstr(out, "Protocol Chain Length:              0"),
              "show: netsh's layout with the LSP (%d protocol blocks, \"%s\") %s", np, chain, why);
        free(out);
#ifdef _WIN64
        code = tool("show --32 --protocols", &out);
        fmt = netsh_format_check(out, &np, &nn, why, sizeof(why));
        CHECK(code == 0 && fmt && np == 9 && nn == 0 &&
              strstr(out, "Entry Type:                         Base Service Provider (32)") &&
              strstr(out, "Entry Type:                         Layered Chain Entry (32)"),
              "show --32: the 32-bit catalog's entries marked (32) as netsh marks them %s", why);
        free(out);
#endif
    }

    /* errors leave the catalog alone */
    s1 = snapshot(FALSE);
    CHECK(tool_code(args) == 1, "the same name again -> 1");
    CHECK(tool_code("install-lsp --name x") == 2, "install-lsp without --dll -> 2");
    CHECK(tool_code("install-lsp --dll C:\\nonexistent\\x.dll --name x") == 1, "a missing DLL -> 1");
    snprintf(args, sizeof(args), "install-lsp --dll \"%stp_lsp.dll\" --name other --over %lu", dir,
             (unsigned long)find_id("roundtrip lsp"));
    CHECK(tool_code(args) == 1, "layering over a dummy -> 1");
    snprintf(args, sizeof(args), "install-lsp --dll \"%stp_lsp.dll\" --name other --over %lu", dir, (unsigned long)tcp);
    CHECK(tool_code(args) == 1, "layering over an entry that is not first for its protocol -> 1");
    CHECK(tool_code("install-lsp --dll x --name y --over 1,a") == 2, "a bad id list -> 2");
    CHECK(tool_code("remove-lsp \"no such lsp\"") == 1, "remove-lsp of an unknown name -> 1");
    CHECK(tool_code("remove-lsp {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}") == 1, "remove-lsp of the base provider -> 1");
    CHECK(tool_code("order 1,2") == 1, "order with unknown ids -> 1");
    CHECK(tool_code("order 1001,1001") == 1, "order with an id twice -> 1");
    CHECK(tool_code("order") == 2, "order without ids -> 2");
    s2 = snapshot(FALSE);
    same(s1, s2, "after the refused commands");
    free(s1);
    free(s2);

    /* order: the base entries first */
    snprintf(args, sizeof(args), "order %lu,%lu", (unsigned long)tcp, (unsigned long)udp);
    CHECK(tool_code(args) == 0, "%s", args);
    list = cc_enum(&n);
    CHECK(n == 9 && list[0].dwCatalogEntryId == tcp && list[1].dwCatalogEntryId == udp &&
          find_name(list, n, "roundtrip lsp over*") == 2, "native order now %lu, %lu, the chains ...",
          (unsigned long)list[0].dwCatalogEntryId, (unsigned long)list[1].dwCatalogEntryId);
    free(list);
    snprintf(args, sizeof(args), "order %s", ids);
    CHECK(tool_code(args) == 0, "order back: %s", args);

    /* remove-lsp: byte for byte as before */
    code = tool("remove-lsp \"roundtrip lsp\"", &out);
#ifdef _WIN64
    CHECK(code == 0 && strstr(out, "removed from the native view") && strstr(out, "removed from the 32-bit view"),
          "remove-lsp by name -> %lu", (unsigned long)code);
#else
    CHECK(code == 0 && strstr(out, "removed from the native view") && !strstr(out, "removed from the 32-bit view"),
          "remove-lsp by name -> %lu (the one view of a 32-bit tool)", (unsigned long)code);
#endif
    free(out);
    s1 = snapshot(TRUE);
    same(s0_ids, s1, "install-lsp, order, remove-lsp");
    free(s1);

    /* IFS, native only, a given GUID, removed by GUID */
    snprintf(args, sizeof(args), "install-lsp --dll \"%stp_lsp.dll\" --name \"ifs lsp\" --ifs --native-only "
             "--guid {6F70656E-7773-3263-6174-746F6F6C0001} --over %lu", dir, (unsigned long)tcp);
    CHECK(tool_code(args) == 0, "%s", args);
    list = cc_enum(&n);
    i = find_name(list, n, "ifs lsp over*");
    d = find_name(list, n, "ifs lsp");
    CHECK(i == 0 && d > 0 && (list[0].dwServiceFlags1 & XP1_IFS_HANDLES) && list[d].ProviderId.Data1 == 0x6F70656E &&
          list[d].ProviderId.Data4[7] == 0x01 && list[0].ProviderId.Data1 != 0x6F70656E &&
          list[0].ProtocolChain.ChainEntries[0] == list[d].dwCatalogEntryId,
          "IFS chain first, the dummy with the given GUID");
    free(list);
    n32 = other_view(&code);
    CHECK(n32 == 6, "--native-only: the other view untouched (%d)", n32);
    CHECK(tool_code("remove-lsp {6F70656E-7773-3263-6174-746F6F6C0001}") == 0, "remove-lsp by GUID");
    s1 = snapshot(TRUE);
    same(s0_ids, s1, "install-lsp --ifs --native-only, remove-lsp GUID");
    free(s1);

    /* reset: exactly the first snapshot, Next_Catalog_Entry_ID included */
    snprintf(args, sizeof(args), "install-lsp --dll \"%stp_lsp.dll\" --name \"left over\"", dir);
    CHECK(tool_code(args) == 0, "an LSP over every base entry (to be reset away)");
    code = tool("reset", &out);
    CHECK(code == 0 && strstr(out, "Successfully reset the Winsock Catalog."), "reset -> %lu", (unsigned long)code);
    free(out);
    /* Catalog ids are never reused (catalog_store keeps Next_Catalog_Entry_ID growing, so a process
     * still holding an old id cannot meet it on a new entry): the reset catalog equals the first
     * snapshot in everything else, and the next id only grew. */
    s2 = snapshot(TRUE);
    same(s0_ids, s2, "reset");
    free(s2);
    CHECK(next_id() >= first_next, "Next_Catalog_Entry_ID %lu did not go back (was %lu after the first reset)",
          (unsigned long)next_id(), (unsigned long)first_next);

    /* order --32 changes the 32-bit view only */
    snprintf(args, sizeof(args), "order --32 %lu", (unsigned long)udp);
    CHECK(tool_code(args) == 0, "%s", args);
    list = cc_enum(&n);
#ifdef _WIN64
    list32 = enum32(&n32);
    CHECK(list32 && n32 == 6 && list32[0].dwCatalogEntryId == udp && list && list[0].dwCatalogEntryId == tcp,
          "32-bit view starts with %lu, native view still with %lu", (unsigned long)udp, (unsigned long)tcp);
    free(list32);
#else
    /* a 32-bit tool: --32 is its native view; Catalog_Entries64 keeps its order */
    n32 = other_view(&code);
    CHECK(list && n == 6 && list[0].dwCatalogEntryId == udp && n32 == 6 && code == tcp,
          "32-bit (native) view starts with %lu, Catalog_Entries64 still with %lu (%lu)", (unsigned long)udp,
          (unsigned long)tcp, (unsigned long)code);
#endif
    free(list);
    CHECK(tool_code("reset") == 0, "reset again");
    s2 = snapshot(TRUE);
    same(s0_ids, s2, "order --32, reset");
    free(s2);

    code = tool("show --32 --namespaces", &out);
    CHECK(code == 0 && strstr(out, "Winsock Namespace Provider Entry"), "show --32 --namespaces (WSCEnumNameSpaceProviders32)");
    free(out);
    code = tool("show --namespaces", &out);
    CHECK(code == 0 && strstr(out, "Winsock Namespace Provider Entry") && !strstr(out, "Winsock Catalog Provider Entry"),
          "show --namespaces: namespace blocks only");
    free(out);
    code = tool("show --protocols --namespaces", &out);
    CHECK(code == 2, "show with both filters -> 2");
    free(out);

    free(s0_ids);
    return cc_done("catalog_tool_lsp");
}
