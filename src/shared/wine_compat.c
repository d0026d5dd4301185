/* wine_compat.c - Wine-private facts outside the AFD protocol (see wine_compat.h): "is this Wine" and
 * Wine's debug channels through ntdll's exports __wine_dbg_get_channel_flags, __wine_dbg_header and
 * __wine_dbg_output (cdecl; a channel is { unsigned char flags; char name[15]; }, flags bit 7 asks
 * ntdll to look the channel up in WINEDEBUG on first use). Looked up with GetProcAddress: nothing is
 * imported from Wine, so the DLLs load on Windows and ReactOS too (the functions then report "no").
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <windows.h>
#include "wine_compat.h"

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

long wine_compat_afd_complete(void *h, struct _OVERLAPPED *ov, unsigned long status)
{
    HMODULE ntdll = GetModuleHandleA("ntdll.dll");
    nt_ioctl_fn ioctl;
    ULONG st = (ULONG)status;
    HANDLE event = (HANDLE)((ULONG_PTR)ov->hEvent & ~(ULONG_PTR)1);
    /* the completion port's value is the OVERLAPPED unless the event's low bit asks for none */
    void *port_value = ((ULONG_PTR)ov->hEvent & 1) ? NULL : ov;

    if (!wine_compat_is_wine() || !ntdll) return (long)0xC00000BBL;
    if (!(ioctl = (nt_ioctl_fn)(void (*)(void))GetProcAddress(ntdll, "NtDeviceIoControlFile")))
        return (long)0xC00000BBL;
    return ioctl(h, event, NULL, port_value, ov, WINE_COMPAT_AFD_IOCTL(WINE_COMPAT_AFD_COMPLETE_ASYNC), &st,
                 sizeof(st), NULL, 0);
}
