/* dllmain.c - ws2_32.dll's entry point: tracing switch and API state at process attach, per-thread
 * state at thread detach, cleanup at process detach (with the pointer probes' exception handler).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "trace.h"
#include "user_ptr.h"

/* What tools look for in the file to tell openws2's ws2_32.dll from Wine's (scripts/openws2-setup
 * status): Wine's builtin DLLs carry "Wine builtin DLL" after the DOS header, this one this text. */
__attribute__((used)) const char openws2_ws2_marker[] = "openws2 ws2_32.dll: Windows Sockets 2 with providers";

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    switch (reason)
    {
    case DLL_PROCESS_ATTACH:
        trace_init();
        TRACE_API("DllMain(instance %p, PROCESS_ATTACH)", (void *)instance);
        return startup_process_attach();
    case DLL_THREAD_DETACH:
        api_thread_detach();
        break;
    case DLL_PROCESS_DETACH:
        TRACE_API("DllMain(instance %p, PROCESS_DETACH, %s)", (void *)instance,
                  reserved ? "process exit" : "FreeLibrary");
        startup_process_detach(reserved != NULL);
        user_ptr_detach();
        break;
    }
    return TRUE;
}
