/* afd_select.c - readiness of openws2afd sockets: WSPSelect (one AFD poll over all the sets), the
 * WSAPoll path (SIO_EXT_POLL with a WSAPOLLDATA, as ws2_32 hands WSAPoll to a provider on Windows),
 * WSPEventSelect, WSPEnumNetworkEvents and WSPAsyncSelect, with the FD_* <-> AFD event mapping.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"

#define AFD_SELECT_READ   (AFDW_POLL_READ | AFDW_POLL_ACCEPT | AFDW_POLL_HUP | AFDW_POLL_RESET)
#define AFD_SELECT_WRITE  (AFDW_POLL_WRITE)
#define AFD_SELECT_EXCEPT (AFDW_POLL_OOB | AFDW_POLL_CONNECT_ERR)
/* afd_ext_poll's mark of an entry that was no socket of ours when the poll began (reported POLLNVAL
 * and not counted); not a combination Windows reports */
#define AFD_POLL_NOT_SOCKET ((SHORT)0x7000)

static int afd_fd_set_ok(fd_set *set)
{
    if (!set) return 1;
    if (!afd_writable(set, sizeof(set->fd_count))) return 0;
    if (set->fd_count > 0x1000000) return 0;  /* keeps the size computation in range on 32-bit */
    return afd_writable(set, offsetof(fd_set, fd_array) + (size_t)set->fd_count * sizeof(SOCKET));
}

static int afd_fd_set_add(fd_set *set, SOCKET s)
{
    u_int i;
    for (i = 0; i < set->fd_count; i++)
        if (set->fd_array[i] == s) return 0;
    set->fd_array[set->fd_count++] = s;
    return 1;
}

static const int afd_select_masks[3] = { AFD_SELECT_READ, AFD_SELECT_WRITE, AFD_SELECT_EXCEPT };

/* One WSPSelect call: the three sets, the poll entries (afdw_poll_alloc: polled in place) and, only
 * when a closed socket is reported, a copy of the read set as it came in (the sets are rewritten in
 * place and may alias). */
struct afd_select
{
    fd_set *sets[3];
    SOCKET *read_input;
    u_int read_count;
    struct afdw_poll_entry *entries;
    unsigned int count;
};

/* Checks the sets and the timeout: the number of sockets in st->count, the NT wait in *wait. */
static int afd_select_check_args(struct afd_select *st, const TIMEVAL *timeout, LONGLONG *wait)
{
    unsigned int i;

    for (i = 0; i < 3; i++)
    {
        if (!afd_fd_set_ok(st->sets[i])) return WSAEFAULT;
        if (st->sets[i] && st->sets[i]->fd_count > 0x1000000 - st->count) return WSAENOBUFS;
        if (st->sets[i]) st->count += st->sets[i]->fd_count;
    }
    if (timeout)
    {
        if (!afd_readable(timeout, sizeof(*timeout))) return WSAEFAULT;
        if (timeout->tv_sec < 0 || timeout->tv_usec < 0) return WSAEINVAL;
        *wait = -((LONGLONG)timeout->tv_sec * 10000000 + (LONGLONG)timeout->tv_usec * 10);
    }
    return st->count ? 0 : WSAEINVAL;
}

/* Fills the poll entries from the sets. A handle that is no socket is not looked up here: AFD's poll
 * fails for it (Wine's server checks every handle before it polls: STATUS_INVALID_HANDLE or
 * STATUS_OBJECT_TYPE_MISMATCH, both WSAENOTSOCK), which saves a record lookup per socket and call. */
static int afd_select_collect(struct afd_select *st)
{
    unsigned int i, j, k = 0;

    if (!(st->entries = afdw_poll_alloc(st->count))) return WSAENOBUFS;
    for (i = 0; i < 3; i++)
    {
        fd_set *set = st->sets[i];
        if (!set) continue;
        for (j = 0; j < set->fd_count; j++, k++)
        {
            st->entries[k].socket = set->fd_array[j];
            st->entries[k].flags = afd_select_masks[i];
            st->entries[k].status = 0;
        }
    }
    return 0;
}

/* A closed socket (AFDW_POLL_CLOSE) goes to the read set when it came in there, whichever set its
 * entry came from: keeps the read set's input for that search, before the sets are rewritten. */
static int afd_select_keep_read_input(struct afd_select *st, unsigned int signalled)
{
    unsigned int k;

    if (!st->sets[0] || !st->sets[0]->fd_count) return 0;
    for (k = 0; k < signalled; k++)
        if ((st->entries[k].flags & AFDW_POLL_CLOSE) && !(st->entries[k].flags & AFD_SELECT_READ)) break;
    if (k == signalled) return 0;
    st->read_count = st->sets[0]->fd_count;
    if (!(st->read_input = HeapAlloc(GetProcessHeap(), 0, st->read_count * sizeof(SOCKET)))) return WSAENOBUFS;
    memcpy(st->read_input, st->sets[0]->fd_array, st->read_count * sizeof(SOCKET));
    return 0;
}

/* A failed connect shows in exceptfds only (Windows); Wine's AFD may also report the socket
 * readable or writable (Linux: POLLIN | POLLOUT after a refused connect). */
static void afd_select_drop_failed_connects(struct afdw_poll_entry *entries, unsigned int signalled)
{
    unsigned int k, m;

    for (k = 0; k < signalled; k++)
    {
        if (!(entries[k].flags & AFDW_POLL_CONNECT_ERR) || !afd_never_connected(entries[k].socket)) continue;
        for (m = 0; m < signalled; m++)
            if (m != k && entries[m].socket == entries[k].socket)
                entries[m].flags &= AFDW_POLL_CLOSE | AFDW_POLL_CONNECT_ERR | AFDW_POLL_OOB;
    }
}

/* Adds one signalled entry's socket to the sets it is ready for; FALSE when it was closed while
 * polled without being reported readable (WSAENOTSOCK). */
static BOOL afd_select_report_entry(struct afd_select *st, const struct afdw_poll_entry *entry, int *ret)
{
    BOOL reported_close = FALSE;
    unsigned int i, j;

    for (i = 0; i < 3; i++)
    {
        if (!st->sets[i]) continue;
        if (entry->flags & afd_select_masks[i])
        {
            /* the three masks are disjoint and Wine reports only the bits an entry asked for:
             * the entry came from this set (no search of the input) */
            *ret += afd_fd_set_add(st->sets[i], entry->socket);
            if (i == 0) reported_close = TRUE;
            continue;
        }
        if (i != 0 || !(entry->flags & AFDW_POLL_CLOSE)) continue;
        for (j = 0; j < st->read_count; j++)
        {
            if (st->read_input[j] != entry->socket) continue;
            *ret += afd_fd_set_add(st->sets[0], entry->socket);
            reported_close = TRUE;
            break;
        }
    }
    return !(entry->flags & AFDW_POLL_CLOSE) || reported_close;
}

/* Polls the entries and rewrites the sets with the ready sockets; their count in *ret. */
static int afd_select_poll(struct afd_select *st, LONGLONG wait, int *ret)
{
    unsigned int signalled = 0, i, k;
    NTSTATUS status;
    int e = 0;

    status = afdw_poll_in_place((HANDLE)st->entries[0].socket, st->entries, st->count, wait, &signalled);
    if (status)
        return status == STATUS_HANDLES_CLOSED || status == STATUS_CANCELLED ? WSAEINTR : afd_status_to_wsa(status);
    if ((e = afd_select_keep_read_input(st, signalled))) return e;
    for (i = 0; i < 3; i++)
        if (st->sets[i]) st->sets[i]->fd_count = 0;
    afd_select_drop_failed_connects(st->entries, signalled);
    for (k = 0; k < signalled; k++)
        if (!afd_select_report_entry(st, &st->entries[k], ret)) e = WSAENOTSOCK;
    if (e) *ret = 0;
    return e;
}

int WSPAPI afd_WSPSelect(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout,
                         LPINT err)
{
    struct afd_select st = { { readfds, writefds, exceptfds }, NULL, 0, NULL, 0 };
    LONGLONG wait = 0x7fffffffffffffffLL;
    int e, ret = 0;

    (void)nfds;  /* ignored, as in Windows */
    if (!(e = afd_select_check_args(&st, timeout, &wait)) && !(e = afd_select_collect(&st)))
        e = afd_select_poll(&st, wait, &ret);
    if (st.read_input) HeapFree(GetProcessHeap(), 0, st.read_input);
    afdw_poll_free(st.entries);
    AFD_TRACE("WSPSelect(read %p, write %p, except %p, timeout %p) -> %d (error %d)", (void *)readfds,
              (void *)writefds, (void *)exceptfds, (void *)timeout, e ? SOCKET_ERROR : ret, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return ret;
}

/* SIO_EXT_POLL: WSAPoll over this provider's sockets (Windows' WSAPoll semantics: POLLHUP and
 * POLLERR are reported whether asked or not, a socket that is not ours is POLLNVAL). */
int afd_ext_poll(WSAPOLLDATA *data, DWORD len, DWORD *ret)
{
    struct afdw_poll_entry *entries;
    unsigned int count = 0, signalled = 0, i, k;
    HANDLE any = NULL;
    NTSTATUS status;
    LONGLONG wait;
    int result = 0;

    if (len < offsetof(WSAPOLLDATA, fdArray) || data->fds > (len - offsetof(WSAPOLLDATA, fdArray)) / sizeof(WSAPOLLFD))
        return WSAEFAULT;
    if (!data->fds) return WSAEINVAL;
    if (data->fds > 0x1000000) return WSAENOBUFS;
    if (!(entries = afdw_poll_alloc(data->fds))) return WSAENOBUFS;
    afd_sockets_lock_shared();
    for (i = 0; i < data->fds; i++)
    {
        WSAPOLLFD *fd = &data->fdArray[i];
        int flags = AFDW_POLL_HUP | AFDW_POLL_RESET | AFDW_POLL_CONNECT_ERR;

        fd->revents = 0;
        if (fd->events & ~(POLLRDNORM | POLLRDBAND | POLLWRNORM))
        {
            afd_sockets_unlock_shared();
            afdw_poll_free(entries);
            return WSAEINVAL;
        }
        if (!afd_socket_known_locked(fd->fd))
        {
            fd->revents = AFD_POLL_NOT_SOCKET;
            continue;
        }
        if (fd->events & POLLRDNORM) flags |= AFDW_POLL_ACCEPT | AFDW_POLL_READ;
        if (fd->events & POLLRDBAND) flags |= AFDW_POLL_OOB;
        if (fd->events & POLLWRNORM) flags |= AFDW_POLL_WRITE;
        entries[count].socket = fd->fd;
        entries[count].flags = flags;
        entries[count].status = 0;
        any = (HANDLE)fd->fd;
        count++;
    }
    afd_sockets_unlock_shared();
    if (!count)
    {
        afdw_poll_free(entries);
        return WSAENOTSOCK;
    }
    wait = data->timeout >= 0 ? -(LONGLONG)data->timeout * 10000 : 0x7fffffffffffffffLL;
    status = afdw_poll_in_place(any, entries, count, wait, &signalled);
    if (status)
    {
        afdw_poll_free(entries);
        return status == STATUS_HANDLES_CLOSED || status == STATUS_CANCELLED ? WSAEINTR : afd_status_to_wsa(status);
    }
    for (i = 0; i < data->fds; i++)
    {
        WSAPOLLFD *fd = &data->fdArray[i];
        SHORT ev = 0;
        if (fd->revents == AFD_POLL_NOT_SOCKET) continue;
        for (k = 0; k < signalled; k++)
        {
            int f = entries[k].flags;
            if (entries[k].socket != fd->fd) continue;
            if ((f & AFDW_POLL_CONNECT_ERR) && !(f & AFDW_POLL_RESET) && afd_never_connected(fd->fd))
            {
                /* a failed connect is exactly POLLWRNORM | POLLHUP | POLLERR on Windows; Wine's
                 * AFD may add a read event (Linux reports POLLIN after a refused connect) */
                ev |= POLLWRNORM | POLLHUP | POLLERR;
                continue;
            }
            if (f & (AFDW_POLL_ACCEPT | AFDW_POLL_READ)) ev |= POLLRDNORM;
            if (f & AFDW_POLL_OOB) ev |= POLLRDBAND;
            if (f & AFDW_POLL_WRITE) ev |= POLLWRNORM;
            if (f & (AFDW_POLL_RESET | AFDW_POLL_HUP)) ev |= POLLHUP;
            if (f & (AFDW_POLL_RESET | AFDW_POLL_CONNECT_ERR)) ev |= POLLERR;
            /* a failed connect: Windows reports POLLWRNORM | POLLHUP | POLLERR */
            if (f & AFDW_POLL_CONNECT_ERR) ev |= POLLWRNORM | POLLHUP;
            if (f & AFDW_POLL_CLOSE) ev |= POLLNVAL;
        }
        fd->revents = (SHORT)(ev & (fd->events | POLLHUP | POLLERR | POLLNVAL));
    }
    /* entries that were no socket of ours are reported POLLNVAL but not counted, as Windows does; a
     * socket closed while polled counts, with POLLNVAL (Wine's conformance tests, test_WSAPoll) */
    for (i = 0; i < data->fds; i++)
    {
        if (data->fdArray[i].revents == AFD_POLL_NOT_SOCKET) data->fdArray[i].revents = POLLNVAL;
        else if (data->fdArray[i].revents) result++;
    }
    data->result = result;
    *ret = (DWORD)(offsetof(WSAPOLLDATA, fdArray) + data->fds * sizeof(WSAPOLLFD));
    afdw_poll_free(entries);
    return 0;
}

static int afd_mask_from_fd(LONG events)
{
    int mask = 0;
    if (events & FD_READ) mask |= AFDW_POLL_READ;
    if (events & FD_WRITE) mask |= AFDW_POLL_WRITE;
    if (events & FD_OOB) mask |= AFDW_POLL_OOB;
    if (events & FD_ACCEPT) mask |= AFDW_POLL_ACCEPT;
    if (events & FD_CONNECT) mask |= AFDW_POLL_CONNECT | AFDW_POLL_CONNECT_ERR;
    if (events & FD_CLOSE) mask |= AFDW_POLL_HUP | AFDW_POLL_RESET;
    return mask;
}

int WSPAPI afd_WSPEventSelect(SOCKET s, WSAEVENT event, LONG events, LPINT err)
{
    int e;

    if (!afd_socket_known(s)) e = WSAENOTSOCK;
    else if (events & ~(LONG)FD_ALL_EVENTS) e = WSAEINVAL;
    else if (events && !event) e = WSAEINVAL;
    else e = afd_status_to_wsa(afdw_event_select((HANDLE)s, events ? event : NULL, afd_mask_from_fd(events)));
    if (!e) afd_socket_set_kept(s, AFD_KEPT_NONBLOCKING, 1);  /* AFD makes the socket non-blocking */
    AFD_TRACE("WSPEventSelect(%#Ix, event %p, events %#lx) -> %d", (ULONG_PTR)s, (void *)event, (long)events, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

/* The network events reported from AFD's events one to one: the AFD bits, the FD_*_BIT, the AFD
 * status the error code comes from (FD_CLOSE, from either of two statuses, is done apart). */
static const struct { int afd, bit, status; } afd_net_events[] =
{
    { AFDW_POLL_READ, FD_READ_BIT, AFDW_BIT_READ },
    { AFDW_POLL_WRITE, FD_WRITE_BIT, AFDW_BIT_WRITE },
    { AFDW_POLL_OOB, FD_OOB_BIT, AFDW_BIT_OOB },
    { AFDW_POLL_ACCEPT, FD_ACCEPT_BIT, AFDW_BIT_ACCEPT },
    { AFDW_POLL_CONNECT | AFDW_POLL_CONNECT_ERR, FD_CONNECT_BIT, AFDW_BIT_CONNECT_ERR },
};

int WSPAPI afd_WSPEnumNetworkEvents(SOCKET s, WSAEVENT event, LPWSANETWORKEVENTS ne, LPINT err)
{
    struct afdw_events ev;
    NTSTATUS status;
    size_t i;
    int e = 0;

    if (!afd_socket_known(s))
    {
        e = WSAENOTSOCK;
        goto done;
    }
    if (!ne || !afd_writable(ne, sizeof(*ne)))
    {
        e = WSAEFAULT;
        goto done;
    }
    if (event && !ResetEvent(event))
    {
        e = WSAEINVAL;
        goto done;
    }
    if ((status = afdw_get_events((HANDLE)s, &ev)))
    {
        e = afd_status_to_wsa(status);
        goto done;
    }
    /* Windows writes iErrorCode[] only for the events it reports */
    ne->lNetworkEvents = 0;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(afd_net_events); i++)
    {
        if (!(ev.flags & afd_net_events[i].afd)) continue;
        ne->lNetworkEvents |= 1L << afd_net_events[i].bit;
        ne->iErrorCode[afd_net_events[i].bit] = afd_status_to_wsa(ev.status[afd_net_events[i].status]);
    }
    if (ev.flags & (AFDW_POLL_HUP | AFDW_POLL_RESET))
    {
        ne->lNetworkEvents |= FD_CLOSE;
        if (!(ne->iErrorCode[FD_CLOSE_BIT] = afd_status_to_wsa(ev.status[AFDW_BIT_HUP])))
            ne->iErrorCode[FD_CLOSE_BIT] = afd_status_to_wsa(ev.status[AFDW_BIT_RESET]);
    }

done:
    AFD_TRACE("WSPEnumNetworkEvents(%#Ix, event %p) -> %d (events %#lx)", (ULONG_PTR)s, (void *)event, e,
              (!e && ne) ? (long)ne->lNetworkEvents : 0L);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}

int WSPAPI afd_WSPAsyncSelect(SOCKET s, HWND hwnd, unsigned int msg, LONG events, LPINT err)
{
    int e;

    if (!afd_socket_known(s)) e = WSAENOTSOCK;
    else if (events & ~(LONG)FD_ALL_EVENTS) e = WSAEINVAL;
    else if (events && !hwnd) e = WSAEINVAL;
    else e = afd_status_to_wsa(afdw_message_select((HANDLE)s, hwnd, msg, afd_mask_from_fd(events)));
    if (!e) afd_socket_set_kept(s, AFD_KEPT_NONBLOCKING, 1);  /* AFD makes the socket non-blocking */
    AFD_TRACE("WSPAsyncSelect(%#Ix, hwnd %p, msg %#x, events %#lx) -> %d", (ULONG_PTR)s, (void *)hwnd, msg,
              (long)events, e);
    if (e)
    {
        if (err) *err = e;
        return SOCKET_ERROR;
    }
    return 0;
}
