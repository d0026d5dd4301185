/* nsp_servers.c - parsing of the DNS server list override and clamping of the resolver settings
 * (see nsp_servers.h). Portable, no Windows calls.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addr_parse.h"
#include "nsp_servers.h"

static int is_separator(char c)
{
    return c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int parse_entry(const char *s, struct nsp_server *out)
{
    uint16_t port = 0;
    int addr_ok = 0;

    memset(out, 0, sizeof(*out));
    if (strchr(s, '[') || strchr(s, '%') || strchr(s, ':') != strrchr(s, ':'))
    {
        uint32_t scope = 0;
        if (addr_parse_ipv6_ex(s, out->addr, &scope, &port)) return -1;
        out->family = AF_INET6;
        out->scope = scope;
    }
    else
    {
        const char *end;
        /* strict dotted quad, optionally ":port" */
        if (addr_parse_ipv4(s, 1, &end, out->addr)) return -1;
        if (*end == ':')
        {
            uint8_t tmp[4];
            if (addr_parse_ipv4_ex(s, tmp, &port, &addr_ok) || !port) return -1;
        }
        else if (*end) return -1;
        out->family = AF_INET;
    }
    if (strchr(s, ']') && !port && strstr(s, "]:")) return -1;
    out->port = port ? port : NSP_DNS_PORT;
    return 0;
}

size_t nsp_parse_server_list(const char *text, struct nsp_server *out, size_t max)
{
    size_t count = 0, i;
    const char *p = text;

    if (!text || !out) return 0;
    while (*p && count < max)
    {
        char entry[80];
        size_t len = 0;
        struct nsp_server s;

        while (*p && is_separator(*p)) p++;
        if (!*p) break;
        while (p[len] && !is_separator(p[len])) len++;
        if (len < sizeof(entry))
        {
            memcpy(entry, p, len);
            entry[len] = 0;
            if (!parse_entry(entry, &s))
            {
                for (i = 0; i < count; i++)
                    if (out[i].family == s.family && out[i].port == s.port && out[i].scope == s.scope &&
                        !memcmp(out[i].addr, s.addr, sizeof(s.addr))) break;
                if (i == count) out[count++] = s;
            }
        }
        p += len;
    }
    return count;
}

DWORD nsp_clamp_setting(DWORD value, DWORD def, DWORD min, DWORD max)
{
    if (!value) return def;
    if (value < min) return min;
    if (value > max) return max;
    return value;
}

static uint32_t fnv(uint32_t h, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t i;
    for (i = 0; i < len; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

uint32_t nsp_servers_key(const struct nsp_server *servers, size_t count)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < count; i++)
    {
        uint8_t fam = (uint8_t)servers[i].family;
        h = fnv(h, &fam, 1);
        h = fnv(h, servers[i].addr, sizeof(servers[i].addr));
        h = fnv(h, &servers[i].port, sizeof(servers[i].port));
        h = fnv(h, &servers[i].scope, sizeof(servers[i].scope));
    }
    return h;
}
