/* addr_parse.c - portable IPv4/IPv6 text <-> binary conversion with Windows' rules (see
 * addr_parse.h). No Windows calls: builds in the DLL and in the host unit tests and fuzzers.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "addr_parse.h"

static int is_dec(char c) { return c >= '0' && c <= '9'; }

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* White space as the C locale's isspace. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* One number in Windows' loose syntax: "0x" hex (at least one digit), "0" octal (a leading 0 directly
 * followed by 8 or 9 is refused), else decimal. Windows detects overflow only when an accumulation
 * step makes the value smaller (so 0x123456789 reads as 0x23456789 but 4294967296 fails): kept. */
static int parse_loose(const char *p, const char **end, uint32_t *value)
{
    uint32_t v = 0, nv;
    unsigned base = 10;
    int d;

    if (!is_dec(*p)) { *end = p; return -1; }
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
        base = 16;
        p += 2;
        if (hex_value(*p) < 0) { *end = p; return -1; }
    }
    else if (p[0] == '0')
    {
        base = 8;
        if (p[1] == '8' || p[1] == '9') { *end = p + 1; return -1; }
    }
    for (;;)
    {
        if (base == 16) d = hex_value(*p);
        else if (is_dec(*p)) d = *p - '0';
        else d = -1;
        if (d < 0 || (unsigned)d >= base) break;
        nv = v * base + (uint32_t)d;
        if (nv < v) { *end = p; return -1; }
        v = nv;
        p++;
    }
    *end = p;
    *value = v;
    return 0;
}

/* Strict part: decimal, no leading zero before another digit. */
static int parse_strict(const char *p, const char **end, uint32_t *value)
{
    uint32_t v = 0;

    if (!is_dec(*p)) { *end = p; return -1; }
    if (p[0] == '0' && (is_dec(p[1]) || p[1] == 'x' || p[1] == 'X')) { *end = p + 1; return -1; }
    while (is_dec(*p))
    {
        v = v * 10 + (uint32_t)(*p - '0');
        p++;
        if (v > 255) { *end = p; return -1; }
    }
    *end = p;
    *value = v;
    return 0;
}

int addr_parse_ipv4(const char *s, int strict, const char **end, uint8_t out[4])
{
    uint32_t parts[4], last_max;
    const char *p = s, *e = s;
    int n = 0, i;

    if (!s) return -1;
    for (;;)
    {
        if (!is_dec(*p))
        {
            /* an empty part: Windows reports the position after a stray dot */
            e = (*p == '.') ? p + 1 : p;
            goto fail;
        }
        if ((strict ? parse_strict(p, &e, &parts[n]) : parse_loose(p, &e, &parts[n])) < 0) goto fail;
        p = e;
        n++;
        if (*p != '.') break;
        if (n == 4) { e = p; goto fail; }
        p++;
    }
    if (strict && n != 4) { e = p; goto fail; }
    for (i = 0; i < n - 1; i++)
        if (parts[i] > 255) { e = p; goto fail; }
    last_max = (n == 1) ? 0xffffffffu : (0xffffffffu >> (8 * (n - 1)));
    if (parts[n - 1] > last_max) { e = p; goto fail; }

    for (i = 0; i < n - 1; i++) out[i] = (uint8_t)parts[i];
    for (i = 3; i >= n - 1; i--)
    {
        out[i] = (uint8_t)(parts[n - 1] >> (8 * (3 - i)));
    }
    if (end) *end = p;
    return 0;
fail:
    if (end) *end = e;
    return -1;
}

/* The dotted IPv4 tail of an IPv6 address: four decimal parts of one to three digits, each <= 255. */
static int parse_ipv6_v4_tail(const char *p, const char **end, uint8_t out[4])
{
    int i, digits;
    unsigned v;

    for (i = 0; i < 4; i++)
    {
        if (i > 0)
        {
            if (*p != '.') { *end = p; return -1; }
            p++;
        }
        v = 0;
        digits = 0;
        while (is_dec(*p))
        {
            if (++digits > 3) { *end = p; return -1; }
            v = v * 10 + (unsigned)(*p - '0');
            p++;
        }
        if (!digits || v > 255) { *end = p; return -1; }
        out[i] = (uint8_t)v;
    }
    *end = p;
    return 0;
}

int addr_parse_ipv6(const char *s, const char **end, uint8_t out[16])
{
    uint16_t groups[8];
    const char *p = s, *q;
    int n = 0, gap = -1, i, j, v, digits;
    uint8_t v4[4];

    if (!s) return -1;
    if (p[0] == ':')
    {
        if (p[1] != ':') goto fail;
        gap = 0;
        p += 2;
    }
    while (n < 8)
    {
        if (hex_value(*p) < 0)
        {
            /* nothing more: only valid right after "::" */
            if (gap == n && p >= s + 2 && p[-1] == ':' && p[-2] == ':') break;
            goto fail;
        }
        for (q = p; hex_value(*q) >= 0; q++)
            if (q - p > 4) break;
        if (*q == '.')
        {
            if (n > 6 || parse_ipv6_v4_tail(p, &q, v4) < 0) { p = q; goto fail; }
            groups[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
            groups[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
            p = q;
            break;
        }
        v = 0;
        digits = 0;
        while (hex_value(*p) >= 0)
        {
            if (++digits > 4) goto fail;
            v = v * 16 + hex_value(*p);
            p++;
        }
        groups[n++] = (uint16_t)v;
        if (n == 8 || *p != ':') break;
        if (p[1] == ':')
        {
            if (gap >= 0) goto fail;
            gap = n;
            p += 2;
        }
        else
        {
            p++;
            if (hex_value(*p) < 0) goto fail;
        }
    }
    if (gap < 0 ? n != 8 : n >= 8) goto fail;

    memset(out, 0, 16);
    if (gap < 0) gap = n;
    for (i = 0; i < gap; i++)
    {
        out[2 * i] = (uint8_t)(groups[i] >> 8);
        out[2 * i + 1] = (uint8_t)groups[i];
    }
    for (i = gap, j = 8 - (n - gap); i < n; i++, j++)
    {
        out[2 * j] = (uint8_t)(groups[i] >> 8);
        out[2 * j + 1] = (uint8_t)groups[i];
    }
    if (end) *end = p;
    return 0;
fail:
    if (end) *end = p;
    return -1;
}

int addr_parse_number(const char *s, const char **end, uint32_t *value)
{
    const char *e = s;
    int ret;

    if (!s) return -1;
    ret = parse_loose(s, &e, value);
    if (end) *end = e;
    return ret;
}

static int parse_port(const char *p, uint16_t *port)
{
    uint32_t v;
    const char *e;

    if (parse_loose(p, &e, &v) < 0 || *e || v == 0 || v > 0xffff) return -1;
    *port = (uint16_t)v;
    return 0;
}

int addr_parse_ipv4_ex(const char *s, uint8_t out[4], uint16_t *port, int *addr_ok)
{
    const char *e;

    *addr_ok = 0;
    *port = 0;
    if (!s || addr_parse_ipv4(s, 0, &e, out) < 0) return -1;
    *addr_ok = 1;
    if (*e == ':') return parse_port(e + 1, port);
    return *e ? -1 : 0;
}

int addr_parse_ipv6_ex(const char *s, uint8_t out[16], uint32_t *scope, uint16_t *port)
{
    const char *p = s, *e;
    int bracket;
    uint8_t addr[16];
    uint64_t v;

    if (!s) return -1;
    *scope = 0;
    *port = 0;
    bracket = (*p == '[');
    if (bracket) p++;
    if (addr_parse_ipv6(p, &e, addr) < 0) return -1;
    p = e;
    if (*p == '%')
    {
        p++;
        if (!is_dec(*p)) return -1;
        v = 0;
        while (is_dec(*p))
        {
            v = v * 10 + (uint64_t)(*p - '0');
            if (v > 0xffffffffu) return -1;
            p++;
        }
        *scope = (uint32_t)v;
    }
    if (bracket)
    {
        if (*p != ']') return -1;
        p++;
        if (*p == ':')
        {
            if (parse_port(p + 1, port) < 0) return -1;
            p += strlen(p);
        }
    }
    if (*p) return -1;
    memcpy(out, addr, 16);
    return 0;
}

/* ---- formatting ---- */

static size_t put_uint(char *buf, uint32_t v)
{
    char tmp[10];
    size_t n = 0, i;

    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    return n;
}

static size_t put_hex(char *buf, unsigned v)
{
    static const char digits[] = "0123456789abcdef";
    size_t n = 0;
    int shift, started = 0;

    for (shift = 12; shift >= 0; shift -= 4)
    {
        unsigned d = (v >> shift) & 0xf;
        if (d || started || shift == 0)
        {
            buf[n++] = digits[d];
            started = 1;
        }
    }
    return n;
}

size_t addr_format_ipv4(const uint8_t addr[4], char *buf)
{
    size_t n = 0;
    int i;

    for (i = 0; i < 4; i++)
    {
        if (i) buf[n++] = '.';
        n += put_uint(buf + n, addr[i]);
    }
    buf[n] = 0;
    return n;
}

/* Which address kinds Windows prints with a dotted IPv4 tail. */
static int ipv6_dotted_tail(const uint16_t g[8])
{
    if (!g[0] && !g[1] && !g[2] && !g[3])
    {
        if (!g[4] && !g[5] && g[6]) return 1;                 /* IPv4-compatible ::a.b.c.d */
        if (!g[4] && g[5] == 0xffff && g[6]) return 1;        /* IPv4-mapped ::ffff:a.b.c.d */
        if (g[4] == 0xffff && !g[5] && g[6]) return 1;        /* SIIT ::ffff:0:a.b.c.d */
    }
    if ((g[4] == 0 || g[4] == 0x0200) && g[5] == 0x5efe) return 1; /* ISATAP */
    return 0;
}

size_t addr_format_ipv6(const uint8_t addr[16], char *buf)
{
    uint16_t g[8];
    int i, count, best = -1, best_len = 1, run = -1, run_len = 0;
    size_t n = 0;

    for (i = 0; i < 8; i++) g[i] = (uint16_t)(addr[2 * i] << 8 | addr[2 * i + 1]);
    count = ipv6_dotted_tail(g) ? 6 : 8;

    for (i = 0; i < count; i++)
    {
        if (!g[i])
        {
            if (run < 0) { run = i; run_len = 0; }
            run_len++;
            if (run_len > best_len) { best = run; best_len = run_len; }
        }
        else run = -1;
    }

    for (i = 0; i < count; i++)
    {
        if (i == best)
        {
            buf[n++] = ':';
            buf[n++] = ':';
            i += best_len - 1;
            continue;
        }
        if (i && n && buf[n - 1] != ':') buf[n++] = ':';
        n += put_hex(buf + n, g[i]);
    }
    if (count == 6)
    {
        if (n && buf[n - 1] != ':') buf[n++] = ':';
        n += addr_format_ipv4(addr + 12, buf + n);
    }
    buf[n] = 0;
    return n;
}

size_t addr_format_ipv4_ex(const uint8_t addr[4], uint16_t port, char *buf)
{
    size_t n = addr_format_ipv4(addr, buf);

    if (port)
    {
        buf[n++] = ':';
        n += put_uint(buf + n, port);
        buf[n] = 0;
    }
    return n;
}

size_t addr_format_ipv6_ex(const uint8_t addr[16], uint32_t scope, uint16_t port, char *buf)
{
    size_t n = 0;

    if (port) buf[n++] = '[';
    n += addr_format_ipv6(addr, buf + n);
    if (scope)
    {
        buf[n++] = '%';
        n += put_uint(buf + n, scope);
    }
    if (port)
    {
        buf[n++] = ']';
        buf[n++] = ':';
        n += put_uint(buf + n, port);
    }
    buf[n] = 0;
    return n;
}

int addr_inet_addr(const char *s, uint8_t out[4])
{
    const char *e;

    if (!s) return -1;
    if (s[0] == ' ' && !s[1])
    {
        memset(out, 0, 4);
        return 0;
    }
    if (addr_parse_ipv4(s, 0, &e, out) < 0) return -1;
    return (!*e || is_space(*e)) ? 0 : -1;
}

int addr_wide_to_ascii(const uint16_t *w, char *out, size_t size)
{
    size_t i;

    for (i = 0; i < size; i++)
    {
        if (w[i] > 0x7f) return -1;
        out[i] = (char)w[i];
        if (!w[i]) return 0;
    }
    return -1;
}

void addr_ascii_to_wide(const char *s, size_t len, uint16_t *out)
{
    size_t i;

    for (i = 0; i < len; i++) out[i] = (uint8_t)s[i];
    out[len] = 0;
}
