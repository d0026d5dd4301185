/* afd_records.c - the records openws2afd keeps per socket it created (catalog entry, protocol info,
 * creation flags): a hash table under an SRW lock, keyed by the socket (= AFD handle).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "afd_private.h"

struct afd_socket_rec
{
    SOCKET s;
    struct afd_socket_info info;
};

/* Open addressing with linear probing over a power-of-two table of (socket, record) slots, at most
 * half full; deletion shifts the following entries back (no tombstones). A lookup is O(1) whatever
 * the number of open sockets (select over n sockets looks each one up) and reads the record only
 * once found: the slot holds the key. */
struct afd_slot
{
    SOCKET s;                     /* 0: free */
    struct afd_socket_rec *rec;
};
static SRWLOCK afd_sockets_lock = SRWLOCK_INIT;
static struct afd_slot *afd_slots;
static size_t afd_slots_size;   /* 0 or a power of two */
static size_t afd_sockets_count;

static size_t afd_slot_hash(SOCKET s, size_t size)
{
    /* Handle values are multiples of 4, handed out densely from the lowest free one: their index
     * (folded, for the rare large values) puts consecutive handles in consecutive slots -- no
     * collisions among them, and select over many sockets walks the table in order. */
    ULONG_PTR h = (ULONG_PTR)s >> 2;
    return (size_t)(h ^ (h >> 16)) & (size - 1);
}

/* The slot holding s, or (size_t)-1. */
static size_t afd_slot_find(SOCKET s)
{
    size_t i;
    if (!afd_slots_size || !s || s == INVALID_SOCKET) return (size_t)-1;
    for (i = afd_slot_hash(s, afd_slots_size); afd_slots[i].s; i = (i + 1) & (afd_slots_size - 1))
        if (afd_slots[i].s == s) return i;
    return (size_t)-1;
}

static struct afd_socket_rec *afd_socket_find(SOCKET s)
{
    size_t i = afd_slot_find(s);
    return i == (size_t)-1 ? NULL : afd_slots[i].rec;
}

/* See afd_socket_kind (caller holds the lock). */
static DWORD afd_rec_sync_timeout(const struct afd_socket_rec *rec, BOOL send)
{
    if ((rec->info.flags & WSA_FLAG_OVERLAPPED) || rec->info.nonblocking) return 0;
    return send ? rec->info.sndtimeo : rec->info.rcvtimeo;
}

static void afd_slot_put(struct afd_slot *slots, size_t size, struct afd_socket_rec *rec)
{
    size_t i = afd_slot_hash(rec->s, size);
    while (slots[i].s) i = (i + 1) & (size - 1);
    slots[i].s = rec->s;
    slots[i].rec = rec;
}

/* Makes room for one more record (caller holds the lock exclusively). */
static BOOL afd_slots_reserve(void)
{
    struct afd_slot *slots;
    size_t size, i;

    if ((afd_sockets_count + 1) * 2 <= afd_slots_size) return TRUE;
    size = afd_slots_size ? afd_slots_size * 2 : 64;
    if (!size || size > ((size_t)-1) / sizeof(*slots)) return FALSE;
    if (!(slots = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, size * sizeof(*slots)))) return FALSE;
    for (i = 0; i < afd_slots_size; i++)
        if (afd_slots[i].s) afd_slot_put(slots, size, afd_slots[i].rec);
    if (afd_slots) HeapFree(GetProcessHeap(), 0, afd_slots);
    afd_slots = slots;
    afd_slots_size = size;
    return TRUE;
}

/* Empties slot i and moves back the entries of its probe run that would no longer be found. */
static void afd_slot_remove(size_t i)
{
    size_t mask = afd_slots_size - 1, j = i;

    afd_slots[i].s = 0;
    afd_slots[i].rec = NULL;
    for (;;)
    {
        size_t home;
        j = (j + 1) & mask;
        if (!afd_slots[j].s) break;
        home = afd_slot_hash(afd_slots[j].s, afd_slots_size);
        /* the entry at j may fill the hole at i when its home is not in (i, j] (cyclically) */
        if (i <= j ? (home <= i || home > j) : (home <= i && home > j))
        {
            afd_slots[i] = afd_slots[j];
            afd_slots[j].s = 0;
            afd_slots[j].rec = NULL;
            i = j;
        }
    }
    afd_sockets_count--;
}

int afd_socket_add(SOCKET s, const struct afd_socket_info *info)
{
    struct afd_socket_rec *rec;
    int ret = 0;

    if (!s || s == INVALID_SOCKET) return WSAENOBUFS;
    AcquireSRWLockExclusive(&afd_sockets_lock);
    if ((rec = afd_socket_find(s)))
        rec->info = *info;  /* a handle value reused after a close we did not see */
    else if (!afd_slots_reserve() || !(rec = HeapAlloc(GetProcessHeap(), 0, sizeof(*rec))))
        ret = WSAENOBUFS;
    else
    {
        rec->s = s;
        rec->info = *info;
        afd_slot_put(afd_slots, afd_slots_size, rec);
        afd_sockets_count++;
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

BOOL afd_socket_kind(SOCKET s, int *family, int *type, BOOL send, DWORD *sync_timeout)
{
    struct afd_socket_rec *rec;
    BOOL found;

    AcquireSRWLockShared(&afd_sockets_lock);
    if ((found = (rec = afd_socket_find(s)) != NULL))
    {
        *family = rec->info.info.iAddressFamily;
        *type = rec->info.info.iSocketType;
        if (sync_timeout) *sync_timeout = afd_rec_sync_timeout(rec, send);
    }
    ReleaseSRWLockShared(&afd_sockets_lock);
    return found;
}

BOOL afd_socket_known(SOCKET s)
{
    BOOL found;
    AcquireSRWLockShared(&afd_sockets_lock);
    found = afd_slot_find(s) != (size_t)-1;
    ReleaseSRWLockShared(&afd_sockets_lock);
    return found;
}

void afd_sockets_lock_shared(void)
{
    AcquireSRWLockShared(&afd_sockets_lock);
}

void afd_sockets_unlock_shared(void)
{
    ReleaseSRWLockShared(&afd_sockets_lock);
}

BOOL afd_socket_known_locked(SOCKET s)
{
    return afd_slot_find(s) != (size_t)-1;
}

BOOL afd_socket_remove(SOCKET s, BOOL *abortive)
{
    struct afd_socket_rec *rec = NULL;
    size_t i;

    if (abortive) *abortive = FALSE;
    AcquireSRWLockExclusive(&afd_sockets_lock);
    if ((i = afd_slot_find(s)) != (size_t)-1)
    {
        rec = afd_slots[i].rec;
        afd_slot_remove(i);
        if (abortive) *abortive = rec->info.abortive_close != 0;
    }
    ReleaseSRWLockExclusive(&afd_sockets_lock);
    if (rec) HeapFree(GetProcessHeap(), 0, rec);
    return rec != NULL;
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

BOOL afd_socket_set_kept(SOCKET s, enum afd_kept_option which, int value)
{
    struct afd_socket_rec *rec;
    BOOL found;

    AcquireSRWLockExclusive(&afd_sockets_lock);
    if ((found = (rec = afd_socket_find(s)) != NULL))
    {
        switch (which)
        {
        case AFD_KEPT_SO_DEBUG: rec->info.so_debug = value; break;
        case AFD_KEPT_SO_DONTROUTE: rec->info.so_dontroute = value; break;
        case AFD_KEPT_IPV6_PROTECTION: rec->info.ipv6_protection = value; break;
        case AFD_KEPT_NONBLOCKING: rec->info.nonblocking = value; break;
        case AFD_KEPT_RCVTIMEO: rec->info.rcvtimeo = (DWORD)value; break;
        case AFD_KEPT_SNDTIMEO: rec->info.sndtimeo = (DWORD)value; break;
        case AFD_KEPT_ABORTIVE_CLOSE: rec->info.abortive_close = value; break;
        }
    }
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
    struct afd_slot *slots;
    size_t size, i;

    AcquireSRWLockExclusive(&afd_sockets_lock);
    slots = afd_slots;
    size = afd_slots_size;
    afd_slots = NULL;
    afd_slots_size = afd_sockets_count = 0;
    ReleaseSRWLockExclusive(&afd_sockets_lock);
    for (i = 0; i < size; i++)
    {
        int family;
        if (!slots[i].s) continue;
        /* a program may have closed the handle itself (CloseHandle on an IFS socket) and the value be
         * reused since: close only what is still a socket */
        if (!afdw_get_info((HANDLE)slots[i].s, &family, NULL, NULL))
        {
            AFD_TRACE("WSPCleanup closing socket %#Ix", (ULONG_PTR)slots[i].s);
            CloseHandle((HANDLE)slots[i].s);
        }
        HeapFree(GetProcessHeap(), 0, slots[i].rec);
    }
    if (slots) HeapFree(GetProcessHeap(), 0, slots);
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
