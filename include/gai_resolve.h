/* gai_resolve.h - the resolver core of the getaddrinfo family, gethostby*, getnameinfo and the
 * WSAAsyncGet* functions (src/resolve/gai_resolve.c): every name is resolved through the namespace catalog
 * (WSALookupServiceBeginW/NextW/End), never by calling a provider DLL directly; numeric hosts and
 * services never reach a provider. A lookup in progress can be cancelled from another thread
 * (struct gai_cancel: GetAddrInfoExCancel, the GetAddrInfoEx timeout). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_GAI_RESOLVE_H
#define OPENWS2_GAI_RESOLVE_H

#include "ws2_common.h"
#include "gai_build.h"

/* Cancellation of a lookup running in another thread. */
struct gai_cancel
{
    SRWLOCK lock;
    HANDLE lookup;   /* the WSALookupService handle in progress, NULL when none */
    int reason;      /* 0, or the error to report (WSA_E_CANCELLED, WSAETIMEDOUT) */
};
void gai_cancel_init(struct gai_cancel *c);
/* Records reason (the first one wins) and ends the lookup in progress, if any. */
void gai_cancel_request(struct gai_cancel *c, int reason);

struct gai_query
{
    uint32_t flags;          /* AI_* */
    int family, socktype, protocol;
    DWORD name_space;        /* NS_ALL, NS_DNS ... */
    const GUID *nsp_id;      /* a specific provider, or NULL */
    struct gai_cancel *cancel; /* NULL: not cancellable */
};

#define GAI_INLINE_ADDRS 2

struct gai_answer
{
    struct gai_addr *addrs;  /* heap, or inline_addrs (numeric or NULL node: no heap block per call) */
    struct gai_addr inline_addrs[GAI_INLINE_ADDRS];
    size_t count;
    uint16_t port;           /* host order */
    WCHAR *canon;            /* heap: AI_CANONNAME / AI_FQDN name, else NULL */
};

/* The whole getaddrinfo resolution. node / service may be NULL (not both). Returns 0 or the WSA error
 * (WSANOTINITIALISED, WSAHOST_NOT_FOUND, WSANO_DATA, WSATYPE_NOT_FOUND, WSATRY_AGAIN, WSANO_RECOVERY,
 * WSA_NOT_ENOUGH_MEMORY, WSA_E_CANCELLED, WSAETIMEDOUT ...). Hints are checked by the caller. */
int gai_resolve(const WCHAR *node, const WCHAR *service, const struct gai_query *q, struct gai_answer *out);
/* Frees what an answer holds (never copy a struct gai_answer: addrs may point into it). */
void gai_answer_free(struct gai_answer *a);

/* One lookup of class cls for name (may be NULL) through the catalog, flags LUP_*, families
 * (AF_UNSPEC: the provider's default). On success *result is a heap WSAQUERYSETW (HeapFree). */
int gai_lookup_first(const GUID *cls, const WCHAR *name, int family, DWORD flags, WSAQUERYSETW **result);

/* The host name of an address (reverse lookup), into name (size WCHARs). WSAHOST_NOT_FOUND when
 * there is none, WSAEFAULT when it does not fit. */
int gai_reverse_name(const struct gai_addr *a, WCHAR *name, size_t size);

/* The local host name (what gethostname returns) into name (size WCHARs): 0, WSAEFAULT when it does
 * not fit (*needed: its length with the NUL), or the lookup's error. */
int gai_local_host_name(WCHAR *name, size_t size, size_t *needed);

/* Small WCHAR helpers (WCHAR is not wchar_t everywhere). */
size_t gai_wcslen(const WCHAR *s);
WCHAR *gai_wcsdup(const WCHAR *s);
/* ANSI (CP_ACP) -> heap WCHAR string; NULL stays NULL. Returns 0 or WSA_NOT_ENOUGH_MEMORY. */
int gai_a_to_w(const char *s, WCHAR **out);
/* WCHAR -> heap ANSI (CP_ACP). NULL on failure. */
char *gai_w_to_a(const WCHAR *s);

#endif
