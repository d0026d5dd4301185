/* lsp_trace_e2e.c - end-to-end test of the tracing LSP (dlls/lsp_trace) under Wine: installs it over
 * TCP/IPv4 and TCP/IPv6 with WSCInstallProviderAndChains, checks the catalog (hidden layered entry,
 * chains first), runs traffic through it (blocking, select, WSAPoll, WSAEventSelect, overlapped with
 * an event, a completion port and a completion routine, AcceptEx/ConnectEx/GetAcceptExSockaddrs,
 * SIO_BASE_HANDLE), checks the trace file's lines, checks that a process marked with
 * WSCSetApplicationCategory bypasses the layer while an unmarked one is traced, that the layer's own
 * diagnostic lines follow the trace channel lsp (OPENWS2_TRACE=lsp), removes the LSP and
 * compares the catalog's registry bytes with the ones before. With the argument "bulk": 1 GiB through
 * the layer, checked byte by byte and by checksum, and the layer's own byte counts in the trace. With
 * "ifs": the same traffic with the LSP installed as an IFS layer (XP1_IFS_HANDLES: its sockets are the
 * base provider's handles registered with WPUModifyIFSHandle, overlapped I/O completed by the kernel).
 * With "tool": installed and removed with the catalog tool (ws2catalog install-lsp / remove-lsp).
 * One line per check; exit code 1 on any failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_check.h"

#define TRACE_KEY "Software\\openws2\\LspTrace"

static GUID trace_guid = { 0x6f70656e, 0x7773, 0x4c01, { 0x6c, 0x73, 0x70, 0x2d, 0x74, 0x72, 0x63, 0x01 } };
static WCHAR log_path[MAX_PATH];
static BOOL ifs_mode; /* "ifs": the chains carry XP1_IFS_HANDLES, the layer's sockets are the base handles */
static char pid_tag[32];

static BOOL configure(const char *log_name)
{
    static const WCHAR procs[] = L"lsp_trace_e2e.exe\0";
    WCHAR file[64];

    MultiByteToWideChar(CP_ACP, 0, log_name, -1, file, 64);
    return lsp_trace_configure(file, procs, sizeof(procs), log_path);
}

/* The layered (hidden) entry's id: every chain of the LSP names it in ChainEntries[0]; each chain
 * has a GUID of its own (as Windows' WSCInstallProviderAndChains gives it), trace_guid is the
 * hidden entry's. */
static DWORD trace_dummy;

static BOOL ours(const WSAPROTOCOL_INFOW *info)
{
    return trace_dummy && info->ProtocolChain.ChainLen >= 2 && info->ProtocolChain.ChainEntries[0] == trace_dummy;
}

/* "tool": installs with `ws2catalog install-lsp` (tools/ws2catalog) over the base TCP/IPv4 and
 * TCP/IPv6 entries; trace_guid becomes the GUID the tool chose. Returns the dummy's id or 0. */
static BOOL tool_mode;
static const WCHAR tool_lsp_name[] = L"openws2 trace LSP (ws2catalog)";

static int run_tool(const WCHAR *args)
{
    WCHAR exe[MAX_PATH], cmd[4 * MAX_PATH];
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    DWORD code = (DWORD)-1;

    lsp_module_dir_file(L"ws2catalog.exe", exe, MAX_PATH);
    _snwprintf(cmd, 4 * MAX_PATH, L"\"%ls\" %ls", exe, args);
    cmd[4 * MAX_PATH - 1] = 0;
    memset(&si, 0, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    if (!lsp_create_process(exe, cmd, TRUE, &si, &pi)) return -1;
    if (WaitForSingleObject(pi.hProcess, 60000) == WAIT_OBJECT_0) GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return (int)code;
}

static DWORD tool_install(void)
{
    WSAPROTOCOL_INFOW t4, t6, u4, *cat;
    WCHAR path[MAX_PATH], args[3 * MAX_PATH];
    DWORD dummy = 0;
    int n, i, r;

    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    if (!lsp_check(lsp_base_tcp(AF_INET, &t4) && lsp_base_tcp(AF_INET6, &t6) &&
                       lsp_base_entry(AF_INET, SOCK_DGRAM, IPPROTO_UDP, &u4),
                   "base TCP/IPv4, TCP/IPv6 and UDP/IPv4 entries for ws2catalog"))
        return 0;
    _snwprintf(args, 3 * MAX_PATH, L"install-lsp --dll \"%ls\" --name \"%ls\" --nonifs --over %lu,%lu,%lu", path,
               tool_lsp_name, (unsigned long)t4.dwCatalogEntryId, (unsigned long)t6.dwCatalogEntryId,
               (unsigned long)u4.dwCatalogEntryId);
    r = run_tool(args);
    cat = lsp_catalog(&n);
    for (i = 0; i < n; i++)
        if (cat[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL && !lstrcmpW(cat[i].szProtocol, tool_lsp_name))
        {
            dummy = cat[i].dwCatalogEntryId;
            trace_guid = cat[i].ProviderId;
        }
    free(cat);
    lsp_check(!r && dummy, "ws2catalog install-lsp -> exit %d, layered entry %lu", r, (unsigned long)dummy);
    return r ? 0 : dummy;
}

static DWORD install(void)
{
    lsp_install_chains_fn install_chains =
        (lsp_install_chains_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSCInstallProviderAndChains");
    WSAPROTOCOL_INFOW list[3];
    WCHAR path[MAX_PATH], name[] = L"openws2 trace LSP";
    DWORD dummy = 0;
    int err = 0, r;

    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    if (!lsp_check(install_chains && lsp_base_tcp(AF_INET, &list[0]) && lsp_base_tcp(AF_INET6, &list[1]) &&
                       lsp_base_entry(AF_INET, SOCK_DGRAM, IPPROTO_UDP, &list[2]),
                   "WSCInstallProviderAndChains exported, base TCP/IPv4, TCP/IPv6 and UDP/IPv4 entries found"))
        return 0;
    r = install_chains(&trace_guid, path, name,
                       (list[0].dwServiceFlags1 & ~XP1_IFS_HANDLES) | (ifs_mode ? XP1_IFS_HANDLES : 0), list, 3, &dummy,
                       &err);
    lsp_check(!r && dummy, "WSCInstallProviderAndChains -> %d (error %d), layered entry %lu", r, r ? err : 0,
              (unsigned long)dummy);
    return r ? 0 : dummy;
}

static void check_catalog(DWORD dummy)
{
    int n, i, chains = 0, at_top = 1, visible = 0;
    WSAPROTOCOL_INFOW *cat = lsp_catalog(&n), *buf;
    DWORD len = 0;
    BOOL dummy_ok = FALSE;
    DWORD first_with_guid = 0;

    for (i = 0; i < n; i++)
    {
        BOOL has_guid = !memcmp(&cat[i].ProviderId, &trace_guid, sizeof(GUID));
        if (!has_guid && cat[i].ProtocolChain.ChainLen == 2 && cat[i].ProtocolChain.ChainEntries[0] == dummy)
        {
            chains++;
            if (i != chains - 1) at_top = 0;
        }
        if (has_guid && !first_with_guid) first_with_guid = cat[i].dwCatalogEntryId;
        if (cat[i].dwCatalogEntryId == dummy)
            dummy_ok = has_guid && cat[i].ProtocolChain.ChainLen == LAYERED_PROTOCOL && (cat[i].dwProviderFlags & PFL_HIDDEN);
    }
    lsp_check(chains == 3 && at_top, "3 chains [layer, base] (%d), first in catalog order (%d)", chains, at_top);
    lsp_check(dummy_ok && first_with_guid == dummy,
              "the layered entry %lu is hidden, ChainLen 0, the first (only) entry with the LSP's GUID", (unsigned long)dummy);
    free(cat);
    WSAEnumProtocolsW(NULL, NULL, &len);
    if ((buf = malloc(len)))
    {
        n = WSAEnumProtocolsW(NULL, buf, &len);
        for (i = 0; i < n; i++)
            if (buf[i].dwCatalogEntryId == dummy) visible = 1;
        lsp_check(n > 0 && !visible && buf[0].ProtocolChain.ChainEntries[0] == dummy,
                  "WSAEnumProtocols hides the layered entry and lists the chain first");
        free(buf);
    }
}

static void blocking(int af)
{
    SOCKET c, a;
    WSAPROTOCOL_INFOW info;
    char buf[16] = { 0 };
    BOOL ok = lsp_connected_pair(af, &c, &a);

    lsp_check(ok, "AF %d: connect/accept through the layer", af);
    if (!ok) return;
    lsp_check(lsp_sock_info(c, &info) && ours(&info) &&
                  info.ProtocolChain.ChainLen == 2 && info.iAddressFamily == af &&
                  !(info.dwServiceFlags1 & XP1_IFS_HANDLES) == !ifs_mode,
              "AF %d: SO_PROTOCOL_INFOW names the chain entry (%ls)", af, info.szProtocol);
    lsp_check(lsp_send_all(c, "ping", 4) && lsp_recv_all(a, buf, 4) && !memcmp(buf, "ping", 4) &&
                  lsp_send_all(a, "pong", 4) && lsp_recv_all(c, buf, 4) && !memcmp(buf, "pong", 4),
              "AF %d: blocking send/recv both ways", af);
    closesocket(c);
    closesocket(a);
}

/* WSADuplicateSocket of a layered socket: the copy is made through the layer too. */
static void duplicate(void)
{
    WSAPROTOCOL_INFOW info, dinfo;
    SOCKET c, a, d = INVALID_SOCKET;
    char buf[8] = { 0 };
    int r;

    if (!lsp_check(lsp_connected_pair(AF_INET, &c, &a), "pair for WSADuplicateSocket")) return;
    r = WSADuplicateSocketW(c, GetCurrentProcessId(), &info);
    lsp_check(!r && ours(&info) && info.ProtocolChain.ChainLen == 2,
              "WSADuplicateSocketW describes the chain entry (%d)", r ? WSAGetLastError() : 0);
    if (!r) d = WSASocketW(FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, FROM_PROTOCOL_INFO, &info, 0, WSA_FLAG_OVERLAPPED);
    lsp_check(d != INVALID_SOCKET && lsp_sock_info(d, &dinfo) && ours(&dinfo),
              "WSASocket(FROM_PROTOCOL_INFO) makes the copy through the layer (%d)",
              d == INVALID_SOCKET ? WSAGetLastError() : 0);
    closesocket(c);
    lsp_check(d != INVALID_SOCKET && lsp_send_all(d, "dup", 3) && lsp_recv_all(a, buf, 3) && !memcmp(buf, "dup", 3),
              "the copy still sends after the original is closed");
    if (d != INVALID_SOCKET) closesocket(d);
    closesocket(a);
}

static void readiness(void)
{
    SOCKET c, a;
    fd_set set;
    struct timeval tv = { 5, 0 };
    WSAPOLLFD pfd;
    WSAEVENT ev = WSACreateEvent();
    WSANETWORKEVENTS ne;
    char buf[8];
    int r;

    if (!lsp_check(lsp_connected_pair(AF_INET, &c, &a), "pair for select/poll/event select")) return;
    FD_ZERO(&set);
    FD_SET(a, &set);
    tv.tv_sec = 0;
    tv.tv_usec = 100000;
    r = select(0, &set, NULL, NULL, &tv);
    lsp_check(r == 0, "select: nothing to read yet (%d)", r);
    send(c, "x", 1, 0);
    FD_ZERO(&set);
    FD_SET(a, &set);
    tv.tv_sec = 5;
    r = select(0, &set, NULL, NULL, &tv);
    lsp_check(r == 1 && FD_ISSET(a, &set), "select: the layered socket is readable (%d)", r);
    pfd.fd = a;
    pfd.events = POLLRDNORM;
    pfd.revents = 0;
    r = WSAPoll(&pfd, 1, 5000);
    lsp_check(r == 1 && (pfd.revents & POLLRDNORM), "WSAPoll: POLLRDNORM (%d, revents %#x)", r, pfd.revents);
    {
        /* a base-provider socket and a layered one in one select (ws2_32 goes to the base handles) */
        WSAPROTOCOL_INFOW base_info;
        SOCKET b = lsp_base_tcp(AF_INET, &base_info) ?
                   WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, &base_info, 0, WSA_FLAG_OVERLAPPED) : INVALID_SOCKET;
        WSAPROTOCOL_INFOW binfo;
        FD_ZERO(&set);
        FD_SET(a, &set);
        FD_SET(b, &set);
        r = b != INVALID_SOCKET && lsp_sock_info(b, &binfo) && binfo.ProtocolChain.ChainLen == BASE_PROTOCOL ?
            select(0, &set, NULL, NULL, &tv) : -2;
        lsp_check(r == 1 && FD_ISSET(a, &set) && !FD_ISSET(b, &set),
                  "select over a layered and a base socket: the layered one is readable (%d)", r);
        {
            WSAPOLLFD two[2];
            two[0].fd = a;
            two[1].fd = b;
            two[0].events = two[1].events = POLLRDNORM;
            two[0].revents = two[1].revents = 0;
            r = b != INVALID_SOCKET ? WSAPoll(two, 2, 5000) : -2;
            lsp_check(r == 1 && (two[0].revents & POLLRDNORM) && !(two[1].revents & POLLRDNORM),
                      "WSAPoll over a layered and a base socket (%d, revents %#x %#x)", r, two[0].revents,
                      two[1].revents);
        }
        closesocket(b);
    }
    recv(a, buf, 1, 0);
    r = WSAEventSelect(a, ev, FD_READ);
    send(c, "y", 1, 0);
    memset(&ne, 0, sizeof(ne));
    if (!r) r = WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0 ? WSAEnumNetworkEvents(a, ev, &ne) : -2;
    lsp_check(!r && (ne.lNetworkEvents & FD_READ),
              "WSAEventSelect/WSAEnumNetworkEvents: FD_READ (events %#lx)", (unsigned long)ne.lNetworkEvents);
    WSAEventSelect(a, NULL, 0);
    closesocket(c);
    closesocket(a);
    WSACloseEvent(ev);
}

static volatile LONG routine_bytes = -1;
static void CALLBACK routine(DWORD err, DWORD bytes, LPWSAOVERLAPPED ov, DWORD flags)
{
    (void)ov; (void)flags;
    routine_bytes = err ? -2 : (LONG)bytes;
}

/* IFS: requests the layer delivers itself (completion port, auto-reset event: lsp_ifs_watch.c),
 * on c (associated with port, key 42) and its peer a: what the application sees is the kernel's. */
static BOOL forwarded(SOCKET c, SOCKET a, HANDLE port)
{
    WSAOVERLAPPED ov, *got_ov;
    HANDLE ev;
    ULONG_PTR key;
    DWORD bytes, flags = 0, e;
    char buf[16];
    WSABUF b;
    int r;
    BOOL ok;

    if (!lsp_wine_completes_ifs()) return FALSE;
    b.buf = buf;
    b.len = 6;
    /* an auto-reset event: signalled once, the port's packet too */
    ev = CreateEventW(NULL, FALSE, FALSE, NULL);
    memset(&ov, 0, sizeof(ov));
    memset(buf, 0, sizeof(buf));
    ov.hEvent = ev;
    r = WSARecv(c, &b, 1, NULL, &flags, &ov, NULL);
    e = WSAGetLastError();
    send(a, "autoev", 6, 0);
    ok = r && e == WSA_IO_PENDING && WaitForSingleObject(ev, 5000) == WAIT_OBJECT_0 &&
         WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags) && bytes == 6 && !memcmp(buf, "autoev", 6);
    lsp_check(ok, "ifs, auto-reset event: signalled for the 6 bytes (%d %lu, %lu bytes)", r, (unsigned long)e,
              (unsigned long)bytes);
    lsp_check(WaitForSingleObject(ev, 0) == WAIT_TIMEOUT, "ifs, auto-reset event: signalled once");
    got_ov = NULL;
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 5000);
    lsp_check(ok && got_ov == &ov && key == 42 && bytes == 6, "ifs, auto-reset event: the packet too (%d, %lu bytes)",
              ok, (unsigned long)bytes);
    CloseHandle(ev);
    /* CancelIoEx finds the request by its OVERLAPPED; the packet says aborted */
    memset(&ov, 0, sizeof(ov));
    r = WSARecv(c, &b, 1, NULL, &flags, &ov, NULL);
    e = WSAGetLastError();
    ok = CancelIoEx((HANDLE)c, (OVERLAPPED *)&ov);
    got_ov = NULL;
    lsp_check(r && e == WSA_IO_PENDING && ok && !GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 5000) &&
                  got_ov == &ov && GetLastError() == ERROR_OPERATION_ABORTED,
              "ifs, completion port: CancelIoEx(ov) cancels it, the packet reports ERROR_OPERATION_ABORTED (%d, %lu)",
              ok, (unsigned long)GetLastError());
    /* GetOverlappedResult waiting on the socket (no event) wakes when the data comes */
    memset(&ov, 0, sizeof(ov));
    memset(buf, 0, sizeof(buf));
    r = WSARecv(c, &b, 1, NULL, &flags, &ov, NULL);
    e = WSAGetLastError();
    send(a, "nullev", 6, 0);
    ok = GetOverlappedResult((HANDLE)c, (OVERLAPPED *)&ov, &bytes, TRUE);
    lsp_check(r && e == WSA_IO_PENDING && ok && bytes == 6 && !memcmp(buf, "nullev", 6),
              "ifs, no event: GetOverlappedResult(wait) on the socket returns the 6 bytes (%d, %lu)", ok,
              (unsigned long)bytes);
    got_ov = NULL;
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 5000);
    lsp_check(ok && got_ov == &ov && bytes == 6, "ifs, no event: and its packet (%d)", ok);
    /* skipping the port on success: a send completed in the call queues nothing */
    lsp_check(SetFileCompletionNotificationModes((HANDLE)c, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS),
              "ifs: SetFileCompletionNotificationModes (%lu)", (unsigned long)GetLastError());
    memset(&ov, 0, sizeof(ov));
    b.buf = (char *)"skip!!";
    r = WSASend(c, &b, 1, &bytes, 0, &ov, NULL);
    got_ov = NULL;
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 300);
    lsp_check(!r && !ok && !got_ov && lsp_recv_all(a, buf, 6) && !memcmp(buf, "skip!!", 6),
              "ifs, skipping the port on success: the send completes in the call, no packet (%d %d)", r, ok);
    /* a receive pending at closesocket: its packet reports aborted (sent before the handle goes) */
    b.buf = buf;
    memset(&ov, 0, sizeof(ov));
    r = WSARecv(c, &b, 1, NULL, &flags, &ov, NULL);
    e = WSAGetLastError();
    closesocket(c);
    got_ov = NULL;
    ok = GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 5000);
    lsp_check(r && e == WSA_IO_PENDING && !ok && got_ov == &ov && GetLastError() == ERROR_OPERATION_ABORTED,
              "ifs: a receive pending at closesocket: its packet reports ERROR_OPERATION_ABORTED (%d, %lu)", ok,
              (unsigned long)GetLastError());
    return TRUE; /* c is closed */
}

static void overlapped(void)
{
    SOCKET c, a;
    HANDLE port;
    WSAOVERLAPPED ov, *got_ov = NULL;
    WSABUF b;
    char buf[16] = { 0 };
    DWORD bytes = 0, flags = 0;
    ULONG_PTR key = 0;
    int r, err;
    BOOL ok;

    if (!lsp_check(lsp_connected_pair(AF_INET6, &c, &a), "pair for overlapped I/O")) return;
    /* event */
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    b.buf = buf;
    b.len = 5;
    r = WSARecv(c, &b, 1, NULL, &flags, &ov, NULL);
    err = WSAGetLastError();
    lsp_check(r == SOCKET_ERROR && err == WSA_IO_PENDING, "overlapped WSARecv is pending (%d, %d)", r, err);
    send(a, "event", 5, 0);
    ok = WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0 && WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    lsp_check(ok && bytes == 5 && !memcmp(buf, "event", 5), "event completion + WSAGetOverlappedResult (%lu bytes)",
              (unsigned long)bytes);
    WSACloseEvent(ov.hEvent);

    /* completion port */
    port = CreateIoCompletionPort((HANDLE)c, NULL, 42, 0);
    memset(&ov, 0, sizeof(ov));
    memset(buf, 0, sizeof(buf));
    r = WSARecv(c, &b, 1, NULL, &flags, &ov, NULL);
    send(a, "iocp!", 5, 0);
    ok = port && GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 5000);
    lsp_check(ok && got_ov == &ov && key == 42 && bytes == 5 && !memcmp(buf, "iocp!", 5),
              "completion port: WSARecv packet (key %lu, %lu bytes)", (unsigned long)key, (unsigned long)bytes);
    memset(&ov, 0, sizeof(ov));
    b.buf = (char *)"sent!";
    r = WSASend(c, &b, 1, NULL, 0, &ov, NULL);
    ok = (!r || WSAGetLastError() == WSA_IO_PENDING) && GetQueuedCompletionStatus(port, &bytes, &key, &got_ov, 5000);
    lsp_check(ok && got_ov == &ov && bytes == 5 && lsp_recv_all(a, buf, 5) && !memcmp(buf, "sent!", 5),
              "completion port: WSASend packet (%lu bytes)", (unsigned long)bytes);
    /* completion routine: on sockets no completion port is associated with (for an IFS socket, the
     * base handle, a port association would take the completion) */
    if (!ifs_mode || !forwarded(c, a, port)) closesocket(c);
    closesocket(a);
    if (port) CloseHandle(port);
    port = NULL;
    if (!lsp_check(lsp_connected_pair(AF_INET, &c, &a), "pair for a completion routine")) return;
    memset(&ov, 0, sizeof(ov));
    b.buf = buf;
    r = WSARecv(c, &b, 1, NULL, &flags, &ov, routine);
    send(a, "apc!!", 5, 0);
    SleepEx(5000, TRUE);
    lsp_check(routine_bytes == 5 && !memcmp(buf, "apc!!", 5), "completion routine ran with 5 bytes (%ld)",
              (long)routine_bytes);
    closesocket(c);
    closesocket(a);
    if (port) CloseHandle(port);
}

static void extensions(void)
{
    GUID gaccept = WSAID_ACCEPTEX, gconnect = WSAID_CONNECTEX, gaddrs = WSAID_GETACCEPTEXSOCKADDRS;
    LPFN_ACCEPTEX acceptex = NULL;
    LPFN_CONNECTEX connectex = NULL;
    LPFN_GETACCEPTEXSOCKADDRS addrs = NULL;
    struct sockaddr_storage addr;
    struct sockaddr_in local;
    struct sockaddr *lp, *rp;
    int len, llen, rlen;
    DWORD bytes = 0, flags;
    SOCKET l, a, c, base = INVALID_SOCKET;
    WSAOVERLAPPED aov, cov;
    char buf[2 * (sizeof(struct sockaddr_in6) + 16) + 64], data[8] = { 0 };
    BOOL ok;
    int type = 0, tlen = sizeof(type);
    WSAPROTOCOL_INFOW info;

    l = lsp_listener(AF_INET, &addr, &len);
    a = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    c = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    ok = !WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &gaccept, sizeof(gaccept), &acceptex, sizeof(acceptex),
                   &bytes, NULL, NULL) &&
         !WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &gconnect, sizeof(gconnect), &connectex, sizeof(connectex),
                   &bytes, NULL, NULL) &&
         !WSAIoctl(l, SIO_GET_EXTENSION_FUNCTION_POINTER, &gaddrs, sizeof(gaddrs), &addrs, sizeof(addrs), &bytes,
                   NULL, NULL);
    if (!lsp_check(ok && acceptex && connectex && addrs, "extension functions from the layered socket")) return;
    memset(&aov, 0, sizeof(aov));
    memset(&cov, 0, sizeof(cov));
    aov.hEvent = WSACreateEvent();
    cov.hEvent = WSACreateEvent();
    ok = acceptex(l, a, buf, 5, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &bytes, &aov);
    lsp_check(!ok && WSAGetLastError() == ERROR_IO_PENDING, "AcceptEx is pending (%d)", WSAGetLastError());
    memset(&local, 0, sizeof(local));
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(c, (struct sockaddr *)&local, sizeof(local));
    ok = connectex(c, (struct sockaddr *)&addr, len, (void *)"hello", 5, &bytes, &cov);
    lsp_check(ok || WSAGetLastError() == ERROR_IO_PENDING, "ConnectEx started (%d)", ok ? 0 : WSAGetLastError());
    ok = WaitForSingleObject(cov.hEvent, 5000) == WAIT_OBJECT_0 && WSAGetOverlappedResult(c, &cov, &bytes, FALSE, &flags);
    lsp_check(ok && bytes == 5, "ConnectEx completed, 5 bytes sent (%lu)", (unsigned long)bytes);
    ok = WaitForSingleObject(aov.hEvent, 5000) == WAIT_OBJECT_0 && WSAGetOverlappedResult(l, &aov, &bytes, FALSE, &flags);
    lsp_check(ok && bytes == 5 && !memcmp(buf, "hello", 5), "AcceptEx completed with the 5 bytes (%lu)",
              (unsigned long)bytes);
    addrs(buf, 5, sizeof(struct sockaddr_in) + 16, sizeof(struct sockaddr_in) + 16, &lp, &llen, &rp, &rlen);
    lsp_check(lp && rp && rp->sa_family == AF_INET && ((struct sockaddr_in *)lp)->sin_port == ((struct sockaddr_in *)&addr)->sin_port,
              "GetAcceptExSockaddrs: local port is the listener's");
    lsp_check(!setsockopt(a, SOL_SOCKET, SO_UPDATE_ACCEPT_CONTEXT, (char *)&l, sizeof(l)) &&
                  !setsockopt(c, SOL_SOCKET, SO_UPDATE_CONNECT_CONTEXT, NULL, 0),
              "SO_UPDATE_ACCEPT_CONTEXT / SO_UPDATE_CONNECT_CONTEXT (%d)", WSAGetLastError());
    lsp_check(lsp_send_all(a, "world", 5) && lsp_recv_all(c, data, 5) && !memcmp(data, "world", 5),
              "data after AcceptEx/ConnectEx");
    memset(&info, 0, sizeof(info));
    ok = !WSAIoctl(c, SIO_BASE_HANDLE, NULL, 0, &base, sizeof(base), &bytes, NULL, NULL) && base != INVALID_SOCKET &&
         (base != c) == !ifs_mode && !getsockopt(base, SOL_SOCKET, SO_TYPE, (char *)&type, &tlen) &&
         type == SOCK_STREAM && lsp_sock_info(base, &info);
    /* IFS: the socket is the base handle itself (registered by the layer). */
    lsp_check(ok && info.ProtocolChain.ChainLen == (ifs_mode ? 2 : BASE_PROTOCOL),
              "SIO_BASE_HANDLE: the base provider's socket %#llx (ChainLen %d)", (unsigned long long)base,
              info.ProtocolChain.ChainLen);
    WSACloseEvent(aov.hEvent);
    WSACloseEvent(cov.hEvent);
    closesocket(a);
    closesocket(c);
    closesocket(l);
}

/* WSAAsyncSelect through the layer: the message names OUR socket. */
static void async_select(void)
{
    SOCKET c, a;
    HWND hwnd;
    MSG msg;
    DWORD start;
    BOOL got = FALSE;

    if (!lsp_check(lsp_connected_pair(AF_INET, &c, &a), "pair for WSAAsyncSelect")) return;
    hwnd = CreateWindowA("STATIC", "lsp", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    lsp_check(hwnd && !WSAAsyncSelect(a, hwnd, WM_USER + 7, FD_READ | FD_CLOSE), "WSAAsyncSelect(FD_READ | FD_CLOSE)");
    send(c, "m", 1, 0);
    for (start = GetTickCount(); !got && GetTickCount() - start < 5000;)
    {
        if (!PeekMessageA(&msg, hwnd, 0, 0, PM_REMOVE))
        {
            MsgWaitForMultipleObjects(0, NULL, FALSE, 100, QS_ALLINPUT);
            continue;
        }
        if (msg.message == WM_USER + 7)
            got = msg.wParam == (WPARAM)a && WSAGETSELECTEVENT(msg.lParam) == FD_READ && !WSAGETSELECTERROR(msg.lParam);
    }
    lsp_check(got, "WSAAsyncSelect: FD_READ posted with the layered socket handle");
    WSAAsyncSelect(a, hwnd, 0, 0);
    closesocket(c);
    closesocket(a);
    if (hwnd) DestroyWindow(hwnd);
}

/* TransmitFile, TransmitPackets and DisconnectEx through the layer's extension functions. */
static void transmit_disconnect(void)
{
    GUID gtf = WSAID_TRANSMITFILE, gdx = WSAID_DISCONNECTEX;
    LPFN_TRANSMITFILE tf = NULL;
    LPFN_DISCONNECTEX dx = NULL;
    WCHAR path[MAX_PATH];
    HANDLE f;
    SOCKET c, a;
    WSAOVERLAPPED ov;
    DWORD bytes = 0, flags = 0, i;
    char data[3000], got[3000];
    BOOL ok;

    if (!lsp_check(lsp_connected_pair(AF_INET, &c, &a), "pair for TransmitFile/DisconnectEx")) return;
    for (i = 0; i < sizeof(data); i++) data[i] = (char)(i * 7);
    lsp_module_dir_file(L"lsp_trace_tf.bin", path, MAX_PATH);
    f = CreateFileW(path, GENERIC_READ | GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    WriteFile(f, data, sizeof(data), &bytes, NULL);
    SetFilePointer(f, 0, NULL, FILE_BEGIN);
    WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &gtf, sizeof(gtf), &tf, sizeof(tf), &bytes, NULL, NULL);
    WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &gdx, sizeof(gdx), &dx, sizeof(dx), &bytes, NULL, NULL);
    if (!lsp_check(tf && dx && f != INVALID_HANDLE_VALUE, "TransmitFile and DisconnectEx from the layer"))
        return;
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ok = tf(c, f, 0, 0, &ov, NULL, 0) || WSAGetLastError() == ERROR_IO_PENDING;
    ok = ok && WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0 && WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    lsp_check(ok && bytes == sizeof(data) && lsp_recv_all(a, got, sizeof(got)) && !memcmp(got, data, sizeof(data)),
              "TransmitFile: %lu bytes of the file arrived", (unsigned long)bytes);
    {
        /* TransmitPackets through the layer: a memory element and a file element, overlapped, then
         * blocking. */
        GUID gtp = WSAID_TRANSMITPACKETS;
        LPFN_TRANSMITPACKETS tp = NULL;
        TRANSMIT_PACKETS_ELEMENT el[2];
        char want[sizeof(data) + 5];
        int r = WSAIoctl(c, SIO_GET_EXTENSION_FUNCTION_POINTER, &gtp, sizeof(gtp), &tp, sizeof(tp), &bytes, NULL, NULL);
        lsp_check(!r && tp, "TransmitPackets from the layer (%d, error %d)", r, r ? WSAGetLastError() : 0);
        if (tp)
        {
            memset(el, 0, sizeof(el));
            el[0].dwElFlags = TP_ELEMENT_MEMORY;
            el[0].cLength = 5;
            el[0].pBuffer = "head:";
            el[1].dwElFlags = TP_ELEMENT_FILE;
            el[1].hFile = f;
            el[1].nFileOffset.QuadPart = 0;
            el[1].cLength = 0; /* the whole file */
            memcpy(want, "head:", 5);
            memcpy(want + 5, data, sizeof(data));
            memset(&ov, 0, sizeof(ov));
            ov.hEvent = WSACreateEvent();
            ok = tp(c, el, 2, 0, &ov, 0) || WSAGetLastError() == ERROR_IO_PENDING;
            ok = ok && WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0 &&
                 WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
            lsp_check(ok && bytes == sizeof(want) && lsp_recv_all(a, got, 5) && lsp_recv_all(a, got + 5, sizeof(data) - 5) &&
                          !memcmp(got, want, sizeof(data)) && lsp_recv_all(a, got, 5) &&
                          !memcmp(got, want + sizeof(data), 5),
                      "TransmitPackets overlapped: memory and file elements arrived (%lu bytes reported)",
                      (unsigned long)bytes);
            WSACloseEvent(ov.hEvent);
            ok = tp(c, el, 1, 0, NULL, 0);
            lsp_check(ok && lsp_recv_all(a, got, 5) && !memcmp(got, "head:", 5), "TransmitPackets blocking: arrived (%d)",
                      ok ? 0 : WSAGetLastError());
        }
    }
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    ok = dx(c, &ov, 0, 0) || WSAGetLastError() == ERROR_IO_PENDING;
    ok = ok && WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0 && WSAGetOverlappedResult(c, &ov, &bytes, FALSE, &flags);
    lsp_check(ok && recv(a, got, 1, 0) == 0, "DisconnectEx: the peer sees the end of the stream");
    CloseHandle(f);
    DeleteFileW(path);
    closesocket(c);
    closesocket(a);
}

/* WSCInstallProviderAndChains64_32: the chains in both registry views, removed from both again.
 * A 32-bit program (Microsoft's docs: the *32 and *64_32 calls are for 64-bit programs; every other
 * call works on the caller's native view, Catalog_Entries for a 32-bit one) installs with
 * WSCInstallProviderAndChains: the chains land in Catalog_Entries only, Catalog_Entries64 stays as it
 * was, and WSCDeinstallProvider brings the registry bytes back. */
typedef int (WSPAPI *install_chains64_32_fn)(LPGUID, LPWSTR, LPWSTR, LPWSTR, DWORD, LPWSAPROTOCOL_INFOW, DWORD, LPDWORD,
                                             LPINT);
typedef int (WSPAPI *deinstall_fn)(LPGUID, LPINT);
typedef int (WSPAPI *enum32_fn)(LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);

static DWORD count_view(const char *value)
{
    DWORD n = 0, type = 0, len = sizeof(n);
    HKEY key;

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, LSP_CATALOG_KEY, 0, KEY_READ | KEY_WOW64_64KEY, &key)) return 0;
    if (RegQueryValueExA(key, value, NULL, &type, (BYTE *)&n, &len) || type != REG_DWORD) n = 0;
    RegCloseKey(key);
    return n;
}
#define count32() count_view("Num_Catalog_Entries")

#ifndef _WIN64
static void both_views(void)
{
    lsp_install_chains_fn install =
        (lsp_install_chains_fn)(void *)GetProcAddress(GetModuleHandleA("ws2_32.dll"), "WSCInstallProviderAndChains");
    GUID g = { 0x6f70656e, 0x7773, 0x4c04, { 0x6c, 0x73, 0x70, 0x2d, 0x36, 0x34, 0x33, 0x32 } };
    struct lsp_dump before, after;
    WSAPROTOCOL_INFOW list[1];
    WCHAR path[MAX_PATH], name[] = L"openws2 trace LSP (32-bit view)";
    DWORD id = 0, n32_before, n64_before;
    int err = 0, r, rd;

    if (!lsp_check(install && lsp_base_tcp(AF_INET, &list[0]), "WSCInstallProviderAndChains exported")) return;
    before = lsp_catalog_dump();
    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    n32_before = count32();
    n64_before = count_view("Num_Catalog_Entries64");
    r = install(&g, path, name, list[0].dwServiceFlags1 & ~XP1_IFS_HANDLES, list, 1, &id, &err);
    lsp_check(!r && id && count32() == n32_before + 2 && count_view("Num_Catalog_Entries64") == n64_before,
              "a 32-bit program's WSCInstallProviderAndChains -> %d (error %d): Catalog_Entries %lu -> %lu, "
              "Catalog_Entries64 %lu -> %lu", r, r ? err : 0, (unsigned long)n32_before, (unsigned long)count32(),
              (unsigned long)n64_before, (unsigned long)count_view("Num_Catalog_Entries64"));
    /* removed as installers do: the hidden entry's GUID, then each chain's own GUID */
    rd = lsp_remove_by_guid(&g);
    after = lsp_catalog_dump();
    lsp_check(!rd && before.len == after.len && !memcmp(before.data, after.data, before.len),
              "removed from Catalog_Entries: the registry bytes are back (%d, %lu / %lu bytes)", rd,
              (unsigned long)before.len, (unsigned long)after.len);
    free(before.data);
    free(after.data);
}
#else
static void both_views(void)
{
    HMODULE ws2 = GetModuleHandleA("ws2_32.dll");
    install_chains64_32_fn install = (install_chains64_32_fn)(void *)GetProcAddress(ws2, "WSCInstallProviderAndChains64_32");
    deinstall_fn deinstall32 = (deinstall_fn)(void *)GetProcAddress(ws2, "WSCDeinstallProvider32");
    enum32_fn enum32 = (enum32_fn)(void *)GetProcAddress(ws2, "WSCEnumProtocols32");
    GUID g = { 0x6f70656e, 0x7773, 0x4c04, { 0x6c, 0x73, 0x70, 0x2d, 0x36, 0x34, 0x33, 0x32 } };
    struct lsp_dump before, after;
    WSAPROTOCOL_INFOW list[1];
    WCHAR path[MAX_PATH], name[] = L"openws2 trace LSP (both views)";
    DWORD id = 0;
    int err = 0, r, r64, r32, n;
    DWORD n32_before;
    BOOL in32;

    if (!lsp_check(install && deinstall32 && lsp_base_tcp(AF_INET, &list[0]), "64_32 variants exported")) return;
    before = lsp_catalog_dump();
    lsp_module_dir_file(L"openws2_lsp_trace.dll", path, MAX_PATH);
    n32_before = count32();
    r = install(&g, path, path, name, list[0].dwServiceFlags1 & ~XP1_IFS_HANDLES, list, 1, &id, &err);
    /* the 32-bit view (Catalog_Entries) got the layered entry and the chain too */
    in32 = count32() == n32_before + 2;
    lsp_check(!r && id && in32, "WSCInstallProviderAndChains64_32 -> %d (error %d), layered entry %lu", r, r ? err : 0,
              (unsigned long)id);
    /* the same ids and GUIDs in both views; removed as installers do: the hidden entry's GUID, then
     * the chain's, from each view */
    {
        WSAPROTOCOL_INFOW v32[64], *cat = lsp_catalog(&n);
        DWORD len = sizeof(v32);
        int n32 = enum32 ? enum32(NULL, v32, &len, &err) : -1, i;
        GUID chain = g;
        DWORD id32 = 0, chain64 = 0, chain32 = 0;
        for (i = 0; cat && i < n; i++)
            if (cat[i].ProtocolChain.ChainLen >= 2 && cat[i].ProtocolChain.ChainEntries[0] == id)
            {
                chain = cat[i].ProviderId;
                chain64 = cat[i].dwCatalogEntryId;
            }
        for (i = 0; i < n32; i++)
        {
            if (!id32 && !memcmp(&v32[i].ProviderId, &g, sizeof(GUID))) id32 = v32[i].dwCatalogEntryId;
            if (!memcmp(&v32[i].ProviderId, &chain, sizeof(GUID))) chain32 = v32[i].dwCatalogEntryId;
        }
        free(cat);
        lsp_check(id32 == id && chain64 && chain32 == chain64 && memcmp(&chain, &g, sizeof(GUID)),
                  "both views: hidden entry %lu / %lu, chain %lu / %lu with a GUID of its own", (unsigned long)id,
                  (unsigned long)id32, (unsigned long)chain64, (unsigned long)chain32);
        r64 = WSCDeinstallProvider(&g, &err) || WSCDeinstallProvider(&chain, &err);
        r32 = deinstall32(&g, &err) || deinstall32(&chain, &err);
    }
    after = lsp_catalog_dump();
    lsp_check(!r64 && !r32 && before.len == after.len && !memcmp(before.data, after.data, before.len),
              "removed from both views: the registry bytes are back (%d %d, %lu / %lu bytes)", r64, r32,
              (unsigned long)before.len, (unsigned long)after.len);
    free(before.data);
    free(after.data);
}
#endif

/* UDP through the layer: sendto/recvfrom, overlapped WSARecvFrom, WSARecvMsg. */
static void datagrams(void)
{
    GUID grm = WSAID_WSARECVMSG;
    LPFN_WSARECVMSG recvmsg_fn = NULL;
    SOCKET u1 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), u2 = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
    struct sockaddr_in a1, a2, from;
    int len = sizeof(a1), flen = sizeof(from), r;
    WSAPROTOCOL_INFOW info;
    WSAOVERLAPPED ov;
    WSABUF b;
    WSAMSG msg;
    char buf[32] = { 0 }, control[64];
    DWORD bytes = 0, flags = 0;
    BOOL ok;

    memset(&a1, 0, sizeof(a1));
    a1.sin_family = AF_INET;
    a1.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a2 = a1;
    ok = u1 != INVALID_SOCKET && u2 != INVALID_SOCKET && !bind(u1, (struct sockaddr *)&a1, sizeof(a1)) &&
         !bind(u2, (struct sockaddr *)&a2, sizeof(a2)) && !getsockname(u1, (struct sockaddr *)&a1, &len) &&
         !getsockname(u2, (struct sockaddr *)&a2, &len) && lsp_sock_info(u1, &info);
    if (!lsp_check(ok && info.iSocketType == SOCK_DGRAM && ours(&info),
                   "UDP sockets through the layer (%ls)", ok ? info.szProtocol : L"-"))
        return;
    r = sendto(u1, "dgram", 5, 0, (struct sockaddr *)&a2, sizeof(a2));
    lsp_check(r == 5 && recvfrom(u2, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen) == 5 &&
                  !memcmp(buf, "dgram", 5) && from.sin_port == a1.sin_port,
              "sendto/recvfrom: the datagram and its source");
    memset(&ov, 0, sizeof(ov));
    ov.hEvent = WSACreateEvent();
    b.buf = buf;
    b.len = sizeof(buf);
    flen = sizeof(from);
    memset(&from, 0, sizeof(from));
    r = WSARecvFrom(u2, &b, 1, NULL, &flags, (struct sockaddr *)&from, &flen, &ov, NULL);
    ok = !r || WSAGetLastError() == WSA_IO_PENDING;
    sendto(u1, "async", 5, 0, (struct sockaddr *)&a2, sizeof(a2));
    ok = ok && WaitForSingleObject(ov.hEvent, 5000) == WAIT_OBJECT_0 && WSAGetOverlappedResult(u2, &ov, &bytes, FALSE, &flags);
    lsp_check(ok && bytes == 5 && !memcmp(buf, "async", 5) && from.sin_port == a1.sin_port,
              "overlapped WSARecvFrom: %lu bytes, the source filled in", (unsigned long)bytes);
    WSAIoctl(u2, SIO_GET_EXTENSION_FUNCTION_POINTER, &grm, sizeof(grm), &recvmsg_fn, sizeof(recvmsg_fn), &bytes, NULL,
             NULL);
    memset(&msg, 0, sizeof(msg));
    flen = sizeof(from);
    msg.name = (struct sockaddr *)&from;
    msg.namelen = flen;
    msg.lpBuffers = &b;
    msg.dwBufferCount = 1;
    msg.Control.buf = control;
    msg.Control.len = sizeof(control);
    sendto(u1, "msg!!", 5, 0, (struct sockaddr *)&a2, sizeof(a2));
    r = recvmsg_fn ? recvmsg_fn(u2, &msg, &bytes, NULL, NULL) : -2;
    lsp_check(!r && bytes == 5 && !memcmp(buf, "msg!!", 5), "WSARecvMsg through the layer (%d, %lu bytes)", r,
              (unsigned long)bytes);
    {
        GUID gsm = WSAID_WSASENDMSG;
        LPFN_WSASENDMSG sendmsg_fn = NULL;
        WSABUF sb;
        WSAMSG smsg;

        WSAIoctl(u1, SIO_GET_EXTENSION_FUNCTION_POINTER, &gsm, sizeof(gsm), &sendmsg_fn, sizeof(sendmsg_fn), &bytes,
                 NULL, NULL);
        memset(&smsg, 0, sizeof(smsg));
        sb.buf = (char *)"smsg!";
        sb.len = 5;
        smsg.name = (struct sockaddr *)&a2;
        smsg.namelen = sizeof(a2);
        smsg.lpBuffers = &sb;
        smsg.dwBufferCount = 1;
        bytes = 0;
        r = sendmsg_fn ? sendmsg_fn(u1, &smsg, 0, &bytes, NULL, NULL) : -2;
        memset(buf, 0, sizeof(buf));
        lsp_check(!r && bytes == 5 && recv(u2, buf, sizeof(buf), 0) == 5 && !memcmp(buf, "smsg!", 5),
                  "WSASendMsg through the layer (%d, %lu bytes)", r, (unsigned long)bytes);
    }
    WSACloseEvent(ov.hEvent);
    closesocket(u1);
    closesocket(u2);
}

int WSPAPI WSCWriteProviderOrder(LPDWORD lpwdCatalogEntryId, DWORD dwNumberOfEntries); /* sporder.h */

/* The chain length of a new TCP socket (0: no socket). */
static int socket_chain_len(void)
{
    WSAPROTOCOL_INFOW info;
    SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    int n = s != INVALID_SOCKET && lsp_sock_info(s, &info) ? info.ProtocolChain.ChainLen : 0;

    if (s != INVALID_SOCKET) closesocket(s);
    return n;
}

/* How many TCP protocol chains WSAEnumProtocols lists (-1: the call failed). */
static int enum_chains(void)
{
    WSAPROTOCOL_INFOW *list;
    INT protos[] = { IPPROTO_TCP, 0 };
    DWORD len = 0;
    int n, i, chains = 0;

    if (WSAEnumProtocolsW(protos, NULL, &len) != SOCKET_ERROR || WSAGetLastError() != WSAENOBUFS ||
        !(list = malloc(len)))
        return -1;
    if ((n = WSAEnumProtocolsW(protos, list, &len)) == SOCKET_ERROR) chains = -1;
    for (i = 0; i < n; i++)
        if (list[i].ProtocolChain.ChainLen > 1) chains++;
    free(list);
    return chains;
}

/* Child: one socket; exit code = its chain length (2: through the layer, 1: the base provider),
 * plus CHILD_ENUM_CHAIN when WSAEnumProtocols lists a TCP protocol chain (it must list one exactly
 * when the process may load the layer, as Windows filters the catalog by the process' categories). */
#define CHILD_ENUM_CHAIN 16
static int child(void)
{
    WSADATA wsa;
    int chains, len;

    WSAStartup(MAKEWORD(2, 2), &wsa);
    if ((chains = enum_chains()) < 0) return 101;
    if (!(len = socket_chain_len())) return 100;
    WSACleanup();
    return len + (chains ? CHILD_ENUM_CHAIN : 0);
}

/* Child "child-immutable-N": the process' permitted categories are fixed at its first WSAStartup
 * (Microsoft's WSCGetApplicationCategory page: "not mutable during the lifetime of the application
 * instance"). It categorises itself (LSP_PROXY only, which excludes the uncategorised tracing LSP),
 * makes the catalog change (the same provider order written again), and looks again, also after
 * WSACleanup and a new WSAStartup. Exit code: bit 0 the first socket went through the layer, bit 1
 * the socket after the change did, bit 2 WSAEnumProtocols still lists the chain, bit 3 the socket
 * after the new WSAStartup did. An uncategorised first instance gives 15; the next instance, now
 * categorised, 0. */
static int child_immutable(const char *extra)
{
    WCHAR exe[MAX_PATH], wextra[64];
    DWORD n = GetModuleFileNameW(NULL, exe, MAX_PATH), prev = 0, ids[64], len = 0;
    WSAPROTOCOL_INFOW *list = NULL;
    WSADATA wsa;
    int err = 0, count, i, bits = 0;

    MultiByteToWideChar(CP_ACP, 0, extra, -1, wextra, 64);
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 100;
    if (socket_chain_len() == 2) bits |= 1;
    if (WSCSetApplicationCategory(exe, n, wextra, (DWORD)wcslen(wextra), LSP_PROXY, &prev, &err)) return 101;
    if (WSCEnumProtocols(NULL, NULL, &len, &err) != SOCKET_ERROR || err != WSAENOBUFS || !(list = malloc(len)) ||
        (count = WSCEnumProtocols(NULL, list, &len, &err)) == SOCKET_ERROR || count > 64)
        return 102;
    for (i = 0; i < count; i++) ids[i] = list[i].dwCatalogEntryId;
    free(list);
    if (WSCWriteProviderOrder(ids, (DWORD)count)) return 103;
    if (socket_chain_len() == 2) bits |= 2;
    if (enum_chains() > 0) bits |= 4;
    WSACleanup();
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 104;
    if (socket_chain_len() == 2) bits |= 8;
    WSACleanup();
    return bits;
}

/* Deletes the AppId_Catalog entries whose AppArgs is args (the test's own, so that the next run
 * starts uncategorised). */
static void remove_app_entries(const WCHAR *args)
{
    HKEY root, key;
    WCHAR name[64], value[128];
    DWORD i = 0, nlen, size, type;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\AppId_Catalog", 0,
                      KEY_ALL_ACCESS, &root))
        return;
    for (;;)
    {
        BOOL match = FALSE;
        nlen = 64;
        if (RegEnumKeyExW(root, i, name, &nlen, NULL, NULL, NULL, NULL)) break;
        if (!RegOpenKeyExW(root, name, 0, KEY_READ, &key))
        {
            size = sizeof(value) - sizeof(WCHAR);
            memset(value, 0, sizeof(value));
            match = !RegQueryValueExW(key, L"AppArgs", NULL, &type, (BYTE *)value, &size) && !wcscmp(value, args);
            RegCloseKey(key);
        }
        if (!match || RegDeleteKeyW(root, name)) i++;
    }
    RegCloseKey(root);
}

/* Runs "child-traced" with OPENWS2_TRACE=spec and OPENWS2_TRACE_FILE in the temporary directory:
 * the file's text (NULL when it holds nothing), the child's pid in *pid. */
static char *run_traced_child(const char *spec, DWORD *pid, int *code)
{
    char dir[MAX_PATH], tmpl[MAX_PATH], path[MAX_PATH + 16];
    WCHAR wpath[MAX_PATH + 16];
    char *text;

    *pid = 0;
    GetTempPathA(sizeof(dir), dir);
    snprintf(tmpl, sizeof(tmpl), "%sopenws2-lsp-channel-%%p.log", dir);
    SetEnvironmentVariableA("OPENWS2_TRACE", spec);
    SetEnvironmentVariableA("OPENWS2_TRACE_FILE", tmpl);
    *code = lsp_run_self(L"child-traced", pid);
    SetEnvironmentVariableA("OPENWS2_TRACE", NULL);
    SetEnvironmentVariableA("OPENWS2_TRACE_FILE", NULL);
    snprintf(path, sizeof(path), "%sopenws2-lsp-channel-%lu.log", dir, (unsigned long)*pid);
    MultiByteToWideChar(CP_ACP, 0, path, -1, wpath, MAX_PATH + 16);
    text = lsp_read_file(wpath, NULL);
    DeleteFileA(path);
    return text;
}

/* The layer's own diagnostic lines go through the trace library's channel lsp (OPENWS2_TRACE=lsp, here
 * into OPENWS2_TRACE_FILE), not with any other channel; the tracing LSP's log file is its own. */
static void trace_channel(void)
{
    char tag[48], *text;
    DWORD pid;
    int code;

    text = run_traced_child("lsp", &pid, &code);
    snprintf(tag, sizeof(tag), "lsp_trace pid=%lu ", (unsigned long)pid);
    lsp_check(code == 2 + CHILD_ENUM_CHAIN && text && lsp_count_lines(text, tag, "WSPSocket(", NULL) >= 1,
              "OPENWS2_TRACE=lsp: the layer's WSPSocket line is in the trace file (exit %d, %d lines)", code,
              text ? lsp_count_lines(text, tag, "WSPSocket(", NULL) : -1);
    free(text);
    text = run_traced_child("api", &pid, &code);
    snprintf(tag, sizeof(tag), "lsp_trace pid=%lu ", (unsigned long)pid);
    lsp_check(code == 2 + CHILD_ENUM_CHAIN && text && lsp_count_lines(text, "socket(", NULL) >= 1 &&
              !lsp_count_lines(text, tag, NULL),
              "OPENWS2_TRACE=api: api lines, none of the layer's (exit %d, %d lines)", code,
              text ? lsp_count_lines(text, tag, NULL) : -1);
    free(text);
}

static void categories(void)
{
    WCHAR exe[MAX_PATH];
    DWORD n = GetModuleFileNameW(NULL, exe, MAX_PATH), prev = 0, cats = 0, traced_pid = 0, bypass_pid = 0;
    char tag[32], *log;
    int err = 0, r;

    {
        /* Categories are fixed at the process' first WSAStartup (child_immutable). */
        static const WCHAR immutable_args[] = L"child-immutable-cat";
        remove_app_entries(immutable_args);
        r = lsp_run_self(immutable_args, NULL);
        lsp_check(r == 15, "a process that categorises itself keeps the categories of its first WSAStartup: "
                  "socket(), WSAEnumProtocols after a catalog change and after a new WSAStartup (exit %d)", r);
        r = lsp_run_self(immutable_args, NULL);
        lsp_check(r == 0, "the next instance of that application has the new categories (exit %d)", r);
        remove_app_entries(immutable_args);
    }
    r = WSCSetApplicationCategory(exe, n, L"child-bypass", 12, LSP_SYSTEM, &prev, &err);
    if (!r) r = WSCGetApplicationCategory(exe, n, L"child-bypass", 12, &cats, &err);
    lsp_check(!r && cats == LSP_SYSTEM,
              "WSCSetApplicationCategory(LSP_SYSTEM) for \"child-bypass\" (%d %d, %#lx)", r, err, (unsigned long)cats);
    r = lsp_run_self(L"child-traced", &traced_pid);
    lsp_check(r == 2 + CHILD_ENUM_CHAIN, "an uncategorised process gets the chain and WSAEnumProtocols lists it (exit %d)", r);
    r = lsp_run_self(L"child-bypass", &bypass_pid);
    lsp_check(r == 1, "a process permitting only LSP_SYSTEM bypasses the uncategorised LSP, in socket() and WSAEnumProtocols (exit %d)", r);
    log = lsp_read_file(log_path, NULL);
    snprintf(tag, sizeof(tag), "pid=%lu ", (unsigned long)traced_pid);
    lsp_check(log && lsp_count_lines(log, tag, "WSPSocket(", NULL) >= 1, "the traced child's socket is in the trace");
    snprintf(tag, sizeof(tag), "pid=%lu ", (unsigned long)bypass_pid);
    lsp_check(log && !lsp_count_lines(log, tag, NULL), "the bypassing child left no trace line");
    free(log);

    /* The LSP categorised LSP_SYSTEM | LSP_INSPECTOR: it loads where all its categories are permitted. */
    cats = LSP_SYSTEM | LSP_INSPECTOR;
    r = WSCSetProviderInfo(&trace_guid, ProviderInfoLspCategories, (PBYTE)&cats, sizeof(cats), 0, &err);
    lsp_check(!r, "WSCSetProviderInfo(ProviderInfoLspCategories, LSP_SYSTEM | LSP_INSPECTOR) (%d)", r ? err : 0);
    r = WSCSetApplicationCategory(exe, n, L"child-inspect", 13, LSP_SYSTEM | LSP_INSPECTOR | LSP_PROXY, &prev, &err);
    lsp_check(!r && lsp_run_self(L"child-inspect", NULL) == 2 + CHILD_ENUM_CHAIN,
              "an application permitting LSP_SYSTEM | LSP_INSPECTOR | LSP_PROXY gets the categorised LSP");
    lsp_check(lsp_run_self(L"child-bypass", NULL) == 1,
              "an application permitting LSP_SYSTEM only still bypasses it (LSP_INSPECTOR not permitted)");
    r = WSCSetApplicationCategory(exe, n, L"child-proxy", 11, LSP_PROXY, &prev, &err);
    lsp_check(!r && lsp_run_self(L"child-proxy", NULL) == 1,
              "an application permitting LSP_PROXY only bypasses it");
    {
        /* An entry whose path holds environment strings matches the expanded module path. */
        static const WCHAR envpath[] = L"%OPENWS2_LSP_TESTDIR%\\lsp_trace_e2e.exe";
        WCHAR dir[MAX_PATH], *slash;
        lstrcpynW(dir, exe, MAX_PATH);
        if ((slash = wcsrchr(dir, L'\\'))) *slash = 0;
        SetEnvironmentVariableW(L"OPENWS2_LSP_TESTDIR", dir);
        r = WSCSetApplicationCategory(envpath, (DWORD)wcslen(envpath), L"child-envpath", 13, LSP_PROXY, &prev, &err);
        lsp_check(!r && lsp_run_self(L"child-envpath", NULL) == 1,
                  "an entry registered as %%OPENWS2_LSP_TESTDIR%%\\lsp_trace_e2e.exe applies to the program (%d)", r);
    }
}

static void check_log(void)
{
    char *log = lsp_read_file(log_path, NULL);
    /* IFS: the extension functions are the layer's tracing wrappers, and completions are seen
     * without touching the request (dlls/lsp_common/lsp_ifs_watch.c): the event-signalled WSARecv,
     * the completion routine, WSAGetOverlappedResult and the extension functions' events. */
    static const char *const ifs_calls[] = { "WSPStartup(", "WSPSocket(", "WSPBind(", "WSPListen(", "WSPConnect(",
                                             "WSPAccept(", "WSPSend(", "WSPRecv(", "ifs-overlapped", "WSPSelect(",
                                             "WSPEventSelect(", "WSPAsyncSelect(", "WSPIoctl(", "WSPCloseSocket(",
                                             "SIO_GET_EXTENSION_FUNCTION_POINTER ifs) -> 0", "AcceptEx(",
                                             "ConnectEx(", "TransmitFile(", "TransmitPackets(", "DisconnectEx(",
                                             "WSARecvMsg(", "WSASendMsg(",
                                             "WSPRecv(s", "ifs) completed: bytes=5 flags=0 err=0 (event)",
                                             "ifs) completed: bytes=5 flags=0 err=0 (apc)",
                                             "WSPGetOverlappedResult(", "TransmitFile(s" };
    static const char *const calls[] = { "WSPStartup(", "WSPSocket(", "WSPBind(", "WSPListen(", "WSPConnect(",
                                         "WSPAccept(", "WSPSend(", "WSPRecv(", "WSPSendTo(", "WSPRecvFrom(", "WSARecvMsg(", "WSASendMsg(", "WSPSelect(", "WSPEventSelect(", "WSPAsyncSelect(", "TransmitFile(", "TransmitPackets(", "DisconnectEx(", "SIO_EXT_POLL) -> 0 err=0",
                                         "AcceptEx(", "ConnectEx(", "WSPIoctl(", "WSPCloseSocket(", "completed: bytes=5" };
    size_t i;
    int wait;

    /* In IFS mode the event-signalled completions are logged by the layer's thread-pool wait, which
     * may run a moment after the application saw its event: give those lines up to 3 s to arrive. */
    for (wait = 0; ifs_mode && log && wait < 30; wait++)
    {
        if (lsp_count_lines(log, pid_tag, "ifs) completed: bytes=5 ", "(event)", NULL) >= 3 &&
            lsp_count_lines(log, pid_tag, "DisconnectEx(s", "ifs) completed: bytes=0 flags=0 err=0 (event)", NULL) > 0)
            break;
        free(log);
        Sleep(100);
        log = lsp_read_file(log_path, NULL);
    }
    if (!lsp_check(log != NULL, "trace file written")) return;
    for (i = 0; !ifs_mode && i < sizeof(calls) / sizeof(calls[0]); i++)
        lsp_check(lsp_count_lines(log, pid_tag, calls[i], NULL) > 0, "trace has %s lines of this process (%d)", calls[i],
                  lsp_count_lines(log, pid_tag, calls[i], NULL));
    for (i = 0; ifs_mode && i < sizeof(ifs_calls) / sizeof(ifs_calls[0]); i++)
        lsp_check(lsp_count_lines(log, pid_tag, ifs_calls[i], NULL) > 0, "trace has %s lines of this process (%d)",
                  ifs_calls[i], lsp_count_lines(log, pid_tag, ifs_calls[i], NULL));
    if (ifs_mode)
    {
        /* Completions with their numbers: 5 bytes each (WSARecv, AcceptEx and ConnectEx by event) and
         * DisconnectEx's. They are seen by a thread-pool wait on a duplicate of the application's
         * event: best effort (under Wine 10 a wait sometimes runs only after the layer has been
         * cleaned up, and is then cancelled), so at least one of each kind must be there. */
        static const char *const done[] = { "WSPRecv(s", "AcceptEx(s", "ConnectEx(s", "DisconnectEx(s" };
        int seen = 0;
        for (i = 0; i < sizeof(done) / sizeof(done[0]); i++)
            if (lsp_count_lines(log, pid_tag, done[i], "ifs) completed: bytes=", "err=0 (event)", NULL) > 0) seen++;
        lsp_check(seen >= 1, "trace has event completions of the extension functions and WSARecv with their byte counts (%d of 4)",
                  seen);
        lsp_check(lsp_count_lines(log, pid_tag, "ifs) completed: bytes=5 flags=0 err=0 (event)", NULL, NULL) > 0,
                  "an event completion carries its 5 bytes");
        if (lsp_wine_completes_ifs())
        {
            /* the completions the layer delivers: port only, the auto-reset event, no event */
            lsp_check(lsp_count_lines(log, pid_tag, "WSPRecv(s", "ifs) completed: bytes=5 flags=0 err=0 (port)", NULL) > 0,
                      "trace has the port-only WSARecv's completion with its 5 bytes");
            lsp_check(lsp_count_lines(log, pid_tag, "WSPSend(s", "ifs) completed: bytes=5 flags=0 err=0 (port)", NULL) > 0,
                      "trace has the port-only WSASend's completion with its 5 bytes");
            lsp_check(lsp_count_lines(log, pid_tag, "WSPRecv(s", "ifs) completed: bytes=6 flags=0 err=0 (event)", NULL) > 0,
                      "trace has the auto-reset event's completion with its 6 bytes");
            lsp_check(lsp_count_lines(log, pid_tag, "WSPRecv(s", "ifs) completed: bytes=0 flags=0 err=995 (port)", NULL) >= 2,
                      "trace has the cancelled and the closed receives' completions (err=995)");
        }
    }
    lsp_check(lsp_count_lines(log, pid_tag, "WSPSend(", "bytes=4 ", NULL) >= 2, "the 4-byte blocking sends are traced");
    free(log);
}

/* ---- 1 GiB ---- */
#define BULK_TOTAL (1ull << 30)
#define BULK_BLOCK (1u << 20)

static unsigned char pattern(unsigned long long off)
{
    return (unsigned char)((off * 2654435761ull) >> 13 ^ (off >> 20));
}

static DWORD WINAPI bulk_sender(void *param)
{
    SOCKET s = (SOCKET)(ULONG_PTR)param;
    unsigned char *buf = malloc(BULK_BLOCK);
    unsigned long long off = 0;
    unsigned i;

    if (!buf) return 1;
    while (off < BULK_TOTAL)
    {
        for (i = 0; i < BULK_BLOCK; i++) buf[i] = pattern(off + i);
        if (!lsp_send_all(s, (char *)buf, BULK_BLOCK)) break;
        off += BULK_BLOCK;
    }
    shutdown(s, SD_SEND);
    free(buf);
    return off == BULK_TOTAL ? 0 : 1;
}

static void bulk(void)
{
    SOCKET c, a;
    unsigned char *buf = malloc(256 * 1024);
    unsigned long long off = 0, bad = 0, sum_sent = 1469598103934665603ull, sum_got = 1469598103934665603ull;
    unsigned long long i;
    HANDLE thread;
    DWORD t0 = GetTickCount(), code = 1;
    char *log, want[64];
    int n;

    if (!buf || !lsp_check(lsp_connected_pair(AF_INET, &c, &a), "pair for the 1 GiB transfer")) return;
    thread = CreateThread(NULL, 0, bulk_sender, (void *)(ULONG_PTR)c, 0, NULL);
    while ((n = recv(a, (char *)buf, 256 * 1024, 0)) > 0)
    {
        for (i = 0; i < (unsigned long long)n; i++)
        {
            if (buf[i] != pattern(off + i)) bad++;
            sum_got = (sum_got ^ buf[i]) * 1099511628211ull;
        }
        off += n;
    }
    WaitForSingleObject(thread, INFINITE);
    GetExitCodeThread(thread, &code);
    CloseHandle(thread);
    for (i = 0; i < BULK_TOTAL; i++) sum_sent = (sum_sent ^ pattern(i)) * 1099511628211ull;
    lsp_check(!code && off == BULK_TOTAL && !bad && sum_got == sum_sent,
              "1 GiB through the layer: %llu bytes, %llu differing, checksum %016llx/%016llx, %lu ms", off, bad, sum_got,
              sum_sent, (unsigned long)(GetTickCount() - t0));
    closesocket(c);
    closesocket(a);
    free(buf);
    log = lsp_read_file(log_path, NULL);
    snprintf(want, sizeof(want), "sent=%llu ", BULK_TOTAL);
    lsp_check(log && lsp_count_lines(log, pid_tag, "WSPCloseSocket(", want, NULL) == 1,
              "the layer counted 1073741824 bytes sent on one socket");
    snprintf(want, sizeof(want), "received=%llu", BULK_TOTAL);
    lsp_check(log && lsp_count_lines(log, pid_tag, "WSPCloseSocket(", want, NULL) == 1,
              "the layer counted 1073741824 bytes received on the other");
    free(log);
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    struct lsp_dump before, after;
    BOOL is_bulk = argc > 1 && !strcmp(argv[1], "bulk");

    ifs_mode = argc > 1 && !strcmp(argv[1], "ifs");
    tool_mode = argc > 1 && !strcmp(argv[1], "tool");
    DWORD dummy = 0;
    int err = 0;

    if (argc > 1 && !strncmp(argv[1], "child-immutable", 15)) return child_immutable(argv[1]);
    if (argc > 1 && !strncmp(argv[1], "child-", 6)) return child();
    setvbuf(stdout, NULL, _IONBF, 0);
    snprintf(pid_tag, sizeof(pid_tag), "pid=%lu ", GetCurrentProcessId());
    if (WSAStartup(MAKEWORD(2, 2), &wsa)) return 2;
    lsp_remove_by_guid(&trace_guid); /* a previous run's leftovers */
    before = lsp_catalog_dump();
    lsp_check(configure(is_bulk ? "lsp_trace_bulk.log" : ifs_mode ? "lsp_trace_ifs.log" :
                                          tool_mode ? "lsp_trace_tool.log" : "lsp_trace_e2e.log"), "HKLM\\%s configured", TRACE_KEY);
    {
        HANDLE change = NULL;
        WSAOVERLAPPED cov;
        int r = WSAProviderConfigChange(&change, NULL, NULL);
        memset(&cov, 0, sizeof(cov));
        cov.hEvent = WSACreateEvent();
        if (!r) r = WSAProviderConfigChange(&change, &cov, NULL);
        lsp_check(r == SOCKET_ERROR && WSAGetLastError() == WSA_IO_PENDING, "WSAProviderConfigChange armed (%d)",
                  WSAGetLastError());
        dummy = tool_mode ? tool_install() : install();
        trace_dummy = dummy;
        lsp_check(WaitForSingleObject(cov.hEvent, 5000) == WAIT_OBJECT_0,
                  "WSAProviderConfigChange completed when the LSP was installed");
        if (change) CloseHandle(change);
        WSACloseEvent(cov.hEvent);
    }
    if (dummy)
    {
        if (is_bulk) bulk();
        else
        {
            check_catalog(dummy);
            blocking(AF_INET);
            blocking(AF_INET6);
            duplicate();
            datagrams();
            readiness();
            overlapped();
            async_select();
            extensions();
            transmit_disconnect();
            check_log();
            if (!ifs_mode && !tool_mode) trace_channel();
            if (!ifs_mode && !tool_mode) categories();
            if (!ifs_mode && !tool_mode) both_views();
        }
    }
    err = 0;
    if (tool_mode)
    {
        WCHAR args[128];
        int r;
        _snwprintf(args, 128, L"remove-lsp \"%ls\"", tool_lsp_name);
        r = run_tool(args);
        lsp_check(r == 0, "ws2catalog remove-lsp -> exit %d", r);
    }
    else
    {
        err = lsp_remove_by_guid(&trace_guid);
        lsp_check(!err, "WSCDeinstallProvider, hidden entry then each chain (error %d)", err);
    }
    after = lsp_catalog_dump();
    lsp_check(before.len == after.len && !memcmp(before.data, after.data, before.len),
              "the catalog's registry bytes are back as before (%lu / %lu bytes)", (unsigned long)before.len,
              (unsigned long)after.len);
    WSACleanup();
    printf("%d failure(s)\n", lsp_failures);
    return lsp_failures ? 1 : 0;
}
