/* select_api.c - select, __WSAFDIsSet and WSAPoll. As on Windows, the provider of the first socket
 * of the sets (read, then write, then except; WSAPoll: the first valid entry) gets the whole call:
 * its WSPSelect, or for WSAPoll the SIO_EXT_POLL ioctl with a WSAPOLLDATA; a provider that does not
 * know that ioctl is served through its WSPSelect instead (see poll_by_select). Sockets of provider
 * instances of one DLL (MSAFD's IPv4 and IPv6 entries: two provider ids, one openws2afd.dll) are one
 * provider for this; sockets of different DLLs are first translated to their base providers' handles
 * (SIO_BSP_HANDLE_SELECT / _POLL), and a socket the first base provider does not know is that
 * provider's error to report (WSAENOTSOCK from the MSAFD-like providers), as on Windows.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "api_internal.h"
#include "fdset_util.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

#ifndef SIO_EXT_POLL
# define SIO_EXT_POLL _WSAIORW(IOC_WS2, 31)
#endif

/* An fd_set of the caller: its count and the fd_count sockets it holds (no more: applications may
 * allocate just that much). write: select stores its result there. */
static BOOL fdset_ok(fd_set *set, BOOL write)
{
    size_t head = offsetof(fd_set, fd_array);

    if (!(write ? user_writable(set, head) : user_readable(set, head))) return FALSE;
    return write ? user_array_writable(set->fd_array, set->fd_count, sizeof(SOCKET))
                 : user_array_readable(set->fd_array, set->fd_count, sizeof(SOCKET));
}

int WSAAPI __WSAFDIsSet(SOCKET fd, fd_set *set)
{
    /* fd_count is not clamped to our FD_SETSIZE: applications may define a larger FD_SETSIZE. A set
     * that cannot be read holds nothing (Windows would fault). */
    int ret = fdset_ok(set, FALSE) ? fdset_contains(set, fd) : 0;
    TRACE_API("__WSAFDIsSet(fd %#llx set %p) -> %d", (unsigned long long)fd, (void *)set, ret);
    return ret;
}

/* One provider for select and WSAPoll: provider instances of one DLL (one HMODULE) share their
 * sockets, as Windows' MSAFD entries do (mswsock.dll serves them all). */
static BOOL same_provider_dll(const struct provider *a, const struct provider *b)
{
    return a == b || a->base.module == b->base.module;
}

/* References every socket of the three sets (refs[0..*count), in set order), checking they exist.
 * *mixed: not all of one provider DLL. Returns 0 or the WSA error (the references are dropped). The
 * lookups are batched (socket_get_many: one handle-table lock per part of the table, not per socket). */
static int reference_sets(fd_set *sets[3], struct ws_socket ***out, size_t *count, BOOL *mixed)
{
    size_t total = 0, n = 0, i, found;
    struct ws_socket **refs;
    SOCKET *handles;
    int k;

    for (k = 0; k < 3; k++)
        if (sets[k]) total += sets[k]->fd_count;
    *out = NULL;
    *count = 0;
    *mixed = FALSE;
    if (!total) return WSAEINVAL;
    if (total > ((size_t)-1) / (sizeof(*refs) + sizeof(*handles))) return WSAENOBUFS;
    /* One block: the references, then the handles they are looked up from. */
    if (!(refs = malloc(total * (sizeof(*refs) + sizeof(*handles))))) return WSAENOBUFS;
    handles = (SOCKET *)(refs + total);
    for (k = 0; k < 3; k++)
    {
        if (!sets[k]) continue;
        memcpy(handles + n, sets[k]->fd_array, sets[k]->fd_count * sizeof(*handles));
        n += sets[k]->fd_count;
    }
    found = socket_get_many(handles, total, refs);
    if (found != total)
    {
        for (i = 0; i < total; i++) socket_put(refs[i]);   /* socket_put(NULL) does nothing */
        free(refs);
        return WSAENOTSOCK;
    }
    for (i = 1; i < total && !*mixed; i++)
        if (!same_provider_dll(refs[i]->provider, refs[0]->provider)) *mixed = TRUE;
    *out = refs;
    *count = total;
    return 0;
}

/* ---- sockets of several providers: the base provider's handles, as Windows ----
 * When the sockets of one select/WSAPoll belong to different providers (a layered provider over
 * some of them), Windows bypasses the layered providers: each socket is translated to its base
 * provider's handle with SIO_BSP_HANDLE_SELECT / SIO_BSP_HANDLE_POLL and the base provider gets the
 * call. bsp_translate gives the base handle and the (referenced) provider that serves it. */

#ifndef SIO_BSP_HANDLE_SELECT
# define SIO_BSP_HANDLE_SELECT _WSAIOR(IOC_WS2, 28)
#endif
#ifndef SIO_BSP_HANDLE_POLL
# define SIO_BSP_HANDLE_POLL _WSAIOR(IOC_WS2, 29)
#endif

static struct provider *chain_base(struct provider *p)
{
    struct provider *base = NULL;
    const WSAPROTOCOLCHAIN *chain = &p->info.ProtocolChain;

    if (chain->ChainLen <= 1 || chain->ChainLen > MAX_PROTOCOL_CHAIN) return provider_ref(p);
    if (provider_get_by_catalog_id(chain->ChainEntries[chain->ChainLen - 1], &base)) return NULL;
    return base;
}

static struct provider *bsp_translate(struct ws_socket *sock, DWORD code, SOCKET *base)
{
    SOCKET h = INVALID_SOCKET;
    DWORD returned = 0;
    struct ws_socket *bs;
    struct provider *p;

    *base = (SOCKET)sock->hdr.handle;
    if (!api_ioctl(sock, code, NULL, 0, &h, sizeof(h), &returned, NULL, NULL) && h != INVALID_SOCKET && h != 0)
        *base = h;
    if ((bs = socket_get(*base)))
    {
        p = chain_base(bs->provider);
        socket_put(bs);
    }
    else p = chain_base(sock->provider);
    TRACE_API("base handle of %#llx: %#llx (provider %p)", (unsigned long long)(uintptr_t)sock->hdr.handle,
              (unsigned long long)*base, (void *)p);
    return p;
}

/* select over base handles: translated copies of the sets, results mapped back. The base provider
 * of the first socket gets the call (Windows asks the first socket's provider); a handle it does not
 * know is its error to report. */
static int select_translated(fd_set *sets[3], struct ws_socket **refs, size_t count, const PTIMEVAL timeout,
                             int *err)
{
    struct fdset_buf tsets[3];
    SOCKET *base = calloc(count ? count : 1, sizeof(*base));
    struct provider *p = NULL;
    size_t i, n, at;
    int k, ret = SOCKET_ERROR;

    memset(tsets, 0, sizeof(tsets));
    if (!base)
    {
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    for (i = 0; i < count && !*err; i++)
    {
        struct provider *bp = bsp_translate(refs[i], SIO_BSP_HANDLE_SELECT, &base[i]);
        if (!bp) *err = WSAENOTSOCK;
        else if (!p) p = bp;
        else provider_release(bp);
    }
    for (k = 0, at = 0; k < 3 && !*err; k++)
    {
        if (!sets[k]) continue;
        if (fdset_buf_init(&tsets[k], sets[k]->fd_count)) *err = WSAENOBUFS;
        for (i = 0; i < sets[k]->fd_count && !*err; i++) fdset_buf_add(&tsets[k], base[at + i]);
        at += sets[k]->fd_count;
    }
    if (!*err)
    {
        TRACE_SPI("WSPSelect(base handles, read %p write %p except %p timeout %p)", (void *)tsets[0].set,
                  (void *)tsets[1].set, (void *)tsets[2].set, (void *)timeout);
        ret = p->procs.lpWSPSelect(0, tsets[0].set, tsets[1].set, tsets[2].set, timeout, err);
        TRACE_SPI("WSPSelect -> %d (error %d)", ret, *err);
        if (!(*err = api_provider_error(ret == SOCKET_ERROR, *err)))
        {
            ret = 0;
            for (k = 0, at = 0; k < 3; k++)
            {
                if (!sets[k]) continue;
                for (i = 0, n = 0; i < sets[k]->fd_count; i++)
                    if (fdset_contains(tsets[k].set, base[at + i])) sets[k]->fd_array[n++] = sets[k]->fd_array[i];
                at += sets[k]->fd_count;
                sets[k]->fd_count = (u_int)n;
                ret += (int)n;
            }
        }
    }
    for (k = 0; k < 3; k++) fdset_buf_free(&tsets[k]);
    if (p) provider_release(p);
    free(base);
    return ret;
}

/* select's usual case, one provider DLL for every socket, without a reference per socket: the sets
 * are looked up under the table's lock (socket_inspect_many) and only the first socket is referenced,
 * for its provider. The other sockets' references guarded nothing the call uses (the provider gets
 * handles; a socket closed meanwhile is the provider's to report). */
struct select_check
{
    const struct provider *provider; /* the first socket's provider */
    HMODULE module;                  /* and its DLL */
    BOOL any, mixed;
};

static void select_check_one(const struct ws_socket *sock, size_t index, void *arg)
{
    struct select_check *c = arg;

    (void)index;
    if (!sock || sock->provider == c->provider) return;  /* the usual case: no look at the provider */
    if (!c->any)
    {
        c->any = TRUE;
        c->provider = sock->provider;
        c->module = sock->provider->base.module;
    }
    else if (sock->provider->base.module != c->module) c->mixed = TRUE;
}

/* 0 with *first referenced when every socket of the sets exists and all belong to one provider DLL;
 * *mixed when they do not (the caller then references them all); else the WSA error. */
static int select_check_sets(fd_set *sets[3], struct ws_socket **first, BOOL *mixed)
{
    struct select_check c = { NULL, NULL, FALSE, FALSE };
    SOCKET s0 = INVALID_SOCKET;
    size_t total = 0;
    int k;

    *first = NULL;
    *mixed = FALSE;
    for (k = 0; k < 3; k++)
    {
        if (!sets[k] || !sets[k]->fd_count) continue;
        if (s0 == INVALID_SOCKET) s0 = sets[k]->fd_array[0];
        total += sets[k]->fd_count;
        if (socket_inspect_many(sets[k]->fd_array, sets[k]->fd_count, select_check_one, &c) != sets[k]->fd_count)
            return WSAENOTSOCK;
    }
    if (!total) return WSAEINVAL;
    if (c.mixed)
    {
        *mixed = TRUE;
        return 0;
    }
    /* the first socket of the first set (Windows asks its provider), closed meanwhile: not a socket */
    return (*first = socket_get(s0)) ? 0 : WSAENOTSOCK;
}

int WSAAPI select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds, const PTIMEVAL timeout)
{
    fd_set *sets[3] = { readfds, writefds, exceptfds };
    struct ws_socket **refs = NULL, *first = NULL;
    size_t count = 0, i;
    BOOL mixed = FALSE;
    int err = startup_check(), ret = SOCKET_ERROR;

    for (i = 0; !err && i < 3; i++)
        if (sets[i] && !fdset_ok(sets[i], TRUE)) err = WSAEFAULT;
    if (!err && timeout && !user_readable(timeout, sizeof(*timeout))) err = WSAEFAULT;
    if (!err && timeout && (timeout->tv_sec < 0 || timeout->tv_usec < 0)) err = WSAEINVAL;
    if (!err) err = select_check_sets(sets, &first, &mixed);
    if (!err && mixed) err = reference_sets(sets, &refs, &count, &mixed);
    if (!err && mixed)
    {
        ret = select_translated(sets, refs, count, timeout, &err);
        for (i = 0; i < count; i++) socket_put(refs[i]);
        free(refs);
    }
    else if (!err)
    {
        struct provider *p;

        if (!first) first = refs[0];   /* no longer mixed on the second look: the referenced sets */
        p = first->provider;
        TRACE_SPI("WSPSelect(nfds %d read %p write %p except %p timeout %p)", nfds, (void *)readfds,
                  (void *)writefds, (void *)exceptfds, (void *)timeout);
        ret = p->procs.lpWSPSelect(nfds, readfds, writefds, exceptfds, timeout, &err);
        TRACE_SPI("WSPSelect -> %d (error %d)", ret, err);
        err = api_provider_error(ret == SOCKET_ERROR, err);
        if (refs)
        {
            for (i = 0; i < count; i++) socket_put(refs[i]);
            free(refs);
        }
        else socket_put(first);
    }
    return api_leave(NULL, err, ret, "select(nfds %d readfds %p writefds %p exceptfds %p timeout %p)", nfds,
                     (void *)readfds, (void *)writefds, (void *)exceptfds, (void *)timeout);
}

/* ---- WSAPoll ---- */

#define POLL_VALID_EVENTS (POLLRDNORM | POLLRDBAND | POLLWRNORM)

/* An integer socket option or ioctl through the provider, for the select emulation of WSAPoll. */
static BOOL query_int(struct provider *p, SOCKET s, int opt, int *value)
{
    int err = 0, len = sizeof(*value), ret;

    *value = 0;
    ret = p->procs.lpWSPGetSockOpt(s, SOL_SOCKET, opt, (char *)value, &len, &err);
    TRACE_SPI("WSPGetSockOpt(s %#llx opt %#x) -> %d (value %d error %d) [poll emulation]", (unsigned long long)s, opt,
              ret, *value, err);
    return ret != SOCKET_ERROR;
}

static BOOL query_readable_bytes(struct provider *p, SOCKET s, u_long *bytes)
{
    DWORD returned = 0;
    int err = 0, ret;

    *bytes = 0;
    ret = p->procs.lpWSPIoctl(s, FIONREAD, NULL, 0, bytes, sizeof(*bytes), &returned, NULL, NULL, api_thread_id(),
                              &err);
    TRACE_SPI("WSPIoctl(s %#llx FIONREAD) -> %d (bytes %lu error %d) [poll emulation]", (unsigned long long)s, ret,
              *bytes, err);
    return ret != SOCKET_ERROR;
}

/* What a readable socket reports, as Windows' WSAPoll: a listening socket or data -> POLLRDNORM, a
 * connected stream socket with nothing left to read -> POLLHUP (the peer closed). */
static SHORT readable_events(struct provider *p, SOCKET s)
{
    int type, listening;
    u_long bytes;

    if (!query_int(p, s, SO_TYPE, &type) || type != SOCK_STREAM) return POLLRDNORM;
    if (query_int(p, s, SO_ACCEPTCONN, &listening) && listening) return POLLRDNORM;
    if (query_readable_bytes(p, s, &bytes) && bytes == 0) return POLLHUP;
    return POLLRDNORM;
}

/* WSAPoll through WSPSelect for a provider without SIO_EXT_POLL. Every socket is in the read and the
 * exception set (POLLHUP and POLLERR are reported whatever was asked), the write set when
 * POLLWRNORM was asked. Readable -> readable_events; writable -> POLLWRNORM; exceptional -> POLLERR
 * | POLLHUP (| POLLWRNORM) for a failed connect (SO_ERROR set), else POLLRDBAND (out-of-band data).
 * Returns the count or SOCKET_ERROR with *err. */
static int poll_by_select(struct provider *p, WSAPOLLFD *fds, ULONG n, INT timeout, int *err)
{
    struct fdset_buf r, w, e;
    TIMEVAL tv, *ptv = NULL;
    ULONG i;
    int ret;

    memset(&r, 0, sizeof(r));
    memset(&w, 0, sizeof(w));
    memset(&e, 0, sizeof(e));
    if (fdset_buf_init(&r, n) || fdset_buf_init(&w, n) || fdset_buf_init(&e, n))
    {
        fdset_buf_free(&r);
        fdset_buf_free(&w);
        fdset_buf_free(&e);
        *err = WSAENOBUFS;
        return SOCKET_ERROR;
    }
    for (i = 0; i < n; i++)
    {
        fdset_buf_add(&r, fds[i].fd);
        if (fds[i].events & POLLWRNORM) fdset_buf_add(&w, fds[i].fd);
        fdset_buf_add(&e, fds[i].fd);
    }
    if (timeout >= 0)
    {
        tv.tv_sec = timeout / 1000;
        tv.tv_usec = (timeout % 1000) * 1000;
        ptv = &tv;
    }
    TRACE_SPI("WSPSelect(poll emulation, %lu sockets, timeout %d)", (unsigned long)n, timeout);
    ret = p->procs.lpWSPSelect(0, r.set, w.set, e.set, ptv, err);
    TRACE_SPI("WSPSelect -> %d (error %d)", ret, *err);
    if (!(*err = api_provider_error(ret == SOCKET_ERROR, *err)))
    {
        ret = 0;
        for (i = 0; i < n; i++)
        {
            SHORT ready = 0;
            int soerr;
            if (fdset_contains(r.set, fds[i].fd)) ready |= readable_events(p, fds[i].fd);
            if (fdset_contains(w.set, fds[i].fd)) ready |= POLLWRNORM;
            if (fdset_contains(e.set, fds[i].fd))
            {
                if (query_int(p, fds[i].fd, SO_ERROR, &soerr) && soerr) ready |= POLLERR | POLLHUP | POLLWRNORM;
                else ready |= POLLRDBAND;
            }
            fds[i].revents = (SHORT)((ready & fds[i].events) | (ready & (POLLERR | POLLHUP)));
            if (fds[i].revents) ret++;
        }
    }
    fdset_buf_free(&r);
    fdset_buf_free(&w);
    fdset_buf_free(&e);
    return ret;
}

/* WSAPoll's entries looked up in one batch (refs[i], NULL for an entry that is no socket: POLLNVAL)
 * and copied into data; *n sockets, *provider the first one's, *mixed when they belong to providers of
 * different DLLs. Windows' order (Wine's conformance tests, which pass on Windows): no socket at all
 * is WSAENOTSOCK (every entry POLLNVAL); then only POLLRDNORM, POLLRDBAND and POLLWRNORM may be asked
 * by an entry whose fd is not INVALID_SOCKET, socket or not (WSAEINVAL, revents 0). 0 or the error. */
static int poll_collect(WSAPOLLFD *fdArray, ULONG fds, struct ws_socket **refs, WSAPOLLDATA *data, ULONG *n,
                        struct provider **provider, BOOL *mixed)
{
    /* refs is one block: the references, then the handles they are looked up from */
    SOCKET *handles = (SOCKET *)(refs + fds);
    ULONG i;

    /* One batched lookup (socket_get_many) instead of a handle-table lock per entry;
     * INVALID_SOCKET is never a registered socket. */
    for (i = 0; i < fds; i++) handles[i] = fdArray[i].fd;
    socket_get_many(handles, fds, refs);
    for (i = 0; i < fds; i++)
    {
        fdArray[i].revents = 0;
        if (!refs[i])
        {
            fdArray[i].revents = POLLNVAL;
            continue;
        }
        if (!*provider) *provider = refs[i]->provider;
        else if (!same_provider_dll(refs[i]->provider, *provider)) *mixed = TRUE;
        data->fdArray[*n].fd = fdArray[i].fd;
        data->fdArray[*n].events = fdArray[i].events;
        data->fdArray[*n].revents = 0;
        (*n)++;
    }
    if (!*n) return WSAENOTSOCK;
    for (i = 0; i < fds; i++)
        if (fdArray[i].fd != INVALID_SOCKET && (fdArray[i].events & ~POLL_VALID_EVENTS))
        {
            for (i = 0; i < fds; i++) fdArray[i].revents = 0;
            return WSAEINVAL;
        }
    return 0;
}

/* Sockets of several providers: each entry's base handle (SIO_BSP_HANDLE_POLL), the first entry's
 * base provider answers (*base, referenced). 0 or WSAENOTSOCK. */
static int poll_translate_mixed(struct ws_socket **refs, ULONG fds, WSAPOLLDATA *data, struct provider **base)
{
    ULONG i, j;

    for (i = 0, j = 0; i < fds; i++)
    {
        struct provider *bp;
        if (!refs[i]) continue;
        if (!(bp = bsp_translate(refs[i], SIO_BSP_HANDLE_POLL, &data->fdArray[j++].fd))) return WSAENOTSOCK;
        if (!*base) *base = bp;
        else provider_release(bp);
    }
    return 0;
}

/* The poll itself: SIO_EXT_POLL on the socket that answers (the first socket, or with mixed
 * providers the base provider's socket), else WSPSelect (poll_by_select); the results copied back
 * into fdArray. The count, or SOCKET_ERROR with *err. */
static int poll_call(WSAPOLLFD *fdArray, ULONG fds, struct ws_socket **refs, WSAPOLLDATA *data, ULONG n,
                     BOOL mixed, struct provider *base, INT timeout, int *err)
{
    struct ws_socket *first = NULL;
    DWORD returned = 0;
    ULONG size = sizeof(*data) + n * sizeof(WSAPOLLFD), i, j;
    int ret = SOCKET_ERROR;

    if (!mixed)
        for (i = 0; i < fds && !first; i++) first = refs[i];
    else if ((first = socket_get(data->fdArray[0].fd)) && first->provider != base)
    {
        socket_put(first); /* the base handle is not the base provider's socket in our table */
        first = NULL;
    }
    data->result = 0;
    data->fds = n;
    data->timeout = timeout;
    *err = first ? api_ioctl(first, SIO_EXT_POLL, data, size, data, size, &returned, NULL, NULL) : WSAEOPNOTSUPP;
    if (!*err) ret = data->result;
    else if (*err == WSAEOPNOTSUPP || *err == WSAEINVAL)
    {
        TRACE_API("WSAPoll: provider has no SIO_EXT_POLL, polling through WSPSelect");
        *err = 0;
        ret = poll_by_select(mixed ? base : first->provider, data->fdArray, n, timeout, err);
    }
    if (mixed && first) socket_put(first);
    if (!*err)
        for (i = 0, j = 0; i < fds; i++)
            if (refs[i]) fdArray[i].revents = data->fdArray[j++].revents;
    return ret;
}

int WSAAPI WSAPoll(LPWSAPOLLFD fdArray, ULONG fds, INT timeout)
{
    struct ws_socket **refs = NULL;
    struct provider *provider = NULL, *base = NULL;
    WSAPOLLDATA *data = NULL;
    BOOL mixed = FALSE;
    ULONG i, n = 0;
    int err = startup_check(), ret = SOCKET_ERROR;

    if (!err && !fds) err = WSAEINVAL;
    if (!err && !user_array_writable(fdArray, fds, sizeof(*fdArray))) err = WSAEFAULT;
    /* the WSAPOLLDATA copy must stay addressable by a DWORD ioctl length */
    if (!err && fds > (0xffffffffu - sizeof(WSAPOLLDATA)) / sizeof(WSAPOLLFD)) err = WSAENOBUFS;
    if (!err && !(refs = calloc(fds, sizeof(*refs) + sizeof(SOCKET)))) err = WSAENOBUFS;
    if (!err && !(data = calloc(1, sizeof(*data) + fds * sizeof(WSAPOLLFD)))) err = WSAENOBUFS;
    if (!err) err = poll_collect(fdArray, fds, refs, data, &n, &provider, &mixed);
    if (!err && mixed) err = poll_translate_mixed(refs, fds, data, &base);
    if (!err) ret = poll_call(fdArray, fds, refs, data, n, mixed, base, timeout, &err);
    if (base) provider_release(base);
    if (refs)
    {
        for (i = 0; i < fds; i++) socket_put(refs[i]);
        free(refs);
    }
    free(data);
    return api_leave(NULL, err, ret, "WSAPoll(fdArray %p fds %lu timeout %d)", (void *)fdArray, (unsigned long)fds,
                     timeout);
}
