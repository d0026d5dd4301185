/* wine_compat.c - Wine-private facts outside the AFD protocol (see wine_compat.h): "is this Wine",
 * completing an IFS socket's request on the kernel's behalf (the server's add_fd_completion, below)
 * and Wine's debug channels through ntdll's exports __wine_dbg_get_channel_flags, __wine_dbg_header and
 * __wine_dbg_output (cdecl; a channel is { unsigned char flags; char name[15]; }, flags bit 7 asks
 * ntdll to look the channel up in WINEDEBUG on first use). Looked up with GetProcAddress: nothing is
 * imported from Wine, so the DLLs load on Windows and ReactOS too (the functions then report "no").
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <windows.h>
#include "wine_compat.h"

#include <string.h>

struct wine_compat_channel
{
    unsigned char flags;
    char name[15];
};

typedef unsigned char(__cdecl *get_channel_flags_fn)(struct wine_compat_channel *);
typedef int(__cdecl *dbg_header_fn)(int cls, struct wine_compat_channel *, const char *function);
typedef int(__cdecl *dbg_output_fn)(const char *text);

#define WINE_COMPAT_DBCL_INIT 7 /* "not looked up yet" */

static struct wine_compat_channel channel = {1 << WINE_COMPAT_DBCL_INIT, "openws2"};
static get_channel_flags_fn get_flags;
static dbg_header_fn dbg_header;
static dbg_output_fn dbg_output;
static LONG resolved; /* 0 not yet, 1 done */

static void resolve(void)
{
    HMODULE ntdll;

    if (InterlockedCompareExchange(&resolved, 0, 0)) return;
    ntdll = GetModuleHandleA("ntdll.dll");
    if (ntdll && GetProcAddress(ntdll, "wine_get_version"))
    {
        get_flags = (get_channel_flags_fn)(void (*)(void))GetProcAddress(ntdll, "__wine_dbg_get_channel_flags");
        dbg_header = (dbg_header_fn)(void (*)(void))GetProcAddress(ntdll, "__wine_dbg_header");
        dbg_output = (dbg_output_fn)(void (*)(void))GetProcAddress(ntdll, "__wine_dbg_output");
        if (!get_flags || !dbg_header || !dbg_output) get_flags = NULL;
    }
    InterlockedExchange(&resolved, 1);
}

typedef const char *(__cdecl *wine_get_version_fn)(void);

int wine_compat_is_wine(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    return ntdll && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

const char *wine_compat_version(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    wine_get_version_fn get_version =
        ntdll ? (wine_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
    return get_version ? get_version() : NULL;
}

int wine_compat_version_major(void)
{
    const char *v = wine_compat_version();
    int major = 0;

    if (!v) return 0;
    for (; *v >= '0' && *v <= '9' && major < 1000; v++) major = major * 10 + (*v - '0');
    return major;
}

unsigned wine_compat_debug_flags(void)
{
    DWORD saved = GetLastError();
    unsigned flags;

    resolve();
    flags = get_flags ? get_flags(&channel) : 0;
    SetLastError(saved);
    return flags;
}

int wine_compat_debug_line(enum wine_compat_dbcl cls, const char *function, const char *text)
{
    DWORD saved = GetLastError();
    int done = 0;

    resolve();
    if (get_flags && dbg_header((int)cls, &channel, function) >= 0)
    {
        dbg_output(text);
        done = 1;
    }
    SetLastError(saved);
    return done;
}

typedef LONG(WINAPI *nt_ioctl_fn)(HANDLE, HANDLE, void *, void *, void *, ULONG, void *, ULONG, void *, ULONG);

void wine_compat_server_sync(void)
{
    /* a zero-timeout wait on our own process is a "select" request to the server */
    if (wine_compat_is_wine()) WaitForSingleObject(GetCurrentProcess(), 0);
}

/* ntdll's NtDeviceIoControlFile under Wine, else NULL. */
static nt_ioctl_fn wine_nt_ioctl(void)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    if (!wine_compat_is_wine() || !ntdll) return NULL;
    return (nt_ioctl_fn)(void (*)(void))GetProcAddress(ntdll, "NtDeviceIoControlFile");
}

long wine_compat_afd_complete(void *h, struct _OVERLAPPED *ov, unsigned long status)
{
    nt_ioctl_fn ioctl = wine_nt_ioctl();
    ULONG st = (ULONG)status;
    HANDLE event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
    /* the completion port's value is the OVERLAPPED unless the event's low bit asks for none */
    void *port_value = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov;

    if (!ioctl) return (long)0xC00000BBL;
    return ioctl(h, event, NULL, port_value, ov, WINE_COMPAT_AFD_IOCTL(WINE_COMPAT_AFD_COMPLETE_ASYNC), &st,
                 sizeof(st), NULL, 0);
}

/* ---- completing a request on a handle's behalf (wine_compat_complete) ----
 * Wine's server protocol, as tools/make_requests lays it out from server/protocol.def (checked in the
 * Wine 8.0, 9.0 and 10.0 sources, 2026-12-07): a request is a 12-byte header { int req; unsigned
 * request_size, reply_size } then its fields, each aligned to its size; requests and replies are at
 * most 64 bytes; wine_server_call (ntdll, cdecl) takes { union { request; reply } u (64 bytes);
 * unsigned data_count; void *reply_data; { const void *ptr; unsigned size } data[5] }. A request's
 * number is its place in protocol.def, which changes between releases: add_fd_completion (handle,
 * cvalue, information, status, async) is number 254 in 8.0, 260 in 9.0 and 267 in 10.0 (9.0 read
 * from Ubuntu 24.04's source package; same layout, same handler). The server queues
 * { the handle's completion key, cvalue, status, information } on the handle's completion port when
 * it has one, unless async is 0 and the handle has FILE_SKIP_COMPLETION_PORT_ON_SUCCESS. */
struct wcs_add_fd_completion
{
    int req;
    unsigned int request_size, reply_size;
    unsigned int handle;
    unsigned long long cvalue;
    unsigned long long information;
    unsigned int status;
    int async;
};
_Static_assert(sizeof(struct wcs_add_fd_completion) == 40, "add_fd_completion request layout");

struct wcs_request_info
{
    union
    {
        struct wcs_add_fd_completion add_fd_completion;
        int max_size[16];
        unsigned long long align;
    } u;
    unsigned int data_count;
    void *reply_data;
    struct
    {
        const void *ptr;
        unsigned int size;
    } data[5];
};
_Static_assert(sizeof(((struct wcs_request_info *)0)->u) == 64, "Wine's request union is 64 bytes");

typedef unsigned int(__cdecl *server_call_fn)(void *);
typedef const char *(__cdecl *wine_get_build_id_fn)(void);

static server_call_fn server_call;
static int completion_request;
static INIT_ONCE complete_once = INIT_ONCE_STATIC_INIT;

static unsigned int post_completion(HANDLE h, ULONG_PTR value, unsigned long status, unsigned long long bytes,
                                    int async)
{
    struct wcs_request_info info;

    memset(&info, 0, sizeof(info));
    info.u.add_fd_completion.req = completion_request;
    info.u.add_fd_completion.handle = (unsigned int)(ULONG_PTR)h;
    info.u.add_fd_completion.cvalue = value;
    info.u.add_fd_completion.information = bytes;
    info.u.add_fd_completion.status = (unsigned int)status;
    info.u.add_fd_completion.async = async ? 1 : 0;
    return server_call(&info);
}

/* \\.\pipe\openws2-complete-probe-PID-TID (hex): unique to this thread's probe. */
static void pipe_name(WCHAR *name, size_t size)
{
    static const WCHAR prefix[] = L"\\\\.\\pipe\\openws2-complete-probe-";
    DWORD ids[2] = {GetCurrentProcessId(), GetCurrentThreadId()};
    size_t n = 0, i;
    int bit;

    for (i = 0; prefix[i] && n + 1 < size; i++) name[n++] = prefix[i];
    for (i = 0; i < 2; i++)
    {
        if (i && n + 1 < size) name[n++] = L'-';
        for (bit = 28; bit >= 0 && n + 1 < size; bit -= 4) name[n++] = L"0123456789abcdef"[(ids[i] >> bit) & 15];
    }
    name[n] = 0;
}

/* Probe: a packet asked for on a private overlapped pipe associated with a private port must arrive
 * with the key, value, status and byte count asked for, and nothing else. */
static BOOL probe_completion(void)
{
    static const ULONG_PTR key = 0x6f7773;  /* arbitrary */
    OVERLAPPED marker, *got = NULL;
    ULONG_PTR got_key = 0;
    DWORD got_bytes = 0;
    WCHAR name[64];
    HANDLE port, pipe;
    BOOL ok = FALSE, r;

    pipe_name(name, sizeof(name) / sizeof(name[0]));
    pipe = CreateNamedPipeW(name, PIPE_ACCESS_INBOUND | FILE_FLAG_OVERLAPPED | FILE_FLAG_FIRST_PIPE_INSTANCE,
                            PIPE_TYPE_BYTE, 1, 0, 0, 0, NULL);
    if (pipe == INVALID_HANDLE_VALUE) return FALSE;
    if ((port = CreateIoCompletionPort(pipe, NULL, key, 1)))
    {
        if (!post_completion(pipe, (ULONG_PTR)&marker, 0, 0x5a17, 1))
        {
            r = GetQueuedCompletionStatus(port, &got_bytes, &got_key, &got, 0);
            ok = r && got == &marker && got_key == key && got_bytes == 0x5a17;
            /* exactly one packet */
            if (ok && GetQueuedCompletionStatus(port, &got_bytes, &got_key, &got, 0)) ok = FALSE;
        }
        CloseHandle(port);
    }
    CloseHandle(pipe);
    return ok;
}

static BOOL CALLBACK complete_init(INIT_ONCE *once, void *param, void **context)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    wine_get_build_id_fn build_id;
    const char *id;
    DWORD saved = GetLastError();

    (void)once, (void)param, (void)context;
    if (!ntdll) return TRUE;
    build_id = (wine_get_build_id_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_build_id");
    id = build_id ? build_id() : NULL;
    completion_request = wine_compat_completion_request(wine_compat_version(), id);
    server_call = (server_call_fn)(void (*)(void))GetProcAddress(ntdll, "wine_server_call");
    if (!server_call || !completion_request || !probe_completion())
    {
        server_call = NULL;
        completion_request = 0;
    }
    SetLastError(saved);
    return TRUE;
}

int wine_compat_can_complete(void)
{
    InitOnceExecuteOnce(&complete_once, complete_init, NULL, NULL);
    return server_call != NULL;
}

long wine_compat_post(void *h, struct _OVERLAPPED *ov, unsigned long status, unsigned long long bytes,
                      int reported_pending)
{
    if (!wine_compat_can_complete() || !ov) return (long)0xC00000BBL;
    return (long)post_completion((HANDLE)h, (ULONG_PTR)ov, status, bytes, reported_pending);
}

long wine_compat_complete(void *h, struct _OVERLAPPED *ov, void *ov_event, unsigned long status,
                          unsigned long long bytes, int reported_pending)
{
    HANDLE event;

    if (!wine_compat_can_complete() || !ov) return (long)0xC00000BBL;
    event = (HANDLE)((ULONG_PTR)ov_event & ~(ULONG_PTR)1);
    ov->InternalHigh = (ULONG_PTR)bytes;
    MemoryBarrier();
    ov->Internal = status;
    if (event) SetEvent(event);
    else wine_compat_afd_signal(h); /* no event: the kernel signals the file */
    return ((ULONG_PTR)ov_event & 1) ? 0 : wine_compat_post(h, ov, status, bytes, reported_pending);
}

long wine_compat_afd_signal(void *h)
{
    nt_ioctl_fn ioctl = wine_nt_ioctl();
    ULONG_PTR iosb[2] = {0, 0};
    int value = 0;

    if (!ioctl) return (long)0xC00000BBL;
    return ioctl(h, NULL, NULL, NULL, iosb, WINE_COMPAT_AFD_IOCTL(WINE_COMPAT_AFD_GET_SO_RCVBUF), NULL, 0, &value,
                 sizeof(value));
}
