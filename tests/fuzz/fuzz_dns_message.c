/* fuzz_dns_message.c - libFuzzer target for src/resolve/dns_message.c: arbitrary bytes as a DNS response
 * (parsed, CNAME chains followed, names decoded at every offset) and as a name to encode.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdlib.h>
#include "dns_message.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dns_response resp;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[DNS_NAME_TEXT_MAX], *s;
    uint8_t addrs[8][16], wire[DNS_WIRE_NAME_MAX];
    char targets[2][DNS_NAME_TEXT_MAX];
    size_t next, i, len;

    if (dns_parse_response(data, size, 0, NULL, 0, &resp) == DNS_OK)
    {
        if (resp.record_count > DNS_MAX_RECORDS) abort();
        if (resp.qdcount)
        {
            dns_collect_addresses(&resp, resp.qname, DNS_TYPE_A, text, sizeof(text), addrs, 8, NULL);
            dns_collect_addresses(&resp, resp.qname, DNS_TYPE_AAAA, NULL, 0, addrs, 8, NULL);
            dns_collect_ptr(&resp, resp.qname, targets, 2);
        }
    }
    for (i = 0; i < size && i < 64; i++)
    {
        if (dns_decode_name(data, size, i, text, sizeof(text), &next) == DNS_OK)
        {
            /* a decoded name encodes again within the limits */
            if (next > size) abort();
            if (dns_encode_name(text, wire, sizeof(wire), &len) == DNS_OK && len > DNS_WIRE_NAME_MAX) abort();
        }
    }
    if ((s = malloc(size + 1)))
    {
        memcpy(s, data, size);
        s[size] = 0;
        if (dns_encode_name(s, wire, sizeof(wire), &len) == DNS_OK && len > DNS_WIRE_NAME_MAX) abort();
        free(s);
    }
    return 0;
}
