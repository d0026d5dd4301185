/* addrinfo_list.h - the result lists of the getaddrinfo family (src/resolve/addrinfo_list.c): struct
 * addrinfo, ADDRINFOW, ADDRINFOEXA/W and ADDRINFOEX2W (AI_EXTENDED) built from a resolver answer, one
 * node per address with the hints' socket type and protocol, the canonical name on the first node;
 * each node a heap block holding its ai_addr too (one allocation per entry), ai_canonname (and
 * ai_fqdn) separate blocks, freed by the matching free function (which also accepts lists built by
 * the application with a separate ai_addr block). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_ADDRINFO_LIST_H
#define OPENWS2_ADDRINFO_LIST_H

#include "ws2_common.h"
#include "gai_resolve.h"

/* ADDRINFOEX2W / ADDRINFOEX2A (AI_EXTENDED, not in MinGW-w64's headers): ADDRINFOEX plus a version and
 * the fully qualified name. */
#define GAI_ADDRINFOEX_VERSION_2 2
typedef struct gai_addrinfoex2w
{
    int ai_flags, ai_family, ai_socktype, ai_protocol;
    size_t ai_addrlen;
    PWSTR ai_canonname;
    struct sockaddr *ai_addr;
    void *ai_blob;
    size_t ai_bloblen;
    LPGUID ai_provider;
    struct gai_addrinfoex2w *ai_next;
    int ai_version;
    PWSTR ai_fqdn;
} GAI_ADDRINFOEX2W;

enum addrinfo_kind { ADDRINFO_A, ADDRINFO_W, ADDRINFO_EXA, ADDRINFO_EXW, ADDRINFO_EX2W };

/* Builds the list (*out, NULL for an empty answer). Returns 0 or WSA_NOT_ENOUGH_MEMORY (nothing
 * allocated then). fqdn: the ai_fqdn of ADDRINFO_EX2W results (may be NULL). */
int addrinfo_list_build(enum addrinfo_kind kind, const struct gai_answer *ans, const struct gai_query *q,
                        const WCHAR *fqdn, void **out);
void addrinfo_list_free(enum addrinfo_kind kind, void *list);

#endif
