/* startup.c - WSAStartup/WSACleanup (version negotiation, the process' startup count, the last
 * cleanup closing every socket and unloading the providers), the per-thread error state
 * (WSAGetLastError/WSASetLastError), the Winsock 1.1 pseudo-blocking exports (WSASetBlockingHook,
 * WSAUnhookBlockingHook, WSACancelBlockingCall, WSAIsBlocking), WEP, WSApSetPostRoutine, and the
 * per-thread API state (TLS) of the dispatch layer.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "os.h"
#include <stdlib.h>
#include "api_internal.h"
#include "app_category.h"
#include "catalog.h"
#include "nsp_loader.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "startup_version.h"
#include "trace.h"
#include "user_ptr.h"

int WSAAPI WEP(int nParameter);
int WSAAPI WSApSetPostRoutine(LPVOID lpPostRoutine);

static CRITICAL_SECTION startup_cs;
static BOOL startup_cs_ready;
static volatile LONG startup_count;
static volatile LONG process_version;  /* WORD negotiated by the first successful WSAStartup */
static DWORD tls_index = TLS_OUT_OF_INDEXES;
static startup_post_fn post_routine;   /* WSApSetPostRoutine (NULL: PostMessage) */

BOOL startup_process_attach(void)
{
    InitializeCriticalSection(&startup_cs);
    startup_cs_ready = TRUE;
    tls_index = TlsAlloc();
    return tls_index != TLS_OUT_OF_INDEXES;
}

struct api_thread *api_thread_get(BOOL create)
{
    DWORD saved = GetLastError();
    struct api_thread *t;

    if (tls_index == TLS_OUT_OF_INDEXES) return NULL;
    t = TlsGetValue(tls_index);
    if (!t && create)
    {
        t = calloc(1, sizeof(*t));
        if (t && !TlsSetValue(tls_index, t))
        {
            free(t);
            t = NULL;
        }
    }
    SetLastError(saved); /* TlsGetValue clears the last error: keep the caller's WSAGetLastError */
    return t;
}

void api_thread_detach(void)
{
    struct api_thread *t;

    if (tls_index == TLS_OUT_OF_INDEXES) return;
    t = TlsGetValue(tls_index);
    if (t)
    {
        TlsSetValue(tls_index, NULL);
        if (t->thread_id.ThreadHandle) CloseHandle(t->thread_id.ThreadHandle);
        free(t);
    }
}

/* The version the process negotiated with its first successful WSAStartup (0 when not started). */
static WORD startup_process_version(void)
{
    return (WORD)os_atomic_load(&process_version);
}

/* Wine's own programs (wineboot, services, explorer, hostname ...) are written against Wine's builtin
 * ws2_32, which serves calls without WSAStartup: wineboot calls gethostname and getaddrinfo without
 * it to write the prefix's computer name. When our ws2_32 is installed for the whole prefix
 * (install.sh --system) those programs load it too; for them only, the first call made before any
 * WSAStartup starts Winsock 2.2 implicitly (never cleaned up, as the builtin never is). Every other
 * program gets Windows' WSANOTINITIALISED. A Wine program is one whose main image carries Wine's
 * module marker (startup_is_wine_image); applications never do. */
static BOOL wine_own_program(void)
{
    static volatile LONG known; /* 0: not looked at yet, 1: Wine's, 2: an application */
    LONG k = os_atomic_load(&known);

    if (!k)
    {
        const unsigned char *base = (const unsigned char *)GetModuleHandleW(NULL);
        MEMORY_BASIC_INFORMATION mbi;
        size_t avail = 0;

        if (base && VirtualQuery(base, &mbi, sizeof(mbi)) && mbi.State == MEM_COMMIT)
            avail = mbi.RegionSize - (size_t)(base - (const unsigned char *)mbi.BaseAddress);
        k = startup_is_wine_image(base, avail) ? 1 : 2;
        os_atomic_store(&known, k);
        TRACE_API("startup: the main program is %s", k == 1 ? "one of Wine's own (implicit WSAStartup)" : "an application");
    }
    return k == 1;
}

int startup_check(void)
{
    WSADATA data;

    if (os_atomic_load(&startup_count) > 0) return 0;
    if (!wine_own_program()) return WSANOTINITIALISED;
    return WSAStartup(MAKEWORD(2, 2), &data) ? WSANOTINITIALISED : 0;
}

/* A provider's lpErrno outside the range of Win32/WSA error codes (negative, above 0xFFFF) is
 * garbage: the application gets WSASYSCALLFAILURE instead (tests/e2e/rel_e2e.c "fault"). */
static int ws_error_code(int err)
{
    if (err < 0 || err > 0xFFFF)
    {
        WARN_CH(TRACE_CH_SPI, "provider error %d out of range -> WSASYSCALLFAILURE", err);
        return WSASYSCALLFAILURE;
    }
    return err;
}

int ws_fail(int err)
{
    SetLastError((DWORD)ws_error_code(err));
    return SOCKET_ERROR;
}

int ws_leave(int err, int value)
{
    SetLastError((DWORD)ws_error_code(err));
    return err ? SOCKET_ERROR : value;
}

/* ---- the last WSACleanup ---- */

struct socket_list
{
    SOCKET *items;
    size_t count, size;
    BOOL overflow;
};

static BOOL collect_socket(struct ws_socket *sock, void *param)
{
    struct socket_list *list = param;

    if (list->count == list->size)
    {
        size_t size = list->size ? list->size * 2 : 64;
        SOCKET *items = realloc(list->items, size * sizeof(*items));
        if (!items)
        {
            list->overflow = TRUE;
            return FALSE;
        }
        list->items = items;
        list->size = size;
    }
    list->items[list->count++] = (SOCKET)sock->hdr.handle;
    return TRUE;
}

/* Closes every socket still registered, as if the application had called closesocket on it. The
 * handles are collected first and closed outside the table's enumeration (closing takes the table's
 * lock). Runs again when memory ran out while collecting, so no socket is left behind. */
static void close_all_sockets(void)
{
    int rounds;

    for (rounds = 0; rounds < 16; rounds++)
    {
        struct socket_list list = { NULL, 0, 0, FALSE };
        size_t i;

        socket_table_enumerate(collect_socket, &list);
        for (i = 0; i < list.count; i++)
        {
            struct ws_socket *sock = socket_get(list.items[i]);
            if (!sock) continue;
            TRACE_API("WSACleanup: closing socket %#llx", (unsigned long long)list.items[i]);
            if (socket_close(sock) != 0) socket_unregister(sock); /* provider refused: forget it */
            socket_put(sock);
        }
        free(list.items);
        if (!list.overflow && list.count == 0) break;
        if (!list.overflow && rounds > 0) break;
    }
}

static void last_cleanup(void)
{
    nsp_unload_all(); /* lookups ended, NSPCleanup: before the transports go */
    ns_catalog_current_reset();
    close_all_sockets();
    provider_unload_all();
    socket_table_cleanup();
    catalog_current_reset();
    os_atomic_store(&process_version, 0);
}

void startup_process_detach(BOOL process_exit)
{
    /* At process exit other DLLs (the providers among them) may already be gone: touch nothing. On
     * FreeLibrary of a ws2_32 still started, release what the process still holds. */
    if (!process_exit && startup_cs_ready)
    {
        EnterCriticalSection(&startup_cs);
        if (os_atomic_load(&startup_count) > 0)
        {
            os_atomic_store(&startup_count, 0);
            last_cleanup();
        }
        LeaveCriticalSection(&startup_cs);
    }
    api_thread_detach();
    if (!process_exit)
    {
        if (tls_index != TLS_OUT_OF_INDEXES) TlsFree(tls_index);
        tls_index = TLS_OUT_OF_INDEXES;
        if (startup_cs_ready) DeleteCriticalSection(&startup_cs);
        startup_cs_ready = FALSE;
    }
}

/* ---- exports ---- */

/* A version WORD (major in the low byte) as a number that orders versions. */
static unsigned version_order(WORD v)
{
    return ((unsigned)LOBYTE(v) << 8) | HIBYTE(v);
}

int WSAAPI WSAStartup(WORD wVersionRequested, LPWSADATA lpWSAData)
{
    struct startup_negotiation n;
    int ret = 0;
    /* A WSADATA that cannot be written counts as missing (WSAEFAULT), as Windows' probe does. */
    BOOL data_ok = user_writable(lpWSAData, sizeof(*lpWSAData));

    startup_negotiate(wVersionRequested, &n);
    if (data_ok)
    {
        /* Windows fills the structure even when the version is refused, and writes only what it
         * defines: the strings up to their terminators (the bytes after them are the caller's), and
         * not lpVendorInfo, whatever the version (Wine's test_startup, which passes on Windows,
         * fills the structure with 0xcc and lpVendorInfo with 0xdeadbeef and finds it unchanged). */
        lpWSAData->wVersion = n.version;
        lpWSAData->wHighVersion = n.high_version;
        memcpy(lpWSAData->szDescription, STARTUP_DESCRIPTION, sizeof(STARTUP_DESCRIPTION));
        memcpy(lpWSAData->szSystemStatus, STARTUP_SYSTEM_STATUS, sizeof(STARTUP_SYSTEM_STATUS));
        lpWSAData->iMaxSockets = n.max_sockets;
        lpWSAData->iMaxUdpDg = n.max_udp_dg;
    }
    if (!n.supported) ret = WSAVERNOTSUPPORTED;
    else if (!data_ok) ret = WSAEFAULT;
    else
    {
        EnterCriticalSection(&startup_cs);
        if (os_atomic_load(&startup_count) == 0)
        {
            ret = socket_table_init();
            if (ret == 0) os_atomic_store(&process_version, (LONG)n.version);
            /* Windows determines the application's identity and permitted LSP categories at the
             * first WSAStartup, for the process' lifetime (WSCGetApplicationCategory's page). */
            if (ret == 0) app_category_identify();
        }
        else if (version_order(n.version) < version_order(startup_process_version()))
            /* The process runs at the lowest version any of its WSAStartup calls negotiated: a
             * Winsock 1.1 component started after a 2.x one gets the 1.1 behaviour (the
             * pseudo-blocking calls work again), as on Windows. */
            os_atomic_store(&process_version, (LONG)n.version);
        if (ret == 0) os_atomic_inc(&startup_count);
        LeaveCriticalSection(&startup_cs);
    }
    TRACE_API("WSAStartup(wVersionRequested %#x lpWSAData %p) -> %d (wVersion %#x count %ld)",
              wVersionRequested, (void *)lpWSAData, ret, n.version, (long)os_atomic_load(&startup_count));
    return ret;
}

int WSAAPI WSACleanup(void)
{
    int ret = 0;
    LONG count;

    EnterCriticalSection(&startup_cs);
    count = os_atomic_load(&startup_count);
    if (count <= 0) ret = ws_fail(WSANOTINITIALISED);
    else
    {
        os_atomic_store(&startup_count, count - 1);
        if (count == 1) last_cleanup();
    }
    LeaveCriticalSection(&startup_cs);
    TRACE_API("WSACleanup() -> %d (count %ld)", ret, (long)os_atomic_load(&startup_count));
    return ret;
}

int WSAAPI WSAGetLastError(void)
{
    int err = (int)GetLastError();
    TRACE_API("WSAGetLastError() -> %d", err);
    return err;
}

void WSAAPI WSASetLastError(int iError)
{
    TRACE_API("WSASetLastError(iError %d)", iError);
    SetLastError((DWORD)iError);
}

/* Windows' default blocking hook: dispatch one pending window message; TRUE when there was one. */
static BOOL CALLBACK default_blocking_hook(void)
{
    MSG msg;
    if (!PeekMessageA(&msg, NULL, 0, 0, PM_REMOVE)) return FALSE;
    TranslateMessage(&msg);
    DispatchMessageA(&msg);
    return TRUE;
}

/* The pseudo-blocking calls exist only for Winsock 1.1 applications: a process that negotiated 2.x
 * gets WSAEOPNOTSUPP, as on Windows ("not available to Windows Sockets 2 applications"). */
static int blocking_check(void)
{
    int err = startup_check();
    if (!err && LOBYTE(startup_process_version()) >= 2) err = WSAEOPNOTSUPP;
    return err;
}

FARPROC WSAAPI WSASetBlockingHook(FARPROC lpBlockFunc)
{
    struct api_thread *t;
    FARPROC prev = NULL;
    int err = blocking_check();

    if (!err && !lpBlockFunc) err = WSAEFAULT;
    if (!err && !(t = api_thread_get(TRUE))) err = WSAENOBUFS;
    if (!err)
    {
        prev = t->blocking_hook ? t->blocking_hook : (FARPROC)(void *)default_blocking_hook;
        t->blocking_hook = lpBlockFunc;
    }
    else SetLastError((DWORD)err);
    TRACE_API("WSASetBlockingHook(lpBlockFunc %p) -> %p (error %d)", (void *)(uintptr_t)lpBlockFunc,
              (void *)(uintptr_t)prev, err);
    return prev;
}

int WSAAPI WSAUnhookBlockingHook(void)
{
    struct api_thread *t;
    int err = blocking_check();

    if (!err && (t = api_thread_get(FALSE))) t->blocking_hook = NULL;
    return api_leave_keep(NULL, err, 0, "WSAUnhookBlockingHook()");
}

int WSAAPI WSACancelBlockingCall(void)
{
    /* openws2 never pseudo-blocks (providers block in their own threads), so no blocking call is ever
     * outstanding: Winsock 1.1's error for that case is WSAEINVAL. */
    int err = blocking_check();
    return api_leave_keep(NULL, err ? err : WSAEINVAL, 0, "WSACancelBlockingCall()");
}

BOOL WSAAPI WSAIsBlocking(void)
{
    /* No thread is ever inside a pseudo-blocking call (see WSACancelBlockingCall). */
    TRACE_API("WSAIsBlocking() -> 0");
    return FALSE;
}

int WSAAPI WEP(int nParameter)
{
    /* The Win16 DLL exit procedure, kept for compatibility: nothing to do, always succeeds. */
    TRACE_API("WEP(nParameter %d) -> 1", nParameter);
    return 1;
}

int WSAAPI WSApSetPostRoutine(LPVOID lpPostRoutine)
{
    /* wsock32 installs the routine WSAAsyncSelect/WSAAsyncGet* notifications are posted with. */
    __atomic_store_n(&post_routine, (startup_post_fn)(uintptr_t)lpPostRoutine, __ATOMIC_RELEASE);
    TRACE_API("WSApSetPostRoutine(lpPostRoutine %p) -> 0", lpPostRoutine);
    return 0;
}

startup_post_fn startup_post_routine(void)
{
    return __atomic_load_n(&post_routine, __ATOMIC_ACQUIRE);
}
