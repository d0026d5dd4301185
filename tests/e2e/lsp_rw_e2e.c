/* lsp_rw_e2e.c - end-to-end test of ReadFile/WriteFile on the sockets of a non-IFS layered provider
 * (the tracing LSP, dlls/lsp_trace, installed over TCP/IPv4 without XP1_IFS_HANDLES): synchronous and
 * overlapped (event, completion port) ReadFile/WriteFile, the C runtime's _open_osfhandle + _read/
 * _write, ReadFile/WriteFile mixed with send/recv/WSASend/WSARecv in order, 1 MiB each way checked
 * byte by byte and by checksum, closesocket during a pending overlapped and a blocking ReadFile, and
 * the trace file proving that the layer's WSPRecv/WSPSend served them. The LSP is removed at the end
 * and the catalog's registry bytes compared with the ones before. One line per check; exit code 1 on
 * any failure.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_check.h"

#include <fcntl.h>
#include <io.h>

#define TRACE_KEY "Software\\openws2\\LspTrace"

static GUID rw_guid = { 0x6f70656e, 0x7773, 0x4c01, { 0x6c, 0x73, 0x70, 0x2d, 0x72, 0x77, 0x66, 0x01 } };
static WCHAR log_path[MAX_PATH];
static const WCHAR rw_procs[] = L"lsp_rw_e2e.exe\0";
static char pid_tag[32];

static DWORD install(void)
{
    lsp_install_chains_fn install_chains =
        (lsp_install_chains_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSCInstallProviderAndChains");
    WSAPROTOCOL_INFOW base;
    WCHAR path[MAX_PATH], name[] = L"openws2 trace LSP (ReadFile/WriteFile)";
    DWORD dummy = 0;
    int err = 0, r;

    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    if (!lsp_check(install_chains && lsp_base_tcp(AF_INET, &base), "WSCInstallProviderAndChains, base TCP/IPv4 entry"))
        return 0;
    r = install_chains(&rw_guid, path, name, base.dwServiceFlags1 & ~XP1_IFS_HANDLES, &base, 1, &dummy, &err);
    lsp_check(!r && dummy, "non-IFS LSP installed over TCP/IPv4 -> %d (error %d), layered entry %lu", r, r ? err : 0,
              (unsigned long)dummy);
    return r ? 0 : dummy;
}

static BOOL connected_pair(SOCKET *c, SOCKET *a)
{
    if (!lsp_connected_pair(AF_INET, c, a)) return FALSE;
    {
        /* The peer's receives give up after 10 s: data that never comes is a failure, not a hang. */
        DWORD ms = 10000;
        setsockopt(*a, SOL_SOCKET, SO_RCVTIMEO, (const char *)&ms, sizeof(ms));
    }
    return TRUE;
}

static BOOL layered(SOCKET s, DWORD dummy)
{
    WSAPROTOCOL_INFOW info;
    return lsp_sock_info(s, &info) && info.ProtocolChain.ChainLen >= 2 && info.ProtocolChain.ChainEntries[0] == dummy &&
           !(info.dwServiceFlags1 & XP1_IFS_HANDLES);
}

static void synchronous(SOCKET c, SOCKET a)
{
    char buf[64];
    DWORD n = 0;
    BOOL ok;

    lsp_check(GetFileType((HANDLE)c) == FILE_TYPE_PIPE, "GetFileType of the layered socket: %lu (FILE_TYPE_PIPE, as a "
              "socket's)", GetFileType((HANDLE)c));
    ok = WriteFile((HANDLE)c, "hello", 5, &n, NULL);
    lsp_check(ok && n == 5, "synchronous WriteFile -> %d, %lu bytes (error %lu)", ok, n, ok ? 0 : GetLastError());
    memset(buf, 0, sizeof(buf));
    lsp_check(lsp_recv_all(a, buf, 5) && !memcmp(buf, "hello", 5), "the peer received the WriteFile's bytes");
    lsp_check(lsp_send_all(a, "world!", 6), "the peer sent 6 bytes");
    n = 0;
    memset(buf, 0, sizeof(buf));
    ok = ReadFile((HANDLE)c, buf, sizeof(buf), &n, NULL);
    lsp_check(ok && n == 6 && !memcmp(buf, "world!", 6), "synchronous ReadFile -> %d, %lu bytes \"%.6s\" (error %lu)", ok,
              n, buf, ok ? 0 : GetLastError());
}

static void with_event(SOCKET c, SOCKET a)
{
    char buf[64] = { 0 };
    OVERLAPPED ov;
    DWORD n = 0;
    BOOL ok;

    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ok = ReadFile((HANDLE)c, buf, sizeof(buf), NULL, &ov);
    lsp_check(!ok && GetLastError() == ERROR_IO_PENDING, "overlapped ReadFile with nothing to read is pending (%d, error %lu)",
              ok, ok ? 0 : GetLastError());
    lsp_check(WaitForSingleObject(ov.hEvent, 200) == WAIT_TIMEOUT, "its event is not signalled before data arrives");
    lsp_send_all(a, "seven!!", 7);
    lsp_check(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "its event is signalled when 7 bytes arrive");
    ok = GetOverlappedResult((HANDLE)c, &ov, &n, FALSE);
    lsp_check(ok && n == 7 && !memcmp(buf, "seven!!", 7) && ov.Internal == 0 && ov.InternalHigh == 7,
              "GetOverlappedResult -> %d, %lu bytes (Internal %#lx InternalHigh %lu)", ok, n, (unsigned long)ov.Internal,
              (unsigned long)ov.InternalHigh);

    ResetEvent(ov.hEvent);
    ok = WriteFile((HANDLE)c, "overlapped write", 16, NULL, &ov);
    lsp_check(ok || GetLastError() == ERROR_IO_PENDING, "overlapped WriteFile -> %d (error %lu)", ok, ok ? 0 : GetLastError());
    lsp_check(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "its event is signalled");
    ok = GetOverlappedResult((HANDLE)c, &ov, &n, FALSE);
    lsp_check(ok && n == 16, "GetOverlappedResult -> %d, %lu bytes", ok, n);
    memset(buf, 0, sizeof(buf));
    lsp_check(lsp_recv_all(a, buf, 16) && !memcmp(buf, "overlapped write", 16), "the peer received them");
    CloseHandle(ov.hEvent);
}

static volatile LONG apc_bytes = -1, apc_error = -1;
static void CALLBACK read_done(DWORD error, DWORD bytes, OVERLAPPED *ov)
{
    (void)ov;
    apc_error = (LONG)error;
    apc_bytes = (LONG)bytes;
}

/* ReadFileEx: the completion routine runs as an APC in this thread when it waits alertably. */
static void with_apc(SOCKET c, SOCKET a)
{
    char buf[32] = { 0 };
    OVERLAPPED ov;
    BOOL ok;
    DWORD w;

    memset(&ov, 0, sizeof(ov));
    ok = ReadFileEx((HANDLE)c, buf, sizeof(buf), &ov, read_done);
    lsp_check(ok, "ReadFileEx started (error %lu)", ok ? 0 : GetLastError());
    lsp_check(SleepEx(100, TRUE) == 0 && apc_bytes == -1, "no completion routine before data arrives");
    lsp_send_all(a, "apc-nine!", 9);
    w = SleepEx(5000, TRUE);
    lsp_check(w == WAIT_IO_COMPLETION && apc_bytes == 9 && apc_error == 0 && !memcmp(buf, "apc-nine!", 9),
              "its completion routine ran in this thread: wait %lu, %ld bytes, error %ld", w, (long)apc_bytes,
              (long)apc_error);
}

static void with_port(SOCKET c, SOCKET a)
{
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0);
    char buf[64] = { 0 }, wbuf[64] = { 0 };
    OVERLAPPED rov, wov, *got = NULL;
    WSAOVERLAPPED sov;
    WSABUF wb;
    ULONG_PTR key = 0;
    DWORD n = 0, flags = 0;
    BOOL ok;
    int r;

    lsp_check(port && CreateIoCompletionPort((HANDLE)c, port, 77, 0) == port, "the layered socket is associated with a "
              "completion port");
    memset(&rov, 0, sizeof(rov));
    memset(&wov, 0, sizeof(wov));
    ok = ReadFile((HANDLE)c, buf, sizeof(buf), NULL, &rov);
    lsp_check(!ok && GetLastError() == ERROR_IO_PENDING, "overlapped ReadFile pending (%d, error %lu)", ok,
              ok ? 0 : GetLastError());
    lsp_send_all(a, "port:11byte", 11);
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 5000);
    lsp_check(ok && got == &rov && key == 77 && n == 11 && !memcmp(buf, "port:11byte", 11),
              "the ReadFile's packet: %d, %lu bytes, key %lu, %s OVERLAPPED", ok, n, (unsigned long)key,
              got == &rov ? "its" : "another");

    memcpy(wbuf, "written through the port", 24);
    ok = WriteFile((HANDLE)c, wbuf, 24, NULL, &wov);
    lsp_check(ok || GetLastError() == ERROR_IO_PENDING, "overlapped WriteFile (%d, error %lu)", ok, ok ? 0 : GetLastError());
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 5000);
    lsp_check(ok && got == &wov && key == 77 && n == 24, "the WriteFile's packet: %d, %lu bytes, key %lu", ok, n,
              (unsigned long)key);
    memset(buf, 0, sizeof(buf));
    lsp_check(lsp_recv_all(a, buf, 24) && !memcmp(buf, wbuf, 24), "the peer received them");

    /* A WSARecv on the same port still gets its exact count (WPUCompleteOverlappedRequest). */
    memset(&sov, 0, sizeof(sov));
    wb.buf = buf;
    wb.len = sizeof(buf);
    r = WSARecv(c, &wb, 1, NULL, &flags, &sov, NULL);
    lsp_check(r == 0 || WSAGetLastError() == WSA_IO_PENDING, "WSARecv on the same socket (%d, error %d)", r,
              r ? WSAGetLastError() : 0);
    lsp_send_all(a, "thirteen-byte", 13);
    ok = GetQueuedCompletionStatus(port, &n, &key, &got, 5000);
    lsp_check(ok && got == (OVERLAPPED *)&sov && n == 13 && key == 77, "the WSARecv's packet: %d, %lu bytes", ok, n);
    CloseHandle(port);
}

/* ReadFile/WriteFile and the Winsock calls in turn on one socket: nothing lost, nothing reordered. */
static void mixed(SOCKET c, SOCKET a)
{
    static const char expect[] = "A1B22C333D4444E55555";
    char buf[64] = { 0 };
    WSABUF wb;
    DWORD n = 0, flags = 0;
    int r;

    WriteFile((HANDLE)c, "A1", 2, &n, NULL);
    send(c, "B22", 3, 0);
    WriteFile((HANDLE)c, "C333", 4, &n, NULL);
    wb.buf = (char *)"D4444";
    wb.len = 5;
    WSASend(c, &wb, 1, &n, 0, NULL, NULL);
    WriteFile((HANDLE)c, "E55555", 6, &n, NULL);
    lsp_check(lsp_recv_all(a, buf, 20) && !memcmp(buf, expect, 20), "WriteFile/send/WSASend in turn arrive in order: "
              "\"%.20s\"", buf);

    lsp_send_all(a, "0123456789abcdefghij", 20);
    memset(buf, 0, sizeof(buf));
    r = lsp_recv_all(c, buf, 3);
    n = 0;
    ReadFile((HANDLE)c, buf + 3, 4, &n, NULL);
    wb.buf = buf + 7;
    wb.len = 5;
    WSARecv(c, &wb, 1, &n, &flags, NULL, NULL);
    n = 0;
    ReadFile((HANDLE)c, buf + 12, 8, &n, NULL);
    lsp_check(r && !memcmp(buf, "0123456789abcdefghij", 20), "recv/ReadFile/WSARecv/ReadFile in turn read in order: "
              "\"%.20s\"", buf);

    /* The C runtime over the socket's handle. */
    {
        int fd = _open_osfhandle((intptr_t)c, _O_BINARY);
        int w = -1, rd = -1;
        memset(buf, 0, sizeof(buf));
        if (fd >= 0) w = _write(fd, "crt-write", 9);
        lsp_check(fd >= 0 && w == 9 && lsp_recv_all(a, buf, 9) && !memcmp(buf, "crt-write", 9),
                  "_open_osfhandle + _write: fd %d, %d bytes", fd, w);
        lsp_send_all(a, "crt-read", 8);
        memset(buf, 0, sizeof(buf));
        if (fd >= 0) rd = _read(fd, buf, 8);
        lsp_check(rd == 8 && !memcmp(buf, "crt-read", 8), "_read: %d bytes \"%.8s\"", rd, buf);
        /* The descriptor is not closed: _close would close the handle behind closesocket's back. */
    }
}

/* ---- 1 MiB each way ---- */
#define BIG (1u << 20)

static unsigned char pattern(unsigned i)
{
    return (unsigned char)((i * 2654435761u) >> 13);
}

static unsigned long long checksum(const unsigned char *p, unsigned n)
{
    unsigned long long h = 1469598103934665603ull;
    unsigned i;
    for (i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

struct sender
{
    SOCKET s;
    const unsigned char *data;
    BOOL ok;
};

static DWORD WINAPI send_thread(void *param)
{
    struct sender *sd = param;
    sd->ok = lsp_send_all(sd->s, (const char *)sd->data, BIG);
    return 0;
}

static void big(void)
{
    SOCKET c, a;
    unsigned char *data = malloc(BIG), *got = calloc(1, BIG);
    HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 0), t;
    struct sender sd;
    unsigned i, total = 0;
    DWORD n = 0;
    BOOL ok = TRUE;

    if (!lsp_check(data && got && port && connected_pair(&c, &a), "a connected pair for 1 MiB each way")) return;
    for (i = 0; i < BIG; i++) data[i] = pattern(i);

    /* In: the peer sends 1 MiB, overlapped ReadFiles of 64 KiB through a completion port read it. */
    sd.s = a;
    sd.data = data;
    sd.ok = FALSE;
    CreateIoCompletionPort((HANDLE)c, port, 5, 0);
    t = CreateThread(NULL, 0, send_thread, &sd, 0, NULL);
    while (ok && total < BIG)
    {
        OVERLAPPED ov, *done = NULL;
        ULONG_PTR key = 0;
        memset(&ov, 0, sizeof(ov));
        ok = ReadFile((HANDLE)c, got + total, BIG - total < 65536 ? BIG - total : 65536, NULL, &ov) ||
             GetLastError() == ERROR_IO_PENDING;
        if (ok) ok = GetQueuedCompletionStatus(port, &n, &key, &done, 10000) && done == &ov && n > 0;
        if (ok) total += n;
    }
    WaitForSingleObject(t, 30000);
    CloseHandle(t);
    lsp_check(ok && total == BIG && sd.ok && !memcmp(got, data, BIG) && checksum(got, BIG) == checksum(data, BIG),
              "1 MiB in by overlapped ReadFile through a completion port, byte for byte (%u bytes, checksum %016llx)",
              total, checksum(got, BIG));

    /* Out: one 1 MiB synchronous WriteFile, the peer receives it. */
    memset(got, 0, BIG);
    sd.s = c;
    sd.ok = FALSE;
    {
        /* The port is associated: a synchronous WriteFile still waits for its own result. */
        n = 0;
        ok = WriteFile((HANDLE)c, data, BIG, &n, NULL);
        ok = ok && n == BIG;
    }
    lsp_check(ok, "one synchronous 1 MiB WriteFile -> %lu bytes", n);
    lsp_check(lsp_recv_all(a, (char *)got, BIG) && !memcmp(got, data, BIG) && checksum(got, BIG) == checksum(data, BIG),
              "the peer received the 1 MiB byte for byte (checksum %016llx)", checksum(got, BIG));
    {
        /* The synchronous WriteFile's own packet (a socket's I/O posts to its port). */
        OVERLAPPED *done = NULL;
        ULONG_PTR key;
        while (GetQueuedCompletionStatus(port, &n, &key, &done, 0)) {}
    }
    CloseHandle(port);
    closesocket(c);
    closesocket(a);
    free(data);
    free(got);
}

/* ---- closesocket during a pending ReadFile ---- */

static DWORD close_error = 1;

struct blocked
{
    SOCKET s;
    BOOL ok;
    DWORD error, n;
};

static DWORD WINAPI blocked_read(void *param)
{
    struct blocked *b = param;
    char buf[16];
    b->ok = ReadFile((HANDLE)b->s, buf, sizeof(buf), &b->n, NULL);
    b->error = b->ok ? 0 : GetLastError();
    return 0;
}

static void close_pending(void)
{
    SOCKET c, a;
    OVERLAPPED ov;
    char buf[16];
    DWORD n = 0, err;
    BOOL ok;
    struct blocked b;
    HANDLE t;

    if (!lsp_check(connected_pair(&c, &a), "a second connected pair")) return;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = CreateEventW(NULL, TRUE, FALSE, NULL);
    ok = ReadFile((HANDLE)c, buf, sizeof(buf), NULL, &ov);
    lsp_check(!ok && GetLastError() == ERROR_IO_PENDING, "overlapped ReadFile pending before closesocket");
    Sleep(100);
    lsp_check(closesocket(c) == 0, "closesocket with the ReadFile pending");
    lsp_check(WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0, "the pending ReadFile ended");
    ok = GetOverlappedResult((HANDLE)c, &ov, &n, FALSE);
    err = ok ? 0 : GetLastError();
    /* The request fails with the error the layer reports for its aborted WSPRecv (the tracing LSP
     * passes on what its lower socket answers once closed), checked against its trace below. */
    close_error = err;
    lsp_check(!ok && ov.Internal != 0 && n == 0 && err != 0,
              "it failed: GetOverlappedResult -> %d, error %lu, Internal %#lx, %lu bytes", ok, err,
              (unsigned long)ov.Internal, n);
    CloseHandle(ov.hEvent);
    closesocket(a);

    if (!lsp_check(connected_pair(&c, &a), "a third connected pair")) return;
    memset(&b, 0, sizeof(b));
    b.s = c;
    t = CreateThread(NULL, 0, blocked_read, &b, 0, NULL);
    lsp_check(WaitForSingleObject(t, 300) == WAIT_TIMEOUT, "a synchronous ReadFile blocks in another thread");
    closesocket(c);
    lsp_check(WaitForSingleObject(t, 5000) == WAIT_OBJECT_0 && !b.ok && b.error == close_error,
              "closesocket ends it: %d, error %lu (as the overlapped one's)", b.ok, b.error);
    CloseHandle(t);
    closesocket(a);
}

/* The layer's own trace shows its WSPSend/WSPRecv served sizes only ReadFile/WriteFile used. */
static void check_log(void)
{
    char *log = lsp_read_file(log_path, NULL);
    char send_len[32];

    if (!lsp_check(log != NULL, "trace file written")) return;
    snprintf(send_len, sizeof(send_len), "len %u ", BIG);
    lsp_check(lsp_count_lines(log, pid_tag, "WSPSend(", send_len, " ov ", NULL) >= 1,
              "the layer's overlapped WSPSend carried the 1 MiB WriteFile (%d lines)",
              lsp_count_lines(log, pid_tag, "WSPSend(", send_len, " ov ", NULL));
    lsp_check(lsp_count_lines(log, pid_tag, "WSPSend(", "len 24 ", " ov ", NULL) >= 1 &&
                  lsp_count_lines(log, pid_tag, "WSPSend(", "completed: bytes=24 ", NULL) >= 1,
              "the layer's WSPSend served the port WriteFile (24 bytes)");
    lsp_check(lsp_count_lines(log, pid_tag, "WSPRecv(", "completed: bytes=11 ", NULL) >= 1,
              "the layer's WSPRecv served the port ReadFile (11 bytes)");
    lsp_check(lsp_count_lines(log, pid_tag, "WSPRecv(", "completed: bytes=7 ", NULL) >= 1,
              "the layer's WSPRecv served the event ReadFile (7 bytes)");
    lsp_check(lsp_count_lines(log, pid_tag, "WSPRecv(", "len 65536 ", " ov ", NULL) >= 1,
              "the layer's WSPRecv served the 64 KiB ReadFiles (%d lines)",
              lsp_count_lines(log, pid_tag, "WSPRecv(", "len 65536 ", " ov ", NULL));
    {
        char err_tag[32];
        /* ReadFile reports the layer's own error: WSA_OPERATION_ABORTED becomes ERROR_OPERATION_ABORTED
         * (STATUS_CANCELLED), any other WSA error stays itself. */
        snprintf(err_tag, sizeof(err_tag), "err=%lu", close_error == ERROR_OPERATION_ABORTED ? 995ul : close_error);
        lsp_check(lsp_count_lines(log, pid_tag, "WSPRecv(", "completed: bytes=0 ", err_tag, NULL) >= 2,
                  "the layer completed both aborted ReadFiles with that error (%s: %d lines)", err_tag,
                  lsp_count_lines(log, pid_tag, "WSPRecv(", "completed: bytes=0 ", err_tag, NULL));
    }
    free(log);
}

int main(void)
{
    WSADATA wsa;
    struct lsp_dump before, after;
    SOCKET c, a;
    DWORD dummy;
    int err;

    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(pid_tag, sizeof(pid_tag), "pid=%lu ", GetCurrentProcessId());
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    lsp_remove_by_guid(&rw_guid); /* a previous run's leftovers */
    before = lsp_catalog_dump();
    lsp_check(lsp_trace_configure(L"lsp_rw_e2e.log", rw_procs, sizeof(rw_procs), log_path), "HKLM\\%s configured", TRACE_KEY);
    if ((dummy = install()))
    {
        if (lsp_check(connected_pair(&c, &a), "connected TCP/IPv4 pair through the LSP") &&
            lsp_check(layered(c, dummy) && layered(a, dummy), "both ends are the non-IFS layer's sockets"))
        {
            synchronous(c, a);
            with_event(c, a);
            with_apc(c, a);
            with_port(c, a);
            mixed(c, a);
            closesocket(c);
            closesocket(a);
        }
        big();
        close_pending();
        check_log();
    }
    err = lsp_remove_by_guid(&rw_guid);
    lsp_check(!err, "WSCDeinstallProvider, hidden entry then its chain (error %d)", err);
    after = lsp_catalog_dump();
    lsp_check(before.len == after.len && !memcmp(before.data, after.data, before.len),
              "the catalog's registry bytes are back as before (%lu / %lu bytes)", (unsigned long)before.len,
              (unsigned long)after.len);
    WSACleanup();
    printf("%d failure(s)\n", lsp_failures);
    return lsp_failures ? 1 : 0;
}
