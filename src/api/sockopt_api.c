/* sockopt_api.c - socket options and control codes dispatched to the socket's provider: getsockopt,
 * setsockopt (SO_OPENTYPE is ws2_32's own, per thread; SO_PROTOCOL_INFOA is converted from the
 * provider's SO_PROTOCOL_INFOW), ioctlsocket, WSAIoctl, WSAGetQOSByName.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "api_internal.h"
#include "provider.h"
#include "socket_table.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

static int provider_getsockopt(struct ws_socket *sock, int level, int optname, char *optval, int *optlen)
{
    SOCKET s = (SOCKET)sock->hdr.handle;
    int err = 0, ret;
    char name_text[TRACE_TEXT_LEN];

    TRACE_SPI("WSPGetSockOpt(s %#llx level %#x optname %#x [%s] optval %p optlen %p (%d))", SOCK_ARG(s), level,
              optname, trace_sockopt_name(level, optname, name_text, sizeof(name_text)), (void *)optval, (void *)optlen, optlen ? *optlen : -1);
    ret = sock->provider->procs.lpWSPGetSockOpt(s, level, optname, optval, optlen, &err);
    TRACE_SPI("WSPGetSockOpt -> %d (error %d)", ret, err);
    return api_provider_error(ret == SOCKET_ERROR, err);
}

int WSAAPI getsockopt(SOCKET s, int level, int optname, char *optval, int *optlen)
{
    struct ws_socket *sock = NULL;
    int err = startup_check();
    char opt_text[TRACE_TEXT_LEN];

    if (!err && level == SOL_SOCKET && optname == SO_OPENTYPE)
    {
        /* ws2_32's own, per thread, no socket needed. */
        /* Windows takes a negative *optlen as large enough here */
        struct api_thread *t = api_thread_get(FALSE);
        if (!user_writable(optlen, sizeof(*optlen)) || (*optlen >= 0 && *optlen < (int)sizeof(int)) ||
            !user_writable(optval, sizeof(int)))
            err = WSAEFAULT;
        else
        {
            *(int *)optval = t ? t->open_type : 0;
            *optlen = sizeof(int);
        }
    }
    else if (!err && !(err = api_enter(s, &sock)))
    {
        /* The whole *optlen of optval: the provider may write that much (Windows probes it too). */
        if (!user_writable(optlen, sizeof(*optlen)) || !optval ||
            (*optlen > 0 && !user_writable(optval, (size_t)*optlen)))
            err = WSAEFAULT;
        else if (level == SOL_SOCKET && optname == SO_PROTOCOL_INFOA)
        {
            /* Providers speak Unicode only: fetch the W form and convert. Windows reports the size
             * needed in *optlen when the buffer is too small and leaves it alone on success. */
            WSAPROTOCOL_INFOW infow;
            int lenw = sizeof(infow);
            if (*optlen < (int)sizeof(WSAPROTOCOL_INFOA))
            {
                *optlen = sizeof(WSAPROTOCOL_INFOA);
                err = WSAEFAULT;
            }
            else if (!(err = provider_getsockopt(sock, SOL_SOCKET, SO_PROTOCOL_INFOW, (char *)&infow, &lenw)))
                protocol_info_w_to_a(&infow, (WSAPROTOCOL_INFOA *)optval);
        }
        else err = provider_getsockopt(sock, level, optname, optval, optlen);
    }
    return api_leave(sock, err, 0, "getsockopt(s %#llx level %#x optname %#x [%s] optval %p optlen %p)", SOCK_ARG(s),
                     level, optname, API_OPT_TEXT(opt_text, level, optname), (void *)optval, (void *)optlen);
}

int WSAAPI setsockopt(SOCKET s, int level, int optname, const char *optval, int optlen)
{
    struct ws_socket *sock = NULL;
    int err = startup_check(), ret;
    char opt_text[TRACE_TEXT_LEN];

    if (!err && level == SOL_SOCKET && optname == SO_OPENTYPE)
    {
        /* a negative optlen is large enough here, as on Windows */
        struct api_thread *t;
        if ((optlen >= 0 && optlen < (int)sizeof(int)) || !user_readable(optval, sizeof(int))) err = WSAEFAULT;
        else if (!(t = api_thread_get(TRUE))) err = WSAENOBUFS;
        else t->open_type = *(const int *)optval;
    }
    else if (!err && !(err = api_enter(s, &sock)))
    {
        /* A missing buffer of positive length is always a fault; options that take no buffer
         * (SO_UPDATE_CONNECT_CONTEXT ...) and negative lengths (Windows takes them as large enough
         * for some options, WSAENOBUFS for others) are the provider's to judge. */
        if (optlen > 0 && !user_readable(optval, (size_t)optlen)) err = WSAEFAULT;
        else
        {
            char name_text[TRACE_TEXT_LEN];

            TRACE_SPI("WSPSetSockOpt(s %#llx level %#x optname %#x [%s] optval %p optlen %d)", SOCK_ARG(s), level,
                      optname, trace_sockopt_name(level, optname, name_text, sizeof(name_text)),
                      (const void *)optval, optlen);
            ret = sock->provider->procs.lpWSPSetSockOpt(s, level, optname, optval, optlen, &err);
            TRACE_SPI("WSPSetSockOpt -> %d (error %d)", ret, err);
            err = api_provider_error(ret == SOCKET_ERROR, err);
        }
    }
    return api_leave(sock, err, 0, "setsockopt(s %#llx level %#x optname %#x [%s] optval %p optlen %d)", SOCK_ARG(s),
                     level, optname, API_OPT_TEXT(opt_text, level, optname), (const void *)optval, optlen);
}

static int provider_ioctl(struct ws_socket *sock, DWORD code, LPVOID in, DWORD in_size, LPVOID out,
                          DWORD out_size, LPDWORD returned, LPWSAOVERLAPPED ov,
                          LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    SOCKET s = (SOCKET)sock->hdr.handle;
    int err = 0, ret;
    char code_text[TRACE_TEXT_LEN];

    TRACE_SPI("WSPIoctl(s %#llx code %#lx [%s] in %p/%lu out %p/%lu returned %p ov %p routine %p)", SOCK_ARG(s),
              (unsigned long)code, trace_ioctl_name((unsigned long)code, code_text, sizeof(code_text)), in, (unsigned long)in_size, out, (unsigned long)out_size, (void *)returned,
              (void *)ov, (void *)(uintptr_t)routine);
    ret = sock->provider->procs.lpWSPIoctl(s, code, in, in_size, out, out_size, returned, ov, routine,
                                           api_thread_id(), &err);
    TRACE_SPI("WSPIoctl -> %d (error %d)", ret, err);
    return api_provider_error(ret == SOCKET_ERROR, err);
}

int api_ioctl(struct ws_socket *sock, DWORD code, LPVOID in, DWORD in_size, LPVOID out, DWORD out_size,
              LPDWORD returned, LPWSAOVERLAPPED ov, LPWSAOVERLAPPED_COMPLETION_ROUTINE routine)
{
    return provider_ioctl(sock, code, in, in_size, out, out_size, returned, ov, routine);
}

int WSAAPI ioctlsocket(SOCKET s, __LONG32 cmd, u_long *argp)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    char code_text[TRACE_TEXT_LEN];
    DWORD returned = 0;

    /* argp is only read for the commands that pass a value in (IOC_IN without IOC_OUT: FIONBIO), and
     * then is no output buffer (it may be read-only); it is written for the others. */
    BOOL in_only = ((DWORD)cmd & (IOC_IN | IOC_OUT)) == IOC_IN;

    if (!err && !(in_only ? user_readable(argp, sizeof(*argp)) : user_writable(argp, sizeof(*argp)))) err = WSAEFAULT;
    if (!err)
        err = provider_ioctl(sock, (DWORD)cmd, argp, sizeof(*argp), in_only ? NULL : argp, in_only ? 0 : sizeof(*argp),
                             &returned, NULL, NULL);
    return api_leave(sock, err, 0, "ioctlsocket(s %#llx cmd %#lx [%s] argp %p)", SOCK_ARG(s), (unsigned long)cmd,
                     API_IOCTL_TEXT(code_text, (DWORD)cmd), (void *)argp);
}

int WSAAPI WSAIoctl(SOCKET s, DWORD dwIoControlCode, LPVOID lpvInBuffer, DWORD cbInBuffer, LPVOID lpvOutBuffer,
                    DWORD cbOutBuffer, LPDWORD lpcbBytesReturned, LPWSAOVERLAPPED lpOverlapped,
                    LPWSAOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    char code_text[TRACE_TEXT_LEN];

    /* A synchronous call must be able to report the byte count. */
    if (!err && !lpcbBytesReturned && !lpOverlapped) err = WSAEFAULT;
    /* The control code's buffers, as AFD probes them (a provider may ignore a buffer, but it must be
     * valid for the length given); a NULL buffer is the provider's to judge (size queries). */
    /* A code that only takes input (IOC_IN without IOC_OUT: FIONBIO ...) never writes the output
     * buffer, and Windows does not probe it (Wine's conformance tests, test_fionbio). */
    BOOL in_only = (dwIoControlCode & (IOC_IN | IOC_OUT)) == IOC_IN;

    if (!err && ((lpvInBuffer && !user_readable(lpvInBuffer, cbInBuffer)) ||
                 (lpvOutBuffer && !in_only && !user_writable(lpvOutBuffer, cbOutBuffer)) ||
                 (lpcbBytesReturned && !user_writable(lpcbBytesReturned, sizeof(*lpcbBytesReturned))) ||
                 (lpOverlapped && !user_writable(lpOverlapped, sizeof(*lpOverlapped)))))
        err = WSAEFAULT;
    if (!err)
        err = provider_ioctl(sock, dwIoControlCode, lpvInBuffer, cbInBuffer, lpvOutBuffer, cbOutBuffer,
                             lpcbBytesReturned, lpOverlapped, lpCompletionRoutine);
    return api_leave(sock, err, 0,
                     "WSAIoctl(s %#llx dwIoControlCode %#lx [%s] lpvInBuffer %p cbInBuffer %lu lpvOutBuffer %p "
                     "cbOutBuffer %lu lpcbBytesReturned %p lpOverlapped %p lpCompletionRoutine %p)", SOCK_ARG(s),
                     (unsigned long)dwIoControlCode, API_IOCTL_TEXT(code_text, dwIoControlCode), lpvInBuffer,
                     (unsigned long)cbInBuffer, lpvOutBuffer, (unsigned long)cbOutBuffer, (void *)lpcbBytesReturned,
                     (void *)lpOverlapped, (void *)(uintptr_t)lpCompletionRoutine);
}

BOOL WSAAPI WSAGetQOSByName(SOCKET s, LPWSABUF lpQOSName, LPQOS lpQOS)
{
    struct ws_socket *sock;
    int err = api_enter(s, &sock);
    BOOL ret = FALSE;

    if (!err && !lpQOSName && !lpQOS) err = WSAEFAULT;
    if (!err && ((lpQOSName && !user_readable(lpQOSName, sizeof(*lpQOSName))) ||
                 (lpQOS && !user_writable(lpQOS, sizeof(*lpQOS)))))
        err = WSAEFAULT;
    if (!err)
    {
        TRACE_SPI("WSPGetQOSByName(s %#llx name %p qos %p)", SOCK_ARG(s), (void *)lpQOSName, (void *)lpQOS);
        ret = sock->provider->procs.lpWSPGetQOSByName(s, lpQOSName, lpQOS, &err);
        TRACE_SPI("WSPGetQOSByName -> %d (error %d)", ret, err);
        err = api_provider_error(!ret, err);
    }
    return api_leave_bool(sock, err, FALSE, "WSAGetQOSByName(s %#llx lpQOSName %p lpQOS %p)", SOCK_ARG(s),
                          (void *)lpQOSName, (void *)lpQOS);
}
