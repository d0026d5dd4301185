/* nsp_files.c - the text files openws2nsp answers from, read once and kept while they do not
 * change: the prefix's hosts and services files (in the database directory of nsp_config.c) and,
 * under Wine, the host's /etc/hosts (\\?\unix\etc\hosts); and the detection of Wine (ntdll's
 * wine_get_version).
 * Staleness check: the file's attributes (GetFileAttributesExW: last write time, size) are queried
 * at most every NSP_RECHECK_MS per file (at once for LUP_FLUSHCACHE) and compared with those the
 * cached copy was read with; a different path (DataBasePath changed), time, size or existence reads
 * the file again. So a change is seen by the lookups that start NSP_RECHECK_MS after it (Windows'
 * DNS client also reloads its hosts file asynchronously), and a run of lookups makes about ten
 * attribute queries a second instead of one per lookup (one costs 5-25 us under Wine, as much as a
 * whole getaddrinfo of Wine's builtin). A write that keeps the size and lands in the same timestamp tick as the previous
 * one would not change the attributes, so a copy read less than NSP_FILE_RACY_MARGIN after the
 * file's last write time is not trusted (read again on the next use) until a read happens later
 * than that margin: a file written just before a lookup is always seen, whatever the timestamp
 * granularity of the file system. Files are read whole up to NETDB_FILE_MAX; a missing hosts file
 * reads as empty, a missing services file as netdb_files.c's embedded default. The copies are
 * shared, reference-counted snapshots: a lookup keeps its copy while another thread replaces it.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stddef.h>
#include <stdlib.h>
#include "trace.h"
#include "nsp_private.h"
#include "wine_compat.h"

#define NSP_FILE_RACY_MARGIN (2ull * 10000000) /* 2 s in FILETIME units */
#define NSP_FILE_PATH_MAX (MAX_PATH + 32)

struct snapshot
{
    LONG refs;
    size_t len;
    char data[];
};

struct cached_file
{
    BOOL valid;
    BOOL trusted;                   /* read long enough after its last write */
    BOOL exists;
    WCHAR path[NSP_FILE_PATH_MAX];
    ULONGLONG write_time, size;
    volatile LONG64 checked;        /* GetTickCount64 of the last attribute query */
    struct snapshot *snap;
};

static SRWLOCK lock = SRWLOCK_INIT;
static struct cached_file files[NSP_FILE_COUNT];
static volatile LONG wine_state; /* 0 unknown, 1 not Wine, 2 Wine */

BOOL nsp_running_on_wine(void)
{
    LONG state = wine_state;
    if (!state)
    {
        state = wine_compat_is_wine() ? 2 : 1;
        InterlockedExchange(&wine_state, state);
    }
    return state == 2;
}

static void snapshot_release(struct snapshot *s)
{
    if (s && !InterlockedDecrement(&s->refs)) HeapFree(GetProcessHeap(), 0, s);
}

static struct snapshot *snapshot_new(const char *data, size_t len)
{
    struct snapshot *s = HeapAlloc(GetProcessHeap(), 0, sizeof(*s) + (len ? len : 1));
    if (!s) return NULL;
    s->refs = 1;
    s->len = len;
    if (len) memcpy(s->data, data, len);
    return s;
}

/* Reads path whole (up to NETDB_FILE_MAX): 0 (*out set), -1 when it cannot be opened or read, or
 * WSA_NOT_ENOUGH_MEMORY. */
static int read_whole(const WCHAR *path, struct snapshot **out)
{
    void *block;
    size_t len;
    int ret = netdb_read_file(path, offsetof(struct snapshot, data), &block, &len);
    struct snapshot *s;

    if (ret) return ret == WSAENOBUFS ? WSA_NOT_ENOUGH_MEMORY : -1;
    s = block;
    s->refs = 1;
    s->len = len;
    *out = s;
    return 0;
}

/* The contents of a missing file: empty, or the embedded services database. */
static struct snapshot *missing_contents(enum nsp_file which)
{
    struct netdb_text text;
    struct snapshot *s;

    if (which != NSP_FILE_SERVICES) return snapshot_new("", 0);
    /* netdb_file_load gives the embedded default when the file cannot be read */
    if (netdb_file_load(NETDB_SERVICES, &text)) return NULL;
    s = snapshot_new(text.data, text.len);
    netdb_file_free(&text);
    return s;
}

static int file_path(enum nsp_file which, const struct nsp_config *cfg, WCHAR *path)
{
    const WCHAR *name = which == NSP_FILE_SERVICES ? L"\\services" : L"\\hosts";

    if (which == NSP_FILE_UNIX_HOSTS)
    {
        lstrcpyW(path, L"\\\\?\\unix\\etc\\hosts");
        return 0;
    }
    if (!cfg->database_dir[0] || lstrlenW(cfg->database_dir) + lstrlenW(name) >= NSP_FILE_PATH_MAX) return -1;
    lstrcpyW(path, cfg->database_dir);
    lstrcatW(path, name);
    return 0;
}

static BOOL same_path(const WCHAR *a, const WCHAR *b)
{
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}

static const int read_counters[NSP_FILE_COUNT] = {
    NSP_COUNTER_HOSTS_READS, NSP_COUNTER_UNIX_HOSTS_READS, NSP_COUNTER_SERVICES_READS,
};

/* A reference to the cached copy when it may be used: valid, same path, and (check) the
 * attributes unchanged and the copy trusted, or (!check) looked at less than NSP_RECHECK_MS ago. */
static struct snapshot *cached(struct cached_file *f, const WCHAR *path, BOOL check, BOOL exists,
                               ULONGLONG write_time, ULONGLONG size, ULONGLONG tick)
{
    struct snapshot *snap = NULL;

    AcquireSRWLockShared(&lock);
    if (f->valid && same_path(f->path, path))
    {
        if (!check)
        {
            ULONGLONG last = (ULONGLONG)InterlockedCompareExchange64(&f->checked, 0, 0);
            if (tick < last || tick - last < NSP_RECHECK_MS) snap = f->snap;
        }
        else if (f->trusted && f->exists == exists && (!exists || (f->write_time == write_time && f->size == size)))
        {
            snap = f->snap;
            InterlockedExchange64(&f->checked, (LONG64)tick);
        }
        if (snap) InterlockedIncrement(&snap->refs);
    }
    ReleaseSRWLockShared(&lock);
    return snap;
}

int nsp_file_get(enum nsp_file which, const struct nsp_config *cfg, BOOL flush, struct nsp_file_view *view)
{
    DWORD saved = GetLastError();
    WCHAR path[NSP_FILE_PATH_MAX];
    WIN32_FILE_ATTRIBUTE_DATA attrs;
    struct cached_file *f = &files[which];
    struct snapshot *snap = NULL;
    ULONGLONG now, tick = GetTickCount64(), write_time = 0, size = 0;
    FILETIME ft;
    BOOL exists, have_path;
    int ret;

    view->data = "";
    view->len = 0;
    view->ref = NULL;
    have_path = !file_path(which, cfg, path);
    if (!have_path) path[0] = 0;
    if (!flush && (snap = cached(f, path, FALSE, FALSE, 0, 0, tick)))
    {
        view->data = snap->data;
        view->len = snap->len;
        view->ref = snap;
        return 0;
    }
    GetSystemTimeAsFileTime(&ft);
    now = (ULONGLONG)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
    exists = have_path && GetFileAttributesExW(path, GetFileExInfoStandard, &attrs) &&
             !(attrs.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY);
    nsp_count(NSP_COUNTER_FILE_CHECKS);
    if (exists)
    {
        write_time = (ULONGLONG)attrs.ftLastWriteTime.dwHighDateTime << 32 | attrs.ftLastWriteTime.dwLowDateTime;
        size = (ULONGLONG)attrs.nFileSizeHigh << 32 | attrs.nFileSizeLow;
    }
    if ((snap = cached(f, path, TRUE, exists, write_time, size, tick)))
    {
        view->data = snap->data;
        view->len = snap->len;
        view->ref = snap;
        SetLastError(saved);
        return 0;
    }

    /* (re)read it; several threads may do so at once, the last one's copy stays */
    ret = exists ? read_whole(path, &snap) : -1;
    if (ret == WSA_NOT_ENOUGH_MEMORY)
    {
        SetLastError(saved);
        return ret;
    }
    if (ret)
    {
        if (!(snap = missing_contents(which)))
        {
            SetLastError(saved);
            return WSA_NOT_ENOUGH_MEMORY;
        }
    }
    else nsp_count(read_counters[which]);
    TRACE_NSP("files: %s read (%lu bytes%s)", which == NSP_FILE_HOSTS ? "hosts" : which == NSP_FILE_UNIX_HOSTS ?
              "/etc/hosts" : "services", (unsigned long)snap->len, ret ? ", missing" : "");
    AcquireSRWLockExclusive(&lock);
    snapshot_release(f->snap);
    f->snap = snap;
    InterlockedIncrement(&snap->refs);
    /* a file that exists but could not be read (locked by its writer) is tried again next time */
    f->valid = !(exists && ret);
    f->exists = exists;
    f->write_time = write_time;
    f->size = size;
    InterlockedExchange64(&f->checked, (LONG64)tick);
    f->trusted = !exists || (now > write_time && now - write_time >= NSP_FILE_RACY_MARGIN);
    lstrcpyW(f->path, path);
    ReleaseSRWLockExclusive(&lock);
    view->data = snap->data;
    view->len = snap->len;
    view->ref = snap;
    SetLastError(saved);
    return 0;
}

void nsp_file_release(struct nsp_file_view *view)
{
    snapshot_release(view->ref);
    view->ref = NULL;
    view->data = "";
    view->len = 0;
}

void nsp_files_clear(void)
{
    size_t i;

    AcquireSRWLockExclusive(&lock);
    for (i = 0; i < NSP_FILE_COUNT; i++)
    {
        snapshot_release(files[i].snap);
        memset(&files[i], 0, sizeof(files[i]));
    }
    ReleaseSRWLockExclusive(&lock);
}
