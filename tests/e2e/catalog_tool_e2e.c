/* catalog_tool_e2e.c - the ws2catalog tool, run as a child process from the e2e directory: `show`
 * prints one block per WSCEnumProtocols entry with the right values, laid out exactly as `netsh
 * winsock show catalog` (netsh_format.h: field order, column, value formats; the checker is shown
 * to reject drifted copies of the output), `show --json` an
 * array with one object per entry, `reset` rewrites the default (ids 1001..1006, serial bumped)
 * and says so as netsh does (restart of the programs instead of the computer), bad usage exits 2.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_check.h"
#include "netsh_format.h"

/* Runs "ws2catalog.exe <args>", returns its exit code and its standard output (malloc'd). */
static DWORD run_tool(const char *args, char **out)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    HANDLE rd, wr;
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    char cmd[256];
    size_t size = 0, cap = 65536;
    DWORD code = 0xdead, got;

    *out = calloc(1, cap + 1);
    if (!CreatePipe(&rd, &wr, &sa, 0)) return 0xdead;
    SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = wr;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    snprintf(cmd, sizeof(cmd), "ws2catalog.exe %s", args);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        CloseHandle(rd);
        CloseHandle(wr);
        return 0xdead;
    }
    CloseHandle(wr);
    while (size < cap && ReadFile(rd, *out + size, (DWORD)(cap - size), &got, NULL) && got) size += got;
    (*out)[size] = 0;
    WaitForSingleObject(pi.hProcess, 30000);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(rd);
    return code;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    const char *p = hay;
    while ((p = strstr(p, needle))) n++, p += strlen(needle);
    return n;
}

static void show_text(void)
{
    WSAPROTOCOL_INFOW *list;
    char *out, line[256], name[WSAPROTOCOL_LEN + 1];
    int n, i;
    DWORD code = run_tool("show", &out);

    list = cat_enum(FALSE, &n);
    CHECK(code == 0, "ws2catalog show exits 0 (%lu)", (unsigned long)code);
    CHECK(count_of(out, "Winsock Catalog Provider Entry") == n, "one block per entry: %d blocks, %d entries",
          count_of(out, "Winsock Catalog Provider Entry"), n);
    for (i = 0; i < n; i++)
    {
        WideCharToMultiByte(CP_UTF8, 0, list[i].szProtocol, -1, name, sizeof(name), NULL, NULL);
        snprintf(line, sizeof(line), "Description:                        %s\r\n", name);
        if (!strstr(out, line)) snprintf(line, sizeof(line), "Description:                        %s\n", name);
        CHECK(strstr(out, line) != NULL, "block for \"%s\"", name);
        snprintf(line, sizeof(line), "Catalog Entry ID:                   %lu", (unsigned long)list[i].dwCatalogEntryId);
        CHECK(strstr(out, line) != NULL, "%s", line);
    }
    CHECK(strstr(out, "Provider ID:                        {E70F1AA0-AB8B-11CF-8CA3-00805F48A192}") &&
          strstr(out, "Provider Path:                      %SystemRoot%\\system32\\openws2afd.dll") &&
          strstr(out, "Service Flags:                      0x20066") &&
          strstr(out, "Entry Type:                         Base Service Provider"),
          "MSAFD values as netsh prints them");
    free(list);
    free(out);
}

/* Replaces the first "from" in s by "to" (malloc'd copy; NULL when absent). */
static char *edited(const char *s, const char *from, const char *to)
{
    const char *at = strstr(s, from);
    char *r;
    if (!at) return NULL;
    r = malloc(strlen(s) - strlen(from) + strlen(to) + 1);
    memcpy(r, s, at - s);
    strcpy(r + (at - s), to);
    strcat(r, at + strlen(from));
    return r;
}

/* The layout of `show` is netsh's, and the check of it fails on drift. */
static void show_format(void)
{
    static const char *const drifts[][2] = {
        {"Socket Type:                        ", "Socket Type:                       "}, /* column 35 */
        {"Version:", "Provider Flags:                     0x8\nVersion:"},                /* extra field */
        {"Min Address Length:", "Minimum Address Length:"},                            /* renamed */
        {"Service Flags:                      0x", "Service Flags:                      "}, /* no 0x */
        {"Winsock Catalog Provider Entry\n", "Winsock Catalog Provider Entry\n\n"},   /* no dashes */
    };
    char *out, why[300], *bad, block[2048];
    const char *a, *b;
    int protocols, namespaces, n, ok;
    size_t k;
    WSAPROTOCOL_INFOW *list = cat_enum(FALSE, &n);
    DWORD code = run_tool("show", &out);

    ok = netsh_format_check(out, &protocols, &namespaces, why, sizeof(why));
    CHECK(code == 0 && ok && protocols == n && namespaces > 0,
          "show: netsh's layout (%d protocol blocks for %d entries, %d namespace blocks) %s", protocols, n,
          namespaces, why);
    /* the order of the fields: Socket Type and Protocol swapped must be refused */
    a = strstr(out, "Socket Type:");
    b = a ? strstr(a, "Protocol:") : NULL;
    if (a && b && strchr(b, '\n'))
    {
        size_t la = strchr(a, '\n') + 1 - a, lb = strchr(b, '\n') + 1 - b;
        bad = _strdup(out);
        memcpy(block, b, lb);
        memcpy(block + lb, a, la);
        memcpy(bad + (a - out), block, la + lb);
        CHECK(!netsh_format_check(bad, &protocols, &namespaces, why, sizeof(why)),
              "the check refuses swapped fields (%s)", why);
        free(bad);
    }
    else
        CHECK(0, "show output has Socket Type and Protocol lines");
    for (k = 0; k < sizeof(drifts) / sizeof(drifts[0]); k++)
    {
        bad = edited(out, drifts[k][0], drifts[k][1]);
        if (!bad)
        {
            /* output with CRLF line ends: try the pattern with \r\n */
            char from[128], to[128];
            const char *nl = strstr(drifts[k][0], "\n");
            snprintf(from, sizeof(from), "%s", drifts[k][0]);
            snprintf(to, sizeof(to), "%s", drifts[k][1]);
            if (nl) { from[nl - drifts[k][0]] = 0; strcat(from, "\r\n"); }
            bad = edited(out, from, to);
        }
        CHECK(bad && !netsh_format_check(bad, &protocols, &namespaces, why, sizeof(why)),
              "the check refuses drift %u (%s)", (unsigned)k, why);
        free(bad);
    }
    free(list);
    free(out);
}

static void show_json(void)
{
    WSAPROTOCOL_INFOW *list;
    char *out;
    int n;
    DWORD code = run_tool("show --json", &out);

    list = cat_enum(FALSE, &n);
    CHECK(code == 0 && out[0] == '[' && strstr(out, "]"), "ws2catalog show --json: an array (exit %lu)", (unsigned long)code);
    CHECK(count_of(out, "\"catalogEntryId\": ") == n, "one object per entry (%d)", n);
    CHECK(strstr(out, "\"providerPath\": \"%SystemRoot%\\\\system32\\\\openws2afd.dll\"") != NULL, "backslashes escaped");
    CHECK(strstr(out, "\"description\": \"MSAFD Tcpip [RAW/IP]\"") && strstr(out, "\"providerFlags\": 12"),
          "hidden RAW entry listed with its flags");
    free(list);
    free(out);
}

static void reset_and_usage(void)
{
    char *out;
    DWORD serial = cat_reg_dword(NULL, "Serial_Access_Num", 0), code;
    WSAPROTOCOL_INFOW *list;
    int n;

    code = run_tool("reset", &out);
    CHECK(code == 0 && strstr(out, "Successfully reset the Winsock Catalog.") && strstr(out, "wineserver -k") &&
          !strstr(out, "restart the computer"),
          "ws2catalog reset -> %lu, netsh's message with Wine's restart: %s", (unsigned long)code, out);
    free(out);
    CHECK(cat_reg_dword(NULL, "Serial_Access_Num", 0) > serial, "Serial_Access_Num bumped by reset");
    list = cat_enum(FALSE, &n);
    CHECK(n == 6 && list[0].dwCatalogEntryId == 1001 && list[5].dwCatalogEntryId == 1006, "default catalog: %d entries", n);
    free(list);
    code = run_tool("bogus", &out);
    CHECK(code == 2, "unknown command exits 2 (%lu)", (unsigned long)code);
    free(out);
    code = run_tool("show --nope", &out);
    CHECK(code == 2, "unknown option exits 2 (%lu)", (unsigned long)code);
    free(out);
}

int main(void)
{
    show_text();
    show_format();
    show_json();
    reset_and_usage();
    return cat_done("catalog_tool_e2e");
}
