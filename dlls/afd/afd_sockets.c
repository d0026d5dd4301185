/* afd_sockets.c - the records openws2afd keeps per socket it created (catalog entry, protocol info,
 * creation flags): a small array under an SRW lock, keyed by the socket (= AFD handle).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "afd_private.h"

struct afd_socket_rec
{
    SOCKET s;
    struct afd_socket_info info;
};

static SRWLOCK afd_sockets_lock = SRWLOCK_INIT;
static struct afd_socket_rec *afd_sockets;
static size_t afd_sockets_count, afd_sockets_size;

static struct afd_socket_rec *afd_socket_find(SOCKET s)
{
    size_t i;
    if (!s || s == INVALID_SOCKET) return NULL;
    for (i = 0; i < afd_sockets_count; i++)
        if (afd_sockets[i].s == s) return &afd_sockets[i];
    return NULL;
}

int afd_socket_add(SOCKET s, const struct afd_socket_info *info)
{
    struct afd_socket_rec *rec;
    int ret = 0;

    AcquireSRWLockExclusive(&afd_sockets_lock);
    if ((rec = afd_socket_find(s)))
        rec->info = *info;  /* a handle value reused after a close we did not see */
    else
    {
        if (afd_sockets_count == afd_sockets_size)
        {
            size_t size = afd_sockets_size ? afd_sockets_size * 2 : 16;
            struct afd_socket_rec *n = afd_sockets
                ? HeapReAlloc(GetProcessHeap(), 0, afd_sockets, size * sizeof(*n))
                : HeapAlloc(GetProcessHeap(), 0, size * sizeof(*n));
            if (!n) ret = WSAENOBUFS;
            else
            {
                afd_sockets = n;
                afd_sockets_size = size;
            }
        }
        if (!ret)
        {
            afd_sockets[afd_sockets_count].s = s;
            afd_sockets[afd_sockets_count].info = *info;
            afd_sockets_count++;
        }
    }
    ReleaseSRWLockExclusive(&afd_sockets_lock);
    return ret;
}

BOOL afd_socket_get(SOCKET s, struct afd_socket_info *info)
{
    struct afd_socket_rec *rec;
    BOOL found;

    AcquireSRWLockShared(&afd_sockets_lock);
    if ((found = (rec = afd_socket_find(s)) != NULL) && info) *info = rec->info;
    ReleaseSRWLockShared(&afd_sockets_lock);
    return found;
}

BOOL afd_socket_known(SOCKET s)
{
    return afd_socket_get(s, NULL);
}

BOOL afd_socket_remove(SOCKET s)
{
    struct afd_socket_rec *rec;
    BOOL found;

    AcquireSRWLockExclusive(&afd_sockets_lock);
    if ((found = (rec = afd_socket_find(s)) != NULL))
        *rec = afd_sockets[--afd_sockets_count];
    ReleaseSRWLockExclusive(&afd_sockets_lock);
    return found;
}

BOOL afd_socket_set_error(SOCKET s, int error)
{
    struct afd_socket_rec *rec;
    BOOL found;

    AcquireSRWLockExclusive(&afd_sockets_lock);
    if ((found = (rec = afd_socket_find(s)) != NULL)) rec->info.so_error = error;
    ReleaseSRWLockExclusive(&afd_sockets_lock);
    return found;
}

BOOL afd_socket_set_peer(SOCKET s, const struct sockaddr *peer, int len)
{
    struct afd_socket_rec *rec;
    BOOL found;

    if (len <= 0 || len > (int)sizeof(rec->info.peer)) return FALSE;
    AcquireSRWLockExclusive(&afd_sockets_lock);
    if ((found = (rec = afd_socket_find(s)) != NULL))
    {
        memcpy(&rec->info.peer, peer, (size_t)len);
        rec->info.peer_len = len;
    }
    ReleaseSRWLockExclusive(&afd_sockets_lock);
    return found;
}

void afd_socket_close_all(void)
{
    struct afd_socket_rec *list;
    size_t count, i;

    AcquireSRWLockExclusive(&afd_sockets_lock);
    list = afd_sockets;
    count = afd_sockets_count;
    afd_sockets = NULL;
    afd_sockets_count = afd_sockets_size = 0;
    ReleaseSRWLockExclusive(&afd_sockets_lock);
    for (i = 0; i < count; i++)
    {
        int family;
        /* a program may have closed the handle itself (CloseHandle on an IFS socket) and the value be
         * reused since: close only what is still a socket */
        if (afdw_get_info((HANDLE)list[i].s, &family, NULL, NULL)) continue;
        AFD_TRACE("WSPCleanup closing socket %#Ix", (ULONG_PTR)list[i].s);
        CloseHandle((HANDLE)list[i].s);
    }
    if (list) HeapFree(GetProcessHeap(), 0, list);
}

SOCKET afd_socket_register(HANDLE h, const struct afd_socket_info *info, int *err)
{
    SOCKET s;
    int e = 0;

    if (!afd_upcalls.lpWPUModifyIFSHandle)
    {
        CloseHandle(h);
        *err = WSAEPROVIDERFAILEDINIT;
        return INVALID_SOCKET;
    }
    s = afd_upcalls.lpWPUModifyIFSHandle(info->catalog_id, (SOCKET)h, &e);
    if (s == INVALID_SOCKET)
    {
        CloseHandle(h);
        *err = e ? e : WSAENOBUFS;
        return INVALID_SOCKET;
    }
    if (s != (SOCKET)h)
    {
        /* An IFS provider's handles are its own: ws2_32 must accept the proposed handle. */
        CloseHandle(h);
        *err = WSAEPROVIDERFAILEDINIT;
        return INVALID_SOCKET;
    }
    if ((e = afd_socket_add(s, info)))
    {
        CloseHandle(h);
        *err = e;
        return INVALID_SOCKET;
    }
    return s;
}
