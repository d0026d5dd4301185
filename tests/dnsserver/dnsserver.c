/* dnsserver.c - openws2's loopback DNS test server, a native Linux program the e2e tests start
 * (tests/dnsserver/with-dnsserver.sh). It listens on 127.0.0.1 only, UDP and TCP on one port, plus
 * a "blackhole" UDP port that never answers and a "dead" port nobody listens on, writes
 * "PORT BLACKHOLE DEAD" to the port file, logs every question ("udp|tcp NAME TYPE") and answers
 * from a built-in zone (below): A/AAAA/PTR, CNAME chains (whole or stopping at the CNAME),
 * NXDOMAIN, NOERROR without data, SERVFAIL, REFUSED, a reply too big for UDP (TC set, full answer
 * over TCP), a name it never answers, malformed and mismatched replies, a record with the largest
 * TTL (hugettl.test.example: 0xffffffff, RFC 2181 says treat as 0). It exits by itself after
 * --lifetime seconds (default 60, at most 900).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define T_A 1
#define T_CNAME 5
#define T_PTR 12
#define T_AAAA 28

enum action { ANSWER, NXDOMAIN, SERVFAIL, REFUSED, SILENT, MALFORMED, MANGLED_THEN_GOOD, CNAME_ONLY };

struct rr
{
    const char *owner;
    int type;
    const char *data;   /* address text or target name */
};

struct entry
{
    const char *name;
    enum action action;
};

/* Names with a special behaviour; every other name is answered from the records, or NXDOMAIN. */
static const struct entry special[] = {
    { "nx.test.example", NXDOMAIN },
    { "servfail.test.example", SERVFAIL },
    { "refused.test.example", REFUSED },
    { "silent.test.example", SILENT },
    { "malformed.test.example", MALFORMED },
    { "mangled.test.example", MANGLED_THEN_GOOD },
    { "split.test.example", CNAME_ONLY },
    { "99.2.0.192.in-addr.arpa", NXDOMAIN },
};

static const struct rr records[] = {
    { "www.test.example", T_A, "192.0.2.10" },
    { "www.test.example", T_A, "192.0.2.11" },
    { "www.test.example", T_AAAA, "2001:db8::10" },
    { "alias.test.example", T_CNAME, "mid.test.example" },
    { "mid.test.example", T_CNAME, "www.test.example" },
    { "split.test.example", T_CNAME, "www.test.example" },
    { "v6only.test.example", T_AAAA, "2001:db8::66" },
    { "mangled.test.example", T_A, "192.0.2.77" },
    { "xn--bcher-kva.test.example", T_A, "192.0.2.88" },   /* IDNA form of "bücher.test.example" */
    { "hugettl.test.example", T_A, "192.0.2.99" },          /* TTL 0xffffffff (add_rr) */
    { "10.2.0.192.in-addr.arpa", T_PTR, "www.test.example" },
    { "11.2.0.192.in-addr.arpa", T_PTR, "www.test.example" },
    { "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", T_PTR, "www.test.example" },
};

static FILE *logf;

struct msg
{
    uint8_t buf[65536];
    size_t len;
};

static int put(struct msg *m, const void *p, size_t n)
{
    if (m->len + n > sizeof(m->buf)) return -1;
    memcpy(m->buf + m->len, p, n);
    m->len += n;
    return 0;
}

static int put16(struct msg *m, unsigned v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    return put(m, b, 2);
}

static int put32(struct msg *m, unsigned long v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    return put(m, b, 4);
}

static int put_name(struct msg *m, const char *name)
{
    const char *p = name;
    while (*p)
    {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        uint8_t len = (uint8_t)n;
        if (!n || n > 63 || put(m, &len, 1) || put(m, p, n)) return -1;
        p += n;
        if (*p == '.') p++;
    }
    return put(m, "", 1);
}

struct question
{
    uint16_t id, flags, qtype, qclass;
    char name[256];
    size_t end;     /* offset after the question */
};

static int parse_question(const uint8_t *q, size_t len, struct question *out)
{
    size_t pos = 12, n = 0;

    if (len < 12) return -1;
    out->id = (uint16_t)(q[0] << 8 | q[1]);
    out->flags = (uint16_t)(q[2] << 8 | q[3]);
    if ((out->flags & 0x8000) || (q[4] << 8 | q[5]) != 1) return -1;
    while (pos < len && q[pos])
    {
        size_t l = q[pos++], i;
        if (l > 63 || pos + l > len || n + l + 2 > sizeof(out->name)) return -1;
        if (n) out->name[n++] = '.';
        for (i = 0; i < l; i++)
        {
            char c = (char)q[pos + i];
            out->name[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
        }
        pos += l;
    }
    out->name[n] = 0;
    if (pos + 5 > len) return -1;
    pos++;
    out->qtype = (uint16_t)(q[pos] << 8 | q[pos + 1]);
    out->qclass = (uint16_t)(q[pos + 2] << 8 | q[pos + 3]);
    out->end = pos + 4;
    return 0;
}

static void header(struct msg *m, const struct question *q, unsigned rcode, unsigned ancount)
{
    m->len = 0;
    put16(m, q->id);
    put16(m, 0x8000 | 0x0400 | (q->flags & 0x0100) | 0x0080 | rcode); /* QR AA RD RA */
    put16(m, 1);
    put16(m, ancount);
    put16(m, 0);
    put16(m, 0);
    put_name(m, q->name);
    put16(m, q->qtype);
    put16(m, q->qclass);
}

static int add_rr(struct msg *m, const struct rr *r)
{
    uint8_t addr[16];
    size_t rdlen_pos;

    unsigned long ttl = strcmp(r->owner, "hugettl.test.example") ? 300 : 0xfffffffful;

    if (put_name(m, r->owner) || put16(m, (unsigned)r->type) || put16(m, 1) || put32(m, ttl)) return -1;
    if (r->type == T_A)
    {
        if (inet_pton(AF_INET, r->data, addr) != 1) return -1;
        return put16(m, 4) || put(m, addr, 4);
    }
    if (r->type == T_AAAA)
    {
        if (inet_pton(AF_INET6, r->data, addr) != 1) return -1;
        return put16(m, 16) || put(m, addr, 16);
    }
    rdlen_pos = m->len;
    if (put16(m, 0) || put_name(m, r->data)) return -1;
    m->buf[rdlen_pos] = (uint8_t)((m->len - rdlen_pos - 2) >> 8);
    m->buf[rdlen_pos + 1] = (uint8_t)(m->len - rdlen_pos - 2);
    return 0;
}

static void set_ancount(struct msg *m, unsigned n)
{
    m->buf[6] = (uint8_t)(n >> 8);
    m->buf[7] = (uint8_t)n;
}

/* The answer for a name: follows CNAMEs (unless stop_at_cname), adds the records of the type. */
static unsigned answer_records(struct msg *m, const char *name, int qtype, int stop_at_cname, int *exists)
{
    char cur[256];
    unsigned count = 0, hops;
    size_t i;

    snprintf(cur, sizeof(cur), "%s", name);
    *exists = 0;
    for (hops = 0; hops < 10; hops++)
    {
        const struct rr *cname = NULL;
        for (i = 0; i < sizeof(records) / sizeof(records[0]); i++)
        {
            if (strcmp(records[i].owner, cur)) continue;
            *exists = 1;
            if (records[i].type == T_CNAME && qtype != T_CNAME) cname = &records[i];
            else if (records[i].type == qtype && !add_rr(m, &records[i])) count++;
        }
        if (!cname) break;
        if (!add_rr(m, cname)) count++;
        if (stop_at_cname) break;
        snprintf(cur, sizeof(cur), "%s", cname->data);
    }
    return count;
}

/* "big.test.example": 40 A records, more than a classic UDP reply holds. */
static unsigned big_records(struct msg *m, int qtype)
{
    unsigned i, count = 0;
    char addr[32];
    struct rr r = { "big.test.example", T_A, addr };

    if (qtype != T_A) return 0;
    for (i = 1; i <= 40; i++)
    {
        snprintf(addr, sizeof(addr), "198.51.100.%u", i);
        if (!add_rr(m, &r)) count++;
    }
    return count;
}

/* Builds the replies to send for a query (up to 3: mangled ones first). Returns how many. */
static int respond(const uint8_t *q, size_t len, int tcp, struct msg *out)
{
    struct question qs;
    enum action action = ANSWER;
    unsigned count;
    size_t i;
    int exists;

    if (parse_question(q, len, &qs)) return 0;
    if (logf)
    {
        fprintf(logf, "%s %s %u\n", tcp ? "tcp" : "udp", qs.name, qs.qtype);
        fflush(logf);
    }
    for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
        if (!strcmp(special[i].name, qs.name)) action = special[i].action;

    switch (action)
    {
    case SILENT:
        return 0;
    case NXDOMAIN:
        header(&out[0], &qs, 3, 0);
        return 1;
    case SERVFAIL:
        header(&out[0], &qs, 2, 0);
        return 1;
    case REFUSED:
        header(&out[0], &qs, 5, 0);
        return 1;
    case MALFORMED:
        /* right id, but an answer count with nothing behind it and a label running off the end */
        header(&out[0], &qs, 0, 3);
        put(&out[0], "\x3f\x61", 2);
        /* and a reply to another id */
        header(&out[1], &qs, 0, 0);
        out[1].buf[0] ^= 0x5a;
        return 2;
    case MANGLED_THEN_GOOD:
    {
        struct rr good = { "mangled.test.example", T_A, "192.0.2.66" };
        /* wrong id with a bogus address, then right id but a compression loop, then the answer */
        header(&out[0], &qs, 0, 1);
        out[0].buf[1] ^= 0xa5;
        add_rr(&out[0], &good);
        header(&out[1], &qs, 0, 1);
        put(&out[1], "\xc0\x0c\xc0\x0c", 4);
        header(&out[2], &qs, 0, 0);
        count = answer_records(&out[2], qs.name, qs.qtype, 0, &exists);
        set_ancount(&out[2], count);
        return 3;
    }
    case CNAME_ONLY:
    case ANSWER:
        header(&out[0], &qs, 0, 0);
        if (!strcmp(qs.name, "big.test.example"))
        {
            exists = 1;
            count = big_records(&out[0], qs.qtype);
        }
        else count = answer_records(&out[0], qs.name, qs.qtype, action == CNAME_ONLY, &exists);
        if (!exists)
        {
            header(&out[0], &qs, 3, 0);
            return 1;
        }
        set_ancount(&out[0], count);
        if (!tcp && out[0].len > 512)
        {
            /* too big for UDP: header and question only, TC set */
            header(&out[0], &qs, 0, 0);
            out[0].buf[2] |= 0x02;
        }
        return 1;
    }
    return 0;
}

static int read_full(int fd, uint8_t *buf, size_t len)
{
    while (len)
    {
        ssize_t n = recv(fd, buf, len, 0);
        if (n <= 0) return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void serve_tcp(int fd, struct msg *replies)
{
    struct timeval tv = { 2, 0 };
    static uint8_t q[65536];
    uint8_t pre[2];
    int n, i;

    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    while (!read_full(fd, pre, 2))
    {
        size_t len = (size_t)pre[0] << 8 | pre[1];
        if (read_full(fd, q, len)) break;
        n = respond(q, len, 1, replies);
        for (i = 0; i < n; i++)
        {
            uint8_t l[2] = { (uint8_t)(replies[i].len >> 8), (uint8_t)replies[i].len };
            if (send(fd, l, 2, MSG_NOSIGNAL) != 2 ||
                send(fd, replies[i].buf, replies[i].len, MSG_NOSIGNAL) != (ssize_t)replies[i].len)
                break;
        }
    }
    close(fd);
}

static int bind_loopback(int type, unsigned port)
{
    struct sockaddr_in sin;
    int fd = socket(AF_INET, type, 0), one = 1;

    if (fd < 0) return -1;
    if (type == SOCK_STREAM) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons((uint16_t)port);
    sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) || (type == SOCK_STREAM && listen(fd, 16)))
    {
        close(fd);
        return -1;
    }
    return fd;
}

static unsigned port_of(int fd)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    if (getsockname(fd, (struct sockaddr *)&sin, &len)) return 0;
    return ntohs(sin.sin_port);
}

int main(int argc, char **argv)
{
    const char *port_file = NULL, *log_file = NULL;
    long lifetime = 60;
    int udp = -1, tcp = -1, blackhole, dead, i;
    unsigned port = 0, dead_port;
    static struct msg replies[3];
    time_t end;
    FILE *f;
    char tmp[4096];

    for (i = 1; i + 1 < argc; i += 2)
    {
        if (!strcmp(argv[i], "--port-file")) port_file = argv[i + 1];
        else if (!strcmp(argv[i], "--log")) log_file = argv[i + 1];
        else if (!strcmp(argv[i], "--lifetime")) lifetime = strtol(argv[i + 1], NULL, 10);
        else
        {
            fprintf(stderr, "usage: %s --port-file FILE [--log FILE] [--lifetime SECONDS]\n", argv[0]);
            return 2;
        }
    }
    if (!port_file || lifetime <= 0 || lifetime > 900)
    {
        fprintf(stderr, "usage: %s --port-file FILE [--log FILE] [--lifetime 1..900]\n", argv[0]);
        return 2;
    }
    if (log_file && !(logf = fopen(log_file, "a"))) return 1;

    /* UDP and TCP on the same port */
    for (i = 0; i < 50 && tcp < 0; i++)
    {
        udp = bind_loopback(SOCK_DGRAM, 0);
        if (udp < 0) return 1;
        port = port_of(udp);
        tcp = bind_loopback(SOCK_STREAM, port);
        if (tcp < 0) close(udp);
    }
    if (tcp < 0) return 1;
    blackhole = bind_loopback(SOCK_DGRAM, 0);
    dead = bind_loopback(SOCK_DGRAM, 0);
    if (blackhole < 0 || dead < 0) return 1;
    dead_port = port_of(dead);
    close(dead);   /* nobody listens there now: queries get ICMP port unreachable */

    snprintf(tmp, sizeof(tmp), "%s.tmp", port_file);
    if (!(f = fopen(tmp, "w"))) return 1;
    fprintf(f, "%u %u %u\n", port, port_of(blackhole), dead_port);
    if (fclose(f) || rename(tmp, port_file)) return 1;

    end = time(NULL) + lifetime;
    while (time(NULL) < end)
    {
        struct pollfd p[2] = { { udp, POLLIN, 0 }, { tcp, POLLIN, 0 } };
        int n = poll(p, 2, 200);
        if (n < 0 && errno != EINTR) return 1;
        if (n <= 0) continue;
        if (p[0].revents & POLLIN)
        {
            static uint8_t q[65536];
            struct sockaddr_in from;
            socklen_t fromlen = sizeof(from);
            ssize_t len = recvfrom(udp, q, sizeof(q), 0, (struct sockaddr *)&from, &fromlen);
            if (len > 0)
            {
                int k, count = respond(q, (size_t)len, 0, replies);
                for (k = 0; k < count; k++)
                    sendto(udp, replies[k].buf, replies[k].len, 0, (struct sockaddr *)&from, fromlen);
            }
        }
        if (p[1].revents & POLLIN)
        {
            int c = accept(tcp, NULL, NULL);
            if (c >= 0) serve_tcp(c, replies);
        }
    }
    return 0;
}
