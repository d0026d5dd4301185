/* system32_probe.c - run by system32_install.sh from a directory with no ws2_32.dll, in a prefix where
 * scripts/install.sh --system put ours into system32: "system32_probe ours" checks that the ws2_32
 * loaded came from system32 and is openws2's, echoes over loopback and checks (traced child run) that
 * our ws2_32 and provider carried it; "system32_probe builtin" checks that this program got Wine's
 * builtin instead (a per-application override must not reach other programs) and that the echo works
 * there too, with no openws2 trace.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wine_check.h"

static void child(int want_ours)
{
    WSADATA wsa;
    struct sockaddr_in addr;
    SOCKET listener, client, server;
    HMODULE ws2;
    char path[MAX_PATH] = "", sys[MAX_PATH] = "", buf[32];
    int r;

    r = WSAStartup(MAKEWORD(2, 2), &wsa);
    CHECK(r == 0, "WSAStartup -> %d", r);
    ws2 = GetModuleHandleA("ws2_32.dll");
    if (ws2) GetModuleFileNameA(ws2, path, sizeof(path));
    GetSystemDirectoryA(sys, sizeof(sys));
    strncat(sys, "\\ws2_32.dll", sizeof(sys) - strlen(sys) - 1);
    CHECK(ws2 && !_stricmp(path, sys), "ws2_32 loaded from system32 (%s)", path);
    if (want_ours)
        CHECK(ws2 && !wc_module_is_wine_builtin(ws2), "it is openws2's ws2_32");
    else
        CHECK(ws2 && wc_module_is_wine_builtin(ws2), "it is Wine's builtin ws2_32 (no override for this program)");

    listener = wc_listener(&addr);
    client = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    r = connect(client, (struct sockaddr *)&addr, sizeof(addr));
    server = accept(listener, NULL, NULL);
    CHECK(listener != INVALID_SOCKET && r == 0 && server != INVALID_SOCKET, "TCP connection over loopback");
    memset(buf, 0, sizeof(buf));
    CHECK(send(client, "system32", 8, 0) == 8 && recv(server, buf, sizeof(buf), 0) == 8 && !strcmp(buf, "system32"),
          "data arrived: \"%s\"", buf);
    closesocket(server);
    closesocket(client);
    closesocket(listener);
    WSACleanup();
}

int main(int argc, char **argv)
{
    DWORD code;
    char *trace, mode[32];
    int want_ours;

    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && !strcmp(argv[1], "child"))
    {
        child(!strcmp(argv[2], "ours"));
        return wc_summary("system32_probe child");
    }
    if (argc < 2 || (strcmp(argv[1], "ours") && strcmp(argv[1], "builtin")))
    {
        printf("usage: system32_probe ours|builtin\n");
        return 2;
    }
    want_ours = !strcmp(argv[1], "ours");
    CHECK(GetFileAttributesA("ws2_32.dll") == INVALID_FILE_ATTRIBUTES, "no app-local ws2_32.dll beside the program");
    snprintf(mode, sizeof(mode), "%s", argv[1]);
    trace = wc_run_traced_child(mode, &code);
    CHECK(trace != NULL, "traced child ran");
    CHECK(code == 0, "child's checks passed (exit code %lu)", (unsigned long)code);
    if (want_ours)
    {
        wc_check_trace(trace, "openws2: api WSAStartup(", NULL);
        wc_check_trace(trace, "openws2: spi afd WSPStartup", NULL);
        wc_check_trace(trace, "openws2: spi WSPAccept(", NULL);
    }
    else
        CHECK(trace && !strstr(trace, "openws2: "), "no openws2 trace lines (%d api lines)",
              wc_count_lines(trace, "openws2: api", NULL));
    free(trace);
    return wc_summary(want_ours ? "system32_probe ours" : "system32_probe builtin");
}
