/* async_lookup_api.c - WSAAsyncGetHostByName, WSAAsyncGetHostByAddr, WSAAsyncGetServByName,
 * WSAAsyncGetServByPort, WSAAsyncGetProtoByName, WSAAsyncGetProtoByNumber and WSACancelAsyncRequest.
 * Each request gets a nonzero task handle and runs on its own thread: the lookup (host names through
 * the namespace catalog, services and protocols from their databases), then the hostent / servent /
 * protoent packed into the caller's buffer with real pointers, then wMsg posted to hWnd with
 * wParam = the task handle and lParam = WSAMAKEASYNCREPLY(size needed, error); WSAENOBUFS (buffer
 * untouched) when the buffer is too small or NULL. As Windows, the arguments are not checked when the
 * request starts: a bad one (NULL name or address, unknown address type) is the reply's error. A cancelled request posts nothing and leaves the buffer
 * alone; WSACancelAsyncRequest answers WSAEALREADY for one that already completed, WSAEINVAL for an
 * unknown handle. Messages go through the WSApSetPostRoutine routine when one is installed.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "addr_parse.h"
#include "hostent_lookup.h"
#include "netdb_files.h"
#include "netdb_parse.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

enum task_kind { HOST_BY_NAME, HOST_BY_ADDR, SERV_BY_NAME, SERV_BY_PORT, PROTO_BY_NAME, PROTO_BY_NUMBER };

struct task
{
    struct task *next;
    HANDLE id;
    enum task_kind kind;
    HWND hwnd;
    UINT msg;
    char *buf;
    int buflen;
    char name[NETDB_NAME_MAX * 2];   /* host / service / protocol name */
    char proto[NETDB_NAME_MAX];
    BOOL has_proto;
    int number;                      /* port (network order) / protocol number / address type */
    uint8_t addr[16];
    int addr_len;
    BOOL has_name;                   /* HOST_BY_NAME: NULL is the local host */
    int preset;                      /* a bad argument: the error the reply reports */
    BOOL cancelled;
};

#define DONE_RING 256

static SRWLOCK task_lock = SRWLOCK_INIT;
static struct task *tasks;
static HANDLE done_ids[DONE_RING];
static unsigned done_pos;
static LONG task_counter;

/* Removes the task from the list (caller holds the lock); remembers its id as completed. */
static void unlink_task(struct task *t, BOOL completed)
{
    struct task **p;
    for (p = &tasks; *p; p = &(*p)->next)
        if (*p == t)
        {
            *p = t->next;
            break;
        }
    if (completed) done_ids[done_pos++ % DONE_RING] = t->id;
}

/* What a lookup found, before it is packed into the caller's buffer. */
struct found
{
    struct hostent_view host;
    struct netdb_service *serv;
    struct netdb_protocol *proto;
};

static void found_free(struct found *f)
{
    hostent_view_free(&f->host);
    HeapFree(GetProcessHeap(), 0, f->serv);
    HeapFree(GetProcessHeap(), 0, f->proto);
}

static int lookup(struct task *t, struct found *f)
{
    struct netdb_text db;
    int err = 0, found = 0;

    memset(f, 0, sizeof(*f));
    if (t->preset) return t->preset;
    if (t->kind == HOST_BY_NAME) return hostent_by_name(t->has_name ? t->name : NULL, &f->host);
    if (t->kind == HOST_BY_ADDR) return hostent_by_addr(t->addr, t->addr_len, t->number, &f->host);
    if ((err = netdb_file_load(t->kind <= SERV_BY_PORT ? NETDB_SERVICES : NETDB_PROTOCOLS, &db)))
        return WSA_NOT_ENOUGH_MEMORY;
    if (t->kind <= SERV_BY_PORT)
    {
        if (!(f->serv = HeapAlloc(GetProcessHeap(), 0, sizeof(*f->serv)))) err = WSA_NOT_ENOUGH_MEMORY;
        else if (t->kind == SERV_BY_NAME) found = netdb_find_service_by_name(db.data, db.len, t->name, t->has_proto ? t->proto : NULL, f->serv);
        else found = netdb_find_service_by_port(db.data, db.len, addr_port_from_net((uint16_t)t->number), t->has_proto ? t->proto : NULL, f->serv);
    }
    else
    {
        if (!(f->proto = HeapAlloc(GetProcessHeap(), 0, sizeof(*f->proto)))) err = WSA_NOT_ENOUGH_MEMORY;
        else if (t->kind == PROTO_BY_NAME) found = netdb_find_protocol_by_name(db.data, db.len, t->name, f->proto);
        else found = netdb_find_protocol_by_number(db.data, db.len, t->number, f->proto);
    }
    netdb_file_free(&db);
    if (!err && !found) err = WSANO_DATA;
    if (err) found_free(f);
    return err;
}

/* Packs what was found into buf (NULL: size only); returns the size needed. */
static size_t pack(const struct task *t, const struct found *f, void *buf, size_t size)
{
    const char *aliases[NETDB_MAX_ALIASES];
    size_t i;

    if (t->kind == HOST_BY_NAME || t->kind == HOST_BY_ADDR) return hostent_pack(&f->host, buf, size);
    if (f->serv)
    {
        for (i = 0; i < f->serv->alias_count; i++) aliases[i] = f->serv->aliases[i];
        return servent_pack(f->serv->name, aliases, f->serv->alias_count, addr_port_to_net(f->serv->port), f->serv->proto,
                            buf, size);
    }
    for (i = 0; i < f->proto->alias_count; i++) aliases[i] = f->proto->aliases[i];
    return protoent_pack(f->proto->name, aliases, f->proto->alias_count, f->proto->number, buf, size);
}

static DWORD WINAPI task_thread(void *arg)
{
    struct task *t = arg;
    startup_post_fn post;
    struct found f;
    size_t size = 0;
    int found_err = lookup(t, &f), err = found_err;
    BOOL cancelled;
    LPARAM lparam;

    if (!err) size = pack(t, &f, NULL, 0);
    if (!err && (!t->buf || size > (size_t)t->buflen)) err = WSAENOBUFS;
    /* a buffer that cannot be written is the reply's WSAEFAULT, not a crash of this thread */
    if (!err && !user_writable(t->buf, size)) err = WSAEFAULT;
    AcquireSRWLockExclusive(&task_lock);
    cancelled = t->cancelled;
    unlink_task(t, !cancelled);
    ReleaseSRWLockExclusive(&task_lock);
    /* completed: a cancel from now on answers WSAEALREADY, the buffer is the caller's result */
    if (!cancelled)
    {
        if (!err) pack(t, &f, t->buf, (size_t)t->buflen);
        lparam = WSAMAKEASYNCREPLY((WORD)(size > 0xffff ? 0xffff : size), (WORD)err);
        post = startup_post_routine();
        TRACE_API("async task %p (kind %d) completes -> error %d, size %lu", t->id, (int)t->kind, err, (unsigned long)size);
        if (post) post(t->hwnd, t->msg, (WPARAM)t->id, lparam);
        else PostMessageA(t->hwnd, t->msg, (WPARAM)t->id, lparam);
    }
    if (!found_err) found_free(&f);
    HeapFree(GetProcessHeap(), 0, t);
    return 0;
}

/* Queues a task; returns its handle or NULL with *err. */
static HANDLE submit(struct task *t, int *err)
{
    HANDLE thread, id;

    /* the id is read before the thread starts: a task that fails at once may be freed by then */
    t->id = id = (HANDLE)(ULONG_PTR)(0x10000u + ((ULONG)InterlockedIncrement(&task_counter) & 0x7fffffff));
    AcquireSRWLockExclusive(&task_lock);
    t->next = tasks;
    tasks = t;
    ReleaseSRWLockExclusive(&task_lock);
    if (!(thread = CreateThread(NULL, 0, task_thread, t, 0, NULL)))
    {
        AcquireSRWLockExclusive(&task_lock);
        unlink_task(t, FALSE);
        ReleaseSRWLockExclusive(&task_lock);
        HeapFree(GetProcessHeap(), 0, t);
        *err = WSAENOBUFS;
        return NULL;
    }
    CloseHandle(thread);
    return id;
}

/* Allocates a task after the common checks; NULL with *err on failure. */
static struct task *new_task(enum task_kind kind, HWND hwnd, UINT msg, char *buf, int buflen, int *err)
{
    struct task *t;

    /* as Windows, the arguments are not checked here: a bad one is reported in the reply */
    if ((*err = startup_check())) return NULL;
    if (!(t = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*t))))
    {
        *err = WSAENOBUFS;
        return NULL;
    }
    t->kind = kind;
    t->hwnd = hwnd;
    t->msg = msg;
    t->buf = buf;
    t->buflen = buflen < 0 ? 0 : buflen;
    return t;
}

/* Copies a name argument; a missing or over-long one becomes the reply's error. */
static void copy_name(struct task *t, char *dst, size_t size, const char *src)
{
    size_t n;
    if (!src || !user_str_readable(src))
    {
        if (!t->preset) t->preset = WSAEFAULT;
        return;
    }
    n = strlen(src);
    if (n >= size)
    {
        if (!t->preset) t->preset = t->kind == HOST_BY_NAME ? WSAHOST_NOT_FOUND : WSANO_DATA;
        return;
    }
    memcpy(dst, src, n + 1);
}

static HANDLE finish(const char *fn, struct task *t, int err, HWND hwnd, UINT msg)
{
    HANDLE h = NULL;

    if (t && err) HeapFree(GetProcessHeap(), 0, t);
    else if (t) h = submit(t, &err);
    if (!h) WSASetLastError(err);
    TRACE_API("%s(hWnd %p wMsg %u) -> %p (error %d)", fn, (void *)hwnd, msg, h, h ? 0 : err);
    return h;
}

HANDLE WSAAPI WSAAsyncGetHostByName(HWND hWnd, u_int wMsg, const char *name, char *buf, int buflen)
{
    int err;
    struct task *t = new_task(HOST_BY_NAME, hWnd, wMsg, buf, buflen, &err);

    if (t && name)
    {
        t->has_name = TRUE;
        copy_name(t, t->name, sizeof(t->name), name);
    }
    TRACE_API("WSAAsyncGetHostByName(name %s buf %p buflen %d)",
              !name ? "(null)" : user_str_readable(name) ? name : "(bad pointer)", (void *)buf, buflen);
    return finish("WSAAsyncGetHostByName", t, err, hWnd, wMsg);
}

HANDLE WSAAPI WSAAsyncGetHostByAddr(HWND hWnd, u_int wMsg, const char *addr, int len, int type, char *buf, int buflen)
{
    int err;
    struct task *t = new_task(HOST_BY_ADDR, hWnd, wMsg, buf, buflen, &err);

    if (t)
    {
        if (!addr) t->preset = WSAEFAULT;
        else if (type != AF_INET && type != AF_INET6) t->preset = WSAEAFNOSUPPORT;
        else if (len < (type == AF_INET ? 4 : 16) || !user_readable(addr, type == AF_INET ? 4 : 16)) t->preset = WSAEFAULT;
        else
        {
            t->addr_len = type == AF_INET ? 4 : 16;
            memcpy(t->addr, addr, (size_t)t->addr_len);
            t->number = type;
        }
    }
    TRACE_API("WSAAsyncGetHostByAddr(addr %p len %d type %d buf %p buflen %d)", (const void *)addr, len, type, (void *)buf, buflen);
    return finish("WSAAsyncGetHostByAddr", t, err, hWnd, wMsg);
}

HANDLE WSAAPI WSAAsyncGetServByName(HWND hWnd, u_int wMsg, const char *name, const char *proto, char *buf, int buflen)
{
    int err;
    struct task *t = new_task(SERV_BY_NAME, hWnd, wMsg, buf, buflen, &err);

    if (t)
    {
        copy_name(t, t->name, sizeof(t->name), name);
        if (proto)
        {
            t->has_proto = TRUE;
            copy_name(t, t->proto, sizeof(t->proto), proto);
        }
    }
    TRACE_API("WSAAsyncGetServByName(name %s proto %s buf %p buflen %d)",
              !name ? "(null)" : user_str_readable(name) ? name : "(bad pointer)",
              !proto ? "(null)" : user_str_readable(proto) ? proto : "(bad pointer)", (void *)buf, buflen);
    return finish("WSAAsyncGetServByName", t, err, hWnd, wMsg);
}

HANDLE WSAAPI WSAAsyncGetServByPort(HWND hWnd, u_int wMsg, int port, const char *proto, char *buf, int buflen)
{
    int err;
    struct task *t = new_task(SERV_BY_PORT, hWnd, wMsg, buf, buflen, &err);

    if (t)
    {
        t->number = (uint16_t)port;
        if (proto)
        {
            t->has_proto = TRUE;
            copy_name(t, t->proto, sizeof(t->proto), proto);
        }
    }
    TRACE_API("WSAAsyncGetServByPort(port %d proto %s buf %p buflen %d)", port,
              !proto ? "(null)" : user_str_readable(proto) ? proto : "(bad pointer)", (void *)buf, buflen);
    return finish("WSAAsyncGetServByPort", t, err, hWnd, wMsg);
}

HANDLE WSAAPI WSAAsyncGetProtoByName(HWND hWnd, u_int wMsg, const char *name, char *buf, int buflen)
{
    int err;
    struct task *t = new_task(PROTO_BY_NAME, hWnd, wMsg, buf, buflen, &err);

    if (t) copy_name(t, t->name, sizeof(t->name), name);
    TRACE_API("WSAAsyncGetProtoByName(name %s buf %p buflen %d)",
              !name ? "(null)" : user_str_readable(name) ? name : "(bad pointer)", (void *)buf, buflen);
    return finish("WSAAsyncGetProtoByName", t, err, hWnd, wMsg);
}

HANDLE WSAAPI WSAAsyncGetProtoByNumber(HWND hWnd, u_int wMsg, int number, char *buf, int buflen)
{
    int err;
    struct task *t = new_task(PROTO_BY_NUMBER, hWnd, wMsg, buf, buflen, &err);

    if (t) t->number = number;
    TRACE_API("WSAAsyncGetProtoByNumber(number %d buf %p buflen %d)", number, (void *)buf, buflen);
    return finish("WSAAsyncGetProtoByNumber", t, err, hWnd, wMsg);
}

int WSAAPI WSACancelAsyncRequest(HANDLE hAsyncTaskHandle)
{
    struct task *t;
    int err = WSAEINVAL;
    unsigned i;

    if ((err = startup_check())) {}
    else
    {
        err = WSAEINVAL;
        AcquireSRWLockExclusive(&task_lock);
        for (t = tasks; t; t = t->next)
            if (t->id == hAsyncTaskHandle && hAsyncTaskHandle)
            {
                if (t->cancelled) err = WSAEALREADY;
                else
                {
                    t->cancelled = TRUE;
                    err = 0;
                }
                break;
            }
        for (i = 0; err == WSAEINVAL && hAsyncTaskHandle && i < DONE_RING; i++)
            if (done_ids[i] == hAsyncTaskHandle) err = WSAEALREADY;
        ReleaseSRWLockExclusive(&task_lock);
    }
    return api_leave_keep(NULL, err, 0, "WSACancelAsyncRequest(hAsyncTaskHandle %p)", (void *)hAsyncTaskHandle);
}
