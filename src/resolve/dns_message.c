/* dns_message.c - portable DNS message building and defensive parsing (see dns_message.h). Every
 * read is checked against the message length; names are limited to 255 wire bytes and compression
 * pointers must point backwards, so a malicious message can neither loop nor read out of bounds.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "dns_message.h"

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

static int plain_char(uint8_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

int dns_name_equal(const char *a, const char *b)
{
    uint8_t wa[DNS_WIRE_NAME_MAX], wb[DNS_WIRE_NAME_MAX];
    size_t la = 0, lb = 0, i;

    /* The labels themselves are compared, not their text: a name as the caller gave it
     * ("localhost:80") and the same name decoded from a message ("localhost\058") are one name. */
    if (!dns_encode_name(a, wa, sizeof(wa), &la) && !dns_encode_name(b, wb, sizeof(wb), &lb))
    {
        if (la != lb) return 0;
        for (i = 0; i < la; i++)   /* length bytes (<= 63) are below 'A': untouched by lower() */
            if (lower((char)wa[i]) != lower((char)wb[i])) return 0;
        return 1;
    }
    /* a name that does not encode: its text */
    la = strlen(a);
    lb = strlen(b);
    if (la && a[la - 1] == '.' && !(la >= 2 && a[la - 2] == '\\')) la--;
    if (lb && b[lb - 1] == '.' && !(lb >= 2 && b[lb - 2] == '\\')) lb--;
    if (la != lb) return 0;
    for (i = 0; i < la; i++)
        if (lower(a[i]) != lower(b[i])) return 0;
    return 1;
}

int dns_encode_name(const char *name, uint8_t *out, size_t size, size_t *len)
{
    uint8_t wire[DNS_WIRE_NAME_MAX];
    size_t n = 0, label_start;
    const char *p = name;

    if (!name) return DNS_E_NAME;
    if (p[0] == '.' && !p[1]) p++;          /* "." is the root */
    while (*p)
    {
        label_start = n++;
        if (n > DNS_WIRE_NAME_MAX - 1) return DNS_E_NAME;
        while (*p && *p != '.')
        {
            uint8_t c = (uint8_t)*p++;
            if (c == '\\')
            {
                /* \DDD (decimal byte) or \X (literal X) as dns_decode_name writes them */
                if (p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9')
                {
                    unsigned v = (unsigned)(p[0] - '0') * 100 + (unsigned)(p[1] - '0') * 10 + (unsigned)(p[2] - '0');
                    if (v > 255) return DNS_E_NAME;
                    c = (uint8_t)v;
                    p += 3;
                }
                else if (*p) c = (uint8_t)*p++;
                else return DNS_E_NAME;
            }
            if (n - label_start > DNS_LABEL_MAX || n >= DNS_WIRE_NAME_MAX - 1) return DNS_E_NAME;
            wire[n++] = c;
        }
        if (n - label_start - 1 == 0) return DNS_E_NAME;   /* empty label: "a..b", ".a" */
        wire[label_start] = (uint8_t)(n - label_start - 1);
        if (*p == '.') p++;
    }
    wire[n++] = 0;
    if (n > size) return DNS_E_SPACE;
    memcpy(out, wire, n);
    *len = n;
    return DNS_OK;
}

int dns_decode_name(const uint8_t *msg, size_t msg_len, size_t offset, char *out, size_t out_size, size_t *next)
{
    size_t pos = offset, o = 0, wire = 0, end = 0, limit = offset;
    int jumped = 0;

    if (!out_size) return DNS_E_SPACE;
    for (;;)
    {
        uint8_t len;

        if (pos >= msg_len) return DNS_E_SHORT;
        len = msg[pos];
        if ((len & 0xc0) == 0xc0)
        {
            size_t target;
            if (pos + 1 >= msg_len) return DNS_E_SHORT;
            target = (size_t)(len & 0x3f) << 8 | msg[pos + 1];
            /* pointers must go strictly backwards (before the current name part): no loops */
            if (target >= limit) return DNS_E_FORMAT;
            if (!jumped) end = pos + 2;
            jumped = 1;
            limit = target;
            pos = target;
            continue;
        }
        if (len & 0xc0) return DNS_E_FORMAT;   /* 0x40 / 0x80: extended label types */
        wire += (size_t)len + 1;
        if (wire > DNS_WIRE_NAME_MAX) return DNS_E_FORMAT;
        if (!len)
        {
            if (!jumped) end = pos + 1;
            break;
        }
        if (pos + 1 + len > msg_len) return DNS_E_SHORT;
        if (o)
        {
            if (o + 1 >= out_size) return DNS_E_SPACE;
            out[o++] = '.';
        }
        {
            size_t i;
            for (i = 0; i < len; i++)
            {
                uint8_t c = msg[pos + 1 + i];
                if (plain_char(c))
                {
                    if (o + 1 >= out_size) return DNS_E_SPACE;
                    out[o++] = (char)c;
                }
                else if (c == '.' || c == '\\')
                {
                    if (o + 2 >= out_size) return DNS_E_SPACE;
                    out[o++] = '\\';
                    out[o++] = (char)c;
                }
                else
                {
                    if (o + 4 >= out_size) return DNS_E_SPACE;
                    out[o++] = '\\';
                    out[o++] = (char)('0' + c / 100);
                    out[o++] = (char)('0' + c / 10 % 10);
                    out[o++] = (char)('0' + c % 10);
                }
            }
        }
        pos += 1 + (size_t)len;
        /* a later pointer may only point before this label sequence's start, which is still
         * "limit"; labels read after a jump stay above it, so limit need not move */
    }
    out[o] = 0;
    if (next) *next = end;
    return DNS_OK;
}

int dns_build_query(uint16_t id, const char *name, uint16_t qtype, int recursion_desired, uint8_t *buf,
                    size_t size, size_t *len)
{
    size_t name_len;
    int ret;

    if (size < DNS_HEADER_SIZE) return DNS_E_SPACE;
    if ((ret = dns_encode_name(name, buf + DNS_HEADER_SIZE, size - DNS_HEADER_SIZE, &name_len))) return ret;
    if (size - DNS_HEADER_SIZE - name_len < 4) return DNS_E_SPACE;
    memset(buf, 0, DNS_HEADER_SIZE);
    put16(buf, id);
    buf[2] = recursion_desired ? 0x01 : 0x00;   /* QR 0, opcode QUERY, RD */
    put16(buf + 4, 1);                          /* QDCOUNT */
    put16(buf + DNS_HEADER_SIZE + name_len, qtype);
    put16(buf + DNS_HEADER_SIZE + name_len + 2, DNS_CLASS_IN);
    *len = DNS_HEADER_SIZE + name_len + 4;
    return DNS_OK;
}

/* Parses one resource record at *pos into rec. */
static int parse_record(const uint8_t *msg, size_t len, size_t *pos, struct dns_record *rec)
{
    size_t p, rdata, rend, next;
    int ret;

    if ((ret = dns_decode_name(msg, len, *pos, rec->name, sizeof(rec->name), &p))) return ret;
    if (p + 10 > len) return DNS_E_SHORT;
    rec->type = get16(msg + p);
    rec->rclass = get16(msg + p + 2);
    rec->ttl = get32(msg + p + 4);
    if (rec->ttl & 0x80000000u) rec->ttl = 0;
    rec->rdlength = get16(msg + p + 8);
    rdata = p + 10;
    rend = rdata + rec->rdlength;
    if (rend > len) return DNS_E_SHORT;
    rec->rdata_offset = rdata;
    rec->soa_minimum = 0;
    memset(&rec->data, 0, sizeof(rec->data));

    switch (rec->type)
    {
    case DNS_TYPE_A:
        if (rec->rclass == DNS_CLASS_IN)
        {
            if (rec->rdlength != 4) return DNS_E_FORMAT;
            memcpy(rec->data.a, msg + rdata, 4);
        }
        break;
    case DNS_TYPE_AAAA:
        if (rec->rclass == DNS_CLASS_IN)
        {
            if (rec->rdlength != 16) return DNS_E_FORMAT;
            memcpy(rec->data.aaaa, msg + rdata, 16);
        }
        break;
    case DNS_TYPE_CNAME:
    case DNS_TYPE_PTR:
    case DNS_TYPE_NS:
        /* the name must lie within the RDATA (its pointers may lead anywhere before) */
        if ((ret = dns_decode_name(msg, rend, rdata, rec->data.target, sizeof(rec->data.target), &next)))
            return ret == DNS_E_SHORT ? DNS_E_FORMAT : ret;
        if (next != rend) return DNS_E_FORMAT;
        break;
    case DNS_TYPE_SOA:
        if ((ret = dns_decode_name(msg, rend, rdata, rec->data.target, sizeof(rec->data.target), &next)))
            return ret == DNS_E_SHORT ? DNS_E_FORMAT : ret;
        {
            char rname[DNS_NAME_TEXT_MAX];
            if ((ret = dns_decode_name(msg, rend, next, rname, sizeof(rname), &next)))
                return ret == DNS_E_SHORT ? DNS_E_FORMAT : ret;
        }
        if (next + 20 != rend) return DNS_E_FORMAT;
        rec->soa_minimum = get32(msg + next + 16);
        break;
    default:
        break;  /* kept raw: rdata_offset / rdlength */
    }
    *pos = rend;
    return DNS_OK;
}

int dns_parse_response(const uint8_t *msg, size_t len, uint16_t expect_id, const char *expect_name,
                       uint16_t expect_type, struct dns_response *out)
{
    size_t pos = DNS_HEADER_SIZE, total, i;
    struct dns_record rec;
    int ret;

    memset(out, 0, offsetof(struct dns_response, records));
    if (!msg || len < DNS_HEADER_SIZE) return DNS_E_SHORT;
    out->id = get16(msg);
    out->flags = get16(msg + 2);
    out->qdcount = get16(msg + 4);
    out->ancount = get16(msg + 6);
    out->nscount = get16(msg + 8);
    out->arcount = get16(msg + 10);
    out->rcode = out->flags & 0x0f;
    out->truncated = !!(out->flags & 0x0200);
    out->authoritative = !!(out->flags & 0x0400);
    out->recursion_available = !!(out->flags & 0x0080);
    if (!(out->flags & 0x8000) || ((out->flags >> 11) & 0x0f) != 0) return DNS_E_NOT_RESPONSE;
    if (expect_name && out->id != expect_id) return DNS_E_ID;

    for (i = 0; i < out->qdcount; i++)
    {
        char qname[DNS_NAME_TEXT_MAX];
        size_t next;

        if ((ret = dns_decode_name(msg, len, pos, qname, sizeof(qname), &next)))
            return (ret == DNS_E_SHORT && out->truncated) ? DNS_OK : ret;
        if (next + 4 > len) return out->truncated ? DNS_OK : DNS_E_SHORT;
        if (i == 0)
        {
            memcpy(out->qname, qname, sizeof(qname));
            out->qtype = get16(msg + next);
            out->qclass = get16(msg + next + 2);
        }
        pos = next + 4;
    }
    /* servers may leave the question out of an error answer (FORMERR, NOTIMP, REFUSED ...):
     * the id still matched, so the RCODE is this query's */
    if (expect_name && !(out->qdcount == 0 && out->rcode != DNS_RCODE_NOERROR))
    {
        if (out->qdcount != 1 || !dns_name_equal(out->qname, expect_name) || out->qtype != expect_type
            || out->qclass != DNS_CLASS_IN)
            return DNS_E_QUESTION;
    }

    total = (size_t)out->ancount + out->nscount + out->arcount;
    for (i = 0; i < total; i++)
    {
        ret = parse_record(msg, len, &pos, &rec);
        if (ret == DNS_E_SHORT && out->truncated) return DNS_OK;  /* the cut TC announced */
        if (ret) return ret;
        rec.section = i < out->ancount ? DNS_SECTION_ANSWER
                    : i < (size_t)out->ancount + out->nscount ? DNS_SECTION_AUTHORITY : DNS_SECTION_ADDITIONAL;
        if (rec.type == DNS_TYPE_OPT) continue;   /* EDNS pseudo-record: not data */
        if (out->record_count < DNS_MAX_RECORDS) out->records[out->record_count++] = rec;
        else out->records_skipped++;
    }
    return DNS_OK;
}

/* Follows CNAMEs from name in the answer section: the final owner into final (DNS_NAME_TEXT_MAX). */
static int follow_cnames(const struct dns_response *r, const char *name, char *final)
{
    int hops;
    size_t i;

    if (strlen(name) >= DNS_NAME_TEXT_MAX) return DNS_E_NAME;
    strcpy(final, name);
    for (hops = 0; hops <= DNS_MAX_CNAME_CHAIN; hops++)
    {
        const struct dns_record *cname = NULL;
        for (i = 0; i < r->record_count; i++)
        {
            const struct dns_record *rec = &r->records[i];
            if (rec->section == DNS_SECTION_ANSWER && rec->type == DNS_TYPE_CNAME && rec->rclass == DNS_CLASS_IN
                && dns_name_equal(rec->name, final))
            {
                cname = rec;
                break;
            }
        }
        if (!cname) return DNS_OK;
        memmove(final, cname->data.target, strlen(cname->data.target) + 1);
    }
    return DNS_E_FORMAT; /* a chain longer than allowed, or a loop */
}

int dns_collect_addresses(const struct dns_response *r, const char *name, uint16_t type, char *canonical,
                          size_t canonical_size, uint8_t (*addrs)[16], size_t max, uint32_t *min_ttl)
{
    char final[DNS_NAME_TEXT_MAX];
    size_t i, count = 0;
    int ret;

    if (type != DNS_TYPE_A && type != DNS_TYPE_AAAA) return DNS_E_FORMAT;
    if (!name) return DNS_E_NAME;
    if ((ret = follow_cnames(r, name, final))) return ret;
    if (canonical && canonical_size)
    {
        size_t n = strlen(final);
        if (n >= canonical_size) return DNS_E_SPACE;
        memcpy(canonical, final, n + 1);
    }
    if (min_ttl) *min_ttl = 0xffffffffu;
    for (i = 0; i < r->record_count; i++)
    {
        const struct dns_record *rec = &r->records[i];
        if (rec->section != DNS_SECTION_ANSWER || rec->type != type || rec->rclass != DNS_CLASS_IN) continue;
        if (!dns_name_equal(rec->name, final)) continue;
        if (count < max)
        {
            memset(addrs[count], 0, 16);
            memcpy(addrs[count], type == DNS_TYPE_A ? rec->data.a : rec->data.aaaa, type == DNS_TYPE_A ? 4 : 16);
        }
        if (min_ttl && rec->ttl < *min_ttl) *min_ttl = rec->ttl;
        count++;
    }
    if (min_ttl && !count) *min_ttl = 0;
    return (int)(count > 0x7fffffff ? 0x7fffffff : count);
}

int dns_collect_ptr(const struct dns_response *r, const char *name, char (*targets)[DNS_NAME_TEXT_MAX], size_t max)
{
    char final[DNS_NAME_TEXT_MAX];
    size_t i, count = 0;
    int ret;

    if (!name) return DNS_E_NAME;
    if ((ret = follow_cnames(r, name, final))) return ret;
    for (i = 0; i < r->record_count; i++)
    {
        const struct dns_record *rec = &r->records[i];
        if (rec->section != DNS_SECTION_ANSWER || rec->type != DNS_TYPE_PTR || rec->rclass != DNS_CLASS_IN) continue;
        if (!dns_name_equal(rec->name, final)) continue;
        if (count < max) memcpy(targets[count], rec->data.target, sizeof(targets[count]));
        count++;
    }
    return (int)count;
}

int dns_reverse_name(int family, const uint8_t *addr, char *out, size_t size)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
    int i;

    if (!addr || !out) return DNS_E_NAME;
    if (family == AF_INET)
    {
        char tmp[32];
        for (i = 3; i >= 0; i--)
        {
            unsigned v = addr[i];
            if (v >= 100) tmp[n++] = (char)('0' + v / 100);
            if (v >= 10) tmp[n++] = (char)('0' + v / 10 % 10);
            tmp[n++] = (char)('0' + v % 10);
            tmp[n++] = '.';
        }
        memcpy(tmp + n, "in-addr.arpa", 13);
        n += 12;
        if (n + 1 > size) return DNS_E_SPACE;
        memcpy(out, tmp, n + 1);
        return DNS_OK;
    }
    if (family == AF_INET6)
    {
        char tmp[80];
        for (i = 15; i >= 0; i--)
        {
            tmp[n++] = hex[addr[i] & 0xf];
            tmp[n++] = '.';
            tmp[n++] = hex[addr[i] >> 4];
            tmp[n++] = '.';
        }
        memcpy(tmp + n, "ip6.arpa", 9);
        n += 8;
        if (n + 1 > size) return DNS_E_SPACE;
        memcpy(out, tmp, n + 1);
        return DNS_OK;
    }
    return DNS_E_NAME;
}

int dns_rcode_to_wsa(int rcode, int have_data)
{
    switch (rcode)
    {
    case DNS_RCODE_NOERROR: return have_data ? 0 : WSANO_DATA;
    case DNS_RCODE_NXDOMAIN: return WSAHOST_NOT_FOUND;
    case DNS_RCODE_SERVFAIL: return WSATRY_AGAIN;
    default: return WSANO_RECOVERY;
    }
}
