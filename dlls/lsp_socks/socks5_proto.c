/* socks5_proto.c - SOCKS5 client messages (RFC 1928, RFC 1929): see socks5_proto.h. Every reply is
 * untrusted input: lengths are checked before any byte is read.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "socks5_proto.h"

#include <string.h>

size_t socks5_greeting(uint8_t *out, int with_auth)
{
    size_t n = 0;
    out[n++] = SOCKS5_VERSION;
    out[n++] = with_auth ? 2 : 1;
    out[n++] = SOCKS5_AUTH_NONE;
    if (with_auth) out[n++] = SOCKS5_AUTH_USERPASS;
    return n;
}

int socks5_parse_method(const uint8_t *in, size_t len, int with_auth, uint8_t *method)
{
    if (len < 2 || in[0] != SOCKS5_VERSION) return SOCKS5_BAD_REPLY;
    *method = in[1];
    if (in[1] == SOCKS5_AUTH_NONE) return SOCKS5_OK;
    if (in[1] == SOCKS5_AUTH_USERPASS && with_auth) return SOCKS5_OK;
    if (in[1] == SOCKS5_AUTH_REFUSED) return SOCKS5_NO_METHOD;
    return SOCKS5_BAD_REPLY; /* a method we did not offer */
}

size_t socks5_auth_request(uint8_t *out, const char *user, const char *password)
{
    size_t ul = user ? strlen(user) : 0, pl = password ? strlen(password) : 0, n = 0;

    if (!ul || ul > 255 || !pl || pl > 255) return 0;
    out[n++] = 1; /* subnegotiation version */
    out[n++] = (uint8_t)ul;
    memcpy(out + n, user, ul);
    n += ul;
    out[n++] = (uint8_t)pl;
    memcpy(out + n, password, pl);
    return n + pl;
}

int socks5_parse_auth_reply(const uint8_t *in, size_t len)
{
    if (len < 2 || in[0] != 1) return SOCKS5_BAD_REPLY;
    return in[1] ? SOCKS5_AUTH_FAILED : SOCKS5_OK;
}

static size_t request_head(uint8_t *out, uint8_t atyp)
{
    out[0] = SOCKS5_VERSION;
    out[1] = SOCKS5_CMD_CONNECT;
    out[2] = 0;
    out[3] = atyp;
    return 4;
}

static size_t put_port(uint8_t *out, size_t n, uint16_t port)
{
    out[n++] = (uint8_t)(port >> 8);
    out[n++] = (uint8_t)port;
    return n;
}

size_t socks5_connect_ipv4(uint8_t *out, const uint8_t addr[4], uint16_t port)
{
    size_t n = request_head(out, SOCKS5_ATYP_IPV4);
    memcpy(out + n, addr, 4);
    return put_port(out, n + 4, port);
}

size_t socks5_connect_ipv6(uint8_t *out, const uint8_t addr[16], uint16_t port)
{
    size_t n = request_head(out, SOCKS5_ATYP_IPV6);
    memcpy(out + n, addr, 16);
    return put_port(out, n + 16, port);
}

size_t socks5_connect_name(uint8_t *out, const char *name, uint16_t port)
{
    size_t len = name ? strlen(name) : 0, n;

    if (!len || len > 255) return 0;
    n = request_head(out, SOCKS5_ATYP_DOMAIN);
    out[n++] = (uint8_t)len;
    memcpy(out + n, name, len);
    return put_port(out, n + len, port);
}

int socks5_parse_connect_reply(const uint8_t *in, size_t len, size_t *need, uint8_t *code)
{
    size_t total;

    if (len < 5 || in[0] != SOCKS5_VERSION || in[2] != 0) return SOCKS5_BAD_REPLY;
    *code = in[1];
    switch (in[3])
    {
    case SOCKS5_ATYP_IPV4: total = 4 + 4 + 2; break;
    case SOCKS5_ATYP_IPV6: total = 4 + 16 + 2; break;
    case SOCKS5_ATYP_DOMAIN: total = 4 + 1 + (size_t)in[4] + 2; break;
    default: return SOCKS5_BAD_REPLY;
    }
    *need = total;
    if (len < total) return SOCKS5_NEED_MORE;
    return in[1] ? SOCKS5_REFUSED : SOCKS5_OK;
}

size_t socks5_request(uint8_t *out, uint8_t cmd, int ipv6, const uint8_t *addr, uint16_t port)
{
    size_t n = ipv6 ? socks5_connect_ipv6(out, addr, port) : socks5_connect_ipv4(out, addr, port);
    out[1] = cmd;
    return n;
}

int socks5_reply_address(const uint8_t *in, size_t len, uint8_t *atyp, uint8_t addr[16], uint16_t *port)
{
    size_t alen;

    if (len < 5 || in[0] != SOCKS5_VERSION) return SOCKS5_BAD_REPLY;
    if (in[3] == SOCKS5_ATYP_IPV4) alen = 4;
    else if (in[3] == SOCKS5_ATYP_IPV6) alen = 16;
    else return SOCKS5_BAD_REPLY;
    if (len < 4 + alen + 2) return SOCKS5_BAD_REPLY;
    *atyp = in[3];
    memcpy(addr, in + 4, alen);
    *port = (uint16_t)((in[4 + alen] << 8) | in[5 + alen]);
    return SOCKS5_OK;
}

size_t socks5_udp_header(uint8_t *out, int ipv6, const uint8_t *addr, uint16_t port)
{
    size_t alen = ipv6 ? 16 : 4;
    out[0] = out[1] = 0; /* RSV */
    out[2] = 0;          /* FRAG: a whole datagram */
    out[3] = ipv6 ? SOCKS5_ATYP_IPV6 : SOCKS5_ATYP_IPV4;
    memcpy(out + 4, addr, alen);
    return put_port(out, 4 + alen, port);
}

int socks5_parse_udp_header(const uint8_t *in, size_t len, uint8_t *frag, uint8_t *atyp, uint8_t addr[16],
                            uint16_t *port, size_t *header)
{
    size_t alen;

    if (len < 4 || in[0] || in[1]) return SOCKS5_BAD_REPLY;
    if (in[3] == SOCKS5_ATYP_IPV4) alen = 4;
    else if (in[3] == SOCKS5_ATYP_IPV6) alen = 16;
    else return SOCKS5_BAD_REPLY;
    if (len < 4 + alen + 2) return SOCKS5_BAD_REPLY;
    *frag = in[2];
    *atyp = in[3];
    memcpy(addr, in + 4, alen);
    *port = (uint16_t)((in[4 + alen] << 8) | in[5 + alen]);
    *header = 4 + alen + 2;
    return SOCKS5_OK;
}
