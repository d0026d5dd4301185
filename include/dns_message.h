/* dns_message.h - portable DNS message building and parsing (RFC 1035, RFC 3596) for the name
 * resolution the namespace provider will do: queries (id, RD, QNAME with label checks, QTYPE),
 * responses parsed defensively (every read bounded, compression pointers loop-protected, the
 * question echo checked, A/AAAA/CNAME/PTR/NS/SOA records, TTLs, the TC flag, RCODE mapping),
 * CNAME chains followed to the addresses, and reverse names (in-addr.arpa / ip6.arpa).
 * No Windows calls: builds in the DLL, the host unit tests and the fuzzers.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_DNS_MESSAGE_H
#define OPENWS2_DNS_MESSAGE_H

#include "ws2_common.h"

#define DNS_HEADER_SIZE 12
#define DNS_WIRE_NAME_MAX 255     /* encoded name, with the root label */
#define DNS_LABEL_MAX 63
#define DNS_NAME_TEXT_MAX 1025    /* decoded text with \DDD escapes (4 * 255 + NUL, rounded) */
#define DNS_MAX_RECORDS 64        /* records kept from one response (further ones are counted) */
#define DNS_MAX_CNAME_CHAIN 16    /* CNAME hops followed */
#define DNS_UDP_MAX 512           /* classic UDP message size (no EDNS) */

#define DNS_TYPE_A     1
#define DNS_TYPE_NS    2
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_SOA   6
#define DNS_TYPE_PTR   12
#define DNS_TYPE_MX    15
#define DNS_TYPE_TXT   16
#define DNS_TYPE_AAAA  28
#define DNS_TYPE_OPT   41
#define DNS_TYPE_ANY   255
#define DNS_CLASS_IN   1

#define DNS_RCODE_NOERROR  0
#define DNS_RCODE_FORMERR  1
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3
#define DNS_RCODE_NOTIMP   4
#define DNS_RCODE_REFUSED  5

/* Results of the functions below. */
enum dns_status
{
    DNS_OK = 0,
    DNS_E_NAME = -1,      /* a name that cannot be encoded (empty or > 63-byte label, > 255 bytes) */
    DNS_E_SPACE = -2,     /* output buffer too small */
    DNS_E_SHORT = -3,     /* message ends inside a field it announces */
    DNS_E_FORMAT = -4,    /* malformed: bad label type, pointer loop, wrong RDATA length ... */
    DNS_E_NOT_RESPONSE = -5, /* QR clear or an opcode other than QUERY */
    DNS_E_ID = -6,        /* id differs from the query's */
    DNS_E_QUESTION = -7,  /* the question is not the one asked */
};

enum dns_section { DNS_SECTION_ANSWER, DNS_SECTION_AUTHORITY, DNS_SECTION_ADDITIONAL };

struct dns_record
{
    enum dns_section section;
    char name[DNS_NAME_TEXT_MAX];   /* owner, decoded, without the final dot */
    uint16_t type, rclass;
    uint32_t ttl;                   /* a TTL with the top bit set reads as 0 (RFC 2181) */
    uint16_t rdlength;
    size_t rdata_offset;            /* RDATA position in the message */
    union
    {
        uint8_t a[4];                   /* A */
        uint8_t aaaa[16];               /* AAAA */
        char target[DNS_NAME_TEXT_MAX]; /* CNAME, PTR, NS; SOA: MNAME */
    } data;
    uint32_t soa_minimum;           /* SOA: the negative-caching TTL field */
};

struct dns_response
{
    uint16_t id;
    uint16_t flags;                 /* the whole flags word */
    int rcode;
    int truncated;                  /* TC: the answer did not fit; retry over TCP */
    int authoritative;              /* AA */
    int recursion_available;        /* RA */
    uint16_t qdcount, ancount, nscount, arcount;
    char qname[DNS_NAME_TEXT_MAX];  /* the echoed question (qdcount >= 1) */
    uint16_t qtype, qclass;
    size_t record_count;            /* records kept (<= DNS_MAX_RECORDS) */
    size_t records_skipped;         /* well-formed records beyond DNS_MAX_RECORDS */
    struct dns_record records[DNS_MAX_RECORDS];
};

/* Name text ("www.example.com", an optional final dot, "." or "" for the root) -> wire labels. */
int dns_encode_name(const char *name, uint8_t *out, size_t size, size_t *len);
/* Wire name at offset (compression pointers followed, at most 255 bytes, loops refused) -> text,
 * bytes other than letters, digits, '-' and '_' escaped as \DDD ('.' inside a label as "\."). *next is
 * the offset after the name at its original position. */
int dns_decode_name(const uint8_t *msg, size_t msg_len, size_t offset, char *out, size_t out_size, size_t *next);

/* A standard query: header (id, RD as asked, QDCOUNT 1), one question (name, qtype, class IN). */
int dns_build_query(uint16_t id, const char *name, uint16_t qtype, int recursion_desired, uint8_t *buf,
                    size_t size, size_t *len);

/* Parses a response. With expect_name non-NULL, the id must be expect_id and the question must echo
 * expect_name (case-insensitively) / expect_type / IN (an error answer, RCODE != 0, may omit it). A message with TC set may end early: the
 * records before the cut are returned and truncated is set. Returns a dns_status. */
int dns_parse_response(const uint8_t *msg, size_t len, uint16_t expect_id, const char *expect_name,
                       uint16_t expect_type, struct dns_response *out);

/* Follows the answer section's CNAME chain from name (at most DNS_MAX_CNAME_CHAIN hops) and
 * collects the A (type DNS_TYPE_A, 4 bytes each) or AAAA (16 bytes each) records of the final
 * name into addrs (max entries); canonical receives the final name. Returns the number found
 * (possibly more than max: only max are stored) or a negative dns_status (DNS_E_FORMAT for a loop). */
int dns_collect_addresses(const struct dns_response *r, const char *name, uint16_t type, char *canonical,
                          size_t canonical_size, uint8_t (*addrs)[16], size_t max, uint32_t *min_ttl);
/* The PTR targets of name (after CNAMEs, as RFC 2317 delegation uses them): count or a dns_status. */
int dns_collect_ptr(const struct dns_response *r, const char *name, char (*targets)[DNS_NAME_TEXT_MAX],
                    size_t max);

/* "d.c.b.a.in-addr.arpa" (family AF_INET, 4 bytes) or the 32-nibble ip6.arpa name (AF_INET6). */
int dns_reverse_name(int family, const uint8_t *addr, char *out, size_t size);

/* Winsock error for a response: 0 (NOERROR with data), WSANO_DATA (NOERROR, no record of the type),
 * WSAHOST_NOT_FOUND (NXDOMAIN), WSATRY_AGAIN (SERVFAIL), WSANO_RECOVERY (FORMERR, NOTIMP, REFUSED,
 * others). */
int dns_rcode_to_wsa(int rcode, int have_data);

/* ASCII case-insensitive equality of two names, label by label: each name is encoded as
 * dns_encode_name does (so escaped text from dns_decode_name and the raw name a caller asked for
 * compare equal), a final dot ignored; names that do not encode are compared as text. */
int dns_name_equal(const char *a, const char *b);

#endif
