/* nsp_dns_host.c - an in-process fake DNS server behind nsp_dns.c's Winsock calls (nsp_dns_host.h):
 * every query is answered at once: A -> 127.0.0.9, AAAA -> ::9, PTR -> ptr.test, TTL 300; a name
 * starting with "tc." gets a truncated UDP reply first (so the TCP path runs) and its answer over TCP.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nsp_dns_host.h"
#include "dns_message.h"

#define FAKE_SOCKETS 8
#define FAKE_BASE 0x100

static struct fake
{
    BOOL used, stream;
    uint8_t reply[600];
    size_t len, off;
} fakes[FAKE_SOCKETS];

static struct fake *get(SOCKET s)
{
    size_t i = (size_t)(s - FAKE_BASE);
    return i < FAKE_SOCKETS && fakes[i].used ? &fakes[i] : NULL;
}

SOCKET nsp_fake_socket(int af, int type, int protocol)
{
    size_t i;
    (void)af;
    (void)protocol;
    for (i = 0; i < FAKE_SOCKETS; i++)
        if (!fakes[i].used)
        {
            memset(&fakes[i], 0, sizeof(fakes[i]));
            fakes[i].used = TRUE;
            fakes[i].stream = type == SOCK_STREAM;
            return FAKE_BASE + i;
        }
    return INVALID_SOCKET;
}

int nsp_fake_connect(SOCKET s, const struct sockaddr *name, int len)
{
    (void)name;
    (void)len;
    return get(s) ? 0 : -1;
}

/* The answer to query (a whole message): its header and question, then one record. */
static void answer(struct fake *f, const uint8_t *q, size_t qlen)
{
    static const uint8_t ptr_name[] = { 3, 'p', 't', 'r', 4, 't', 'e', 's', 't', 0 };
    uint8_t *out = f->reply + (f->stream ? 2 : 0), rdata[16] = { 0 };
    size_t end = 12, rdlen;
    uint16_t type;
    BOOL truncate;

    f->len = f->off = 0;
    if (qlen < 12 || qlen > 400) return;
    while (end < qlen && q[end]) end += q[end] + 1;
    if (end + 5 > qlen) return;
    end += 5; /* the root label, QTYPE, QCLASS */
    type = (uint16_t)(q[end - 4] << 8 | q[end - 3]);
    truncate = !f->stream && q[12] == 2 && q[13] == 't' && q[14] == 'c';
    memcpy(out, q, end);
    out[2] = 0x81 | (truncate ? 0x02 : 0); /* QR, TC, RD */
    out[3] = 0x80;                         /* RA, NOERROR */
    out[6] = 0;
    out[7] = truncate ? 0 : 1;
    out[8] = out[9] = out[10] = out[11] = 0;
    if (!truncate)
    {
        const uint8_t *data = rdata;
        if (type == DNS_TYPE_A) rdata[0] = 127, rdata[3] = 9, rdlen = 4;
        else if (type == DNS_TYPE_AAAA) rdata[15] = 9, rdlen = 16;
        else data = ptr_name, rdlen = sizeof(ptr_name);
        out[end++] = 0xc0; /* the question's name */
        out[end++] = 12;
        out[end++] = (uint8_t)(type >> 8);
        out[end++] = (uint8_t)type;
        out[end++] = 0;
        out[end++] = 1;   /* IN */
        out[end++] = 0;
        out[end++] = 0;
        out[end++] = 1;
        out[end++] = 44;  /* TTL 300 */
        out[end++] = 0;
        out[end++] = (uint8_t)rdlen;
        memcpy(out + end, data, rdlen);
        end += rdlen;
    }
    if (f->stream)
    {
        f->reply[0] = (uint8_t)(end >> 8);
        f->reply[1] = (uint8_t)end;
        end += 2;
    }
    f->len = end;
}

int nsp_fake_send(SOCKET s, const char *buf, int len, int flags)
{
    struct fake *f = get(s);
    (void)flags;
    if (!f || len < 0) return -1;
    if (f->stream)
    {
        if (len < 2) return -1;
        answer(f, (const uint8_t *)buf + 2, (size_t)len - 2);
    }
    else answer(f, (const uint8_t *)buf, (size_t)len);
    return len;
}

int nsp_fake_recv(SOCKET s, char *buf, int len, int flags)
{
    struct fake *f = get(s);
    size_t n;
    (void)flags;
    if (!f || len < 0) return -1;
    n = f->len - f->off;
    if (n > (size_t)len) n = (size_t)len;
    memcpy(buf, f->reply + f->off, n);
    f->off += n;
    return (int)n;
}

int nsp_fake_select(int n, fd_set *r, fd_set *w, fd_set *e, const struct timeval *tv)
{
    (void)n;
    (void)r;
    (void)w;
    (void)e;
    (void)tv;
    return 1; /* always ready: the answer is made when the query is sent */
}

int nsp_fake_closesocket(SOCKET s)
{
    struct fake *f = get(s);
    if (!f) return -1;
    f->used = FALSE;
    return 0;
}

int nsp_fake_ioctlsocket(SOCKET s, LONG cmd, ULONG *arg)
{
    (void)cmd;
    (void)arg;
    return get(s) ? 0 : -1;
}

int nsp_fake_getsockopt(SOCKET s, int level, int name, char *value, int *len)
{
    (void)level;
    (void)name;
    if (!get(s) || *len < (int)sizeof(int)) return -1;
    memset(value, 0, sizeof(int)); /* SO_ERROR: connected */
    return 0;
}

int nsp_fake_last_error(void) { return WSAECONNRESET; }
int nsp_fake_startup(WORD version, WSADATA *data) { (void)version; (void)data; return 0; }
int nsp_fake_cleanup(void) { return 0; }

BOOLEAN WINAPI nsp_fake_random(PVOID buf, ULONG len)
{
    static uint8_t next = 1;
    uint8_t *p = buf;
    while (len--) *p++ = next++;
    return TRUE;
}

DWORD nsp_fake_ticks(void) { return 1; }
DWORD nsp_fake_thread_id(void) { return 1; }

int nsp_fake_open_sockets(void)
{
    int i, n = 0;
    for (i = 0; i < FAKE_SOCKETS; i++) n += fakes[i].used;
    return n;
}
