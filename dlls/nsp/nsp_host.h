/* nsp_host.h - openws2nsp's portable model of one resolved host (canonical name, aliases,
 * addresses of one or both families) and the portable helpers that fill it: hosts-file matching
 * (every entry of a name, in file order, merged), reverse-name parsing ("d.c.b.a.in-addr.arpa",
 * ip6.arpa nibbles, or plain address text) and name checks. No Windows calls: host unit tests.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NSP_HOST_H
#define OPENWS2_NSP_HOST_H

#include "ws2_common.h"

#define NSP_NAME_MAX 256        /* longest host name or alias kept, with its NUL */
#define NSP_MAX_ALIASES 35      /* aliases kept per host */
#define NSP_MAX_ADDRS 64        /* addresses kept per host */

/* Family selection bits of a lookup. */
#define NSP_FAMILY_V4 1
#define NSP_FAMILY_V6 2

struct nsp_addr
{
    int family;                 /* AF_INET or AF_INET6 */
    uint8_t addr[16];           /* network byte order; 4 bytes used for AF_INET */
};

struct nsp_host
{
    char name[NSP_NAME_MAX];    /* canonical name ("" when none) */
    size_t alias_count;
    char aliases[NSP_MAX_ALIASES][NSP_NAME_MAX];
    size_t addr_count;
    struct nsp_addr addrs[NSP_MAX_ADDRS];
};

/* Adds an address (duplicates ignored, silently dropped when full). Returns 1 when added. */
int nsp_host_add_addr(struct nsp_host *h, int family, const uint8_t *addr);
/* Adds an alias unless it is the canonical name or already present (case-insensitively), or too
 * long. Returns 1 when added. */
int nsp_host_add_alias(struct nsp_host *h, const char *alias);
/* Sets the canonical name (too long: truncated to nothing, returns -1). */
int nsp_host_set_name(struct nsp_host *h, const char *name);
/* Merges src into dst: src's canonical name becomes dst's when dst has none (else an alias), src's
 * aliases and addresses are added. */
void nsp_host_merge(struct nsp_host *dst, const struct nsp_host *src);
/* Number of addresses of a family. */
size_t nsp_host_count_family(const struct nsp_host *h, int family);

/* Every hosts-file entry naming name (as canonical name or alias) with an address of a family in
 * families (NSP_FAMILY_* bits) is merged into out (zeroed first): the first such entry's name is
 * the canonical name, other names become aliases. Returns the number of addresses found. */
size_t nsp_hosts_match_name(const void *data, size_t len, const char *name, int families, struct nsp_host *out);
/* Entries with that address: the first entry's name is the canonical name, its aliases and the
 * names of further entries with the address become aliases, the address is the only address.
 * Returns 1 when found, else 0. */
int nsp_hosts_match_addr(const void *data, size_t len, int family, const uint8_t *addr, struct nsp_host *out);

/* A reverse-lookup key: "a.b.c.d" (strict dotted IPv4), IPv6 text, "d.c.b.a.in-addr.arpa" or the
 * 32-nibble ".ip6.arpa" name (a final dot allowed, case-insensitive). 0 and the address, or -1. */
int nsp_parse_reverse_key(const char *text, int *family, uint8_t addr[16]);

/* 1 when text is a plausible host name for DNS: 1..253 characters (a final dot allowed), labels of
 * 1..63 characters, no control characters, spaces or characters outside printable ASCII. */
int nsp_valid_host_name(const char *text);

#endif
