/* addrinfo_list.c - builds and frees the result lists of getaddrinfo, GetAddrInfoW and
 * GetAddrInfoExA/W (include/addrinfo_list.h). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addrinfo_list.h"

static void *alloc0(size_t n)
{
    return HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, n);
}

static void release(const void *p)
{
    if (p) HeapFree(GetProcessHeap(), 0, (void *)(uintptr_t)p);
}

static size_t node_size(enum addrinfo_kind kind)
{
    switch (kind)
    {
    case ADDRINFO_A: return sizeof(struct addrinfo);
    case ADDRINFO_W: return sizeof(ADDRINFOW);
    case ADDRINFO_EXA: return sizeof(ADDRINFOEXA);
    case ADDRINFO_EXW: return sizeof(ADDRINFOEXW);
    default: return sizeof(GAI_ADDRINFOEX2W);
    }
}

/* The layouts share their first members (flags .. ai_addr); the Ex ones differ from the plain ones
 * after ai_addr. These set the members through the right type. */
static void set_common(enum addrinfo_kind kind, void *node, int flags, int family, int socktype, int protocol,
                       size_t addrlen, void *canon, struct sockaddr *addr)
{
    switch (kind)
    {
    case ADDRINFO_A:
    {
        struct addrinfo *n = node;
        n->ai_flags = flags; n->ai_family = family; n->ai_socktype = socktype; n->ai_protocol = protocol;
        n->ai_addrlen = addrlen; n->ai_canonname = canon; n->ai_addr = addr;
        break;
    }
    case ADDRINFO_W:
    {
        ADDRINFOW *n = node;
        n->ai_flags = flags; n->ai_family = family; n->ai_socktype = socktype; n->ai_protocol = protocol;
        n->ai_addrlen = addrlen; n->ai_canonname = canon; n->ai_addr = addr;
        break;
    }
    case ADDRINFO_EXA:
    {
        ADDRINFOEXA *n = node;
        n->ai_flags = flags; n->ai_family = family; n->ai_socktype = socktype; n->ai_protocol = protocol;
        n->ai_addrlen = addrlen; n->ai_canonname = canon; n->ai_addr = addr;
        break;
    }
    case ADDRINFO_EXW:
    {
        ADDRINFOEXW *n = node;
        n->ai_flags = flags; n->ai_family = family; n->ai_socktype = socktype; n->ai_protocol = protocol;
        n->ai_addrlen = addrlen; n->ai_canonname = canon; n->ai_addr = addr;
        break;
    }
    case ADDRINFO_EX2W:
    {
        GAI_ADDRINFOEX2W *n = node;
        n->ai_flags = flags; n->ai_family = family; n->ai_socktype = socktype; n->ai_protocol = protocol;
        n->ai_addrlen = addrlen; n->ai_canonname = canon; n->ai_addr = addr;
        n->ai_version = GAI_ADDRINFOEX_VERSION_2;
        break;
    }
    }
}

static void **next_ptr(enum addrinfo_kind kind, void *node)
{
    switch (kind)
    {
    case ADDRINFO_A: return (void **)&((struct addrinfo *)node)->ai_next;
    case ADDRINFO_W: return (void **)&((ADDRINFOW *)node)->ai_next;
    case ADDRINFO_EXA: return (void **)&((ADDRINFOEXA *)node)->ai_next;
    case ADDRINFO_EXW: return (void **)&((ADDRINFOEXW *)node)->ai_next;
    default: return (void **)&((GAI_ADDRINFOEX2W *)node)->ai_next;
    }
}

/* Where a node's own address block starts: after the node, aligned for a sockaddr. */
static size_t addr_offset(enum addrinfo_kind kind)
{
    return (node_size(kind) + 15) & ~(size_t)15;
}

/* Frees a node's ai_addr unless it is the node's own address block. */
static void release_addr(enum addrinfo_kind kind, const void *node, const void *addr)
{
    if (addr != (const char *)node + addr_offset(kind)) release(addr);
}

static void *dup_name(enum addrinfo_kind kind, const WCHAR *name)
{
    if (kind == ADDRINFO_A || kind == ADDRINFO_EXA) return gai_w_to_a(name);
    return gai_wcsdup(name);
}

int addrinfo_list_build(enum addrinfo_kind kind, const struct gai_answer *ans, const struct gai_query *q,
                        const WCHAR *fqdn, void **out)
{
    void *head = NULL, **link = &head;
    size_t i;

    *out = NULL;
    for (i = 0; i < ans->count; i++)
    {
        /* the node and its address in one heap block (one allocation per entry); the free function
         * frees ai_addr separately only when it points elsewhere */
        void *node = alloc0(addr_offset(kind) + sizeof(SOCKADDR_IN6)), *canon = NULL;
        struct sockaddr *addr;
        size_t len;

        if (!node) goto oom;
        *link = node;
        addr = (struct sockaddr *)((char *)node + addr_offset(kind));
        len = gai_fill_sockaddr(&ans->addrs[i], ans->port, addr);
        if (!i && ans->canon && !(canon = dup_name(kind, ans->canon))) goto oom;
        set_common(kind, node, kind == ADDRINFO_EX2W ? (int)GAI_AI_EXTENDED : 0, ans->addrs[i].family, q->socktype,
                   q->protocol, len, canon, addr);
        if (kind == ADDRINFO_EX2W && !i && fqdn && !(((GAI_ADDRINFOEX2W *)node)->ai_fqdn = gai_wcsdup(fqdn))) goto oom;
        link = next_ptr(kind, node);
        continue;
oom:
        addrinfo_list_free(kind, head);
        return WSA_NOT_ENOUGH_MEMORY;
    }
    *out = head;
    return 0;
}

void addrinfo_list_free(enum addrinfo_kind kind, void *list)
{
    while (list)
    {
        void *next = *next_ptr(kind, list);
        switch (kind)
        {
        case ADDRINFO_A:
            release(((struct addrinfo *)list)->ai_canonname);
            release_addr(kind, list, ((struct addrinfo *)list)->ai_addr);
            break;
        case ADDRINFO_W:
            release(((ADDRINFOW *)list)->ai_canonname);
            release_addr(kind, list, ((ADDRINFOW *)list)->ai_addr);
            break;
        case ADDRINFO_EXA:
            release(((ADDRINFOEXA *)list)->ai_canonname);
            release_addr(kind, list, ((ADDRINFOEXA *)list)->ai_addr);
            release(((ADDRINFOEXA *)list)->ai_blob);
            release(((ADDRINFOEXA *)list)->ai_provider);
            break;
        case ADDRINFO_EXW:
        case ADDRINFO_EX2W:
        {
            ADDRINFOEXW *n = list;
            release(n->ai_canonname);
            /* an AI_EXTENDED node is the larger ADDRINFOEX2W: its address block starts later */
            release_addr(((unsigned)n->ai_flags & GAI_AI_EXTENDED) ? ADDRINFO_EX2W : ADDRINFO_EXW, list, n->ai_addr);
            release(n->ai_blob);
            release(n->ai_provider);
            /* an AI_EXTENDED node is an ADDRINFOEX2W with its fully qualified name */
            if ((unsigned)n->ai_flags & GAI_AI_EXTENDED) release(((GAI_ADDRINFOEX2W *)list)->ai_fqdn);
            break;
        }
        }
        release(list);
        list = next;
    }
}
