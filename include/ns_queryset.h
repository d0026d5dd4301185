/* ns_queryset.h - flattening and ANSI <-> Unicode conversion of the name-resolution structures
 * (WSAQUERYSET, WSASERVICECLASSINFO): the whole structure with everything it points to packed into
 * one caller buffer, pointers aimed inside it, as Windows returns them. DLL build only (code pages).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NS_QUERYSET_H
#define OPENWS2_NS_QUERYSET_H

#include "ws2_common.h"

/* A provider that asks for a result buffer larger than this (WSAEFAULT with the size it needs) is
 * confused: the lookup fails instead of allocating it. */
#define NS_RESULT_SIZE_MAX (16u * 1024 * 1024)

/* WSAQUERYSETW (wide_in TRUE) or WSAQUERYSETA (FALSE) src packed into out as a WSAQUERYSETW
 * (wide_out TRUE) or WSAQUERYSETA (FALSE). out may be NULL (size only). Returns the size needed;
 * the structure is written only when it is <= size. Returns 0 when a string does not convert. */
size_t ns_queryset_pack(const void *src, BOOL wide_in, void *out, size_t size, BOOL wide_out);

/* The same for WSASERVICECLASSINFOW/A. */
size_t ns_classinfo_pack(const void *src, BOOL wide_in, void *out, size_t size, BOOL wide_out);

/* A malloc'd WSAQUERYSETW / WSASERVICECLASSINFOW converted from the ANSI one (NULL: out of memory
 * or a string that does not convert). */
WSAQUERYSETW *ns_queryset_a_to_w(const WSAQUERYSETA *qs);
WSASERVICECLASSINFOW *ns_classinfo_a_to_w(const WSASERVICECLASSINFOA *info);

#endif
