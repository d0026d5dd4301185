/* afd_status.c - NTSTATUS -> Winsock error, as Windows' AFD/msafd reports them to applications.
 * The table is Windows' own as WSAGetOverlappedResult shows it (Wine's conformance tests,
 * test_WSAGetOverlappedResult: any other failure status is WSAEINVAL, STATUS_HANDLES_CLOSED
 * included). Wine's AFD ends the requests of a closed socket with STATUS_HANDLES_CLOSED where
 * Windows cancels them; the places that report such an end (blocking calls, completion routines)
 * map it themselves (afd_closed_status_to_wsa).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <winternl.h>
#include <ntstatus.h>
#include "afd_private.h"

static const struct { NTSTATUS status; int error; } afd_status_map[] =
{
    { STATUS_PENDING,                    WSA_IO_PENDING },
    { STATUS_BUFFER_OVERFLOW,            WSAEMSGSIZE },
    { STATUS_NOT_IMPLEMENTED,            WSAEOPNOTSUPP },
    { STATUS_NOT_SUPPORTED,              WSAEOPNOTSUPP },
    { STATUS_ACCESS_VIOLATION,           WSAEFAULT },
    { STATUS_BUFFER_TOO_SMALL,           WSAEFAULT },
    { STATUS_DATATYPE_MISALIGNMENT_ERROR, WSAEFAULT },
    { STATUS_INVALID_HANDLE,             WSAENOTSOCK },
    { STATUS_OBJECT_TYPE_MISMATCH,       WSAENOTSOCK },
    { STATUS_NO_SUCH_DEVICE,             WSAENETDOWN },
    { STATUS_NO_SUCH_FILE,               WSAENETDOWN },
    { STATUS_OBJECT_NAME_NOT_FOUND,      WSAENETDOWN },
    { STATUS_OBJECT_PATH_NOT_FOUND,      WSAENETDOWN },
    { STATUS_NETWORK_BUSY,               WSAENETDOWN },
    { STATUS_INVALID_NETWORK_RESPONSE,   WSAENETDOWN },
    { STATUS_UNEXPECTED_NETWORK_ERROR,   WSAENETDOWN },
    { STATUS_NO_MEMORY,                  WSAENOBUFS },
    { STATUS_PAGEFILE_QUOTA,             WSAENOBUFS },
    { STATUS_CONFLICTING_ADDRESSES,      WSAENOBUFS },
    { STATUS_QUOTA_EXCEEDED,             WSAENOBUFS },
    { STATUS_TOO_MANY_PAGING_FILES,      WSAENOBUFS },
    { STATUS_INSUFFICIENT_RESOURCES,     WSAENOBUFS },
    { STATUS_WORKING_SET_QUOTA,          WSAENOBUFS },
    { STATUS_COMMITMENT_LIMIT,           WSAENOBUFS },
    { STATUS_REMOTE_RESOURCES,           WSAENOBUFS },
    { STATUS_TOO_MANY_ADDRESSES,         WSAENOBUFS },
    { STATUS_ACCESS_DENIED,              WSAEACCES },
    { STATUS_SHARING_VIOLATION,          WSAEADDRINUSE },
    { STATUS_ADDRESS_ALREADY_EXISTS,     WSAEADDRINUSE },
    { STATUS_DEVICE_NOT_READY,           WSAEWOULDBLOCK },
    { STATUS_REQUEST_NOT_ACCEPTED,       WSAEWOULDBLOCK },
    { STATUS_PIPE_DISCONNECTED,          WSAESHUTDOWN },
    { STATUS_IO_TIMEOUT,                 WSAETIMEDOUT },
    { STATUS_LINK_TIMEOUT,               WSAETIMEDOUT },
    { STATUS_REMOTE_NOT_LISTENING,       WSAECONNREFUSED },
    { STATUS_CONNECTION_REFUSED,         WSAECONNREFUSED },
    { STATUS_BAD_NETWORK_PATH,           WSAENETUNREACH },
    { STATUS_NETWORK_UNREACHABLE,        WSAENETUNREACH },
    { STATUS_PROTOCOL_UNREACHABLE,       WSAENETUNREACH },
    { STATUS_HOST_UNREACHABLE,           WSAEHOSTUNREACH },
    { STATUS_HOST_DOWN,                  WSAEHOSTDOWN },
    { STATUS_CANCELLED,                  WSA_OPERATION_ABORTED },
    { STATUS_LOCAL_DISCONNECT,           WSAECONNABORTED },
    { STATUS_TRANSACTION_ABORTED,        WSAECONNABORTED },
    { STATUS_CONNECTION_ABORTED,         WSAECONNABORTED },
    { STATUS_REMOTE_DISCONNECT,          WSAECONNRESET },
    { STATUS_LINK_FAILED,                WSAECONNRESET },
    { STATUS_CONNECTION_DISCONNECTED,    WSAECONNRESET },
    { STATUS_CONNECTION_RESET,           WSAECONNRESET },
    { STATUS_PORT_UNREACHABLE,           WSAECONNRESET },
    { STATUS_INVALID_CONNECTION,         WSAENOTCONN },
    { STATUS_INVALID_ADDRESS,            WSAEADDRNOTAVAIL },
    { STATUS_INVALID_ADDRESS_COMPONENT,  WSAEADDRNOTAVAIL },
    { STATUS_INVALID_BUFFER_SIZE,        WSAEMSGSIZE },
    { STATUS_GRACEFUL_DISCONNECT,        WSAEDISCON },
    { STATUS_CONNECTION_ACTIVE,          WSAEISCONN },
    { STATUS_REQUEST_ABORTED,            WSAEINTR },
    { STATUS_ADDRESS_ALREADY_ASSOCIATED, WSAEINVAL },
    { STATUS_INVALID_PARAMETER,          WSAEINVAL },
    { STATUS_TIMEOUT,                    0 },
};

int afd_status_to_wsa(NTSTATUS status)
{
    size_t i;

    if (status == STATUS_SUCCESS) return 0;
    for (i = 0; i < OPENWS2_ARRAY_SIZE(afd_status_map); i++)
        if (afd_status_map[i].status == status) return afd_status_map[i].error;
    /* ERROR_IO_INCOMPLETE wrapped in an NTSTATUS, as Windows maps it */
    if ((ULONG)status == (0x80070000 | ERROR_IO_INCOMPLETE) || (ULONG)status == (0xc0010000 | ERROR_IO_INCOMPLETE) ||
        (ULONG)status == (0xc0070000 | ERROR_IO_INCOMPLETE))
        return ERROR_IO_INCOMPLETE;
    if (NT_SUCCESS(status)) return 0;
    return WSAEINVAL;
}

int afd_closed_status_to_wsa(NTSTATUS status)
{
    /* Wine's AFD: a request whose socket was closed; Windows reports it cancelled */
    if (status == STATUS_HANDLES_CLOSED) return WSA_OPERATION_ABORTED;
    return afd_status_to_wsa(status);
}
