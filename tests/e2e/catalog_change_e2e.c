/* catalog_change_e2e.c - a catalog changed by another process: a running process sees it
 * (WSAEnumProtocols, socket selection) and WSAProviderConfigChange reports it (overlapped event,
 * completion routine, synchronous call), plus WSAProviderConfigChange's error cases.
 * Run without arguments; it starts itself with "install" / "deinstall" as the other process.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "catalog_check.h"

#define TEST_AF 0x7703
static GUID guid_c = {0x0e2e0003, 0x1111, 0x2222, {0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x03}};

static int child(const char *what)
{
    WSAPROTOCOL_INFOW info = cat_test_info(TEST_AF, SOCK_STREAM, 6, "e2e other process");
    int err = 0;
    if (!strcmp(what, "install")) return WSCInstallProvider(&guid_c, L"C:\\e2e_change.dll", &info, 1, &err) ? err : 0;
    if (!strcmp(what, "deinstall")) return WSCDeinstallProvider(&guid_c, &err) ? err : 0;
    return 2;
}

static DWORD run_child(const char *what)
{
    char cmd[MAX_PATH + 32], self[MAX_PATH];
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    DWORD code = 0xdead;

    GetModuleFileNameA(NULL, self, sizeof(self));
    snprintf(cmd, sizeof(cmd), "\"%s\" %s", self, what);
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return GetLastError();
    WaitForSingleObject(pi.hProcess, 30000);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return code;
}

static int visible_test_entries(void)
{
    WSAPROTOCOL_INFOW *buf;
    DWORD len = 0;
    int n, i, found = 0;
    WSAEnumProtocolsW(NULL, NULL, &len);
    buf = malloc(len ? len : 1);
    n = WSAEnumProtocolsW(NULL, buf, &len);
    for (i = 0; i < n; i++)
        if (buf[i].iAddressFamily == TEST_AF) found++;
    free(buf);
    return found;
}

static LONG routine_calls;
static LPWSAOVERLAPPED routine_ov;
static DWORD routine_error = 0xdead;

static void CALLBACK on_change(DWORD error, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)bytes;
    (void)flags;
    routine_error = error;
    routine_ov = ov;
    InterlockedIncrement(&routine_calls);
}

struct sync_arg { HANDLE handle; int ret; int err; };

static DWORD WINAPI sync_waiter(void *param)
{
    struct sync_arg *a = param;
    a->ret = WSAProviderConfigChange(&a->handle, NULL, NULL);
    a->err = WSAGetLastError();
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    HANDLE h = NULL, bogus;
    WSAOVERLAPPED ov;
    struct sync_arg sync;
    HANDLE thread;
    DWORD code, wait, i;
    int ret, err = 0;

    if (argc > 1) return child(argv[1]);

    h = NULL;
    ret = WSAProviderConfigChange(&h, NULL, NULL);
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSANOTINITIALISED, "before WSAStartup -> %d error %d", ret,
          WSAGetLastError());
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");
    WSCDeinstallProvider(&guid_c, &err); /* left over from an aborted run */
    ret = WSAProviderConfigChange(NULL, NULL, NULL);
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSAEFAULT, "NULL handle pointer -> error %d", WSAGetLastError());
    ret = WSAProviderConfigChange(&h, NULL, NULL);
    CHECK(ret == 0 && h != NULL, "first call returns a handle at once: %d %p", ret, h);
    bogus = CreateEventW(NULL, FALSE, FALSE, NULL);
    ret = WSAProviderConfigChange(&bogus, NULL, NULL);
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSA_INVALID_HANDLE, "not a notification handle -> error %d",
          WSAGetLastError());
    CloseHandle(bogus);
    CHECK(visible_test_entries() == 0, "test entry not in the catalog yet");

    /* overlapped with an event */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ret = WSAProviderConfigChange(&h, &ov, NULL);
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "overlapped call pending: %d error %d", ret,
          WSAGetLastError());
    CHECK(WaitForSingleObject(ov.hEvent, 300) == WAIT_TIMEOUT, "no change yet: not signalled");
    code = run_child("install");
    CHECK(code == 0, "other process installed a provider: exit %lu", (unsigned long)code);
    wait = WaitForSingleObject(ov.hEvent, 10000);
    CHECK(wait == WAIT_OBJECT_0 && ov.Internal == 0, "WSAProviderConfigChange signalled the event (%lu, status %#lx)",
          (unsigned long)wait, (unsigned long)ov.Internal);
    CHECK(visible_test_entries() == 1, "this running process sees the other process' entry");
    {
        SOCKET s = WSASocketW(TEST_AF, SOCK_STREAM, 6, NULL, 0, 0);
        int e = WSAGetLastError();
        /* the entry is selected; its DLL does not exist, so loading the provider fails */
        CHECK(s == INVALID_SOCKET && e != WSAEAFNOSUPPORT, "socket() now finds the new family (error %d)", e);
        if (s != INVALID_SOCKET) closesocket(s);
    }

    /* completion routine, run when this thread waits alertably */
    memset(&ov, 0, sizeof(ov));
    ret = WSAProviderConfigChange(&h, &ov, on_change);
    CHECK(ret == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "call with a completion routine pending");
    code = run_child("deinstall");
    CHECK(code == 0, "other process removed it: exit %lu", (unsigned long)code);
    for (i = 0; i < 100 && !routine_calls; i++) SleepEx(100, TRUE);
    CHECK(routine_calls == 1 && routine_ov == &ov && routine_error == 0, "completion routine called once (%ld)",
          routine_calls);
    CHECK(visible_test_entries() == 0, "the removal is seen too");

    /* synchronous call in a thread: returns only after a change */
    sync.handle = h;
    sync.ret = 12345;
    thread = CreateThread(NULL, 0, sync_waiter, &sync, 0, NULL);
    CHECK(WaitForSingleObject(thread, 500) == WAIT_TIMEOUT, "synchronous call blocks while nothing changes");
    code = run_child("install");
    CHECK(WaitForSingleObject(thread, 10000) == WAIT_OBJECT_0 && sync.ret == 0, "synchronous call returned 0 after the change");
    CloseHandle(thread);
    run_child("deinstall");
    CHECK(CloseHandle(h), "the notification handle is closed with CloseHandle");
    WSACleanup();
    return cat_done("catalog_change_e2e");
}
