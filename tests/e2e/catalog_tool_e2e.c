/* catalog_tool_e2e.c - the ws2catalog tool, run as a child process from the e2e directory: `show`
 * prints one netsh-style block per WSCEnumProtocols entry with the right values, `show --json` an
 * array with one object per entry, `reset` rewrites the default (ids 1001..1006, serial bumped),
 * bad usage exits 2.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_check.h"

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
    CHECK(code == 0 && strstr(out, "6 entries written to Catalog_Entries"), "ws2catalog reset -> %lu: %s",
          (unsigned long)code, out);
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
    show_json();
    reset_and_usage();
    return cat_done("catalog_tool_e2e");
}
