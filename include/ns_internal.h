/* ns_internal.h - what the namespace API files (ns_enum_api.c, ns_service_api.c, wsc_namespace.c)
 * share: the enumeration of a namespace catalog view into WSANAMESPACE_INFO[EX][A|W] buffers.
 * DLL build only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NS_INTERNAL_H
#define OPENWS2_NS_INTERNAL_H

#include "ws2_common.h"
#include "ns_catalog.h"

/* Fills buffer with one WSANAMESPACE_INFO{,EX}{A,W} per entry of the view (the structures first, then
 * their strings and provider-specific data), as WSAEnumNameSpaceProviders* do. Returns the count
 * (>= 0) or -(WSA error): WSAEFAULT with *len set to the size needed when the buffer is too small. */
int ns_enum_fill(enum catalog_view view, BOOL ansi, BOOL ex, DWORD *len, void *buffer);


#endif
