/* addr_parse.h - portable IPv4/IPv6 text <-> binary conversion with Windows' rules (the behaviour of
 * RtlIpv4StringToAddress(Ex), RtlIpv6StringToAddress(Ex) and RtlIpv6AddressToString(Ex), on which
 * Windows builds inet_addr, inet_pton, inet_ntop, WSAStringToAddress and WSAAddressToString).
 * Used by ws2_32 (src/addr/addr_convert.c) and by providers; builds in the host unit tests. All
 * addresses are in network byte order (byte arrays); ports are host-order numbers here.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_ADDR_PARSE_H
#define OPENWS2_ADDR_PARSE_H

#include "ws2_common.h"

/* Longest strings the formatters produce, including the terminating NUL. */
#define ADDR_IPV4_STRLEN 16   /* "255.255.255.255" */
#define ADDR_IPV6_STRLEN 46   /* "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" */
/* "[" ipv6 "%" 4294967295 "]:" 65535 */
#define ADDR_IPV6_FULL_STRLEN (1 + 45 + 1 + 10 + 2 + 5 + 1)
#define ADDR_IPV4_FULL_STRLEN (15 + 1 + 5 + 1)

/* IPv4 text -> 4 bytes, as RtlIpv4StringToAddressA. strict: exactly four decimal parts without
 * leading zeros; otherwise one to four parts, each decimal, octal (leading 0) or hexadecimal (0x),
 * the last part filling the remaining bytes ("1.2" = 1.0.0.2). Parsing stops at the first character
 * that cannot continue the address; *end (if end) receives that position, also on failure.
 * Returns 0 on success, -1 when the text is not an address. out is written only on success. */
int addr_parse_ipv4(const char *s, int strict, const char **end, uint8_t out[4]);

/* IPv6 text (RFC 4291: hex groups, one "::", an embedded dotted IPv4 tail) -> 16 bytes, as
 * RtlIpv6StringToAddressA. Stops at the first character that cannot continue the address (*end).
 * Returns 0 or -1. Like Windows, out is written as the text is read: on failure it holds the groups
 * read so far (in reading order, "::" not expanded) and its other bytes are left as they were. */
int addr_parse_ipv6(const char *s, const char **end, uint8_t out[16]);

/* A port or scope number as Windows' Ex parsers read them: decimal, 0x hexadecimal or 0 octal,
 * no sign, 32-bit overflow refused. Stops at the first non-digit (*end). Returns 0 or -1. */
int addr_parse_number(const char *s, const char **end, uint32_t *value);

/* "a.b.c.d" or "a.b.c.d:port" (port 1..65535), IPv4 forms as addr_parse_ipv4 non-strict, the
 * whole string consumed: WSAStringToAddress for AF_INET. Returns 0 or -1. On a failure after the
 * address itself parsed, *addr_ok is set and out holds the address (Windows leaves it in the
 * caller's sockaddr). port receives 0 when absent. */
int addr_parse_ipv4_ex(const char *s, uint8_t out[4], uint16_t *port, int *addr_ok);

/* "addr", "addr%scope", "[addr]", "[addr%scope]", "[addr]:port", "[addr%scope]:port", the whole
 * string consumed: WSAStringToAddress for AF_INET6. Returns 0 or -1. out is written as by
 * addr_parse_ipv6 (also on failure: Windows leaves that partial address in the sockaddr). */
int addr_parse_ipv6_ex(const char *s, uint8_t out[16], uint32_t *scope, uint16_t *port);

/* Formatters: write NUL-terminated text into buf (at least the size named above) and return its
 * length without the NUL. */
size_t addr_format_ipv4(const uint8_t addr[4], char *buf);
/* Windows' form: lowercase hex, longest run (>= 2) of zero groups compressed (the first on a tie),
 * dotted IPv4 tails for IPv4-compatible (::a.b.c.d), IPv4-mapped (::ffff:a.b.c.d), SIIT
 * (::ffff:0:a.b.c.d) and ISATAP (...:0:5efe:a.b.c.d / ...:200:5efe:a.b.c.d) addresses. */
size_t addr_format_ipv6(const uint8_t addr[16], char *buf);
/* With a port (network order 0 = none) "a.b.c.d:port". */
size_t addr_format_ipv4_ex(const uint8_t addr[4], uint16_t port, char *buf);
/* "addr%scope" (scope != 0) and "[addr%scope]:port" (port != 0). */
size_t addr_format_ipv6_ex(const uint8_t addr[16], uint32_t scope, uint16_t port, char *buf);

/* inet_addr's rules on top of addr_parse_ipv4: the address may be followed by white space (and
 * anything after it); a lone " " is 0.0.0.0. Returns 0 and the address, or -1. */
int addr_inet_addr(const char *s, uint8_t out[4]);

/* Port numbers between host and network byte order without calling the htons/ntohs exports
 * (which trace as application calls), independent of the host's endianness. */
static inline uint16_t addr_port_to_net(uint16_t port)
{
    uint8_t b[2] = { (uint8_t)(port >> 8), (uint8_t)port };
    uint16_t net;
    memcpy(&net, b, 2);
    return net;
}

static inline uint16_t addr_port_from_net(uint16_t net)
{
    uint8_t b[2];
    memcpy(b, &net, 2);
    return (uint16_t)(b[0] << 8 | b[1]);
}

/* Copies a 16-bit (WCHAR) string to ASCII for the parsers. Fails (-1) on a non-ASCII character or
 * when the string does not fit in size bytes with its NUL. */
int addr_wide_to_ascii(const uint16_t *w, char *out, size_t size);
/* Copies len 16-bit characters to out (len + 1 bytes, NUL-terminated) for the parsers, each
 * non-ASCII one as 0x7f, which no address syntax accepts: the parse stops there as Windows' wide
 * parsers stop at such a character (after writing what they read). */
void addr_wide_to_ascii_stop(const uint16_t *w, size_t len, char *out);
/* Widens an ASCII string of len characters plus its NUL into out. */
void addr_ascii_to_wide(const char *s, size_t len, uint16_t *out);

#endif
