/* netdb_parse.h - portable parsers for the text databases under %SystemRoot%\system32\drivers\etc:
 * hosts ("address name aliases..."), services ("name port/proto aliases...") and protocol
 * ("name number aliases..."), plus the lookups getservby* / getprotoby* and the hosts-file resolver
 * are built on. The input is untrusted: any bytes (NULs, CR/LF or LF line ends, tabs, '#'
 * comments, no newline at EOF, over-long lines and fields, huge files) are handled without reading
 * outside the buffer; lines that do not parse are skipped. No Windows calls (host unit tests, fuzzers).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NETDB_PARSE_H
#define OPENWS2_NETDB_PARSE_H

#include "ws2_common.h"

#define NETDB_NAME_MAX 256      /* longest name/alias kept, with its NUL (longer: line skipped) */
#define NETDB_MAX_ALIASES 35    /* aliases kept per entry (further ones are ignored) */
#define NETDB_LINE_MAX 4096     /* longer lines are skipped */

/* A position in a database text buffer (not NUL-terminated; may contain NULs). */
struct netdb_cursor
{
    const char *data;
    size_t len;
    size_t pos;
};

void netdb_cursor_init(struct netdb_cursor *c, const void *data, size_t len);

struct netdb_service
{
    char name[NETDB_NAME_MAX];
    uint16_t port;              /* host byte order */
    char proto[NETDB_NAME_MAX];
    size_t alias_count;
    char aliases[NETDB_MAX_ALIASES][NETDB_NAME_MAX];
};

struct netdb_protocol
{
    char name[NETDB_NAME_MAX];
    int number;                 /* 0..255 */
    size_t alias_count;
    char aliases[NETDB_MAX_ALIASES][NETDB_NAME_MAX];
};

struct netdb_host
{
    int family;                 /* AF_INET or AF_INET6 */
    uint8_t addr[16];           /* network byte order; 4 bytes used for AF_INET */
    char name[NETDB_NAME_MAX];  /* canonical name */
    size_t alias_count;
    char aliases[NETDB_MAX_ALIASES][NETDB_NAME_MAX];
};

/* Next well-formed entry after the cursor: 1 (entry filled), 0 at the end. */
int netdb_next_service(struct netdb_cursor *c, struct netdb_service *out);
int netdb_next_protocol(struct netdb_cursor *c, struct netdb_protocol *out);
int netdb_next_host(struct netdb_cursor *c, struct netdb_host *out);

/* Lookups over a whole buffer; names and protocols compare ASCII case-insensitively, a NULL proto
 * matches any protocol. 1 when found (out filled), else 0. */
int netdb_find_service_by_name(const void *data, size_t len, const char *name, const char *proto,
                               struct netdb_service *out);
int netdb_find_service_by_port(const void *data, size_t len, uint16_t port, const char *proto,
                               struct netdb_service *out);
int netdb_find_protocol_by_name(const void *data, size_t len, const char *name, struct netdb_protocol *out);
int netdb_find_protocol_by_number(const void *data, size_t len, int number, struct netdb_protocol *out);
/* First host entry whose name or alias is name (family 0 = any). */
int netdb_find_host_by_name(const void *data, size_t len, const char *name, int family, struct netdb_host *out);
/* Next host entry after the cursor whose name or alias is name (family 0 = any): every address of
 * a name, in file order (what a resolver returns). 1 or 0 at the end. */
int netdb_next_host_by_name(struct netdb_cursor *c, const char *name, int family, struct netdb_host *out);
/* First host entry with that address (len 4 = IPv4, 16 = IPv6). */
int netdb_find_host_by_addr(const void *data, size_t len, const uint8_t *addr, size_t addr_len,
                            struct netdb_host *out);

/* ASCII case-insensitive string equality (locale independent). */
int netdb_name_equal(const char *a, const char *b);

#endif
