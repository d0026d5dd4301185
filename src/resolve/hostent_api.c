/* hostent_api.c - gethostbyname, gethostbyaddr, gethostname, GetHostNameW. The hostent is Windows'
 * per-thread result: one buffer per thread (a fiber-local slot freed at thread exit), valid until the
 * thread's next gethostby* call. Names go through the namespace catalog (src/resolve/hostent_lookup.c);
 * a dotted IPv4 string given to gethostbyname is returned as is.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "gai_resolve.h"
#include "hostent_lookup.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* The smallest per-thread hostent buffer (reused by the next call of the thread). */
#define HOSTENT_BUFFER_MIN 1024
/* The local host name (a DNS name: at most 255 characters and the terminator). */
#define HOST_NAME_CHARS 256

struct hostent_buffer
{
    size_t size;
    union { char bytes[1]; void *align; } data;
};

static INIT_ONCE fls_once = INIT_ONCE_STATIC_INIT;
static DWORD fls_index = FLS_OUT_OF_INDEXES;

static BOOL CALLBACK fls_init(INIT_ONCE *once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    fls_index = FlsAlloc((PFLS_CALLBACK_FUNCTION)(void (*)(void))LocalFree);
    return TRUE;
}

/* The thread's hostent buffer, at least size bytes (the previous result is dropped). */
static void *thread_buffer(size_t size)
{
    struct hostent_buffer *b, *nb;

    InitOnceExecuteOnce(&fls_once, fls_init, NULL, NULL);
    if (fls_index == FLS_OUT_OF_INDEXES) return NULL;
    b = FlsGetValue(fls_index);
    if (b && b->size >= size) return b->data.bytes;
    if (size < HOSTENT_BUFFER_MIN) size = HOSTENT_BUFFER_MIN;
    if (!(nb = LocalAlloc(LMEM_FIXED, offsetof(struct hostent_buffer, data) + size))) return NULL;
    nb->size = size;
    if (!FlsSetValue(fls_index, nb))
    {
        LocalFree(nb);
        return NULL;
    }
    if (b) LocalFree(b);
    return nb->data.bytes;
}

static struct hostent *make_hostent(const struct hostent_view *v, int *err)
{
    size_t need = hostent_pack(v, NULL, 0);
    void *buf = thread_buffer(need);

    if (!buf)
    {
        *err = WSAENOBUFS;
        return NULL;
    }
    hostent_pack(v, buf, need);
    return buf;
}

struct hostent *WSAAPI gethostbyname(const char *name)
{
    struct hostent_view v;
    struct hostent *he = NULL;
    int err;

    if (!(err = startup_check()) && name && !user_str_readable(name)) err = WSAEFAULT;
    else if (!err && !(err = hostent_by_name(name, &v)))
    {
        he = make_hostent(&v, &err);
        hostent_view_free(&v);
    }
    if (!he) WSASetLastError(err);
    TRACE_API("gethostbyname(name %s) -> %p (error %d)", !name ? "(null)" : user_str_readable(name) ? name : "(bad pointer)",
              (void *)he, he ? 0 : err);
    return he;
}

struct hostent *WSAAPI gethostbyaddr(const char *addr, int len, int type)
{
    struct hostent_view v;
    struct hostent *he = NULL;
    int err;

    if ((err = startup_check())) {}
    else if (!addr) err = WSAEFAULT;
    else if (type != AF_INET && type != AF_INET6) err = WSAEAFNOSUPPORT;
    else if (len < (type == AF_INET ? 4 : 16)) err = WSAEFAULT;
    else if (!user_readable(addr, type == AF_INET ? 4 : 16)) err = WSAEFAULT;
    else if (!(err = hostent_by_addr((const uint8_t *)addr, len, type, &v)))
    {
        he = make_hostent(&v, &err);
        hostent_view_free(&v);
    }
    if (!he) WSASetLastError(err);
    TRACE_API("gethostbyaddr(addr %p len %d type %d) -> %p (error %d)", (const void *)addr, len, type, (void *)he, he ? 0 : err);
    return he;
}

/* The local name into a WCHAR buffer: 0 or the error. */
static int local_name(WCHAR *buf, size_t size)
{
    size_t needed;
    return gai_local_host_name(buf, size, &needed);
}

int WSAAPI gethostname(char *name, int namelen)
{
    WCHAR wname[HOST_NAME_CHARS];
    char *a = NULL;
    int err;

    if ((err = startup_check())) {}
    else if (!name || namelen <= 0) err = WSAEFAULT;
    else if (!(err = local_name(wname, OPENWS2_ARRAY_SIZE(wname))))
    {
        if (!(a = gai_w_to_a(wname))) err = WSA_NOT_ENOUGH_MEMORY;
        else if (strlen(a) + 1 > (size_t)namelen || !user_writable(name, strlen(a) + 1)) err = WSAEFAULT;
        else memcpy(name, a, strlen(a) + 1);
        HeapFree(GetProcessHeap(), 0, a);
    }
    return api_leave_keep(NULL, err, 0, "gethostname(name %p namelen %d [%s])", (void *)name, namelen, err ? "" : name);
}

int WSAAPI GetHostNameW(PWSTR name, int namelen)
{
    WCHAR wname[HOST_NAME_CHARS];
    size_t len;
    int err;

    if ((err = startup_check())) {}
    else if (!name || namelen <= 0) err = WSAEFAULT;
    else if (!(err = local_name(wname, OPENWS2_ARRAY_SIZE(wname))))
    {
        len = gai_wcslen(wname);
        if (len + 1 > (size_t)namelen || !user_array_writable(name, len + 1, sizeof(WCHAR))) err = WSAEFAULT;
        else memcpy(name, wname, (len + 1) * sizeof(WCHAR));
    }
    return api_leave_keep(NULL, err, 0, "GetHostNameW(name %p namelen %d)", (void *)name, namelen);
}
