/* lsp_ext.c - the extension functions an application gets from the layer
 * (SIO_GET_EXTENSION_FUNCTION_POINTER on one of our sockets): AcceptEx, ConnectEx, DisconnectEx,
 * GetAcceptExSockaddrs, TransmitFile, TransmitPackets, WSARecvMsg, WSASendMsg. Each translates our handles to the
 * next layer's, calls the next layer's own extension function (fetched through its WSPIoctl) with
 * the layer's OVERLAPPED and completes the application's OVERLAPPED as lsp_io.c does. ConnectEx of
 * a redirected connection runs the proxy connection and handshake in the thread pool. Other GUIDs
 * are refused (WSAEINVAL): a function of the next layer would be handed our handles.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"

#include <stdlib.h>

LPFN_GETACCEPTEXSOCKADDRS lsp_lower_get_acceptex_sockaddrs;

static const GUID id_acceptex = WSAID_ACCEPTEX, id_connectex = WSAID_CONNECTEX, id_disconnectex = WSAID_DISCONNECTEX,
                  id_sockaddrs = WSAID_GETACCEPTEXSOCKADDRS, id_transmitfile = WSAID_TRANSMITFILE,
                  id_recvmsg = WSAID_WSARECVMSG, id_sendmsg = WSAID_WSASENDMSG,
                  id_transmitpackets = WSAID_TRANSMITPACKETS;

/* The next layer's function for id, fetched once through its WSPIoctl on ls's socket. */
static void *lower_fn(struct lsp_sock *ls, const GUID *id, void **slot, int *err)
{
    void *fn = NULL;
    DWORD got = 0;
    WSATHREADID tid = { GetCurrentThread(), 0 };

    if (*slot) return *slot;
    if (ls->low->procs.lpWSPIoctl(ls->lower, SIO_GET_EXTENSION_FUNCTION_POINTER, (void *)id, sizeof(*id), &fn,
                                  sizeof(fn), &got, NULL, NULL, &tid, err) || !fn)
    {
        if (!*err) *err = WSAEINVAL;
        return NULL;
    }
    InterlockedExchangePointer(slot, fn);
    return fn;
}

/* Ends an extension call: BOOL convention (last error set on failure). */
static BOOL ext_result(int err)
{
    if (err)
    {
        SetLastError((DWORD)err);
        return FALSE;
    }
    return TRUE;
}

/* lsp_op_started for a function that reports no byte count when it completes at once (TransmitFile,
 * TransmitPackets, DisconnectEx): the count is read from the next layer's OVERLAPPED. */
static int ext_started(struct lsp_op *op, int r, int err)
{
    DWORD bytes = 0, flags = 0;
    int e = 0;

    if (!r && !op->low->procs.lpWSPGetOverlappedResult(op->lower_s, &op->lov, &bytes, FALSE, &flags, &e)) bytes = 0;
    return lsp_op_started(op, r, err, bytes);
}

static int lower_error(void)
{
    int e = (int)GetLastError();
    return e ? e : WSAEINVAL;
}

static BOOL PASCAL ext_acceptex(SOCKET listener, SOCKET accepted, PVOID buf, DWORD recv_len, DWORD local_len,
                                DWORD remote_len, LPDWORD bytes, LPOVERLAPPED ov)
{
    struct lsp_sock *ls, *as = NULL;
    LPFN_ACCEPTEX fn;
    struct lsp_op *op;
    DWORD done = 0;
    int err = 0, r;

    if (!(ls = lsp_sock_get(listener, &err))) return ext_result(err);
    if (!(as = lsp_sock_get(accepted, &err))) err = WSAENOTSOCK;
    else if (ls->bind_listening) err = WSAEOPNOTSUPP; /* listening through the proxy: accept only */
    else if ((fn = lower_fn(ls, &id_acceptex, (void **)&ls->low->accept_ex, &err)))
    {
        if (!ov) err = fn(ls->lower, as->lower, buf, recv_len, local_len, remote_len, bytes, NULL) ? 0 : lower_error();
        else if (!(op = lsp_op_new(ls, ls->lower, (LPWSAOVERLAPPED)ov, "AcceptEx", 2))) err = WSAENOBUFS;
        else
        {
            r = fn(ls->lower, as->lower, buf, recv_len, local_len, remote_len, &done, (LPOVERLAPPED)&op->lov) ? 0 : SOCKET_ERROR;
            err = lsp_op_started(op, r, r ? lower_error() : 0, done);
            if (!err && bytes) *bytes = done;
        }
    }
    lsp_trace("AcceptEx(listen %#llx accept %#llx recv %lu ov %p) -> err=%d", LSP_SOCK_ARG(listener),
              LSP_SOCK_ARG(accepted), (unsigned long)recv_len, (void *)ov, err);
    lsp_sock_put(as);
    lsp_sock_put(ls);
    return ext_result(err);
}

static void PASCAL ext_get_acceptex_sockaddrs(PVOID buf, DWORD recv_len, DWORD local_len, DWORD remote_len,
                                              struct sockaddr **local, LPINT local_size, struct sockaddr **remote,
                                              LPINT remote_size)
{
    if (lsp_lower_get_acceptex_sockaddrs)
        lsp_lower_get_acceptex_sockaddrs(buf, recv_len, local_len, remote_len, local, local_size, remote, remote_size);
}

/* ConnectEx through the LSP's redirection, in the thread pool. */
static DWORD WINAPI redirected_connectex(void *param)
{
    struct lsp_op *op = param;
    int err = lsp_redirect_run(op->ls, (struct sockaddr *)&op->target, op->target_len, &op->via, op->via_len);
    DWORD sent = 0;

    if (!err && op->send_len)
    {
        err = lsp_lower_send_all(op->ls, op->send_buf, (int)op->send_len, 30000);
        if (!err) sent = op->send_len;
    }
    lsp_op_finish(op, err, sent);
    lsp_op_release(op);
    return 0;
}

static BOOL PASCAL ext_connectex(SOCKET s, const struct sockaddr *name, int namelen, PVOID send_buf, DWORD send_len,
                                 LPDWORD sent, LPOVERLAPPED ov)
{
    struct lsp_sock *ls;
    LPFN_CONNECTEX fn;
    struct lsp_op *op;
    struct sockaddr_storage via;
    int via_len = 0, err = 0, r;
    DWORD done = 0;
    char a[64];
    BOOL redirect = FALSE;

    if (!(ls = lsp_sock_get(s, &err))) return ext_result(err);
    if (!ov) err = WSAEINVAL;
    else if (ls->ifs)
    {
        /* IFS: the application's OVERLAPPED can only be completed by the kernel (the next layer's
         * requests), not by WPUCompleteOverlappedRequest. Redirected: under Wine, the proxy
         * conversation runs in the background and a request of the next layer's completes the
         * OVERLAPPED at its end (lsp_async_connectex); elsewhere, or when the handle skips the
         * completion port on success, it runs in the call, then the initial data (possibly none) is
         * sent with the application's OVERLAPPED, which completes it with the byte count as ConnectEx
         * does; a failed conversation fails the call. Otherwise the next layer's ConnectEx gets the
         * call as it is. */
        if ((redirect = lsp_redirect_wanted(ls, name, namelen, &via, &via_len)))
        {
            BOOL started = FALSE;
            if (ls->hs_state != LSP_HS_NONE) err = ls->hs_state == LSP_HS_PENDING ? WSAEALREADY : WSAEISCONN;
            else if ((err = lsp_async_connectex(ls, name, namelen, &via, via_len, ov, send_buf, send_len, &started)),
                     started)
                ;
            else if (!(err = lsp_redirect_run(ls, name, namelen, &via, via_len)))
            {
                WSABUF b = { send_buf ? send_len : 0, send_buf };
                WSATHREADID tid = { GetCurrentThread(), 0 };
                r = ls->low->procs.lpWSPSend(ls->lower, &b, 1, &done, 0, (LPWSAOVERLAPPED)ov, NULL, &tid, &err);
                if (!r) err = 0;
                else if (err == WSA_IO_PENDING) err = WSA_IO_PENDING;
                if (!err && sent) *sent = done;
            }
        }
        else if ((fn = lower_fn(ls, &id_connectex, (void **)&ls->low->connect_ex, &err)))
            err = fn(ls->lower, name, namelen, send_buf, send_len, sent, ov) ? 0 : lower_error();
    }
    else if ((redirect = lsp_redirect_wanted(ls, name, namelen, &via, &via_len)))
    {
        if (!(op = lsp_op_new(ls, ls->lower, (LPWSAOVERLAPPED)ov, "ConnectEx", 1))) err = WSAENOBUFS;
        else
        {
            memcpy(&op->target, name, namelen);
            op->target_len = namelen;
            op->via = via;
            op->via_len = via_len;
            op->send_buf = send_buf;
            op->send_len = send_buf ? send_len : 0;
            if (!QueueUserWorkItem(redirected_connectex, op, WT_EXECUTELONGFUNCTION))
            {
                ov->Internal = 0;
                lsp_op_release(op);
                err = WSAENOBUFS;
            }
            else err = WSA_IO_PENDING;
        }
    }
    else if ((fn = lower_fn(ls, &id_connectex, (void **)&ls->low->connect_ex, &err)))
    {
        if (!(op = lsp_op_new(ls, ls->lower, (LPWSAOVERLAPPED)ov, "ConnectEx", 1))) err = WSAENOBUFS;
        else
        {
            r = fn(ls->lower, name, namelen, send_buf, send_len, &done, (LPOVERLAPPED)&op->lov) ? 0 : SOCKET_ERROR;
            err = lsp_op_started(op, r, r ? lower_error() : 0, done);
            if (!err && sent) *sent = done;
        }
    }
    lsp_trace("ConnectEx(s %#llx %s send %lu ov %p%s) -> err=%d", LSP_SOCK_ARG(s),
              lsp_addr_str(name, namelen, a, sizeof(a)), (unsigned long)send_len, (void *)ov,
              redirect ? " redirected" : "", err);
    lsp_sock_put(ls);
    return ext_result(err);
}

static BOOL PASCAL ext_disconnectex(SOCKET s, LPOVERLAPPED ov, DWORD flags, DWORD reserved)
{
    struct lsp_sock *ls;
    LPFN_DISCONNECTEX fn;
    struct lsp_op *op;
    int err = 0, r;

    if (!(ls = lsp_sock_get(s, &err))) return ext_result(err);
    if ((fn = lower_fn(ls, &id_disconnectex, (void **)&ls->low->disconnect_ex, &err)))
    {
        if (!ov) err = fn(ls->lower, NULL, flags, reserved) ? 0 : lower_error();
        else if (!(op = lsp_op_new(ls, ls->lower, (LPWSAOVERLAPPED)ov, "DisconnectEx", 0))) err = WSAENOBUFS;
        else
        {
            r = fn(ls->lower, (LPOVERLAPPED)&op->lov, flags, reserved) ? 0 : SOCKET_ERROR;
            err = lsp_op_started(op, r, r ? lower_error() : 0, 0);
        }
    }
    lsp_trace("DisconnectEx(s %#llx flags %#lx ov %p) -> err=%d", LSP_SOCK_ARG(s), (unsigned long)flags, (void *)ov, err);
    lsp_sock_put(ls);
    return ext_result(err);
}

static BOOL PASCAL ext_transmitfile(SOCKET s, HANDLE file, DWORD total, DWORD per_send, LPOVERLAPPED ov,
                                    LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    struct lsp_sock *ls;
    LPFN_TRANSMITFILE fn;
    struct lsp_op *op;
    int err = 0, r;

    if (!(ls = lsp_sock_get(s, &err))) return ext_result(err);
    if ((fn = lower_fn(ls, &id_transmitfile, (void **)&ls->low->transmit_file, &err)))
    {
        if (!ov) err = fn(ls->lower, file, total, per_send, NULL, buffers, flags) ? 0 : lower_error();
        else if (!(op = lsp_op_new(ls, ls->lower, (LPWSAOVERLAPPED)ov, "TransmitFile", 1))) err = WSAENOBUFS;
        else
        {
            /* The file offset is the application's (Offset/OffsetHigh of its OVERLAPPED). */
            op->lov.Offset = ov->Offset;
            op->lov.OffsetHigh = ov->OffsetHigh;
            r = fn(ls->lower, file, total, per_send, (LPOVERLAPPED)&op->lov, buffers, flags) ? 0 : SOCKET_ERROR;
            err = ext_started(op, r, r ? lower_error() : 0);
        }
    }
    lsp_trace("TransmitFile(s %#llx bytes %lu ov %p flags %#lx) -> err=%d", LSP_SOCK_ARG(s), (unsigned long)total,
              (void *)ov, (unsigned long)flags, err);
    lsp_sock_put(ls);
    return ext_result(err);
}

/* TransmitPackets: the elements hold buffers and file handles, no sockets: they go down as they are. */
static BOOL PASCAL ext_transmitpackets(SOCKET s, LPTRANSMIT_PACKETS_ELEMENT elements, DWORD count, DWORD send_size,
                                       LPOVERLAPPED ov, DWORD flags)
{
    struct lsp_sock *ls;
    LPFN_TRANSMITPACKETS fn;
    struct lsp_op *op;
    DWORD i;
    ULONGLONG total = 0;
    int err = 0, r;

    if (!(ls = lsp_sock_get(s, &err))) return ext_result(err);
    for (i = 0; elements && i < count && i < 1024; i++)
        if (elements[i].dwElFlags & TP_ELEMENT_MEMORY) total += elements[i].cLength;
    if (ls->hs_state == LSP_HS_PENDING || ls->hs_state == LSP_HS_FAILED) err = WSAENOTCONN;
    else if ((fn = lower_fn(ls, &id_transmitpackets, (void **)&ls->low->transmit_packets, &err)))
    {
        if (!ov) err = fn(ls->lower, elements, count, send_size, NULL, flags) ? 0 : lower_error();
        else if (!(op = lsp_op_new(ls, ls->lower, (LPWSAOVERLAPPED)ov, "TransmitPackets", 1))) err = WSAENOBUFS;
        else
        {
            r = fn(ls->lower, elements, count, send_size, (LPOVERLAPPED)&op->lov, flags) ? 0 : SOCKET_ERROR;
            err = ext_started(op, r, r ? lower_error() : 0);
        }
    }
    lsp_trace("TransmitPackets(s %#llx elements %lu memory-bytes %llu send-size %lu ov %p flags %#lx) -> err=%d",
              LSP_SOCK_ARG(s), (unsigned long)count, (unsigned long long)total, (unsigned long)send_size, (void *)ov,
              (unsigned long)flags, err);
    lsp_sock_put(ls);
    return ext_result(err);
}

/* A datagram socket the LSP handles itself (a SOCKS UDP association) does not go through the next
 * layer's message calls, which would bypass it: TRUE (traced) when msg is such a call. */
static BOOL msg_bypasses_layer(struct lsp_sock *ls, LPWSAMSG msg, BOOL send, const char *what)
{
    if (!ls || ls->info.iSocketType != SOCK_DGRAM || !lsp_hooks.dgram_owned || !msg ||
        !lsp_hooks.dgram_owned(ls, send, send ? msg->name : NULL, send ? msg->namelen : 0))
        return FALSE;
    lsp_trace("%s(s %#llx): the LSP's datagram socket -> WSAEOPNOTSUPP", what, LSP_SOCK_ARG(ls->s));
    return TRUE;
}

/* WSARecvMsg / WSASendMsg: the completion routine, if any, is queued by the layer (WPUQueueApc). */
static int msg_call(SOCKET s, LPWSAMSG msg, DWORD send_flags, LPDWORD bytes, LPWSAOVERLAPPED ov,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, BOOL send)
{
    const char *what = send ? "WSASendMsg" : "WSARecvMsg";
    struct lsp_sock *ls;
    struct lsp_op *op;
    DWORD done = 0;
    int err = 0, r;
    void *fn;

    if (!(ls = lsp_sock_get(s, &err))) return SetLastError((DWORD)err), SOCKET_ERROR;
    if (msg_bypasses_layer(ls, msg, send, what))
    {
        lsp_sock_put(ls);
        return SetLastError(WSAEOPNOTSUPP), SOCKET_ERROR;
    }
    fn = send ? lower_fn(ls, &id_sendmsg, (void **)&ls->low->send_msg, &err)
              : lower_fn(ls, &id_recvmsg, (void **)&ls->low->recv_msg, &err);
    if (fn && !ov)
    {
        r = send ? ((LPFN_WSASENDMSG)fn)(ls->lower, msg, send_flags, &done, NULL, NULL)
                 : ((LPFN_WSARECVMSG)fn)(ls->lower, msg, &done, NULL, NULL);
        if (r) err = lower_error();
        else if (bytes) *bytes = done;
    }
    else if (fn && !(op = lsp_op_new(ls, ls->lower, ov, what, send ? 1 : 2))) err = WSAENOBUFS;
    else if (fn)
    {
        if ((err = lsp_op_set_routine(op, cr)))
        {
            ov->Internal = 0;
            lsp_op_release(op);
        }
        else
        {
            r = send ? ((LPFN_WSASENDMSG)fn)(ls->lower, msg, send_flags, &done, &op->lov, NULL)
                     : ((LPFN_WSARECVMSG)fn)(ls->lower, msg, &done, &op->lov, NULL);
            err = lsp_op_started(op, r, r ? lower_error() : 0, done);
            if (!err && bytes) *bytes = done;
        }
    }
    lsp_trace("%s(s %#llx ov %p) -> err=%d bytes=%lu", what, LSP_SOCK_ARG(s), (void *)ov, err, (unsigned long)done);
    lsp_sock_put(ls);
    if (err)
    {
        SetLastError((DWORD)err);
        return SOCKET_ERROR;
    }
    return 0;
}

static INT PASCAL ext_recvmsg(SOCKET s, LPWSAMSG msg, LPDWORD bytes, LPWSAOVERLAPPED ov,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    return msg_call(s, msg, 0, bytes, ov, cr, FALSE);
}

static INT PASCAL ext_sendmsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD bytes, LPWSAOVERLAPPED ov,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    return msg_call(s, msg, flags, bytes, ov, cr, TRUE);
}

BOOL lsp_ext_lookup(struct lsp_sock *ls, const GUID *id, void *out, DWORD out_len, DWORD *returned, int *err)
{
    void *fn = NULL, *unused = NULL;

    *err = 0;
    if (!memcmp(id, &id_acceptex, sizeof(*id))) fn = (void *)ext_acceptex;
    else if (!memcmp(id, &id_connectex, sizeof(*id))) fn = (void *)ext_connectex;
    else if (!memcmp(id, &id_disconnectex, sizeof(*id))) fn = (void *)ext_disconnectex;
    else if (!memcmp(id, &id_transmitfile, sizeof(*id))) fn = (void *)ext_transmitfile;
    else if (!memcmp(id, &id_transmitpackets, sizeof(*id))) fn = (void *)ext_transmitpackets;
    else if (!memcmp(id, &id_recvmsg, sizeof(*id))) fn = (void *)ext_recvmsg;
    else if (!memcmp(id, &id_sendmsg, sizeof(*id))) fn = (void *)ext_sendmsg;
    else if (!memcmp(id, &id_sockaddrs, sizeof(*id)))
    {
        /* No socket argument: the next layer's own function does the work. */
        if (!lower_fn(ls, id, (void **)&lsp_lower_get_acceptex_sockaddrs, err)) return TRUE;
        fn = (void *)ext_get_acceptex_sockaddrs;
    }
    else return FALSE;
    (void)unused;
    if (!out || out_len < sizeof(fn))
    {
        *err = WSAEFAULT;
        return TRUE;
    }
    memcpy(out, &fn, sizeof(fn));
    *returned = sizeof(fn);
    return TRUE;
}

/* ---- IFS sockets ----
 * An IFS socket is the next layer's own handle, so its extension functions take the application's
 * handles and OVERLAPPED as they are. While tracing, SIO_GET_EXTENSION_FUNCTION_POINTER on an IFS
 * socket answers these wrappers: each calls the next layer's function (fetched through its WSPIoctl,
 * as above) with exactly the application's arguments, logs the call and its result, and watches
 * the completion as lsp_ifs_watch.c does; the last error the application reads is the next
 * layer's. A function used on a socket the layer does not know (applications fetch AcceptEx once
 * and use it on every socket) calls the function fetched last, untraced completion. AcceptEx is this
 * wrapper also untraced when the LSP listens through a proxy (lsp_io.c): a listener doing so refuses
 * it (WSAEOPNOTSUPP). */
enum { IFS_ACCEPTEX, IFS_CONNECTEX, IFS_DISCONNECTEX, IFS_TRANSMITFILE, IFS_TRANSMITPACKETS, IFS_RECVMSG, IFS_SENDMSG,
       IFS_COUNT };
static void *ifs_last[IFS_COUNT];

/* The next layer's function for s (*ls referenced, or NULL for a socket not ours). */
static void *ifs_fn(SOCKET s, int which, const GUID *id, struct lsp_sock **ls)
{
    void **slot;
    void *fn;
    int err = 0;

    if (!(*ls = lsp_sock_get(s, &err))) return ifs_last[which];
    switch (which)
    {
    case IFS_ACCEPTEX: slot = (void **)&(*ls)->low->accept_ex; break;
    case IFS_CONNECTEX: slot = (void **)&(*ls)->low->connect_ex; break;
    case IFS_DISCONNECTEX: slot = (void **)&(*ls)->low->disconnect_ex; break;
    case IFS_TRANSMITFILE: slot = (void **)&(*ls)->low->transmit_file; break;
    case IFS_TRANSMITPACKETS: slot = (void **)&(*ls)->low->transmit_packets; break;
    case IFS_RECVMSG: slot = (void **)&(*ls)->low->recv_msg; break;
    default: slot = (void **)&(*ls)->low->send_msg; break;
    }
    if ((fn = lower_fn(*ls, id, slot, &err))) InterlockedExchangePointer(&ifs_last[which], fn);
    return fn;
}

/* Before a call with ov: the completion watch (ls may be NULL: not watched). */
static struct lsp_ifs_watch *ifs_watch(struct lsp_sock *ls, LPOVERLAPPED ov, const char *what)
{
    struct lsp_ifs_watch *w = NULL;
    if (ls && ov) lsp_ifs_watch_begin(ls, (LPWSAOVERLAPPED)ov, NULL, what, &w);
    return w;
}

/* After a BOOL call: watch, trace done by the caller; returns the error (0: success). */
static int ifs_done(struct lsp_ifs_watch *w, BOOL ok)
{
    int err = ok ? 0 : lower_error();
    lsp_ifs_watch_started(w, ok ? 0 : SOCKET_ERROR, err);
    return err;
}

static BOOL PASCAL ifs_acceptex(SOCKET listener, SOCKET accepted, PVOID buf, DWORD recv_len, DWORD local_len,
                                DWORD remote_len, LPDWORD bytes, LPOVERLAPPED ov)
{
    struct lsp_sock *ls;
    LPFN_ACCEPTEX fn = ifs_fn(listener, IFS_ACCEPTEX, &id_acceptex, &ls);
    struct lsp_ifs_watch *w;
    int err;

    if (ls && ls->bind_listening)
    {
        /* listening through the proxy (lsp_listen_socket): accept only, as on a non-IFS socket */
        lsp_trace("AcceptEx(listen %#llx ifs): listening through the proxy -> WSAEOPNOTSUPP", LSP_SOCK_ARG(listener));
        lsp_sock_put(ls);
        return ext_result(WSAEOPNOTSUPP);
    }
    w = ifs_watch(ls, ov, "AcceptEx");
    err = fn ? ifs_done(w, fn(listener, accepted, buf, recv_len, local_len, remote_len, bytes, ov))
             : (ifs_done(w, FALSE), WSAENOTSOCK);

    lsp_trace("AcceptEx(listen %#llx accept %#llx recv %lu ov %p ifs) -> err=%d bytes=%lu", LSP_SOCK_ARG(listener),
              LSP_SOCK_ARG(accepted), (unsigned long)recv_len, (void *)ov, err,
              (unsigned long)(!err && bytes ? *bytes : 0));
    lsp_sock_put(ls);
    return ext_result(err);
}

static BOOL PASCAL ifs_connectex(SOCKET s, const struct sockaddr *name, int namelen, PVOID send_buf, DWORD send_len,
                                 LPDWORD sent, LPOVERLAPPED ov)
{
    struct lsp_sock *ls;
    LPFN_CONNECTEX fn = ifs_fn(s, IFS_CONNECTEX, &id_connectex, &ls);
    struct lsp_ifs_watch *w = ifs_watch(ls, ov, "ConnectEx");
    int err = fn ? ifs_done(w, fn(s, name, namelen, send_buf, send_len, sent, ov)) : (ifs_done(w, FALSE), WSAENOTSOCK);
    char a[64];

    lsp_trace("ConnectEx(s %#llx %s send %lu ov %p ifs) -> err=%d", LSP_SOCK_ARG(s),
              lsp_addr_str(name, namelen, a, sizeof(a)), (unsigned long)send_len, (void *)ov, err);
    lsp_sock_put(ls);
    return ext_result(err);
}

static BOOL PASCAL ifs_disconnectex(SOCKET s, LPOVERLAPPED ov, DWORD flags, DWORD reserved)
{
    struct lsp_sock *ls;
    LPFN_DISCONNECTEX fn = ifs_fn(s, IFS_DISCONNECTEX, &id_disconnectex, &ls);
    struct lsp_ifs_watch *w = ifs_watch(ls, ov, "DisconnectEx");
    int err = fn ? ifs_done(w, fn(s, ov, flags, reserved)) : (ifs_done(w, FALSE), WSAENOTSOCK);

    lsp_trace("DisconnectEx(s %#llx flags %#lx ov %p ifs) -> err=%d", LSP_SOCK_ARG(s), (unsigned long)flags,
              (void *)ov, err);
    lsp_sock_put(ls);
    return ext_result(err);
}

static BOOL PASCAL ifs_transmitfile(SOCKET s, HANDLE file, DWORD total, DWORD per_send, LPOVERLAPPED ov,
                                    LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    struct lsp_sock *ls;
    LPFN_TRANSMITFILE fn = ifs_fn(s, IFS_TRANSMITFILE, &id_transmitfile, &ls);
    struct lsp_ifs_watch *w = ifs_watch(ls, ov, "TransmitFile");
    int err = fn ? ifs_done(w, fn(s, file, total, per_send, ov, buffers, flags)) : (ifs_done(w, FALSE), WSAENOTSOCK);

    lsp_trace("TransmitFile(s %#llx bytes %lu ov %p flags %#lx ifs) -> err=%d", LSP_SOCK_ARG(s), (unsigned long)total,
              (void *)ov, (unsigned long)flags, err);
    lsp_sock_put(ls);
    return ext_result(err);
}

static BOOL PASCAL ifs_transmitpackets(SOCKET s, LPTRANSMIT_PACKETS_ELEMENT elements, DWORD count, DWORD send_size,
                                       LPOVERLAPPED ov, DWORD flags)
{
    struct lsp_sock *ls;
    LPFN_TRANSMITPACKETS fn = ifs_fn(s, IFS_TRANSMITPACKETS, &id_transmitpackets, &ls);
    struct lsp_ifs_watch *w = ifs_watch(ls, ov, "TransmitPackets");
    int err = fn ? ifs_done(w, fn(s, elements, count, send_size, ov, flags)) : (ifs_done(w, FALSE), WSAENOTSOCK);

    lsp_trace("TransmitPackets(s %#llx elements %lu send-size %lu ov %p flags %#lx ifs) -> err=%d", LSP_SOCK_ARG(s),
              (unsigned long)count, (unsigned long)send_size, (void *)ov, (unsigned long)flags, err);
    lsp_sock_put(ls);
    return ext_result(err);
}

static int ifs_msg(SOCKET s, LPWSAMSG msg, DWORD send_flags, LPDWORD bytes, LPWSAOVERLAPPED ov,
                   LPWSAOVERLAPPED_COMPLETION_ROUTINE cr, BOOL send)
{
    const char *what = send ? "WSASendMsg" : "WSARecvMsg";
    struct lsp_sock *ls;
    void *fn = send ? ifs_fn(s, IFS_SENDMSG, &id_sendmsg, &ls) : ifs_fn(s, IFS_RECVMSG, &id_recvmsg, &ls);
    struct lsp_ifs_watch *w = NULL;
    LPWSAOVERLAPPED_COMPLETION_ROUTINE down;
    int r = SOCKET_ERROR, err = WSAENOTSOCK;

    if (msg_bypasses_layer(ls, msg, send, what))
    {
        lsp_sock_put(ls);
        return SetLastError(WSAEOPNOTSUPP), SOCKET_ERROR;
    }
    down = ls && ov ? lsp_ifs_watch_begin(ls, ov, cr, what, &w) : cr;
    if (fn)
    {
        r = send ? ((LPFN_WSASENDMSG)fn)(s, msg, send_flags, bytes, ov, down)
                 : ((LPFN_WSARECVMSG)fn)(s, msg, bytes, ov, down);
        err = r ? lower_error() : 0;
    }
    lsp_ifs_watch_started(w, r, err);
    lsp_trace("%s(s %#llx ov %p ifs) -> err=%d bytes=%lu", what, LSP_SOCK_ARG(s), (void *)ov, err,
              (unsigned long)(!err && bytes ? *bytes : 0));
    lsp_sock_put(ls);
    if (err)
    {
        SetLastError((DWORD)err);
        return SOCKET_ERROR;
    }
    return 0;
}

static INT PASCAL ifs_recvmsg(SOCKET s, LPWSAMSG msg, LPDWORD bytes, LPWSAOVERLAPPED ov,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    return ifs_msg(s, msg, 0, bytes, ov, cr, FALSE);
}

static INT PASCAL ifs_sendmsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD bytes, LPWSAOVERLAPPED ov,
                              LPWSAOVERLAPPED_COMPLETION_ROUTINE cr)
{
    return ifs_msg(s, msg, flags, bytes, ov, cr, TRUE);
}

BOOL lsp_ext_ifs_lookup(struct lsp_sock *ls, const GUID *id, void *out, DWORD out_len, DWORD *returned, int *err)
{
    static const struct { const GUID *id; int which; void *wrapper; } table[] = {
        { &id_acceptex, IFS_ACCEPTEX, (void *)ifs_acceptex },
        { &id_connectex, IFS_CONNECTEX, (void *)ifs_connectex },
        { &id_disconnectex, IFS_DISCONNECTEX, (void *)ifs_disconnectex },
        { &id_transmitfile, IFS_TRANSMITFILE, (void *)ifs_transmitfile },
        { &id_transmitpackets, IFS_TRANSMITPACKETS, (void *)ifs_transmitpackets },
        { &id_recvmsg, IFS_RECVMSG, (void *)ifs_recvmsg },
        { &id_sendmsg, IFS_SENDMSG, (void *)ifs_sendmsg },
    };
    struct lsp_sock *held;
    size_t i;

    *err = 0;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (!memcmp(id, table[i].id, sizeof(*id))) break;
    if (i == sizeof(table) / sizeof(table[0])) return FALSE; /* GetAcceptExSockaddrs, others: the next layer's */
    /* The next layer must have the function (fetched now: its error is the application's). */
    if (!ifs_fn(ls->s, table[i].which, table[i].id, &held))
    {
        lsp_sock_put(held);
        *err = WSAEINVAL;
        return TRUE;
    }
    lsp_sock_put(held);
    if (!out || out_len < sizeof(void *))
    {
        *err = WSAEFAULT;
        return TRUE;
    }
    memcpy(out, &table[i].wrapper, sizeof(void *));
    *returned = sizeof(void *);
    lsp_trace("WSPIoctl(s %#llx SIO_GET_EXTENSION_FUNCTION_POINTER ifs) -> 0: the layer's traced function",
              LSP_SOCK_ARG(ls->s));
    return TRUE;
}
