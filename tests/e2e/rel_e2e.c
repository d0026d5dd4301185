/* rel_e2e.c - reliability end-to-end program (docs/RELIABILITY.md, issue 12 items 1, 5, 6), run under
 * Wine with openws2's ws2_32:
 *   soak N [lsp]  N socket create/close cycles, N loopback TCP connect/accept/send/recv/close cycles
 *                 (every byte checked) and N getaddrinfo calls ("localhost", "127.0.0.1", a name of a
 *                 test hosts file), after a warm-up; the process's handle count and private bytes
 *                 before and after must not grow beyond REL_HANDLE_BOUND / REL_PRIVATE_BOUND. With
 *                 "lsp" the tracing LSP (dlls/lsp_trace) is installed over TCP/IPv4 first.
 *   conc          threads doing recv/send/select/WSAPoll/overlapped WSARecv on shared sockets while
 *                 the main thread closes them (also through the tracing LSP); the tracing LSP
 *                 installed and removed while threads create sockets; a provider call blocked
 *                 forever (tests/providers/tp_fault.c, TP_FAULT=block) while other threads use
 *                 openws2afd sockets. A watchdog fails the
 *                 run when a step takes longer than REL_STEP_MS.
 *   fault         tp_fault.dll's garbage (out-of-range and unset error codes, sockets no upcall made,
 *                 a table with holes, table members cleared after startup): each call must fail
 *                 with a WSA error and nothing may crash.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_check.h"
#include <psapi.h>
#include <winternl.h>

#define REL_HANDLE_BOUND 16                     /* handles more after the run than after the warm-up */
#define REL_PRIVATE_BOUND (2 * 1024 * 1024)     /* private bytes more after the run */
#define REL_STEP_MS 20000                       /* the watchdog's limit for one step */
#define TP_FAULT_PROTO 249

static GUID rel_lsp_guid = { 0x6f70656e, 0x7773, 0x4c01, { 0x72, 0x65, 0x6c, 0x2d, 0x6c, 0x73, 0x70, 0x01 } };
static GUID fault_guid = { 0x6f70656e, 0x7773, 0x4c01, { 0x72, 0x65, 0x6c, 0x2d, 0x66, 0x6c, 0x74, 0x01 } };

/* ---- measuring the process ---- */

/* SystemHandleInformation (16): every handle of the system, with its owner's process id. */
struct rel_handle_entry
{
    ULONG pid;
    BYTE type, flags;
    USHORT handle;
    PVOID object;
    ACCESS_MASK access;
};
struct rel_handle_info
{
    ULONG count;
    struct rel_handle_entry h[1];
};
typedef NTSTATUS (NTAPI *rel_ntqsi_fn)(ULONG, PVOID, ULONG, PULONG);

static const char *handle_method = "none";

/* The process's handle count: GetProcessHandleCount when it answers (not under Wine 8, which says 0),
 * else the entries of NtQuerySystemInformation(SystemHandleInformation) owned by this process. */
static long handle_count(void)
{
    DWORD n = 0;
    static rel_ntqsi_fn ntqsi;
    static ULONG size = 1 << 20;
    struct rel_handle_info *info;
    ULONG i, got = 0, pid = GetCurrentProcessId();
    long count = 0;
    NTSTATUS st;

    if (GetProcessHandleCount(GetCurrentProcess(), &n) && n)
    {
        handle_method = "GetProcessHandleCount";
        return (long)n;
    }
    if (!ntqsi) ntqsi = (rel_ntqsi_fn)(void *)GetProcAddress(GetModuleHandleA("ntdll.dll"), "NtQuerySystemInformation");
    if (!ntqsi) return -1;
    for (;;)
    {
        if (!(info = malloc(size))) return -1;
        st = ntqsi(16, info, size, &got);
        if (st != (NTSTATUS)0xC0000004L) break; /* STATUS_INFO_LENGTH_MISMATCH */
        free(info);
        size *= 2;
        if (size > (64u << 20)) return -1;
    }
    if (st)
    {
        free(info);
        return -1;
    }
    for (i = 0; i < info->count; i++) count += info->h[i].pid == pid;
    free(info);
    handle_method = "NtQuerySystemInformation(SystemHandleInformation)";
    return count;
}

/* The value of a freshly made handle (the lowest free slot of the handle table): a second measure. */
static unsigned long probe_handle(void)
{
    HANDLE h = CreateEventW(NULL, FALSE, FALSE, NULL);
    unsigned long v = (unsigned long)(ULONG_PTR)h;
    CloseHandle(h);
    return v;
}

/* Private bytes: the committed private memory of the process, summed over VirtualQuery's regions
 * (MEM_COMMIT and MEM_PRIVATE; the process heaps are in it). Under Wine 8 K32GetProcessMemoryInfo
 * leaves PrivateUsage 0, so its PagefileUsage (Wine: the Unix process's anonymous resident memory) is
 * only reported beside it. */
static SIZE_T private_bytes(void)
{
    MEMORY_BASIC_INFORMATION mbi;
    const char *p = NULL;
    SIZE_T sum = 0;

    while (VirtualQuery(p, &mbi, sizeof(mbi)) == sizeof(mbi))
    {
        if (mbi.State == MEM_COMMIT && mbi.Type == MEM_PRIVATE) sum += mbi.RegionSize;
        if ((const char *)mbi.BaseAddress + mbi.RegionSize <= p) break;
        p = (const char *)mbi.BaseAddress + mbi.RegionSize;
    }
    return sum;
}

static SIZE_T pagefile_usage(void)
{
    PROCESS_MEMORY_COUNTERS_EX pmc;
    memset(&pmc, 0, sizeof(pmc));
    pmc.cb = sizeof(pmc);
    if (!K32GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof(pmc))) return 0;
    return pmc.PrivateUsage ? pmc.PrivateUsage : pmc.PagefileUsage;
}

struct rel_mark
{
    long handles;
    unsigned long probe;
    SIZE_T priv, pagefile;
    DWORD tick;
};

static struct rel_mark mark(void)
{
    struct rel_mark m;
    m.handles = handle_count();
    m.probe = probe_handle();
    m.priv = private_bytes();
    m.pagefile = pagefile_usage();
    m.tick = GetTickCount();
    return m;
}

static void check_growth(const char *what, unsigned long n, struct rel_mark a, struct rel_mark b)
{
    long long dp = (long long)b.priv - (long long)a.priv;
    lsp_check(a.handles >= 0 && b.handles - a.handles <= REL_HANDLE_BOUND,
              "%s x%lu: handles %ld -> %ld (%s; bound +%d), probe handle %#lx -> %#lx", what, n, a.handles,
              b.handles, handle_method, REL_HANDLE_BOUND, a.probe, b.probe);
    lsp_check(a.priv && dp <= REL_PRIVATE_BOUND, "%s x%lu: private bytes %lu -> %lu (%+lld; bound +%d), %lu ms", what,
              n, (unsigned long)a.priv, (unsigned long)b.priv, dp, REL_PRIVATE_BOUND,
              (unsigned long)(b.tick - a.tick));
    printf("FIGURE %s n=%lu handles_before=%ld handles_after=%ld private_before=%lu private_after=%lu "
           "k32_pagefile_before=%lu k32_pagefile_after=%lu ms=%lu\n", what, n, a.handles, b.handles,
           (unsigned long)a.priv, (unsigned long)b.priv, (unsigned long)a.pagefile, (unsigned long)b.pagefile,
           (unsigned long)(b.tick - a.tick));
}

/* ---- the tracing LSP over TCP/IPv4 ---- */

static void remove_rel_lsp(void)
{
    int n, i, err;
    WSAPROTOCOL_INFOW *cat = lsp_catalog(&n);
    DWORD id = 0;
    for (i = 0; i < n; i++)
        if (!memcmp(&cat[i].ProviderId, &rel_lsp_guid, sizeof(GUID))) id = cat[i].dwCatalogEntryId;
    if (id)
    {
        WSCDeinstallProvider(&rel_lsp_guid, &err);
        for (i = 0; i < n; i++)
            if (cat[i].ProtocolChain.ChainLen > 1 && cat[i].ProtocolChain.ChainEntries[0] == id)
                WSCDeinstallProvider(&cat[i].ProviderId, &err);
    }
    free(cat);
}

static DWORD install_rel_lsp(void)
{
    lsp_install_chains_fn install_chains =
        (lsp_install_chains_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSCInstallProviderAndChains");
    WSAPROTOCOL_INFOW base;
    WCHAR path[MAX_PATH], name[] = L"openws2 reliability trace LSP";
    DWORD id = 0;
    int err = 0;

    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    if (!install_chains || !lsp_base_tcp(AF_INET, &base)) return 0;
    if (install_chains(&rel_lsp_guid, path, name, base.dwServiceFlags1 & ~XP1_IFS_HANDLES, &base, 1, &id, &err))
        return 0;
    return id;
}

/* ---- soak ---- */

static unsigned char pat(unsigned long cycle, int i)
{
    return (unsigned char)(cycle * 131u + (unsigned)i * 7u + 1u);
}

static int socket_cycles(unsigned long n)
{
    unsigned long i;
    int bad = 0;
    for (i = 0; i < n; i++)
    {
        SOCKET s = socket(AF_INET, (i & 1) ? SOCK_DGRAM : SOCK_STREAM, 0);
        if (s == INVALID_SOCKET || closesocket(s)) bad++;
    }
    return bad;
}

static int tcp_cycles(unsigned long n, BOOL want_layered)
{
    struct sockaddr_storage addr;
    int len, bad = 0, k;
    unsigned long i;
    SOCKET l = lsp_listener(AF_INET, &addr, &len);
    char out[256], in[256];

    if (l == INVALID_SOCKET) return -1;
    for (i = 0; i < n; i++)
    {
        SOCKET c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), a = INVALID_SOCKET;
        BOOL ok = c != INVALID_SOCKET;
        int size = 1 + (int)(i % sizeof(out));
        for (k = 0; k < size; k++) out[k] = (char)pat(i, k);
        if (ok && want_layered && i % 1000 == 0)
        {
            WSAPROTOCOL_INFOW info;
            ok = lsp_sock_info(c, &info) && info.ProtocolChain.ChainLen > 1;
        }
        ok = ok && !connect(c, (struct sockaddr *)&addr, len);
        ok = ok && (a = accept(l, NULL, NULL)) != INVALID_SOCKET;
        ok = ok && lsp_send_all(c, out, size) && lsp_recv_all(a, in, size) && !memcmp(in, out, size);
        /* and back, then an orderly close seen by the peer */
        ok = ok && lsp_send_all(a, in, size) && lsp_recv_all(c, out, size) && !memcmp(in, out, size);
        ok = ok && !shutdown(c, SD_SEND) && recv(a, in, 1, 0) == 0;
        if (c != INVALID_SOCKET) closesocket(c);
        if (a != INVALID_SOCKET) closesocket(a);
        if (!ok && bad++ < 5) printf("tcp cycle %lu failed (error %d)\n", i, WSAGetLastError());
    }
    closesocket(l);
    return bad;
}

static const char soak_hosts[] = "# openws2 reliability test hosts file\n"
                                 "127.0.0.1 localhost\n"
                                 "::1 localhost\n"
                                 "127.0.0.2 soakhost.test.example\n";

static int gai_cycles(unsigned long n)
{
    static const char *const names[] = { "localhost", "127.0.0.1", "soakhost.test.example" };
    unsigned long i;
    int bad = 0;
    for (i = 0; i < n; i++)
    {
        struct addrinfo hints, *res = NULL, *p;
        int which = (int)(i % 3), err, found = 0;
        memset(&hints, 0, sizeof(hints));
        hints.ai_family = AF_INET;
        hints.ai_socktype = SOCK_STREAM;
        err = getaddrinfo(names[which], "80", &hints, &res);
        for (p = res; p; p = p->ai_next)
        {
            const struct sockaddr_in *in = (const struct sockaddr_in *)p->ai_addr;
            if (p->ai_family == AF_INET &&
                in->sin_addr.s_addr == htonl(which == 2 ? 0x7f000002 : 0x7f000001) && in->sin_port == htons(80))
                found = 1;
        }
        if (res) freeaddrinfo(res);
        if ((err || !found) && bad++ < 5) printf("getaddrinfo(%s) -> %d, expected address %s\n", names[which], err,
                                                  found ? "found" : "missing");
    }
    return bad;
}

static char hosts_path[MAX_PATH];
static char *hosts_saved;
static DWORD hosts_saved_len;

static BOOL write_file(const char *path, const char *data, DWORD len)
{
    HANDLE f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    DWORD done = 0;
    BOOL ok;
    if (f == INVALID_HANDLE_VALUE) return FALSE;
    ok = WriteFile(f, data, len, &done, NULL) && done == len;
    CloseHandle(f);
    return ok;
}

static BOOL install_hosts(void)
{
    WCHAR w[MAX_PATH];
    size_t len = 0;
    UINT n = GetSystemDirectoryA(hosts_path, MAX_PATH);
    if (!n || n + 20 >= MAX_PATH) return FALSE;
    strcat(hosts_path, "\\drivers\\etc\\hosts");
    MultiByteToWideChar(CP_ACP, 0, hosts_path, -1, w, MAX_PATH);
    hosts_saved = lsp_read_file(w, &len);
    hosts_saved_len = (DWORD)len;
    if (!write_file(hosts_path, soak_hosts, sizeof(soak_hosts) - 1)) return FALSE;
    Sleep(1200); /* the namespace provider rechecks its files about once a second */
    return TRUE;
}

static void restore_hosts(void)
{
    if (!hosts_path[0]) return;
    if (hosts_saved) write_file(hosts_path, hosts_saved, hosts_saved_len);
    else DeleteFileA(hosts_path);
    free(hosts_saved);
    hosts_saved = NULL;
}

static void soak(unsigned long n, BOOL lsp)
{
    unsigned long warm = n / 10 < 200 ? 200 : n / 10;
    struct rel_mark a, b;
    struct lsp_dump before = { NULL, 0, 0 }, after;
    int bad;
    const char *tag = lsp ? " (tracing LSP)" : "";
    char what[64];

    if (lsp)
    {
        remove_rel_lsp();
        before = lsp_catalog_dump();
        if (!lsp_check(install_rel_lsp() != 0, "tracing LSP installed over TCP/IPv4")) return;
    }
    lsp_check(install_hosts(), "test hosts file written");

    snprintf(what, sizeof(what), "socket create/close%s", tag);
    socket_cycles(warm);
    a = mark();
    bad = socket_cycles(n);
    b = mark();
    lsp_check(!bad, "%s: %lu cycles, %d failed", what, n, bad);
    check_growth(what, n, a, b);

    snprintf(what, sizeof(what), "tcp connect/accept/send/recv/close%s", tag);
    tcp_cycles(warm, lsp);
    a = mark();
    bad = tcp_cycles(n, lsp);
    b = mark();
    lsp_check(!bad, "%s: %lu cycles, every byte checked, %d failed", what, n, bad);
    check_growth(what, n, a, b);

    snprintf(what, sizeof(what), "getaddrinfo%s", tag);
    gai_cycles(warm);
    a = mark();
    bad = gai_cycles(n);
    b = mark();
    lsp_check(!bad, "%s: %lu calls (localhost, numeric, hosts file name), %d failed", what, n, bad);
    check_growth(what, n, a, b);

    restore_hosts();
    if (lsp)
    {
        remove_rel_lsp();
        after = lsp_catalog_dump();
        lsp_check(before.len == after.len && !memcmp(before.data, after.data, before.len),
                  "tracing LSP removed, catalog restored");
        free(before.data);
        free(after.data);
    }
}

/* ---- watchdog ---- */

static volatile LONG watch_armed;
static volatile LONG watch_deadline;
static const char *volatile watch_step = "";

static DWORD WINAPI watchdog(void *param)
{
    (void)param;
    for (;;)
    {
        Sleep(250);
        if (watch_armed && (LONG)(GetTickCount() - (DWORD)watch_deadline) > 0)
        {
            printf("FAIL: watchdog: step \"%s\" still running after %d ms\n", watch_step, REL_STEP_MS);
            fflush(stdout);
            TerminateProcess(GetCurrentProcess(), 3);
        }
    }
    return 0;
}

static void step(const char *name)
{
    watch_step = name;
    watch_deadline = (LONG)(GetTickCount() + REL_STEP_MS);
    watch_armed = 1;
}

/* Waits for threads; FALSE (and a FAIL line) when they do not all end within ms. */
static BOOL join(HANDLE *t, int n, DWORD ms, const char *what)
{
    DWORD r = WaitForMultipleObjects((DWORD)n, t, TRUE, ms);
    int i;
    lsp_check(r < WAIT_OBJECT_0 + (DWORD)n, "%s: all %d threads ended (wait %#lx)", what, n, (unsigned long)r);
    for (i = 0; i < n; i++) CloseHandle(t[i]);
    return r < WAIT_OBJECT_0 + (DWORD)n;
}

/* ---- concurrency: I/O on sockets other threads close ---- */

struct shared
{
    SOCKET c, a;
    volatile LONG stop;
    volatile LONG calls, errors;
};

static DWORD WINAPI t_recv(void *p)
{
    struct shared *s = p;
    char buf[512];
    while (!s->stop)
    {
        int r = recv(s->a, buf, sizeof(buf), 0);
        InterlockedIncrement(&s->calls);
        if (r <= 0)
        {
            InterlockedIncrement(&s->errors);
            break;
        }
    }
    return 0;
}

static DWORD WINAPI t_send(void *p)
{
    struct shared *s = p;
    char buf[256];
    memset(buf, 'x', sizeof(buf));
    while (!s->stop)
    {
        InterlockedIncrement(&s->calls);
        if (send(s->c, buf, sizeof(buf), 0) <= 0)
        {
            InterlockedIncrement(&s->errors);
            break;
        }
    }
    return 0;
}

static DWORD WINAPI t_select(void *p)
{
    struct shared *s = p;
    while (!s->stop)
    {
        fd_set r, e;
        struct timeval tv = { 0, 20000 };
        FD_ZERO(&r);
        FD_ZERO(&e);
        FD_SET(s->a, &r);
        FD_SET(s->c, &r);
        FD_SET(s->a, &e);
        InterlockedIncrement(&s->calls);
        if (select(0, &r, NULL, &e, &tv) < 0) InterlockedIncrement(&s->errors);
    }
    return 0;
}

static DWORD WINAPI t_poll(void *p)
{
    struct shared *s = p;
    while (!s->stop)
    {
        WSAPOLLFD fds[2];
        fds[0].fd = s->a;
        fds[0].events = POLLRDNORM;
        fds[1].fd = s->c;
        fds[1].events = POLLRDNORM | POLLWRNORM;
        fds[0].revents = fds[1].revents = 0;
        InterlockedIncrement(&s->calls);
        if (WSAPoll(fds, 2, 20) < 0) InterlockedIncrement(&s->errors);
    }
    return 0;
}

static DWORD WINAPI t_overlapped(void *p)
{
    struct shared *s = p;
    char buf[512];
    while (!s->stop)
    {
        WSAOVERLAPPED ov;
        WSABUF b;
        DWORD got = 0, flags = 0;
        int r;
        memset(&ov, 0, sizeof(ov));
        ov.hEvent = WSACreateEvent();
        b.buf = buf;
        b.len = sizeof(buf);
        InterlockedIncrement(&s->calls);
        r = WSARecv(s->c, &b, 1, &got, &flags, &ov, NULL);
        if (r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING)
        {
            /* the pending request must complete (with an error) once the socket is closed */
            if (WaitForSingleObject(ov.hEvent, REL_STEP_MS / 2) != WAIT_OBJECT_0) InterlockedAdd(&s->errors, 1000000);
            WSAGetOverlappedResult(s->c, &ov, &got, FALSE, &flags);
        }
        WSACloseEvent(ov.hEvent);
        if (r == SOCKET_ERROR && WSAGetLastError() != WSA_IO_PENDING) break;
    }
    return 0;
}

static void close_under_io(int rounds, const char *what)
{
    int round;
    struct rel_mark a = { 0, 0, 0, 0, 0 }, b;
    LONG calls = 0;
    BOOL all = TRUE;

    for (round = 0; round < rounds && all; round++)
    {
        static LPTHREAD_START_ROUTINE fns[] = { t_recv, t_send, t_select, t_poll, t_overlapped, t_select, t_poll };
        struct shared s;
        struct sockaddr_storage addr;
        int len, i;
        HANDLE t[7];
        SOCKET l = lsp_listener(AF_INET, &addr, &len);

        if (round == 1) a = mark(); /* after the first round as warm-up */
        memset(&s, 0, sizeof(s));
        s.c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (connect(s.c, (struct sockaddr *)&addr, len) || (s.a = accept(l, NULL, NULL)) == INVALID_SOCKET)
        {
            lsp_check(FALSE, "round %d: connected pair (error %d)", round, WSAGetLastError());
            return;
        }
        closesocket(l);
        for (i = 0; i < 7; i++) t[i] = CreateThread(NULL, 0, fns[i], &s, 0, NULL);
        Sleep(30 + round % 20);
        /* close both ends under the threads' feet; the blocked recv / pending WSARecv must end */
        closesocket(s.a);
        closesocket(s.c);
        Sleep(20);
        s.stop = 1;
        all = join(t, 7, REL_STEP_MS / 2, "I/O threads after closesocket");
        calls += s.calls;
        lsp_check(s.errors < 1000000, "round %d: every pending overlapped WSARecv completed after closesocket", round);
    }
    b = mark();
    printf("%s: %d rounds, %ld calls\n", what, rounds, (long)calls);
    check_growth(what, (unsigned long)rounds, a, b);
}

/* ---- concurrency: catalog changes while sockets are made ---- */

static volatile LONG cat_stop, cat_made, cat_failed, cat_layered;

static DWORD WINAPI t_create(void *p)
{
    (void)p;
    while (!cat_stop)
    {
        SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
        if (s == INVALID_SOCKET)
        {
            InterlockedIncrement(&cat_failed);
            continue;
        }
        {
            WSAPROTOCOL_INFOW info;
            if (lsp_sock_info(s, &info) && info.ProtocolChain.ChainLen > 1) InterlockedIncrement(&cat_layered);
        }
        InterlockedIncrement(&cat_made);
        if (closesocket(s)) InterlockedIncrement(&cat_failed);
    }
    return 0;
}

static void catalog_under_sockets(int changes)
{
    HANDLE t[3];
    int i, installed = 0;
    struct lsp_dump before, after;
    struct rel_mark a, b;

    remove_rel_lsp();
    before = lsp_catalog_dump();
    a = mark();
    for (i = 0; i < 3; i++) t[i] = CreateThread(NULL, 0, t_create, NULL, 0, NULL);
    for (i = 0; i < changes; i++)
    {
        installed += install_rel_lsp() != 0;
        Sleep(40);
        remove_rel_lsp();
        Sleep(20);
    }
    cat_stop = 1;
    join(t, 3, REL_STEP_MS / 2, "socket-creating threads during catalog changes");
    b = mark();
    lsp_check(installed == changes && cat_made > 0 && !cat_failed,
              "%d LSP installs/removals while 3 threads made %ld sockets (%ld through the LSP), %ld failures",
              installed, (long)cat_made, (long)cat_layered, (long)cat_failed);
    after = lsp_catalog_dump();
    lsp_check(before.len == after.len && !memcmp(before.data, after.data, before.len),
              "catalog restored after the changes");
    free(before.data);
    free(after.data);
    check_growth("catalog changes while sockets are made", (unsigned long)changes, a, b);
}

/* ---- tp_fault.dll in the catalog ---- */

static BOOL fault_installed;

static void fault_uninstall(void)
{
    int err;
    WSCDeinstallProvider(&fault_guid, &err);
    fault_installed = FALSE;
}

static BOOL fault_install(void)
{
    WSAPROTOCOL_INFOW i;
    WCHAR path[MAX_PATH];
    int err = 0;

    fault_uninstall();
    memset(&i, 0, sizeof(i));
    i.dwServiceFlags1 = XP1_GUARANTEED_DELIVERY | XP1_GUARANTEED_ORDER | XP1_GRACEFUL_CLOSE;
    i.ProviderId = fault_guid;
    i.ProtocolChain.ChainLen = BASE_PROTOCOL;
    i.iVersion = 2;
    i.iAddressFamily = AF_INET;
    i.iMaxSockAddr = i.iMinSockAddr = sizeof(struct sockaddr_in);
    i.iSocketType = SOCK_STREAM;
    i.iProtocol = TP_FAULT_PROTO;
    i.iNetworkByteOrder = BIGENDIAN;
    lstrcpyW(i.szProtocol, L"openws2 reliability tp_fault");
    lsp_module_dir_file(L"tp_fault.dll", path, MAX_PATH);
    fault_installed = !WSCInstallProvider(&fault_guid, path, &i, 1, &err);
    lsp_check(fault_installed, "tp_fault.dll installed (error %d)", fault_installed ? 0 : err);
    return fault_installed;
}

static SOCKET fault_socket(void)
{
    return socket(AF_INET, SOCK_STREAM, TP_FAULT_PROTO);
}

typedef void (WINAPI *release_fn)(void);
typedef LONG (WINAPI *blocked_fn)(void);

static volatile LONG stuck_done;

static DWORD WINAPI t_stuck(void *p)
{
    char c;
    recv((SOCKET)(ULONG_PTR)p, &c, 1, 0);
    stuck_done = 1;
    return 0;
}

static DWORD WINAPI t_afd_traffic(void *p)
{
    volatile LONG *bad = p;
    int i;
    for (i = 0; i < 50; i++)
    {
        struct sockaddr_storage addr;
        int len;
        SOCKET l = lsp_listener(AF_INET, &addr, &len), c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), a = INVALID_SOCKET;
        char x[64], y[64];
        BOOL ok;
        memset(x, i, sizeof(x));
        ok = l != INVALID_SOCKET && c != INVALID_SOCKET && !connect(c, (struct sockaddr *)&addr, len) &&
             (a = accept(l, NULL, NULL)) != INVALID_SOCKET && lsp_send_all(c, x, 64) && lsp_recv_all(a, y, 64) &&
             !memcmp(x, y, 64);
        if (!ok) InterlockedIncrement(bad);
        closesocket(a);
        closesocket(c);
        closesocket(l);
    }
    return 0;
}

static void blocked_provider(void)
{
    HMODULE dll;
    SOCKET fs, other;
    HANDLE stuck, t[2];
    release_fn release;
    blocked_fn blocked;
    volatile LONG bad = 0;
    int i;

    SetEnvironmentVariableA("TP_FAULT", NULL);
    fs = fault_socket();
    if (!lsp_check(fs != INVALID_SOCKET, "tp_fault socket (error %d)", WSAGetLastError())) return;
    other = fault_socket();
    dll = GetModuleHandleA("tp_fault.dll");
    release = (release_fn)(void *)GetProcAddress(dll, "tp_fault_release");
    blocked = (blocked_fn)(void *)GetProcAddress(dll, "tp_fault_blocked");
    if (!lsp_check(release && blocked, "tp_fault.dll loaded")) return;
    SetEnvironmentVariableA("TP_FAULT", "block");
    stuck = CreateThread(NULL, 0, t_stuck, (void *)(ULONG_PTR)fs, 0, NULL);
    for (i = 0; i < 200 && blocked() < 1; i++) Sleep(10);
    lsp_check(blocked() == 1, "one thread stuck in tp_fault's WSPRecv");
    SetEnvironmentVariableA("TP_FAULT", NULL);
    /* other providers' sockets, and other sockets of the same provider, in other threads */
    t[0] = CreateThread(NULL, 0, t_afd_traffic, (void *)&bad, 0, NULL);
    t[1] = CreateThread(NULL, 0, t_afd_traffic, (void *)&bad, 0, NULL);
    join(t, 2, REL_STEP_MS / 2, "openws2afd traffic while a tp_fault call is stuck");
    lsp_check(!bad, "100 loopback connections with checked data while a tp_fault call is stuck (%ld failed)", (long)bad);
    {
        char c = 'q';
        lsp_check(other != INVALID_SOCKET && send(other, &c, 1, 0) == 1, "another tp_fault socket still sends");
        lsp_check(closesocket(other) == 0, "and closes");
    }
    lsp_check(!stuck_done, "the stuck call is still stuck");
    release();
    lsp_check(WaitForSingleObject(stuck, 5000) == WAIT_OBJECT_0 && stuck_done, "released, the stuck recv returned");
    CloseHandle(stuck);
    closesocket(fs);
}

/* ---- provider faults ---- */

/* A WSA error code (WSABASEERR .. 11999); out-of-range provider codes must arrive as WSASYSCALLFAILURE. */
static BOOL wsa_error(const char *mode, int e)
{
    if (!strcmp(mode, "err_neg") || !strcmp(mode, "err_big")) return e == WSASYSCALLFAILURE;
    return e >= WSABASEERR && e < 12000;
}

static void fault_errors(void)
{
    static const char *const modes[] = { "err_neg", "err_big", "err_zero", "err_unset" };
    int m;

    for (m = 0; m < 4; m++)
    {
        SOCKET s;
        int r, e;
        char c = 'z';
        struct sockaddr_in sin;

        memset(&sin, 0, sizeof(sin));
        sin.sin_family = AF_INET;
        sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        SetEnvironmentVariableA("TP_FAULT", modes[m]);
        WSASetLastError(0);
        s = fault_socket();
        e = WSAGetLastError();
        lsp_check(s == INVALID_SOCKET && wsa_error(modes[m], e), "%s: socket -> INVALID_SOCKET, error %d", modes[m], e);
        if (s != INVALID_SOCKET) closesocket(s);

        SetEnvironmentVariableA("TP_FAULT", NULL);
        s = fault_socket();
        if (!lsp_check(s != INVALID_SOCKET, "%s: a good socket (error %d)", modes[m], WSAGetLastError())) continue;
        SetEnvironmentVariableA("TP_FAULT", modes[m]);
        WSASetLastError(0);
        r = send(s, &c, 1, 0);
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && wsa_error(modes[m], e), "%s: send -> %d, error %d", modes[m], r, e);
        WSASetLastError(0);
        r = recv(s, &c, 1, 0);
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && wsa_error(modes[m], e), "%s: recv -> %d, error %d", modes[m], r, e);
        WSASetLastError(0);
        r = bind(s, (struct sockaddr *)&sin, sizeof(sin));
        e = WSAGetLastError();
        lsp_check(r == SOCKET_ERROR && wsa_error(modes[m], e), "%s: bind -> %d, error %d", modes[m], r, e);
        WSASetLastError(0);
        r = closesocket(s);
        e = WSAGetLastError();
        lsp_check(r == 0 || wsa_error(modes[m], e), "%s: closesocket -> %d, error %d", modes[m], r, e);
        SetEnvironmentVariableA("TP_FAULT", NULL);
        if (r) closesocket(s);
    }
}

static void fault_handles(void)
{
    static const char *const modes[] = { "sock_garbage", "sock_event" };
    int m;

    for (m = 0; m < 2; m++)
    {
        SOCKET s;
        int e, r;
        char c = 'z';
        SetEnvironmentVariableA("TP_FAULT", modes[m]);
        WSASetLastError(0);
        s = fault_socket();
        e = WSAGetLastError();
        SetEnvironmentVariableA("TP_FAULT", NULL);
        lsp_check(s == INVALID_SOCKET && e != 0, "%s: a handle no upcall made -> INVALID_SOCKET, error %d (got %#lx)",
                  modes[m], e, (unsigned long)s);
        if (s == INVALID_SOCKET) continue;
        r = send(s, &c, 1, 0);
        printf("%s: send on it -> %d error %d\n", modes[m], r, WSAGetLastError());
        closesocket(s);
    }
}

static void fault_nulllater(void)
{
    SOCKET s;
    char c = 'z';
    int r, e;

    SetEnvironmentVariableA("TP_FAULT", NULL);
    s = fault_socket();
    if (!lsp_check(s != INVALID_SOCKET, "nulllater: socket (error %d)", WSAGetLastError())) return;
    SetEnvironmentVariableA("TP_FAULT", "nulllater");
    r = send(s, &c, 1, 0);
    lsp_check(r == 1, "nulllater: send -> %d (the provider then clears WSPSend and WSPRecv in its table)", r);
    SetEnvironmentVariableA("TP_FAULT", NULL);
    WSASetLastError(0);
    r = recv(s, &c, 1, 0);
    e = WSAGetLastError();
    lsp_check(r == 0 || (r == SOCKET_ERROR && e != 0), "nulllater: recv afterwards -> %d error %d (no crash)", r, e);
    WSASetLastError(0);
    r = send(s, &c, 1, 0);
    e = WSAGetLastError();
    lsp_check(r == 1 || (r == SOCKET_ERROR && e != 0), "nulllater: send afterwards -> %d error %d (no crash)", r, e);
    closesocket(s);
}

/* A child process with TP_FAULT=holes: the provider's WSPStartup leaves members NULL. */
static int holes_child(void)
{
    WSADATA wsa;
    SOCKET s;
    int e;
    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    WSASetLastError(0);
    s = fault_socket();
    e = WSAGetLastError();
    lsp_check(s == INVALID_SOCKET && e == WSAEINVALIDPROCTABLE,
              "holes: socket on a provider whose table has holes -> INVALID_SOCKET, error %d (expected %d)", e,
              WSAEINVALIDPROCTABLE);
    if (s != INVALID_SOCKET) closesocket(s);
    s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    lsp_check(s != INVALID_SOCKET, "holes: openws2afd sockets still work");
    closesocket(s);
    WSACleanup();
    return lsp_failures ? 1 : 0;
}

static void fault_holes(void)
{
    int r;
    SetEnvironmentVariableA("TP_FAULT", "holes");
    r = lsp_run_self(L"holes-child", NULL);
    SetEnvironmentVariableA("TP_FAULT", NULL);
    lsp_check(r == 0, "holes child exit code %d", r);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    int ret;

    if (argc > 1 && !strcmp(argv[1], "holes-child")) return holes_child();
    setvbuf(stdout, NULL, _IONBF, 0);
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    CloseHandle(CreateThread(NULL, 0, watchdog, NULL, 0, NULL));
    if (argc > 2 && !strcmp(argv[1], "soak"))
    {
        unsigned long n = strtoul(argv[2], NULL, 10);
        BOOL lsp = argc > 3 && !strcmp(argv[3], "lsp");
        watch_armed = 0; /* the soak's length depends on N: no step limit */
        soak(n, lsp);
    }
    else if (argc > 1 && !strcmp(argv[1], "conc"))
    {
        step("close under I/O");
        close_under_io(argc > 2 ? atoi(argv[2]) : 20, "close under send/recv/select/WSAPoll/overlapped");
        step("close under I/O through the tracing LSP");
        remove_rel_lsp();
        if (lsp_check(install_rel_lsp() != 0, "tracing LSP installed over TCP/IPv4"))
        {
            close_under_io(argc > 2 ? atoi(argv[2]) / 2 : 10, "close under I/O, tracing LSP");
            remove_rel_lsp();
        }
        step("catalog changes");
        catalog_under_sockets(argc > 3 ? atoi(argv[3]) : 6);
        step("blocked provider");
        if (fault_install())
        {
            blocked_provider();
            fault_uninstall();
        }
    }
    else if (argc > 1 && !strcmp(argv[1], "fault"))
    {
        step("provider faults");
        if (fault_install())
        {
            fault_errors();
            fault_handles();
            fault_nulllater();
            fault_holes();
            fault_uninstall();
        }
    }
    else
    {
        printf("usage: rel_e2e soak N [lsp] | conc [ROUNDS [CHANGES]] | fault\n");
        return 2;
    }
    watch_armed = 0;
    WSACleanup();
    ret = lsp_failures ? 1 : 0;
    printf("rel_e2e %s: %d failures\n", argv[1], lsp_failures);
    return ret;
}
