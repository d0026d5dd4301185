/* hostent_lookup.c - hostent lookups through the namespace catalog and hostent/servent/protoent
 * packing into caller buffers (include/hostent_lookup.h). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <svcguid.h>
#include "addr_parse.h"
#include "gai_resolve.h"
#include "hostent_lookup.h"

static const GUID guid_byname = SVCID_INET_HOSTADDRBYNAME;
static const GUID guid_byaddr = SVCID_INET_HOSTADDRBYINETSTRING;

#define ALIGN_PTR(n) (((n) + sizeof(void *) - 1) & ~(sizeof(void *) - 1))

/* ---- packing ---- */

static size_t strings_len(const char *const *s, size_t n)
{
    size_t i, len = 0;
    for (i = 0; i < n; i++) len += strlen(s[i]) + 1;
    return len;
}

static char *put(char *base, size_t *pos, const char *s)
{
    size_t n = strlen(s) + 1;
    memcpy(base + *pos, s, n);
    *pos += n;
    return base + *pos - n;
}

size_t hostent_pack(const struct hostent_view *v, void *buf, size_t size)
{
    size_t head = ALIGN_PTR(sizeof(struct hostent));
    size_t lists = (v->alias_count + 1 + v->addr_count + 1) * sizeof(char *);
    size_t addrs = ALIGN_PTR(v->addr_count * (size_t)v->length);
    size_t need = head + lists + addrs + strlen(v->name) + 1 + strings_len(v->aliases, v->alias_count), pos, i;
    struct hostent *he = buf;
    char *base = buf;

    if (!buf || size < need) return need;
    he->h_aliases = (char **)(base + head);
    he->h_addr_list = he->h_aliases + v->alias_count + 1;
    he->h_addrtype = (short)v->family;
    he->h_length = (short)v->length;
    pos = head + lists;
    for (i = 0; i < v->addr_count; i++)
    {
        he->h_addr_list[i] = base + pos;
        memcpy(base + pos, v->addrs[i], (size_t)v->length);
        pos += (size_t)v->length;
    }
    he->h_addr_list[v->addr_count] = NULL;
    pos = head + lists + addrs;
    he->h_name = put(base, &pos, v->name);
    for (i = 0; i < v->alias_count; i++) he->h_aliases[i] = put(base, &pos, v->aliases[i]);
    he->h_aliases[v->alias_count] = NULL;
    return need;
}

size_t servent_pack(const char *name, const char *const *aliases, size_t alias_count, uint16_t port_net,
                    const char *proto, void *buf, size_t size)
{
    size_t head = ALIGN_PTR(sizeof(struct servent)), list = (alias_count + 1) * sizeof(char *);
    size_t need = head + list + strlen(name) + 1 + strlen(proto) + 1 + strings_len(aliases, alias_count), pos, i;
    struct servent *se = buf;
    char *base = buf;

    if (!buf || size < need) return need;
    se->s_aliases = (char **)(base + head);
    pos = head + list;
    se->s_name = put(base, &pos, name);
    se->s_proto = put(base, &pos, proto);
    for (i = 0; i < alias_count; i++) se->s_aliases[i] = put(base, &pos, aliases[i]);
    se->s_aliases[alias_count] = NULL;
    se->s_port = (short)port_net;
    return need;
}

size_t protoent_pack(const char *name, const char *const *aliases, size_t alias_count, int number, void *buf, size_t size)
{
    size_t head = ALIGN_PTR(sizeof(struct protoent)), list = (alias_count + 1) * sizeof(char *);
    size_t need = head + list + strlen(name) + 1 + strings_len(aliases, alias_count), pos, i;
    struct protoent *pe = buf;
    char *base = buf;

    if (!buf || size < need) return need;
    pe->p_aliases = (char **)(base + head);
    pos = head + list;
    pe->p_name = put(base, &pos, name);
    for (i = 0; i < alias_count; i++) pe->p_aliases[i] = put(base, &pos, aliases[i]);
    pe->p_aliases[alias_count] = NULL;
    pe->p_proto = (short)number;
    return need;
}

/* ---- the provider's hostent blob (offsets from the blob's start), checked ---- */

static int blob_string(const BLOB *b, uintptr_t off, const char **out)
{
    if (off >= b->cbSize || !memchr(b->pBlobData + off, 0, b->cbSize - off)) return -1;
    *out = (const char *)b->pBlobData + off;
    return 0;
}

static int decode_blob(const BLOB *b, struct hostent_view *v)
{
    struct hostent he;
    uintptr_t off, item;

    if (!b || !b->pBlobData || b->cbSize < sizeof(he)) return -1;
    memcpy(&he, b->pBlobData, sizeof(he));
    if (blob_string(b, (uintptr_t)he.h_name, &v->name)) return -1;
    v->family = he.h_addrtype;
    v->length = he.h_length;
    if ((v->family != AF_INET || v->length != 4) && (v->family != AF_INET6 || v->length != 16)) return -1;
    for (off = (uintptr_t)he.h_aliases; off; off += sizeof(char *))
    {
        if (off > b->cbSize || b->cbSize - off < sizeof(char *)) return -1;
        memcpy(&item, b->pBlobData + off, sizeof(item));
        if (!item) break;
        if (v->alias_count == HOSTENT_MAX_ALIASES) continue;
        if (blob_string(b, item, &v->aliases[v->alias_count++])) return -1;
    }
    for (off = (uintptr_t)he.h_addr_list; off; off += sizeof(char *))
    {
        if (off > b->cbSize || b->cbSize - off < sizeof(char *)) return -1;
        memcpy(&item, b->pBlobData + off, sizeof(item));
        if (!item) break;
        if (item > b->cbSize || b->cbSize - item < (uintptr_t)v->length) return -1;
        if (v->addr_count < HOSTENT_MAX_ADDRS) v->addrs[v->addr_count++] = b->pBlobData + item;
    }
    return 0;
}

void hostent_view_free(struct hostent_view *v)
{
    if (v->storage) HeapFree(GetProcessHeap(), 0, v->storage);
    memset(v, 0, sizeof(*v));
}

/* The blob of a lookup's first result, kept in v->storage. */
static int lookup_blob(const GUID *cls, const WCHAR *name, int family, struct hostent_view *v)
{
    WSAQUERYSETW *qs;
    int err;

    if ((err = gai_lookup_first(cls, name, family, LUP_RETURN_BLOB | LUP_RETURN_NAME, &qs))) return err;
    v->storage = qs;
    if (decode_blob(qs->lpBlob, v))
    {
        hostent_view_free(v);
        return WSANO_RECOVERY;
    }
    return 0;
}

int hostent_by_name(const char *name, struct hostent_view *v)
{
    static const WCHAR local[] = { 0 };
    uint8_t addr[4];
    const char *end;
    WCHAR *wname = NULL;
    int err;

    memset(v, 0, sizeof(*v));
    if (name && *name && !addr_parse_ipv4(name, 0, &end, addr) && !*end)
    {
        /* a dotted address is its own answer */
        size_t n = strlen(name) + 1;
        if (!(v->storage = HeapAlloc(GetProcessHeap(), 0, n + 4))) return WSA_NOT_ENOUGH_MEMORY;
        memcpy(v->storage, addr, 4);
        memcpy((char *)v->storage + 4, name, n);
        v->name = (char *)v->storage + 4;
        v->family = AF_INET;
        v->length = 4;
        v->addrs[0] = v->storage;
        v->addr_count = 1;
        return 0;
    }
    if (name && (err = gai_a_to_w(name, &wname))) return err;
    err = lookup_blob(&guid_byname, wname ? wname : local, AF_INET, v);
    HeapFree(GetProcessHeap(), 0, wname);
    if (!err && (v->family != AF_INET || !v->addr_count))
    {
        hostent_view_free(v);
        err = WSANO_DATA;
    }
    return err;
}

int hostent_by_addr(const uint8_t *addr, int len, int type, struct hostent_view *v)
{
    char text[ADDR_IPV6_STRLEN];
    WCHAR wtext[ADDR_IPV6_STRLEN];
    size_t n;
    int err;

    (void)len;
    memset(v, 0, sizeof(*v));
    n = type == AF_INET ? addr_format_ipv4(addr, text) : addr_format_ipv6(addr, text);
    addr_ascii_to_wide(text, n, (uint16_t *)wtext);
    if ((err = lookup_blob(&guid_byaddr, wtext, type, v))) return err;
    /* the answer's address is the one asked for */
    v->family = type;
    v->length = type == AF_INET ? 4 : 16;
    memcpy(v->own_addr, addr, (size_t)v->length);
    v->addrs[0] = v->own_addr;
    v->addr_count = 1;
    return 0;
}
