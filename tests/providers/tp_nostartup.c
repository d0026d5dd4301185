/* tp_nostartup.c - tp_nostartup.dll: a DLL installed as a transport provider that exports no
 * WSPStartup, for the loader's failure test (ws2_32 must answer WSAEPROVIDERFAILEDINIT).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"

__declspec(dllexport) int WINAPI tp_nostartup_marker(void);

__declspec(dllexport) int WINAPI tp_nostartup_marker(void)
{
    return 42;
}
