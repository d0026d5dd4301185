/* traced_child.h - re-runs the calling e2e program as "SELF --child" with OPENWS2_TRACE=1 and its
 * output sent to NUL, and checks the traced run passed every check (exit code 0): every trace line
 * of the program's calls, failing ones included, must print pointers, never read through them.
 * Used by harden_ptrs and harden2_ptrs; needs CHECK (e2e_check.h) in scope.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_TRACED_CHILD_H
#define OPENWS2_TRACED_CHILD_H

#include <windows.h>
#include <stdio.h>
#include <string.h>

static void check_traced_child(const char *self, DWORD timeout_ms)
{
    char cmd[MAX_PATH + 32];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
    HANDLE nul = CreateFileA("NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
    DWORD code = 99;

    printf("-- the same checks traced (OPENWS2_TRACE=1)\n");
    snprintf(cmd, sizeof(cmd), "\"%s\" --child", self);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = nul;
    si.hStdError = nul;
    SetEnvironmentVariableA("OPENWS2_TRACE", "1");
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        CHECK(0, "CreateProcess (error %lu)", (unsigned long)GetLastError());
        CloseHandle(nul);
        return;
    }
    SetEnvironmentVariableA("OPENWS2_TRACE", NULL);
    WaitForSingleObject(pi.hProcess, timeout_ms);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    CloseHandle(nul);
    CHECK(code == 0, "traced run passed every check (exit code %lu)", (unsigned long)code);
}

#endif
