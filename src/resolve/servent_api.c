/* servent_api.c - the services and protocols database exports: getservbyname, getservbyport,
 * getprotobyname, getprotobynumber. They read the services / protocol files (src/addr/netdb_files.c,
 * embedded defaults when absent) with the portable parser (src/addr/netdb_parse.c) and return Windows'
 * per-thread result structures (src/resolve/resolve_thread.c), valid until the thread's next call of the
 * same kind. WSANOTINITIALISED before WSAStartup, WSAEFAULT for a NULL name or a name / protocol
 * string that cannot be read (include/user_ptr.h), WSANO_DATA when the database has no such entry.
 * DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include <stdlib.h>
#include "addr_parse.h"
#include "netdb_files.h"
#include "netdb_parse.h"
#include "resolve_thread.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

static size_t aligned(size_t n)
{
    return (n + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
}

/* Copies s into the string area at *pos and returns the copy. */
static char *put_string(char *base, size_t *pos, const char *s)
{
    size_t n = strlen(s) + 1;
    char *dst = base + *pos;

    memcpy(dst, s, n);
    *pos += n;
    return dst;
}

static size_t strings_size(const char *a, const char *b, const char (*aliases)[NETDB_NAME_MAX], size_t count)
{
    size_t size = strlen(a) + 1 + (b ? strlen(b) + 1 : 0), i;

    for (i = 0; i < count; i++) size += strlen(aliases[i]) + 1;
    return size;
}

/* Builds the per-thread servent for entry: NULL with *err set on failure. The block is large enough
 * for any entry the parser returns (RESOLVE_ENT_SIZE). */
static struct servent *make_servent(const struct netdb_service *entry, int *err)
{
    struct resolve_thread *data = resolve_thread_get();
    size_t head = aligned(sizeof(struct servent)), list = aligned((entry->alias_count + 1) * sizeof(char *));
    size_t pos = head + list, i;
    struct servent *se;
    char *block;

    if (!data || pos + strings_size(entry->name, entry->proto, (const char (*)[NETDB_NAME_MAX])entry->aliases,
                                    entry->alias_count) > RESOLVE_ENT_SIZE)
    {
        *err = WSAENOBUFS;
        return NULL;
    }
    block = data->servent.bytes;
    se = (struct servent *)block;
    se->s_aliases = (char **)(block + head);
    se->s_name = put_string(block, &pos, entry->name);
    se->s_proto = put_string(block, &pos, entry->proto);
    for (i = 0; i < entry->alias_count; i++) se->s_aliases[i] = put_string(block, &pos, entry->aliases[i]);
    se->s_aliases[entry->alias_count] = NULL;
    se->s_port = (short)addr_port_to_net(entry->port);
    return se;
}

static struct protoent *make_protoent(const struct netdb_protocol *entry, int *err)
{
    struct resolve_thread *data = resolve_thread_get();
    size_t head = aligned(sizeof(struct protoent)), list = aligned((entry->alias_count + 1) * sizeof(char *));
    size_t pos = head + list, i;
    struct protoent *pe;
    char *block;

    if (!data || pos + strings_size(entry->name, NULL, (const char (*)[NETDB_NAME_MAX])entry->aliases,
                                    entry->alias_count) > RESOLVE_ENT_SIZE)
    {
        *err = WSAENOBUFS;
        return NULL;
    }
    block = data->protoent.bytes;
    pe = (struct protoent *)block;
    pe->p_aliases = (char **)(block + head);
    pe->p_name = put_string(block, &pos, entry->name);
    for (i = 0; i < entry->alias_count; i++) pe->p_aliases[i] = put_string(block, &pos, entry->aliases[i]);
    pe->p_aliases[entry->alias_count] = NULL;
    pe->p_proto = (short)entry->number;
    return pe;
}

/* The lookup kinds share one body. */
enum lookup { SERV_BY_NAME, SERV_BY_PORT, PROTO_BY_NAME, PROTO_BY_NUMBER };

static void *lookup(enum lookup kind, const char *name, int number, const char *proto, int *err)
{
    struct netdb_text text;
    struct netdb_service *serv;
    struct netdb_protocol *prot;
    void *ret = NULL;
    int found = 0;

    if ((*err = startup_check())) return NULL;
    if (((kind == SERV_BY_NAME || kind == PROTO_BY_NAME) && (!name || !user_str_readable(name))) ||
        (proto && !user_str_readable(proto)))
    {
        *err = WSAEFAULT;
        return NULL;
    }
    if ((*err = netdb_file_load(kind <= SERV_BY_PORT ? NETDB_SERVICES : NETDB_PROTOCOLS, &text))) return NULL;

    if (kind <= SERV_BY_PORT)
    {
        /* the entry is big (aliases inline): keep it off the stack */
        if (!(serv = HeapAlloc(GetProcessHeap(), 0, sizeof(*serv)))) *err = WSAENOBUFS;
        else
        {
            if (kind == SERV_BY_NAME) found = netdb_find_service_by_name(text.data, text.len, name, proto, serv);
            else found = netdb_find_service_by_port(text.data, text.len, (uint16_t)number, proto, serv);
            if (found) ret = make_servent(serv, err);
            else *err = WSANO_DATA;
            HeapFree(GetProcessHeap(), 0, serv);
        }
    }
    else
    {
        if (!(prot = HeapAlloc(GetProcessHeap(), 0, sizeof(*prot)))) *err = WSAENOBUFS;
        else
        {
            if (kind == PROTO_BY_NAME) found = netdb_find_protocol_by_name(text.data, text.len, name, prot);
            else found = netdb_find_protocol_by_number(text.data, text.len, number, prot);
            if (found) ret = make_protoent(prot, err);
            else *err = WSANO_DATA;
            HeapFree(GetProcessHeap(), 0, prot);
        }
    }
    netdb_file_free(&text);
    return ret;
}

static const char *dbg_str(const char *s, char *buf, size_t size)
{
    size_t i, n = 0;

    if (!s) return "(null)";
    if (!user_str_readable(s))
    {
        snprintf(buf, size, "%p (bad pointer)", (const void *)s);
        return buf;
    }
    buf[n++] = '"';
    for (i = 0; s[i] && n + 5 < size; i++) buf[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (s[i]) { buf[n++] = '.'; buf[n++] = '.'; }
    buf[n++] = '"';
    buf[n] = 0;
    return buf;
}

/* sizes of the quoted-argument texts of the trace lines */
#define TRACE_NAME_TEXT 64
#define TRACE_PROTO_TEXT 32

struct servent *WSAAPI getservbyname(const char *name, const char *proto)
{
    char d1[TRACE_NAME_TEXT], d2[TRACE_PROTO_TEXT];
    int err;
    struct servent *ret = lookup(SERV_BY_NAME, name, 0, proto, &err);

    TRACE_API("getservbyname(%s, %s) -> %p (port %d, error %d)", dbg_str(name, d1, sizeof(d1)),
              dbg_str(proto, d2, sizeof(d2)), (void *)ret, ret ? addr_port_from_net((uint16_t)ret->s_port) : -1, ret ? 0 : err);
    if (!ret) SetLastError(err);
    return ret;
}

struct servent *WSAAPI getservbyport(int port, const char *proto)
{
    char d2[TRACE_PROTO_TEXT];
    int err;
    /* the port is in network byte order in the low 16 bits */
    struct servent *ret = lookup(SERV_BY_PORT, NULL, addr_port_from_net((uint16_t)port), proto, &err);

    TRACE_API("getservbyport(%d, %s) -> %p (%s, error %d)", addr_port_from_net((uint16_t)port), dbg_str(proto, d2, sizeof(d2)),
              (void *)ret, ret ? ret->s_name : "-", ret ? 0 : err);
    if (!ret) SetLastError(err);
    return ret;
}

struct protoent *WSAAPI getprotobyname(const char *name)
{
    char d1[TRACE_NAME_TEXT];
    int err;
    struct protoent *ret = lookup(PROTO_BY_NAME, name, 0, NULL, &err);

    TRACE_API("getprotobyname(%s) -> %p (number %d, error %d)", dbg_str(name, d1, sizeof(d1)), (void *)ret,
              ret ? ret->p_proto : -1, ret ? 0 : err);
    if (!ret) SetLastError(err);
    return ret;
}

struct protoent *WSAAPI getprotobynumber(int number)
{
    int err;
    struct protoent *ret = lookup(PROTO_BY_NUMBER, NULL, number, NULL, &err);

    TRACE_API("getprotobynumber(%d) -> %p (%s, error %d)", number, (void *)ret, ret ? ret->p_name : "-",
              ret ? 0 : err);
    if (!ret) SetLastError(err);
    return ret;
}
