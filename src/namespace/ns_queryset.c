/* ns_queryset.c - packing of WSAQUERYSET and WSASERVICECLASSINFO (either character set in, either
 * out) into one flat buffer: the fixed structure first, then everything it points to (GUIDs,
 * version, strings, protocol array, CSADDR_INFO array with its socket addresses, BLOB), each
 * pointer-aligned, pointers aimed inside the buffer. Used for the A <-> W conversions of the
 * WSA*Service* exports, whose required buffer sizes are exactly what this computes.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "ns_queryset.h"

struct packer
{
    unsigned char *base; /* NULL: measure only */
    size_t size;         /* capacity */
    size_t used;
    BOOL ok;             /* every string converted */
};

#define PACK_ALIGN (sizeof(void *))

/* Reserves len bytes (aligned); returns where they go, or NULL while measuring / when they do not fit. */
static void *reserve(struct packer *p, size_t len)
{
    size_t start = (p->used + PACK_ALIGN - 1) & ~(PACK_ALIGN - 1);
    p->used = start + len;
    if (!p->base || p->used > p->size) return NULL;
    return p->base + start;
}

static void *put_bytes(struct packer *p, const void *src, size_t len)
{
    void *dst;
    if (!src) return NULL;
    dst = reserve(p, len);
    if (dst && len) memcpy(dst, src, len);
    return dst;
}

/* Copies a string, converting between ANSI (CP_ACP) and UTF-16 as asked. Returns the copy (NULL when
 * src is NULL, when measuring or when it does not fit). */
static void *put_string(struct packer *p, const void *src, BOOL wide_in, BOOL wide_out)
{
    void *dst;
    int n;

    if (!src) return NULL;
    if (wide_in == wide_out)
    {
        size_t len = 0;
        if (wide_in)
        {
            const WCHAR *w = src;
            while (w[len]) len++;
            return put_bytes(p, src, (len + 1) * sizeof(WCHAR));
        }
        len = strlen(src);
        return put_bytes(p, src, len + 1);
    }
    if (wide_in)
    {
        n = WideCharToMultiByte(CP_ACP, 0, src, -1, NULL, 0, NULL, NULL);
        if (n <= 0)
        {
            p->ok = FALSE;
            return NULL;
        }
        dst = reserve(p, (size_t)n);
        if (dst) WideCharToMultiByte(CP_ACP, 0, src, -1, dst, n, NULL, NULL);
        return dst;
    }
    n = MultiByteToWideChar(CP_ACP, 0, src, -1, NULL, 0);
    if (n <= 0)
    {
        p->ok = FALSE;
        return NULL;
    }
    dst = reserve(p, (size_t)n * sizeof(WCHAR));
    if (dst) MultiByteToWideChar(CP_ACP, 0, src, -1, dst, n);
    return dst;
}

/* The two character sets share one layout apart from the string types: W is used for both. */
size_t ns_queryset_pack(const void *src, BOOL wide_in, void *out, size_t size, BOOL wide_out)
{
    const WSAQUERYSETW *s = src;
    struct packer p = {out, size, 0, TRUE};
    WSAQUERYSETW *d, tmp;
    DWORD i;

    if (!s) return 0;
    d = reserve(&p, sizeof(WSAQUERYSETW));
    memset(&tmp, 0, sizeof(tmp));
    tmp.dwSize = sizeof(WSAQUERYSETW); /* == sizeof(WSAQUERYSETA) */
    tmp.dwNameSpace = s->dwNameSpace;
    tmp.dwOutputFlags = s->dwOutputFlags;
    tmp.lpszServiceInstanceName = put_string(&p, s->lpszServiceInstanceName, wide_in, wide_out);
    tmp.lpServiceClassId = put_bytes(&p, s->lpServiceClassId, sizeof(GUID));
    tmp.lpVersion = put_bytes(&p, s->lpVersion, sizeof(WSAVERSION));
    tmp.lpszComment = put_string(&p, s->lpszComment, wide_in, wide_out);
    tmp.lpNSProviderId = put_bytes(&p, s->lpNSProviderId, sizeof(GUID));
    tmp.lpszContext = put_string(&p, s->lpszContext, wide_in, wide_out);
    if (s->lpafpProtocols && s->dwNumberOfProtocols)
    {
        tmp.dwNumberOfProtocols = s->dwNumberOfProtocols;
        tmp.lpafpProtocols = put_bytes(&p, s->lpafpProtocols, s->dwNumberOfProtocols * sizeof(AFPROTOCOLS));
    }
    tmp.lpszQueryString = put_string(&p, s->lpszQueryString, wide_in, wide_out);
    if (s->lpcsaBuffer && s->dwNumberOfCsAddrs)
    {
        CSADDR_INFO *addrs;
        tmp.dwNumberOfCsAddrs = s->dwNumberOfCsAddrs;
        addrs = put_bytes(&p, s->lpcsaBuffer, s->dwNumberOfCsAddrs * sizeof(CSADDR_INFO));
        tmp.lpcsaBuffer = addrs;
        for (i = 0; i < s->dwNumberOfCsAddrs; i++)
        {
            const CSADDR_INFO *a = &s->lpcsaBuffer[i];
            void *local = NULL, *remote = NULL;
            if (a->LocalAddr.lpSockaddr && a->LocalAddr.iSockaddrLength > 0)
                local = put_bytes(&p, a->LocalAddr.lpSockaddr, (size_t)a->LocalAddr.iSockaddrLength);
            if (a->RemoteAddr.lpSockaddr && a->RemoteAddr.iSockaddrLength > 0)
                remote = put_bytes(&p, a->RemoteAddr.lpSockaddr, (size_t)a->RemoteAddr.iSockaddrLength);
            if (addrs)
            {
                addrs[i].LocalAddr.lpSockaddr = local;
                addrs[i].RemoteAddr.lpSockaddr = remote;
            }
        }
    }
    if (s->lpBlob)
    {
        BLOB *blob = reserve(&p, sizeof(BLOB));
        void *data = NULL;
        if (s->lpBlob->cbSize && s->lpBlob->pBlobData) data = put_bytes(&p, s->lpBlob->pBlobData, s->lpBlob->cbSize);
        if (blob)
        {
            blob->cbSize = s->lpBlob->pBlobData ? s->lpBlob->cbSize : 0;
            blob->pBlobData = data;
        }
        tmp.lpBlob = blob;
    }
    if (!p.ok) return 0;
    /* too small a buffer: the caller's structure stays untouched (its size is the answer) */
    if (d && p.used <= p.size) memcpy(d, &tmp, sizeof(tmp));
    return p.used;
}

size_t ns_classinfo_pack(const void *src, BOOL wide_in, void *out, size_t size, BOOL wide_out)
{
    const WSASERVICECLASSINFOW *s = src;
    struct packer p = {out, size, 0, TRUE};
    WSASERVICECLASSINFOW *d, tmp;
    DWORD i;

    if (!s) return 0;
    d = reserve(&p, sizeof(*d));
    memset(&tmp, 0, sizeof(tmp));
    tmp.lpServiceClassId = put_bytes(&p, s->lpServiceClassId, sizeof(GUID));
    tmp.lpszServiceClassName = put_string(&p, s->lpszServiceClassName, wide_in, wide_out);
    if (s->lpClassInfos && s->dwCount)
    {
        WSANSCLASSINFOW *infos = put_bytes(&p, s->lpClassInfos, s->dwCount * sizeof(WSANSCLASSINFOW));
        tmp.dwCount = s->dwCount;
        tmp.lpClassInfos = infos;
        for (i = 0; i < s->dwCount; i++)
        {
            const WSANSCLASSINFOW *c = &s->lpClassInfos[i];
            void *name = put_string(&p, c->lpszName, wide_in, wide_out);
            void *value = c->dwValueSize && c->lpValue ? put_bytes(&p, c->lpValue, c->dwValueSize) : NULL;
            if (infos)
            {
                infos[i].lpszName = name;
                infos[i].lpValue = value;
                if (!c->lpValue) infos[i].dwValueSize = 0;
            }
        }
    }
    if (!p.ok) return 0;
    /* too small a buffer: the caller's structure stays untouched (its size is the answer) */
    if (d && p.used <= p.size) memcpy(d, &tmp, sizeof(tmp));
    return p.used;
}

WSAQUERYSETW *ns_queryset_a_to_w(const WSAQUERYSETA *qs)
{
    size_t need = ns_queryset_pack(qs, FALSE, NULL, 0, TRUE);
    void *buf;

    if (!need || !(buf = malloc(need))) return NULL;
    if (ns_queryset_pack(qs, FALSE, buf, need, TRUE) != need)
    {
        free(buf);
        return NULL;
    }
    return buf;
}

WSASERVICECLASSINFOW *ns_classinfo_a_to_w(const WSASERVICECLASSINFOA *info)
{
    size_t need = ns_classinfo_pack(info, FALSE, NULL, 0, TRUE);
    void *buf;

    if (!need || !(buf = malloc(need))) return NULL;
    if (ns_classinfo_pack(info, FALSE, buf, need, TRUE) != need)
    {
        free(buf);
        return NULL;
    }
    return buf;
}
