/* netdb_parse.c - portable, defensive parsers for the hosts, services and protocol databases (see
 * netdb_parse.h). Every read is bounded by the buffer length; nothing is allocated.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addr_parse.h"
#include "netdb_parse.h"

#define MAX_FIELDS (2 + NETDB_MAX_ALIASES)

struct field
{
    const char *p;
    size_t len;
};

void netdb_cursor_init(struct netdb_cursor *c, const void *data, size_t len)
{
    c->data = data;
    c->len = data ? len : 0;
    c->pos = 0;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f' || ch == '\0';
}

static char lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

int netdb_name_equal(const char *a, const char *b)
{
    while (*a && lower(*a) == lower(*b)) { a++; b++; }
    return lower(*a) == lower(*b);
}

/* Splits the next line (of at most NETDB_LINE_MAX bytes; longer lines are skipped) into fields,
 * stopping at '#'. Returns the field count (possibly 0 for blank/comment lines), -1 at the end. */
static int next_fields(struct netdb_cursor *c, struct field *fields)
{
    for (;;)
    {
        size_t start = c->pos, end, i;
        int n = 0;

        if (c->pos >= c->len) return -1;
        end = start;
        while (end < c->len && c->data[end] != '\n') end++;
        c->pos = end < c->len ? end + 1 : end;
        if (end - start > NETDB_LINE_MAX) continue;

        i = start;
        while (i < end)
        {
            size_t f;
            if (is_blank(c->data[i])) { i++; continue; }
            if (c->data[i] == '#') break;
            f = i;
            while (i < end && !is_blank(c->data[i]) && c->data[i] != '#') i++;
            if (n < MAX_FIELDS)
            {
                fields[n].p = c->data + f;
                fields[n].len = i - f;
                n++;
            }
        }
        return n;
    }
}

/* Copies a field into a NUL-terminated name: 0, or -1 when it does not fit. */
static int copy_field(const struct field *f, char *out)
{
    if (!f->len || f->len >= NETDB_NAME_MAX) return -1;
    memcpy(out, f->p, f->len);
    out[f->len] = 0;
    return 0;
}

static void copy_aliases(const struct field *fields, int first, int count, char (*aliases)[NETDB_NAME_MAX],
                         size_t *alias_count)
{
    int i;

    *alias_count = 0;
    for (i = first; i < count && *alias_count < NETDB_MAX_ALIASES; i++)
        if (!copy_field(&fields[i], aliases[*alias_count])) (*alias_count)++;
}

/* A decimal number of 1..5 digits within [0, max]: 0 or -1. */
static int parse_decimal(const char *p, size_t len, unsigned max, unsigned *value)
{
    unsigned v = 0;
    size_t i;

    if (!len || len > 5) return -1;
    for (i = 0; i < len; i++)
    {
        if (p[i] < '0' || p[i] > '9') return -1;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    if (v > max) return -1;
    *value = v;
    return 0;
}

int netdb_next_service(struct netdb_cursor *c, struct netdb_service *out)
{
    struct field fields[MAX_FIELDS], proto;
    int n;

    while ((n = next_fields(c, fields)) >= 0)
    {
        const char *slash;
        unsigned port;

        if (n < 2) continue;
        if (copy_field(&fields[0], out->name)) continue;
        slash = memchr(fields[1].p, '/', fields[1].len);
        if (!slash) continue;
        if (parse_decimal(fields[1].p, (size_t)(slash - fields[1].p), 0xffff, &port)) continue;
        proto.p = slash + 1;
        proto.len = fields[1].len - (size_t)(slash - fields[1].p) - 1;
        if (copy_field(&proto, out->proto)) continue;
        out->port = (uint16_t)port;
        copy_aliases(fields, 2, n, out->aliases, &out->alias_count);
        return 1;
    }
    return 0;
}

int netdb_next_protocol(struct netdb_cursor *c, struct netdb_protocol *out)
{
    struct field fields[MAX_FIELDS];
    int n;

    while ((n = next_fields(c, fields)) >= 0)
    {
        unsigned number;

        if (n < 2) continue;
        if (copy_field(&fields[0], out->name)) continue;
        if (parse_decimal(fields[1].p, fields[1].len, 255, &number)) continue;
        out->number = (int)number;
        copy_aliases(fields, 2, n, out->aliases, &out->alias_count);
        return 1;
    }
    return 0;
}

int netdb_next_host(struct netdb_cursor *c, struct netdb_host *out)
{
    struct field fields[MAX_FIELDS];
    char text[ADDR_IPV6_FULL_STRLEN];
    int n;

    while ((n = next_fields(c, fields)) >= 0)
    {
        const char *end;

        if (n < 2) continue;
        if (fields[0].len >= sizeof(text)) continue;
        memcpy(text, fields[0].p, fields[0].len);
        text[fields[0].len] = 0;
        if (!addr_parse_ipv4(text, 0, &end, out->addr) && !*end)
        {
            out->family = AF_INET;
            memset(out->addr + 4, 0, 12);
        }
        else if (!addr_parse_ipv6(text, &end, out->addr) && !*end)
            out->family = AF_INET6;
        else continue;
        if (copy_field(&fields[1], out->name)) continue;
        copy_aliases(fields, 2, n, out->aliases, &out->alias_count);
        return 1;
    }
    return 0;
}

static int has_name(const char *name, const char (*aliases)[NETDB_NAME_MAX], size_t count, const char *wanted)
{
    size_t i;

    if (netdb_name_equal(name, wanted)) return 1;
    for (i = 0; i < count; i++)
        if (netdb_name_equal(aliases[i], wanted)) return 1;
    return 0;
}

int netdb_find_service_by_name(const void *data, size_t len, const char *name, const char *proto,
                               struct netdb_service *out)
{
    struct netdb_cursor c;

    if (!name) return 0;
    netdb_cursor_init(&c, data, len);
    while (netdb_next_service(&c, out))
    {
        if (proto && !netdb_name_equal(out->proto, proto)) continue;
        if (has_name(out->name, (const char (*)[NETDB_NAME_MAX])out->aliases, out->alias_count, name)) return 1;
    }
    return 0;
}

int netdb_find_service_by_port(const void *data, size_t len, uint16_t port, const char *proto,
                               struct netdb_service *out)
{
    struct netdb_cursor c;

    netdb_cursor_init(&c, data, len);
    while (netdb_next_service(&c, out))
    {
        if (out->port != port) continue;
        if (proto && !netdb_name_equal(out->proto, proto)) continue;
        return 1;
    }
    return 0;
}

int netdb_find_protocol_by_name(const void *data, size_t len, const char *name, struct netdb_protocol *out)
{
    struct netdb_cursor c;

    if (!name) return 0;
    netdb_cursor_init(&c, data, len);
    while (netdb_next_protocol(&c, out))
        if (has_name(out->name, (const char (*)[NETDB_NAME_MAX])out->aliases, out->alias_count, name)) return 1;
    return 0;
}

int netdb_find_protocol_by_number(const void *data, size_t len, int number, struct netdb_protocol *out)
{
    struct netdb_cursor c;

    netdb_cursor_init(&c, data, len);
    while (netdb_next_protocol(&c, out))
        if (out->number == number) return 1;
    return 0;
}

int netdb_next_host_by_name(struct netdb_cursor *c, const char *name, int family, struct netdb_host *out)
{
    if (!name) return 0;
    while (netdb_next_host(c, out))
    {
        if (family && out->family != family) continue;
        if (has_name(out->name, (const char (*)[NETDB_NAME_MAX])out->aliases, out->alias_count, name)) return 1;
    }
    return 0;
}

int netdb_find_host_by_name(const void *data, size_t len, const char *name, int family, struct netdb_host *out)
{
    struct netdb_cursor c;

    netdb_cursor_init(&c, data, len);
    return netdb_next_host_by_name(&c, name, family, out);
}

int netdb_find_host_by_addr(const void *data, size_t len, const uint8_t *addr, size_t addr_len,
                            struct netdb_host *out)
{
    struct netdb_cursor c;
    int family = addr_len == 4 ? AF_INET : addr_len == 16 ? AF_INET6 : 0;

    if (!addr || !family) return 0;
    netdb_cursor_init(&c, data, len);
    while (netdb_next_host(&c, out))
        if (out->family == family && !memcmp(out->addr, addr, addr_len)) return 1;
    return 0;
}
