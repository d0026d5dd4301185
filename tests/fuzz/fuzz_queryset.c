/* fuzz_queryset.c - libFuzzer target for the WSAQUERYSET / WSASERVICECLASSINFO packing of the
 * namespace API (src/namespace/ns_queryset.c): a query set or class info built from the input (strings,
 * GUIDs, protocol and CSADDR_INFO arrays with socket addresses of any length, BLOB), packed in
 * either character set: the size measured is the size written, every pointer of the result aims
 * inside the buffer, a smaller buffer leaves the structure unwritten, and a packed result packs again
 * to the same size.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "ns_queryset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input
{
    const uint8_t *p;
    size_t left;
    void *blocks[128];
    size_t nblocks;
};

static unsigned next_byte(struct input *in)
{
    if (!in->left) return 0;
    in->left--;
    return *in->p++;
}

/* n bytes of the input in a block of exactly n bytes (zero-filled past the input's end) */
static void *take(struct input *in, size_t n)
{
    uint8_t *b;
    size_t k = n < in->left ? n : in->left;
    if (in->nblocks == sizeof(in->blocks) / sizeof(in->blocks[0])) return NULL;
    if (!(b = calloc(1, n ? n : 1))) abort();
    memcpy(b, in->p, k);
    in->p += k;
    in->left -= k;
    in->blocks[in->nblocks++] = b;
    return b;
}

/* a NUL-terminated string of up to 40 characters (wide or not), or NULL */
static void *string(struct input *in, BOOL wide)
{
    unsigned len = next_byte(in);
    size_t unit = wide ? sizeof(WCHAR) : 1, i;
    uint8_t *s;
    if (len >= 200) return NULL;
    len %= 41;
    if (!(s = take(in, (len + 1) * unit))) return NULL;
    /* the terminator, and no earlier one shortening the string's block */
    memset(s + len * unit, 0, unit);
    for (i = 0; i < len * unit; i += unit)
        if (wide ? !(s[i] | s[i + 1]) : !s[i]) s[i] = 'x';
    return s;
}

static BOOL inside(const void *p, size_t len, const uint8_t *buf, size_t size)
{
    const uint8_t *b = p;
    return b >= buf && len <= size && b - buf <= (ptrdiff_t)(size - len);
}

static BOOL string_inside(const void *s, BOOL wide, const uint8_t *buf, size_t size)
{
    size_t unit = wide ? sizeof(WCHAR) : 1, i;
    const uint8_t *b = s;
    if (!inside(s, unit, buf, size)) return FALSE;
    for (i = 0; inside(b + i, unit, buf, size); i += unit)
        if (wide ? !(b[i] | b[i + 1]) : !b[i]) return TRUE;
    return FALSE;
}

static void check_queryset(const WSAQUERYSETW *q, BOOL wide, const uint8_t *buf, size_t size)
{
    DWORD i;
    if (q->dwSize != sizeof(WSAQUERYSETW)) abort();
    if (q->lpszServiceInstanceName && !string_inside(q->lpszServiceInstanceName, wide, buf, size)) abort();
    if (q->lpszComment && !string_inside(q->lpszComment, wide, buf, size)) abort();
    if (q->lpszContext && !string_inside(q->lpszContext, wide, buf, size)) abort();
    if (q->lpszQueryString && !string_inside(q->lpszQueryString, wide, buf, size)) abort();
    if (q->lpServiceClassId && !inside(q->lpServiceClassId, sizeof(GUID), buf, size)) abort();
    if (q->lpNSProviderId && !inside(q->lpNSProviderId, sizeof(GUID), buf, size)) abort();
    if (q->lpVersion && !inside(q->lpVersion, sizeof(WSAVERSION), buf, size)) abort();
    if (q->lpafpProtocols && !inside(q->lpafpProtocols, q->dwNumberOfProtocols * sizeof(AFPROTOCOLS), buf, size))
        abort();
    if (q->lpcsaBuffer)
    {
        if (!inside(q->lpcsaBuffer, q->dwNumberOfCsAddrs * sizeof(CSADDR_INFO), buf, size)) abort();
        for (i = 0; i < q->dwNumberOfCsAddrs; i++)
        {
            const CSADDR_INFO *a = &q->lpcsaBuffer[i];
            if (a->LocalAddr.lpSockaddr && !inside(a->LocalAddr.lpSockaddr, a->LocalAddr.iSockaddrLength, buf, size))
                abort();
            if (a->RemoteAddr.lpSockaddr &&
                !inside(a->RemoteAddr.lpSockaddr, a->RemoteAddr.iSockaddrLength, buf, size))
                abort();
        }
    }
    if (q->lpBlob)
    {
        if (!inside(q->lpBlob, sizeof(BLOB), buf, size)) abort();
        if (q->lpBlob->pBlobData && !inside(q->lpBlob->pBlobData, q->lpBlob->cbSize, buf, size)) abort();
    }
}

static void check_classinfo(const WSASERVICECLASSINFOW *c, BOOL wide, const uint8_t *buf, size_t size)
{
    DWORD i;
    if (c->lpServiceClassId && !inside(c->lpServiceClassId, sizeof(GUID), buf, size)) abort();
    if (c->lpszServiceClassName && !string_inside(c->lpszServiceClassName, wide, buf, size)) abort();
    if (!c->lpClassInfos) return;
    if (!inside(c->lpClassInfos, c->dwCount * sizeof(WSANSCLASSINFOW), buf, size)) abort();
    for (i = 0; i < c->dwCount; i++)
    {
        const WSANSCLASSINFOW *n = &c->lpClassInfos[i];
        if (n->lpszName && !string_inside(n->lpszName, wide, buf, size)) abort();
        if (n->lpValue && !inside(n->lpValue, n->dwValueSize, buf, size)) abort();
    }
}

typedef size_t (*pack_fn)(const void *src, BOOL wide_in, void *out, size_t size, BOOL wide_out);

/* packs src every way the API does and checks the results; returns the size */
static void pack_all(pack_fn pack, const void *src, BOOL wide_in, BOOL wide_out, BOOL queryset)
{
    size_t need = pack(src, wide_in, NULL, 0, wide_out), again;
    size_t head = queryset ? sizeof(WSAQUERYSETW) : sizeof(WSASERVICECLASSINFOW);
    uint8_t *buf, *shortbuf;
    size_t i;

    if (!need) abort(); /* host conversions never fail */
    if (!(buf = malloc(need)) || !(shortbuf = malloc(need))) abort();
    if (pack(src, wide_in, buf, need, wide_out) != need) abort();
    if (queryset) check_queryset((const WSAQUERYSETW *)buf, wide_out, buf, need);
    else check_classinfo((const WSASERVICECLASSINFOW *)buf, wide_out, buf, need);
    /* too shortbuf: the size again, the structure left alone */
    memset(shortbuf, 0xa5, need);
    if (pack(src, wide_in, shortbuf, need - 1, wide_out) != need) abort();
    for (i = 0; i < head && i < need; i++)
        if (shortbuf[i] != 0xa5) abort();
    /* a packed result is a valid source again */
    again = pack(buf, wide_out, NULL, 0, wide_out);
    if (again != need) abort();
    free(shortbuf);
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = { data, size, {0}, 0 };
    unsigned flags = next_byte(&in), i;
    BOOL wide_in = flags & 1, wide_out = (flags >> 1) & 1;

    if (flags & 4)
    {
        WSAQUERYSETW q;
        BLOB blob;
        memset(&q, 0, sizeof(q));
        q.dwSize = sizeof(q);
        q.dwNameSpace = next_byte(&in);
        q.dwOutputFlags = next_byte(&in);
        q.lpszServiceInstanceName = string(&in, wide_in);
        if (next_byte(&in) & 1) q.lpServiceClassId = take(&in, sizeof(GUID));
        if (next_byte(&in) & 1) q.lpVersion = take(&in, sizeof(WSAVERSION));
        q.lpszComment = string(&in, wide_in);
        if (next_byte(&in) & 1) q.lpNSProviderId = take(&in, sizeof(GUID));
        q.lpszContext = string(&in, wide_in);
        q.dwNumberOfProtocols = next_byte(&in) % 6;
        if (q.dwNumberOfProtocols) q.lpafpProtocols = take(&in, q.dwNumberOfProtocols * sizeof(AFPROTOCOLS));
        if (next_byte(&in) & 1) q.dwNumberOfProtocols = 0; /* a pointer with no count */
        q.lpszQueryString = string(&in, wide_in);
        q.dwNumberOfCsAddrs = next_byte(&in) % 5;
        if (q.dwNumberOfCsAddrs && (q.lpcsaBuffer = take(&in, q.dwNumberOfCsAddrs * sizeof(CSADDR_INFO))))
            for (i = 0; i < q.dwNumberOfCsAddrs; i++)
            {
                CSADDR_INFO *a = &q.lpcsaBuffer[i];
                int l = (int)(next_byte(&in) % 70) - 2, r = (int)(next_byte(&in) % 70) - 2;
                a->LocalAddr.iSockaddrLength = l;
                a->LocalAddr.lpSockaddr = l > 0 ? take(&in, (size_t)l) : (l == 0 ? take(&in, 1) : NULL);
                a->RemoteAddr.iSockaddrLength = r;
                a->RemoteAddr.lpSockaddr = r > 0 ? take(&in, (size_t)r) : NULL;
            }
        if (next_byte(&in) & 1)
        {
            blob.cbSize = next_byte(&in);
            blob.pBlobData = next_byte(&in) & 1 ? NULL : take(&in, blob.cbSize);
            q.lpBlob = &blob;
        }
        pack_all(ns_queryset_pack, &q, wide_in, wide_out, TRUE);
    }
    else
    {
        WSASERVICECLASSINFOW c;
        memset(&c, 0, sizeof(c));
        if (next_byte(&in) & 1) c.lpServiceClassId = take(&in, sizeof(GUID));
        c.lpszServiceClassName = string(&in, wide_in);
        c.dwCount = next_byte(&in) % 6;
        if (c.dwCount && (c.lpClassInfos = take(&in, c.dwCount * sizeof(WSANSCLASSINFOW))))
            for (i = 0; i < c.dwCount; i++)
            {
                WSANSCLASSINFOW *n = &c.lpClassInfos[i];
                n->lpszName = string(&in, wide_in);
                n->dwValueSize = next_byte(&in);
                n->lpValue = next_byte(&in) & 1 ? NULL : take(&in, n->dwValueSize);
            }
        if (next_byte(&in) & 1) c.dwCount = 0;
        pack_all(ns_classinfo_pack, &c, wide_in, wide_out, FALSE);
    }
    for (i = 0; i < in.nblocks; i++) free(in.blocks[i]);
    return 0;
}
