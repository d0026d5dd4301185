/* afd_extensions.c - the Microsoft extension functions openws2afd hands out through
 * SIO_GET_EXTENSION_FUNCTION_POINTER: AcceptEx, GetAcceptExSockaddrs, ConnectEx, DisconnectEx,
 * TransmitFile, TransmitPackets, WSARecvMsg, WSASendMsg. Applications call them directly, so they
 * report errors with SetLastError (= WSASetLastError).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"

#define AFD_USE_FILE_POINTER ((LONGLONG)-2)

static BOOL afd_ext_fail(int e)
{
    SetLastError((DWORD)e);
    return FALSE;
}

/* FALSE with ERROR_IO_PENDING / the error, TRUE on immediate success. */
static BOOL afd_ext_result(NTSTATUS status)
{
    int e = afd_status_to_wsa(status);
    SetLastError((DWORD)e);
    return !e;
}

/* Argument checks in Windows' order (as Wine's conformance tests record it): no OVERLAPPED, then
 * the request marked pending, then the sockets, then the buffer. Address areas too small for an
 * address are accepted here and fail at completion (STATUS_BUFFER_TOO_SMALL), as on Windows. */
static BOOL WINAPI afd_AcceptEx(SOCKET listener, SOCKET acceptor, PVOID buffer, DWORD recv_len, DWORD local_len,
                                DWORD remote_len, LPDWORD received, LPOVERLAPPED ov)
{
    struct afd_socket_info lrec, arec;
    struct sockaddr_storage name;
    DWORD listening = 0;
    ULONG_PTR len = 0;
    struct afd_io io;
    NTSTATUS status;
    BOOL ret;

    AFD_TRACE("AcceptEx(%#Ix, %#Ix, %p, %lu, %lu, %lu, %p, %p)", (ULONG_PTR)listener, (ULONG_PTR)acceptor, buffer,
              (unsigned long)recv_len, (unsigned long)local_len, (unsigned long)remote_len, (void *)received,
              (void *)ov);
    if (!ov || !afd_writable(ov, sizeof(*ov))) return afd_ext_fail(WSA_INVALID_PARAMETER);
    ov->Internal = STATUS_PENDING;
    if (!afd_socket_get(listener, &lrec)) return afd_ext_fail(WSAENOTSOCK);
    if (afdw_get_option((HANDLE)listener, SOL_SOCKET, SO_ACCEPTCONN, &listening, sizeof(listening), &len) ||
        !listening)
        return afd_ext_fail(WSAEINVAL);
    if (!afd_socket_get(acceptor, &arec)) return afd_ext_fail(WSAENOTSOCK);
    /* the acceptor must be a fresh stream socket: not bound (nor connected) */
    if (arec.info.iSocketType != SOCK_STREAM || arec.info.iAddressFamily != lrec.info.iAddressFamily ||
        !afdw_getsockname((HANDLE)acceptor, (struct sockaddr *)&name, sizeof(name), &len))
        return afd_ext_fail(WSAEINVAL);
    if (!buffer || !remote_len) return afd_ext_fail(WSAEFAULT);
    if (recv_len > 0x7fffffff - local_len || recv_len + local_len > 0x7fffffff - remote_len ||
        !afd_writable(buffer, (size_t)recv_len + local_len + remote_len) ||
        (received && !afd_writable(received, sizeof(*received))))
        return afd_ext_fail(WSAEFAULT);

    afd_io_overlapped(&io, ov, NULL);
    status = afdw_accept_into((HANDLE)listener, (HANDLE)acceptor, buffer, recv_len, local_len, remote_len, &io);
    ret = afd_ext_result(status);
    if (ret && received) *received = (DWORD)ov->InternalHigh;
    return ret;
}

static void WINAPI afd_GetAcceptExSockaddrs(PVOID buffer, DWORD recv_len, DWORD local_len, DWORD remote_len,
                                            struct sockaddr **local, LPINT local_size, struct sockaddr **remote,
                                            LPINT remote_size)
{
    char *p = buffer;
    int len;

    AFD_TRACE("GetAcceptExSockaddrs(%p, %lu, %lu, %lu)", buffer, (unsigned long)recv_len, (unsigned long)local_len,
              (unsigned long)remote_len);
    if (!buffer || !local || !local_size || !remote || !remote_size) return;
    /* Wine's AFD stores each address as [int length][sockaddr] in its area of the buffer. */
    if (local_len >= sizeof(int) + sizeof(struct sockaddr))
    {
        memcpy(&len, p + recv_len, sizeof(len));
        if (len < 0 || (DWORD)len > local_len - sizeof(int)) len = 0;
        *local = (struct sockaddr *)(p + recv_len + sizeof(int));
        *local_size = len;
    }
    if (remote_len >= sizeof(int) + sizeof(struct sockaddr))
    {
        memcpy(&len, p + recv_len + local_len, sizeof(len));
        if (len < 0 || (DWORD)len > remote_len - sizeof(int)) len = 0;
        *remote = (struct sockaddr *)(p + recv_len + local_len + sizeof(int));
        *remote_size = len;
    }
}

static BOOL WINAPI afd_ConnectEx(SOCKET s, const struct sockaddr *name, int namelen, PVOID data, DWORD data_len,
                                 LPDWORD sent, LPOVERLAPPED ov)
{
    struct afd_socket_info rec;
    struct afd_io io;
    NTSTATUS status;
    int need;
    BOOL ret;

    AFD_TRACE("ConnectEx(%#Ix, %p, %d, %p, %lu, %p, %p)", (ULONG_PTR)s, (const void *)name, namelen, data,
              (unsigned long)data_len, (void *)sent, (void *)ov);
    if (!afd_socket_get(s, &rec)) return afd_ext_fail(WSAENOTSOCK);
    if (!ov || !afd_writable(ov, sizeof(*ov))) return afd_ext_fail(WSA_INVALID_PARAMETER);
    ov->Internal = STATUS_PENDING;
    need = afd_sockaddr_len(rec.info.iAddressFamily);
    if (!name || namelen < need || !afd_readable(name, (size_t)namelen)) return afd_ext_fail(WSAEFAULT);
    if (name->sa_family != rec.info.iAddressFamily) return afd_ext_fail(WSAEAFNOSUPPORT);
    if (rec.info.iSocketType != SOCK_STREAM) return afd_ext_fail(WSAEINVAL);
    if ((data_len && !afd_readable(data, data_len)) || (sent && !afd_writable(sent, sizeof(*sent))))
        return afd_ext_fail(WSAEFAULT);

    afd_io_overlapped(&io, ov, NULL);
    afd_socket_set_peer(s, name, need);
    status = afdw_connect((HANDLE)s, name, need, data, data_len, FALSE, &io);
    if (status == STATUS_ADDRESS_ALREADY_ASSOCIATED) return afd_ext_fail(WSAEALREADY);
    ret = afd_ext_result(status);
    if (ret && sent) *sent = (DWORD)ov->InternalHigh;
    return ret;
}

static BOOL WINAPI afd_DisconnectEx(SOCKET s, LPOVERLAPPED ov, DWORD flags, DWORD reserved)
{
    struct afd_io io;
    NTSTATUS status;

    AFD_TRACE("DisconnectEx(%#Ix, %p, %#lx, %lu)", (ULONG_PTR)s, (void *)ov, (unsigned long)flags,
              (unsigned long)reserved);
    if (!afd_socket_known(s)) return afd_ext_fail(WSAENOTSOCK);
    if (reserved || (flags & ~(DWORD)TF_REUSE_SOCKET)) return afd_ext_fail(WSAEINVAL);
    /* Wine's AFD cannot return a socket to the unconnected state. */
    if (flags & TF_REUSE_SOCKET) return afd_ext_fail(WSAEOPNOTSUPP);
    if (ov && !afd_writable(ov, sizeof(*ov))) return afd_ext_fail(WSAEFAULT);
    if (!ov) return afd_ext_result(afdw_shutdown((HANDLE)s, SD_SEND, NULL));
    afd_io_overlapped(&io, ov, NULL);
    status = afdw_shutdown((HANDLE)s, SD_SEND, &io);
    /* the completion is reported through the overlapped structure */
    if (!status) status = STATUS_PENDING;
    return afd_ext_result(status);
}

static BOOL WINAPI afd_TransmitFile(SOCKET s, HANDLE file, DWORD file_len, DWORD per_send, LPOVERLAPPED ov,
                                    LPTRANSMIT_FILE_BUFFERS buffers, DWORD flags)
{
    struct afd_socket_info rec;
    struct afd_io io;
    NTSTATUS status;
    const void *head = NULL, *tail = NULL;
    DWORD head_len = 0, tail_len = 0;

    AFD_TRACE("TransmitFile(%#Ix, %p, %lu, %lu, %p, %p, %#lx)", (ULONG_PTR)s, file, (unsigned long)file_len,
              (unsigned long)per_send, (void *)ov, (void *)buffers, (unsigned long)flags);
    if (!afd_socket_get(s, &rec)) return afd_ext_fail(WSAENOTSOCK);
    if (rec.info.iSocketType != SOCK_STREAM) return afd_ext_fail(WSAENOTCONN);
    if (flags & ~(DWORD)(TF_DISCONNECT | TF_REUSE_SOCKET | TF_WRITE_BEHIND | TF_USE_DEFAULT_WORKER |
                         TF_USE_SYSTEM_THREAD | TF_USE_KERNEL_APC))
        return afd_ext_fail(WSAEINVAL);
    if (flags & TF_REUSE_SOCKET)
    {
        /* an unconnected socket is WSAENOTCONN first, as on Windows (Wine's sock.c); then refused as
         * DisconnectEx refuses it */
        struct sockaddr_storage peer;
        ULONG_PTR plen;
        if (afdw_getpeername((HANDLE)s, (struct sockaddr *)&peer, sizeof(peer), &plen))
            return afd_ext_fail(WSAENOTCONN);
        return afd_ext_fail(WSAEOPNOTSUPP);
    }
    if (ov && !afd_writable(ov, sizeof(*ov))) return afd_ext_fail(WSAEFAULT);
    if (buffers)
    {
        if (!afd_readable(buffers, sizeof(*buffers))) return afd_ext_fail(WSAEFAULT);
        head = buffers->Head;
        head_len = buffers->HeadLength;
        tail = buffers->Tail;
        tail_len = buffers->TailLength;
        if ((head_len && !afd_readable(head, head_len)) || (tail_len && !afd_readable(tail, tail_len)))
            return afd_ext_fail(WSAEFAULT);
    }
    if (!ov)
        return afd_ext_result(afdw_transmit((HANDLE)s, file, file_len, per_send, AFD_USE_FILE_POINTER, head, head_len,
                                            tail, tail_len, flags, NULL));
    afd_io_overlapped(&io, ov, NULL);
    status = afdw_transmit((HANDLE)s, file, file_len, per_send,
                           (LONGLONG)(((ULONGLONG)ov->OffsetHigh << 32) | ov->Offset), head, head_len, tail, tail_len,
                           flags, &io);
    return afd_ext_result(status);
}

/* TransmitPackets: memory and file elements sent in order through the SENDMSG path. The work is done
 * synchronously; an overlapped call then reports its result through the overlapped structure. */
static BOOL WINAPI afd_TransmitPackets(SOCKET s, LPTRANSMIT_PACKETS_ELEMENT elements, DWORD count, DWORD per_send,
                                       LPOVERLAPPED ov, DWORD flags)
{
    struct afd_socket_info rec;
    DWORD i, total = 0;
    char *chunk = NULL;
    int e = 0;

    AFD_TRACE("TransmitPackets(%#Ix, %p, %lu, %lu, %p, %#lx)", (ULONG_PTR)s, (void *)elements, (unsigned long)count,
              (unsigned long)per_send, (void *)ov, (unsigned long)flags);
    if (!afd_socket_get(s, &rec)) return afd_ext_fail(WSAENOTSOCK);
    if (count && (!elements || count > 0x1000000 || !afd_readable(elements, (size_t)count * sizeof(*elements))))
        return afd_ext_fail(WSAEFAULT);
    if (ov && !afd_writable(ov, sizeof(*ov))) return afd_ext_fail(WSAEFAULT);
    if (flags & TF_REUSE_SOCKET) return afd_ext_fail(WSAEOPNOTSUPP);
    if (!per_send) per_send = 65536;

    for (i = 0; i < count && !e; i++)
    {
        TRANSMIT_PACKETS_ELEMENT *el = &elements[i];
        WSABUF buf;
        DWORD sent;

        if (el->dwElFlags & TP_ELEMENT_MEMORY)
        {
            if (el->cLength && !afd_readable(el->pBuffer, el->cLength))
            {
                e = WSAEFAULT;
                break;
            }
            buf.buf = el->pBuffer;
            buf.len = el->cLength;
            if (buf.len && afd_do_send("TransmitPackets", s, &buf, 1, &sent, 0, NULL, 0, NULL, NULL, &e)) break;
            if (buf.len) total += sent;
        }
        else if (el->dwElFlags & TP_ELEMENT_FILE)
        {
            LARGE_INTEGER pos;
            ULONGLONG left = el->cLength ? el->cLength : ~0ULL;
            if (!chunk && !(chunk = HeapAlloc(GetProcessHeap(), 0, per_send)))
            {
                e = WSAENOBUFS;
                break;
            }
            pos = el->nFileOffset;
            if (!SetFilePointerEx(el->hFile, pos, NULL, pos.QuadPart == -1 ? FILE_CURRENT : FILE_BEGIN))
            {
                if (pos.QuadPart != -1)
                {
                    e = WSAEINVAL;
                    break;
                }
            }
            while (left)
            {
                DWORD want = left < per_send ? (DWORD)left : per_send, got = 0;
                if (!ReadFile(el->hFile, chunk, want, &got, NULL))
                {
                    e = WSAEINVAL;
                    break;
                }
                if (!got) break;
                buf.buf = chunk;
                buf.len = got;
                if (afd_do_send("TransmitPackets", s, &buf, 1, &sent, 0, NULL, 0, NULL, NULL, &e)) break;
                total += sent;
                left -= got;
            }
        }
        else e = WSAEINVAL;
    }
    if (chunk) HeapFree(GetProcessHeap(), 0, chunk);
    if (!e && (flags & TF_DISCONNECT)) e = afd_status_to_wsa(afdw_shutdown((HANDLE)s, SD_SEND, NULL));
    if (e) return afd_ext_fail(e);
    if (ov)
    {
        struct afd_io io;
        NTSTATUS status;
        afd_io_overlapped(&io, ov, NULL);
        status = afdw_complete_async((HANDLE)s, STATUS_SUCCESS, &io);
        ov->InternalHigh = total;
        if (!NT_SUCCESS(status)) return afd_ext_fail(afd_status_to_wsa(status));
    }
    SetLastError(0);
    return TRUE;
}

static int WINAPI afd_WSARecvMsg(SOCKET s, LPWSAMSG msg, LPDWORD received, LPWSAOVERLAPPED ov,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    struct afd_socket_info rec;
    int e = 0;

    AFD_TRACE("WSARecvMsg(%#Ix, %p, %p, %p, %p)", (ULONG_PTR)s, (void *)msg, (void *)received, (void *)ov,
              (void *)routine);
    if (!afd_socket_get(s, &rec)) e = WSAENOTSOCK;
    else if (!msg || !afd_writable(msg, sizeof(*msg))) e = WSAEFAULT;
    else if (rec.info.iSocketType != SOCK_DGRAM && rec.info.iSocketType != SOCK_RAW) e = WSAEINVAL;
    else if (afd_do_recv("WSARecvMsg", s, msg->lpBuffers, msg->dwBufferCount, received, &msg->dwFlags, msg->name,
                         msg->name ? &msg->namelen : NULL, &msg->Control, ov, routine, &e))
        ;
    else return 0;
    SetLastError((DWORD)e);
    return SOCKET_ERROR;
}

static int WINAPI afd_WSASendMsg(SOCKET s, LPWSAMSG msg, DWORD flags, LPDWORD sent, LPWSAOVERLAPPED ov,
                                 LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    int e = 0, family, type;

    AFD_TRACE("WSASendMsg(%#Ix, %p, %#lx, %p, %p, %p)", (ULONG_PTR)s, (void *)msg, (unsigned long)flags,
              (void *)sent, (void *)ov, (void *)routine);
    if (!afd_socket_kind(s, &family, &type)) e = WSAENOTSOCK;
    else if (!msg || !afd_readable(msg, sizeof(*msg))) e = WSAEFAULT;
    else if (type == SOCK_STREAM) e = WSAEINVAL;  /* datagram and raw sockets only (Windows, Wine's sock.c) */
    else if (msg->Control.len) e = WSAEOPNOTSUPP;  /* Wine's SENDMSG carries no control data */
    else if (afd_do_send("WSASendMsg", s, msg->lpBuffers, msg->dwBufferCount, sent, flags, msg->name, msg->namelen, ov,
                         routine, &e))
        ;
    else return 0;
    SetLastError((DWORD)e);
    return SOCKET_ERROR;
}

void *afd_extension_function(const GUID *guid, const char **name)
{
    static const GUID acceptex = WSAID_ACCEPTEX, connectex = WSAID_CONNECTEX, disconnectex = WSAID_DISCONNECTEX,
                      sockaddrs = WSAID_GETACCEPTEXSOCKADDRS, transmitfile = WSAID_TRANSMITFILE,
                      transmitpackets = WSAID_TRANSMITPACKETS, recvmsg = WSAID_WSARECVMSG, sendmsg = WSAID_WSASENDMSG;
    static const struct { const GUID *guid; void *fn; const char *name; } table[] =
    {
        { &acceptex, (void *)afd_AcceptEx, "AcceptEx" },
        { &connectex, (void *)afd_ConnectEx, "ConnectEx" },
        { &disconnectex, (void *)afd_DisconnectEx, "DisconnectEx" },
        { &sockaddrs, (void *)afd_GetAcceptExSockaddrs, "GetAcceptExSockaddrs" },
        { &transmitfile, (void *)afd_TransmitFile, "TransmitFile" },
        { &transmitpackets, (void *)afd_TransmitPackets, "TransmitPackets" },
        { &recvmsg, (void *)afd_WSARecvMsg, "WSARecvMsg" },
        { &sendmsg, (void *)afd_WSASendMsg, "WSASendMsg" },
    };
    size_t i;

    for (i = 0; i < OPENWS2_ARRAY_SIZE(table); i++)
    {
        if (!memcmp(table[i].guid, guid, sizeof(GUID)))
        {
            if (name) *name = table[i].name;
            return table[i].fn;
        }
    }
    return NULL;
}
