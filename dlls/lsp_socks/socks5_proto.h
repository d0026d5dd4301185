/* socks5_proto.h - the client side of SOCKS version 5 (RFC 1928) with username/password
 * authentication (RFC 1929), as messages: building the greeting, the authentication request and the
 * CONNECT request (IPv4, IPv6 or domain-name target), and parsing the server's answers. No I/O and
 * no Windows calls: the SOCKS LSP does the I/O; the host unit tests drive these directly.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_SOCKS5_PROTO_H
#define OPENWS2_SOCKS5_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define SOCKS5_VERSION 5
#define SOCKS5_AUTH_NONE 0x00
#define SOCKS5_AUTH_USERPASS 0x02
#define SOCKS5_AUTH_REFUSED 0xff
#define SOCKS5_ATYP_IPV4 1
#define SOCKS5_ATYP_DOMAIN 3
#define SOCKS5_ATYP_IPV6 4
#define SOCKS5_MAX_MSG 262 /* the longest request: 4 + 1 + 255 + 2; the longest auth request 513 */
#define SOCKS5_MAX_AUTH_MSG 513

/* Outcomes of parsing (negative: protocol errors). */
enum socks5_status
{
    SOCKS5_OK = 0,
    SOCKS5_NEED_MORE = 1,       /* the reply is longer: *need bytes in all */
    SOCKS5_BAD_REPLY = -1,      /* not SOCKS 5, or malformed */
    SOCKS5_NO_METHOD = -2,      /* the server accepts none of our methods */
    SOCKS5_AUTH_FAILED = -3,    /* RFC 1929 status not 0 */
    SOCKS5_REFUSED = -4         /* CONNECT reply code not 0 (*code holds it) */
};

/* Greeting: offers "no authentication", and username/password when with_auth. Returns its length. */
size_t socks5_greeting(uint8_t *out, int with_auth);
/* The server's method choice (2 bytes). *method receives it. */
int socks5_parse_method(const uint8_t *in, size_t len, int with_auth, uint8_t *method);
/* RFC 1929 request; 0 when user or password is empty or longer than 255 bytes. */
size_t socks5_auth_request(uint8_t *out, const char *user, const char *password);
int socks5_parse_auth_reply(const uint8_t *in, size_t len);
#define SOCKS5_CMD_CONNECT 1
#define SOCKS5_CMD_BIND 2
#define SOCKS5_CMD_UDP_ASSOCIATE 3
#define SOCKS5_UDP_MAX_HEADER 262 /* RSV(2) FRAG(1) ATYP(1) + 1 + 255 + PORT(2) */

/* A request (cmd: CONNECT, BIND, UDP ASSOCIATE) for addr (4 or 16 bytes, network order), port in host
 * order. Returns the length. */
size_t socks5_request(uint8_t *out, uint8_t cmd, int ipv6, const uint8_t *addr, uint16_t port);
/* CONNECT to addr (4 bytes for IPv4, 16 for IPv6, network order) or name (1..255 bytes), port in host
 * order. Returns the length, 0 for a bad target. */
size_t socks5_connect_ipv4(uint8_t *out, const uint8_t addr[4], uint16_t port);
size_t socks5_connect_ipv6(uint8_t *out, const uint8_t addr[16], uint16_t port);
size_t socks5_connect_name(uint8_t *out, const char *name, uint16_t port);
/* The CONNECT reply: first call with the 5 first bytes; SOCKS5_NEED_MORE with *need = the whole
 * reply's length; then call again with all of it. *code: the reply code (REP). */
int socks5_parse_connect_reply(const uint8_t *in, size_t len, size_t *need, uint8_t *code);
/* The address of a complete reply (BND.ADDR, BND.PORT): *atyp, addr (4 or 16 bytes; a domain name is
 * SOCKS5_BAD_REPLY), *port in host order. */
int socks5_reply_address(const uint8_t *in, size_t len, uint8_t *atyp, uint8_t addr[16], uint16_t *port);

/* UDP ASSOCIATE datagrams (RFC 1928 section 7): the request header RSV RSV FRAG ATYP DST.ADDR
 * DST.PORT. socks5_udp_header writes one with FRAG 0 (returns its length: 10 for IPv4, 22 for IPv6).
 * socks5_parse_udp_header reads one: SOCKS5_OK with *frag, *atyp, addr, *port (host order) and
 * *header (its length, the payload follows); SOCKS5_BAD_REPLY for a truncated or malformed one
 * (domain names included: a datagram's source is an address). */
size_t socks5_udp_header(uint8_t *out, int ipv6, const uint8_t *addr, uint16_t port);
int socks5_parse_udp_header(const uint8_t *in, size_t len, uint8_t *frag, uint8_t *atyp, uint8_t addr[16],
                            uint16_t *port, size_t *header);

#endif
