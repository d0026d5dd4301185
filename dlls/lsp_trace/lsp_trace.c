/* lsp_trace.c - openws2_lsp_trace.dll, the tracing layered service provider: a non-IFS layer
 * (every call and every byte passes through it, dlls/lsp_common) that logs, for the processes it is
 * configured for, one line per Winsock call with its arguments, result, error and byte counts to a
 * file. Configuration (read at the first WSPStartup of a process), HKLM\Software\openws2\LspTrace:
 *   LogFile   REG_SZ / REG_EXPAND_SZ  the log file (appended to; shared by every traced process)
 *   Processes REG_MULTI_SZ            executables to trace: file names ("app.exe") or full paths,
 *                                     case-insensitive; "*" traces every process
 * Other processes, or a missing/unwritable log file: the layer passes everything straight through.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_layer.h"

#define LSP_TRACE_KEY "Software\\openws2\\LspTrace"

static HANDLE log_file = INVALID_HANDLE_VALUE;

__declspec(dllexport) int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info,
                                            WSPUPCALLTABLE upcalls, LPWSPPROC_TABLE procs);

static SRWLOCK log_lock = SRWLOCK_INIT;

/* One line at a time from this process: Wine appends to a FILE_APPEND_DATA handle by reading the
 * file's size, then writing there (ntdll's NtWriteFile, 8.0 to 10.0), so two threads appending at
 * once can write over each other's line (the completions the layer delivers are logged from the
 * thread pool while the application's thread logs its next call). */
static void trace_write(const char *line, size_t len)
{
    DWORD written;

    if (log_file == INVALID_HANDLE_VALUE) return;
    AcquireSRWLockExclusive(&log_lock);
    WriteFile(log_file, line, (DWORD)len, &written, NULL);
    ReleaseSRWLockExclusive(&log_lock);
}

static void trace_startup(void)
{
    WCHAR path[MAX_PATH];

    if (!lsp_config_process_listed(LSP_TRACE_KEY) || !lsp_config_string(LSP_TRACE_KEY, "LogFile", path, MAX_PATH) ||
        !path[0])
        return;
    /* FILE_APPEND_DATA only: every WriteFile appends one whole line (on Windows even from several
     * processes; under Wine see trace_write). */
    log_file = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    lsp_trace_enabled = log_file != INVALID_HANDLE_VALUE;
    lsp_trace("process traced (%ls)", path);
}

static void trace_cleanup(void)
{
    lsp_trace("process trace ends");
    lsp_trace_enabled = FALSE;
    if (log_file != INVALID_HANDLE_VALUE) CloseHandle(log_file);
    log_file = INVALID_HANDLE_VALUE;
}

const struct lsp_hooks lsp_hooks = {
    .name = "lsp_trace",
    .startup = trace_startup,
    .cleanup = trace_cleanup,
    .trace = trace_write,
};

int WSPAPI WSPStartup(WORD version, LPWSPDATA data, LPWSAPROTOCOL_INFOW info, WSPUPCALLTABLE upcalls,
                      LPWSPPROC_TABLE procs)
{
    return lsp_layer_startup(version, data, info, upcalls, procs);
}
