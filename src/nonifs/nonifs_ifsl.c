/* nonifs_ifsl.c - the device side of the ReadFile/WriteFile redirector for non-IFS sockets
 * (include/nonifs_ifsl.h). Windows redirects ReadFile/WriteFile on the handles of
 * WPUCreateSocketHandle to the provider's WSPRecv/WSPSend with its ws2ifsl driver. Under Wine a
 * driver is a PE module served in user mode by ntoskrnl.exe's request loop; this file uses that
 * machinery inside the application's own process: it loads Wine's ntoskrnl.exe, creates a driver and
 * one device with a per-process name, and runs wine_ntoskrnl_main_loop (Wine's loop that fetches the
 * requests of the device's files from wineserver) in one thread. Every non-IFS socket handle is then
 * a file object on that device: the kernel (wineserver) routes the application's ReadFile/WriteFile
 * to the dispatch routines below, which hand them to the provider (nonifs_ifsl_io in
 * src/nonifs/nonifs_handle.c); completion, events, APCs and completion ports are the kernel's, with exact
 * byte counts and statuses. ws2_32 completes the provider's WPUCompleteOverlappedRequest calls on the
 * same file object with a write carrying a per-process secret at a per-process offset, which the
 * device completes with exactly the requested count.
 * Started only when the first non-IFS handle is made: processes without a non-IFS provider never
 * load ntoskrnl.exe nor get the thread.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ntddk.h>

#include "nonifs_ifsl.h"
#include "wine_compat.h"

/* kernel32 / advapi32 entries this file needs (windows.h cannot be combined with the DDK headers). */
__declspec(dllimport) void *__stdcall LoadLibraryW(const wchar_t *name);
__declspec(dllimport) void *__stdcall GetModuleHandleW(const wchar_t *name);
__declspec(dllimport) void *__stdcall GetProcAddress(void *module, const char *name);
__declspec(dllimport) void *__stdcall CreateThread(void *sa, SIZE_T stack, ULONG (__stdcall *proc)(void *),
                                                    void *param, ULONG flags, ULONG *tid);
__declspec(dllimport) void *__stdcall CreateEventW(void *sa, int manual, int initial, const wchar_t *name);
__declspec(dllimport) int __stdcall CloseHandle(void *h);
__declspec(dllimport) ULONG __stdcall GetCurrentProcessId(void);
__declspec(dllimport) ULONG __stdcall GetCurrentThreadId(void);
__declspec(dllimport) ULONG __stdcall WaitForSingleObject(void *h, ULONG ms);
#define GetCurrentProcess_() ((void *)(LONG_PTR)-1)
__declspec(dllimport) ULONG __stdcall GetTickCount(void);
__declspec(dllimport) ULONG __stdcall GetLastError(void);
__declspec(dllimport) int __stdcall InitOnceExecuteOnce(void *once, int (__stdcall *fn)(void *, void *, void **),
                                                         void *param, void **ctx);
__declspec(dllimport) int __stdcall GetModuleHandleExW(ULONG flags, const void *name, void **module);
__declspec(dllimport) unsigned char __stdcall SystemFunction036(void *buf, ULONG len); /* RtlGenRandom */
int __cdecl _snwprintf(wchar_t *buf, size_t n, const wchar_t *fmt, ...);

#define IFSL_ERROR_NOT_SUPPORTED 50UL
#define IFSL_ERROR_NOT_ENOUGH_MEMORY 8UL

/* DeviceIoControl code binding a new file object to its socket (input: struct bind_msg). */
#define IFSL_IOCTL_BIND CTL_CODE(FILE_DEVICE_UNKNOWN, 0x877, METHOD_BUFFERED, FILE_ANY_ACCESS)

struct secret
{
    ULONGLONG a, b;
};
struct bind_msg
{
    struct secret secret;
    void *ctx;
};
struct complete_msg
{
    struct secret secret;
    NTSTATUS status;
    ULONG bytes;
};

typedef NTSTATUS (NTAPI *io_create_driver_fn)(UNICODE_STRING *, PDRIVER_INITIALIZE);
typedef NTSTATUS (NTAPI *io_create_device_fn)(DRIVER_OBJECT *, ULONG, UNICODE_STRING *, DEVICE_TYPE, ULONG, BOOLEAN,
                                              DEVICE_OBJECT **);
typedef VOID (FASTCALL *iof_complete_fn)(PIRP, CCHAR);
typedef NTSTATUS (__cdecl *main_loop_fn)(HANDLE);
typedef NTSTATUS (NTAPI *nt_create_file_fn)(HANDLE *, ACCESS_MASK, OBJECT_ATTRIBUTES *, IO_STATUS_BLOCK *,
                                            LARGE_INTEGER *, ULONG, ULONG, ULONG, ULONG, void *, ULONG);
typedef NTSTATUS (NTAPI *nt_ioctl_fn)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, ULONG, void *, ULONG,
                                      void *, ULONG);
typedef NTSTATUS (NTAPI *nt_write_fn)(HANDLE, HANDLE, void *, void *, IO_STATUS_BLOCK *, const void *, ULONG,
                                      LARGE_INTEGER *, ULONG *);

static struct
{
    void *once[1];           /* INIT_ONCE */
    ULONG error;             /* ifsl_start's answer */
    io_create_device_fn create_device;
    iof_complete_fn complete;
    main_loop_fn main_loop;
    nt_create_file_fn nt_create_file;
    nt_ioctl_fn nt_ioctl;
    nt_write_fn nt_write;
    HANDLE stop;
    volatile ULONG thread_id;
    struct secret secret;
    LONGLONG complete_offset; /* ByteOffset of the completing writes */
    WCHAR device_name[64];
    DEVICE_OBJECT *device;
} ifsl;

static NTSTATUS finish(IRP *irp, NTSTATUS status, ULONG_PTR info)
{
    irp->IoStatus.Status = status;
    irp->IoStatus.Information = info;
    ifsl.complete(irp, IO_NO_INCREMENT);
    return status;
}

static int secret_ok(const struct secret *s)
{
    return s->a == ifsl.secret.a && s->b == ifsl.secret.b;
}

static NTSTATUS NTAPI dispatch_simple(DEVICE_OBJECT *device, IRP *irp)
{
    (void)device;
    return finish(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI dispatch_ioctl(DEVICE_OBJECT *device, IRP *irp)
{
    IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
    const struct bind_msg *msg = irp->AssociatedIrp.SystemBuffer;

    (void)device;
    if (sp->Parameters.DeviceIoControl.IoControlCode != IFSL_IOCTL_BIND ||
        sp->Parameters.DeviceIoControl.InputBufferLength != sizeof(*msg) || !msg || !secret_ok(&msg->secret) ||
        !sp->FileObject || sp->FileObject->FsContext)
        return finish(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    sp->FileObject->FsContext = msg->ctx;
    return finish(irp, STATUS_SUCCESS, 0);
}

static NTSTATUS NTAPI dispatch_rw(DEVICE_OBJECT *device, IRP *irp)
{
    IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
    int write = sp->MajorFunction == IRP_MJ_WRITE;
    ULONG len = write ? sp->Parameters.Write.Length : sp->Parameters.Read.Length;
    void *ctx = sp->FileObject ? sp->FileObject->FsContext : NULL;
    void *buf = irp->UserBuffer ? irp->UserBuffer : irp->AssociatedIrp.SystemBuffer;
    NTSTATUS status;

    (void)device;
    if (!ctx) return finish(irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    if (write && sp->Parameters.Write.ByteOffset.QuadPart == ifsl.complete_offset &&
        len == sizeof(struct complete_msg) && buf && secret_ok(&((const struct complete_msg *)buf)->secret))
    {
        /* ws2_32 completing an application's request on this file (WPUCompleteOverlappedRequest). A
         * failure is reported as pending first: the kernel then still signals the event and queues
         * the packet, as for any overlapped request that fails after it started. */
        const struct complete_msg *msg = buf;
        if (NT_SUCCESS(msg->status)) return finish(irp, msg->status, msg->bytes);
        IoMarkIrpPending(irp);
        finish(irp, msg->status, msg->bytes);
        return STATUS_PENDING;
    }
    if (len && !buf) return finish(irp, STATUS_INVALID_USER_BUFFER, 0);
    status = nonifs_ifsl_io(ctx, irp, write, buf, len);
    if (status == STATUS_PENDING) return STATUS_PENDING;
    return finish(irp, status, 0);
}

/* GetFileType: a socket's handle is FILE_TYPE_PIPE on Windows (and with Wine's own sockets). */
static NTSTATUS NTAPI dispatch_volume(DEVICE_OBJECT *device, IRP *irp)
{
    IO_STACK_LOCATION *sp = IoGetCurrentIrpStackLocation(irp);
    FILE_FS_DEVICE_INFORMATION *info = irp->AssociatedIrp.SystemBuffer;

    (void)device;
    if (sp->Parameters.QueryVolume.FsInformationClass != FileFsDeviceInformation)
        return finish(irp, STATUS_NOT_IMPLEMENTED, 0);
    if (!info || sp->Parameters.QueryVolume.Length < sizeof(*info)) return finish(irp, STATUS_BUFFER_TOO_SMALL, 0);
    info->DeviceType = FILE_DEVICE_NAMED_PIPE;
    info->Characteristics = 0;
    return finish(irp, STATUS_SUCCESS, sizeof(*info));
}

static NTSTATUS NTAPI driver_init(DRIVER_OBJECT *driver, UNICODE_STRING *path)
{
    UNICODE_STRING name;
    NTSTATUS status;

    (void)path;
    driver->MajorFunction[IRP_MJ_CREATE] = dispatch_simple;
    driver->MajorFunction[IRP_MJ_CLEANUP] = dispatch_simple;
    driver->MajorFunction[IRP_MJ_CLOSE] = dispatch_simple;
    driver->MajorFunction[IRP_MJ_READ] = dispatch_rw;
    driver->MajorFunction[IRP_MJ_WRITE] = dispatch_rw;
    driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = dispatch_ioctl;
    driver->MajorFunction[IRP_MJ_QUERY_VOLUME_INFORMATION] = dispatch_volume;
    RtlInitUnicodeString(&name, ifsl.device_name);
    status = ifsl.create_device(driver, 0, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &ifsl.device);
    if (!status) ifsl.device->Flags &= ~DO_DEVICE_INITIALIZING;
    return status;
}

static ULONG __stdcall device_thread(void *param)
{
    (void)param;
    ifsl.thread_id = GetCurrentThreadId();
    ifsl.main_loop(ifsl.stop);
    ifsl.thread_id = 0;
    return 0;
}

static int __stdcall start_once(void *once, void *param, void **ctx)
{
    void *krnl, *ntdll = GetModuleHandleW(L"ntdll.dll");
    io_create_driver_fn create_driver;
    WCHAR driver_name[64];
    UNICODE_STRING dname;
    NTSTATUS status;

    (void)once; (void)param; (void)ctx;
    ifsl.error = IFSL_ERROR_NOT_SUPPORTED;
    /* Only under Wine: elsewhere ntoskrnl.exe is the kernel, not a loadable user-mode module. */
    if (!ntdll || !wine_compat_is_wine()) return 1;
    ifsl.nt_create_file = (nt_create_file_fn)GetProcAddress(ntdll, "NtCreateFile");
    ifsl.nt_ioctl = (nt_ioctl_fn)GetProcAddress(ntdll, "NtDeviceIoControlFile");
    ifsl.nt_write = (nt_write_fn)GetProcAddress(ntdll, "NtWriteFile");
    if (!ifsl.nt_create_file || !ifsl.nt_ioctl || !ifsl.nt_write) return 1;
    if (!(krnl = LoadLibraryW(L"ntoskrnl.exe"))) return 1;
    create_driver = (io_create_driver_fn)GetProcAddress(krnl, "IoCreateDriver");
    ifsl.create_device = (io_create_device_fn)GetProcAddress(krnl, "IoCreateDevice");
    ifsl.complete = (iof_complete_fn)GetProcAddress(krnl, "IofCompleteRequest");
    ifsl.main_loop = (main_loop_fn)GetProcAddress(krnl, "wine_ntoskrnl_main_loop");
    if (!create_driver || !ifsl.create_device || !ifsl.complete || !ifsl.main_loop) return 1;
    if (!SystemFunction036(&ifsl.secret, sizeof(ifsl.secret)) ||
        !SystemFunction036(&ifsl.complete_offset, sizeof(ifsl.complete_offset)))
        return 1;
    ifsl.complete_offset &= 0x3fffffffffffffffLL;
    ifsl.complete_offset |= 0x1000000000000000LL; /* never 0, never an offset a program uses by accident */
    _snwprintf(ifsl.device_name, 63, L"\\Device\\Openws2Ifsl_%lu_%lu", GetCurrentProcessId(), GetTickCount());
    _snwprintf(driver_name, 63, L"\\Driver\\Openws2Ifsl_%lu", GetCurrentProcessId());
    RtlInitUnicodeString(&dname, driver_name);
    /* The device's dispatch routines are ws2_32's code: once the device exists, ws2_32 stays loaded
     * (a FreeLibrary would leave the device thread calling into unmapped code). */
    {
        void *self;
        if (!GetModuleHandleExW(0x1 | 0x4 /* PIN | FROM_ADDRESS */, (const void *)start_once, &self)) return 1;
    }
    if ((status = create_driver(&dname, driver_init)) || !ifsl.device) return 1;
    if (!(ifsl.stop = CreateEventW(NULL, 1, 0, NULL))) return 1;
    {
        void *t = CreateThread(NULL, 0, device_thread, NULL, 0, NULL);
        if (!t)
        {
            ifsl.error = GetLastError();
            return 1;
        }
        CloseHandle(t);
    }
    ifsl.error = 0;
    return 1;
}

unsigned long ifsl_start(void)
{
    InitOnceExecuteOnce(ifsl.once, start_once, NULL, NULL);
    return ifsl.error;
}

int ifsl_on_device_thread(void)
{
    return ifsl.thread_id && ifsl.thread_id == GetCurrentThreadId();
}

void *ifsl_open(void *ctx)
{
    OBJECT_ATTRIBUTES attr;
    UNICODE_STRING name;
    IO_STATUS_BLOCK io;
    HANDLE h = NULL;
    struct bind_msg msg;
    NTSTATUS status;

    if (ifsl_start() || ifsl_on_device_thread()) return NULL;
    RtlInitUnicodeString(&name, ifsl.device_name);
    InitializeObjectAttributes(&attr, &name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    /* No FILE_SYNCHRONOUS_IO_*: an overlapped handle, as a socket's. */
    status = ifsl.nt_create_file(&h, GENERIC_READ | GENERIC_WRITE | SYNCHRONIZE, &attr, &io, NULL, 0,
                                 FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, 0, NULL, 0);
    if (status) return NULL;
    msg.secret = ifsl.secret;
    msg.ctx = ctx;
    /* A handle without an event: the device answers at once (not pending), so the call returns the
     * final status. */
    status = ifsl.nt_ioctl(h, NULL, NULL, NULL, &io, IFSL_IOCTL_BIND, &msg, sizeof(msg), NULL, 0);
    if (status)
    {
        CloseHandle(h);
        return NULL;
    }
    return h;
}

void ifsl_irp_mark_pending(void *irp)
{
    IoMarkIrpPending((IRP *)irp);
}

void ifsl_irp_complete(void *irp, long status, unsigned long bytes)
{
    finish(irp, status, bytes);
}

long ifsl_complete_request(void *h, void *event, void *cvalue, void *iosb, long status, unsigned long bytes)
{
    struct complete_msg msg;
    LARGE_INTEGER offset;
    NTSTATUS ret;

    msg.secret = ifsl.secret;
    msg.status = status;
    msg.bytes = bytes;
    offset.QuadPart = ifsl.complete_offset;
    ret = ifsl.nt_write(h, event, NULL, cvalue, iosb, &msg, sizeof(msg), &offset, NULL);
    /* A pending completion's result reaches the application's OVERLAPPED, event and port through a
     * kernel APC to this thread, which runs at its next wait: wait at once (on nothing). */
    if (ret == STATUS_PENDING) WaitForSingleObject(GetCurrentProcess_(), 0);
    return ret;
}
