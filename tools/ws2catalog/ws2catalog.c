/* ws2catalog.c - openws2's catalog tool: command-line parsing and usage.
 *   ws2catalog show [--32] [--json] [--protocols|--namespaces]   both catalogs (ws2catalog_show.c)
 *   ws2catalog install-lsp --dll PATH [--dll32 PATH] --name NAME [--ifs|--nonifs] [--over ID[,ID...]]
 *                          [--guid GUID] [--native-only]            a layered provider (ws2catalog_lsp.c)
 *   ws2catalog remove-lsp GUID|NAME [--native-only]
 *   ws2catalog order [--32] ID[,ID...]                             catalog order (ws2catalog_order.c)
 *   ws2catalog reset                                               `netsh winsock reset` (ws2catalog_reset.c)
 * Exit status: 0 success, 1 failure, 2 usage.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include "trace.h"
#include "ws2catalog.h"

int ws2c_usage(void)
{
    fprintf(stderr,
            "usage: ws2catalog show [--32] [--json] [--protocols|--namespaces]\n"
            "       ws2catalog install-lsp --dll PATH [--dll32 PATH] --name NAME [--ifs|--nonifs]\n"
            "                              [--over ID[,ID...]] [--guid {GUID}] [--native-only]\n"
            "       ws2catalog remove-lsp {GUID}|NAME [--native-only]\n"
            "       ws2catalog order [--32] ID[,ID...]\n"
            "       ws2catalog reset\n"
            "install-lsp layers NAME (a hidden dummy entry plus one protocol chain per target, placed first)\n"
            "over the listed catalog entries (default: every base entry), in the native view and, on 64-bit,\n"
            "the 32-bit view too; --nonifs is the default. order puts the listed entries first, in that\n"
            "order, the others after them as they were. Exit status: 0 success, 1 failure, 2 usage.\n");
    return TOOL_USAGE;
}

int wmain(int argc, WCHAR **argv)
{
    static const struct { const WCHAR *name; int (*run)(int, WCHAR **); } commands[] = {
        {L"show", ws2c_show}, {L"reset", ws2c_reset}, {L"install-lsp", ws2c_install_lsp},
        {L"remove-lsp", ws2c_remove_lsp}, {L"order", ws2c_order},
    };
    size_t i;

    trace_init();
    if (argc < 2) return ws2c_usage();
    for (i = 0; i < OPENWS2_ARRAY_SIZE(commands); i++)
        if (!lstrcmpW(argv[1], commands[i].name)) return commands[i].run(argc - 2, argv + 2);
    return ws2c_usage();
}
