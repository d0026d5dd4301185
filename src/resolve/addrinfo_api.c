/* addrinfo_api.c - getaddrinfo, GetAddrInfoW, freeaddrinfo, FreeAddrInfoW: hints checked with
 * Windows' error codes (EAI_* = WSA* values), then the resolver core (src/resolve/gai_resolve.c: numeric
 * hosts/services without a provider, names through the namespace catalog) and the result list
 * (src/resolve/addrinfo_list.c). The error is both returned and set as the thread's last error.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addrinfo_list.h"
#include "gai_build.h"
#include "gai_resolve.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* The hints members that must be zero (ai_addrlen, ai_canonname, ai_addr, ai_next): WSANO_RECOVERY. */
static int check_and_query(int flags, int family, int socktype, int protocol, BOOL others_set, const void *node,
                           struct gai_query *q)
{
    int err;

    memset(q, 0, sizeof(*q));
    q->name_space = NS_ALL;
    if (others_set) return WSANO_RECOVERY;
    if ((err = gai_check_hints((uint32_t)flags, GAI_FLAGS_BASIC, family, socktype, node != NULL))) return err;
    q->flags = (uint32_t)flags;
    q->family = family;
    q->socktype = socktype;
    q->protocol = protocol;
    return 0;
}

/* ANSI (CP_ACP) -> WCHAR in the caller's buffer (size WCHARs) when it fits, else a heap copy
 * (gai_a_to_w); NULL stays NULL. Free with free_w. */
static int a_to_w_buf(const char *s, WCHAR *buf, int size, WCHAR **out)
{
    *out = NULL;
    if (!s) return 0;
    if (MultiByteToWideChar(CP_ACP, 0, s, -1, buf, size) > 0)
    {
        *out = buf;
        return 0;
    }
    return gai_a_to_w(s, out);
}

static void free_w(WCHAR *s, const WCHAR *buf)
{
    if (s != buf) HeapFree(GetProcessHeap(), 0, s);
}

static int fail(int err)
{
    WSASetLastError(err);
    return err;
}

int WSAAPI GetAddrInfoW(PCWSTR pNodeName, PCWSTR pServiceName, const ADDRINFOW *pHints, PADDRINFOW *ppResult)
{
    struct gai_answer ans;
    struct gai_query q;
    void *list = NULL;
    int err;

    /* as Windows: not started comes before every argument error */
    if ((err = startup_check())) {}
    else if (!ppResult) err = WSAEINVAL;
    /* bad caller pointers (include/user_ptr.h): WSAEFAULT, nothing read or written through them */
    else if (!user_writable(ppResult, sizeof(*ppResult)) || (pHints && !user_readable(pHints, sizeof(*pHints))) ||
             (pNodeName && !user_wstr_readable(pNodeName)) || (pServiceName && !user_wstr_readable(pServiceName)))
        err = WSAEFAULT;
    else
    {
        *ppResult = NULL;
        if (pHints)
            err = check_and_query(pHints->ai_flags, pHints->ai_family, pHints->ai_socktype, pHints->ai_protocol,
                                  pHints->ai_addrlen || pHints->ai_canonname || pHints->ai_addr || pHints->ai_next,
                                  pNodeName, &q);
        else err = check_and_query(0, AF_UNSPEC, 0, 0, FALSE, pNodeName, &q);
        if (!err && !(err = gai_resolve(pNodeName, pServiceName, &q, &ans)))
        {
            err = addrinfo_list_build(ADDRINFO_W, &ans, &q, NULL, &list);
            gai_answer_free(&ans);
            if (!err) *ppResult = list;
        }
    }
    TRACE_API("GetAddrInfoW(pNodeName %p pServiceName %p pHints %p ppResult %p) -> %d (%p)", (void *)pNodeName,
              (void *)pServiceName, (void *)pHints, (void *)ppResult, err, list);
    return fail(err); /* 0 on success too: Windows clears the last error */
}

/* getaddrinfo converts its ANSI arguments into these stack buffers when they fit (else the heap) */
#define GAI_NODE_STACK_CHARS 256
#define GAI_SERV_STACK_CHARS 64

int WSAAPI getaddrinfo(const char *nodename, const char *servname, const struct addrinfo *hints, struct addrinfo **res)
{
    WCHAR *node = NULL, *serv = NULL, node_buf[GAI_NODE_STACK_CHARS], serv_buf[GAI_SERV_STACK_CHARS];
    struct gai_answer ans;
    struct gai_query q;
    void *list = NULL;
    int err;

    /* as Windows: not started comes before every argument error */
    if ((err = startup_check())) {}
    else if (!res) err = WSAEINVAL;
    else if (!user_writable(res, sizeof(*res)) || (hints && !user_readable(hints, sizeof(*hints))) ||
             (nodename && !user_str_readable(nodename)) || (servname && !user_str_readable(servname)))
        err = WSAEFAULT;
    else
    {
        *res = NULL;
        if (hints)
            err = check_and_query(hints->ai_flags, hints->ai_family, hints->ai_socktype, hints->ai_protocol,
                                  hints->ai_addrlen || hints->ai_canonname || hints->ai_addr || hints->ai_next,
                                  nodename, &q);
        else err = check_and_query(0, AF_UNSPEC, 0, 0, FALSE, nodename, &q);
        /* IDN encoding applies to the Unicode function only */
        q.flags |= GAI_AI_DISABLE_IDN_ENCODING;
        /* short strings are converted on the stack: no heap block per call */
        if (!err) err = a_to_w_buf(nodename, node_buf, OPENWS2_ARRAY_SIZE(node_buf), &node);
        if (!err) err = a_to_w_buf(servname, serv_buf, OPENWS2_ARRAY_SIZE(serv_buf), &serv);
        if (!err && !(err = gai_resolve(node, serv, &q, &ans)))
        {
            err = addrinfo_list_build(ADDRINFO_A, &ans, &q, NULL, &list);
            gai_answer_free(&ans);
            if (!err) *res = list;
        }
        free_w(node, node_buf);
        free_w(serv, serv_buf);
    }
    TRACE_API("getaddrinfo(nodename %s servname %s hints %p res %p) -> %d (%p)",
              !nodename ? "(null)" : user_str_readable(nodename) ? nodename : "(bad pointer)",
              !servname ? "(null)" : user_str_readable(servname) ? servname : "(bad pointer)", (void *)hints, (void *)res,
              err, list);
    return fail(err); /* 0 on success too: Windows clears the last error */
}

void WSAAPI freeaddrinfo(LPADDRINFO pAddrInfo)
{
    TRACE_API("freeaddrinfo(pAddrInfo %p)", (void *)pAddrInfo);
    addrinfo_list_free(ADDRINFO_A, pAddrInfo);
}

void WSAAPI FreeAddrInfoW(PADDRINFOW pAddrInfo)
{
    TRACE_API("FreeAddrInfoW(pAddrInfo %p)", (void *)pAddrInfo);
    addrinfo_list_free(ADDRINFO_W, pAddrInfo);
}
