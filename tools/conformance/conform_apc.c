/* conform_apc.c - the completion routine both overlapped-APC checks (the provider's own SPI and
 * through ws2_32) hand out: it records how often it ran and with which error and byte count.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "conform.h"

volatile LONG conf_apc_calls;
DWORD conf_apc_error, conf_apc_bytes;

void CALLBACK conf_apc_routine(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov;
    (void)flags;
    conf_apc_error = error;
    conf_apc_bytes = bytes;
    InterlockedIncrement(&conf_apc_calls);
}
