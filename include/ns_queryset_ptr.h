/* ns_queryset_ptr.h - probes of the namespace API's caller structures (WSAQUERYSET, WSASERVICECLASSINFO)
 * before ws2_32 or a namespace provider reads them: every pointer they hold, not only the top-level
 * structure, so that a bad pointer anywhere inside is WSAEFAULT instead of a crash in a provider.
 * Windows-only (DLL build; include/user_ptr.h).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NS_QUERYSET_PTR_H
#define OPENWS2_NS_QUERYSET_PTR_H

#include "ws2_common.h"

/* TRUE when the query set (WSAQUERYSETA when ansi, else WSAQUERYSETW; dwSize already checked) and
 * everything it points to can be read: the strings, GUIDs, version, protocol array, CSADDR_INFO array
 * and the sockaddrs it names, the blob and its data. NULL members are not this check's concern. */
BOOL ns_queryset_readable(const void *qs, BOOL ansi);
/* The same for WSASERVICECLASSINFOA/W: the class id, the name, the WSANSCLASSINFO array with each
 * entry's name and value. */
BOOL ns_classinfo_readable(const void *info, BOOL ansi);

#endif
