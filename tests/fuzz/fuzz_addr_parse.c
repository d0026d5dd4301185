/* fuzz_addr_parse.c - libFuzzer target for src/addr/addr_parse.c: every parser on arbitrary text, and
 * for each address that parses, format -> parse must give the same address back.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "addr_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), text[ADDR_IPV6_FULL_STRLEN];
    uint8_t a4[4], b4[4], a6[16], b6[16];
    const char *end;
    uint32_t scope, scope2, v;
    uint16_t port, port2;
    int ok;

    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = 0;

    if (!addr_parse_ipv4(s, 0, &end, a4))
    {
        if (end < s || end > s + size) abort();
        addr_format_ipv4(a4, text);
        if (addr_parse_ipv4(text, 1, &end, b4) || *end || memcmp(a4, b4, 4)) abort();
    }
    addr_parse_ipv4(s, 1, &end, a4);
    addr_inet_addr(s, a4);
    addr_parse_number(s, &end, &v);
    if (!addr_parse_ipv6(s, &end, a6))
    {
        if (end < s || end > s + size) abort();
        if (addr_format_ipv6(a6, text) >= ADDR_IPV6_STRLEN) abort();
        if (addr_parse_ipv6(text, &end, b6) || *end || memcmp(a6, b6, 16)) abort();
    }
    if (!addr_parse_ipv6_ex(s, a6, &scope, &port))
    {
        if (addr_format_ipv6_ex(a6, scope, port, text) >= ADDR_IPV6_FULL_STRLEN) abort();
        if (addr_parse_ipv6_ex(text, b6, &scope2, &port2) || memcmp(a6, b6, 16) || scope != scope2 || port != port2)
            abort();
    }
    if (!addr_parse_ipv4_ex(s, a4, &port, &ok))
    {
        addr_format_ipv4_ex(a4, port, text);
        if (addr_parse_ipv4_ex(text, b4, &port2, &ok) || memcmp(a4, b4, 4) || port != port2) abort();
    }
    free(s);
    return 0;
}
