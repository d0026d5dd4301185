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

static int parse_port(const char *p, uint16_t *port)
{
    uint32_t v;
    const char *e;

    if (parse_loose(p, &e, &v) < 0 || *e || v == 0 || v > 0xffff) return -1;
    *port = (uint16_t)v;
    return 0;
}

/* One IPv6 group or dotted part as Windows reads it (a strtoul-like scan): the first character
 * must be a hex digit; in base 16 a "0x" prefix is taken, and "0x" with no digit after it reads as
 * 0 ending at the 'x'. The value saturates at 0x7fffffff. Returns 0 (*end after the digits) or -1. */
static int ipv6_number(const char *p, unsigned base, const char **end, uint32_t *value)
{
    const char *q = p;
    uint64_t v = 0;
    int d, digits = 0;

    if (hex_value(*p) < 0) return -1;
    if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
    {
        if (hex_value(p[2]) < 0)
        {
            *end = p + 1;
            *value = 0;
            return 0;
        }
        q = p + 2;
    }
    while ((d = hex_value(*q)) >= 0 && (unsigned)d < base)
    {
        if (v < 0x7fffffffu) v = v * base + (unsigned)d;
        digits++;
        q++;
    }
    if (!digits) return -1;
    *value = v > 0x7fffffffu ? 0x7fffffffu : (uint32_t)v;
    *end = q;
    return 0;
}

static void put_group(uint8_t out[16], int at, uint32_t v)
{
    out[at] = (uint8_t)(v >> 8);
    out[at + 1] = (uint8_t)v;
}

/* Windows' IPv6 scanner (RtlIpv6StringToAddress and its Ex form). The address bytes are written
 * into out as they are read, so a failed parse leaves what was read before the failure (the groups
 * in reading order, "::" not yet expanded); a complete address gets its "::" gap expanded. ex:
 * WSAStringToAddress' form ("[addr%scope]:port", the whole string consumed, scope and port written
 * only on success); otherwise the scan stops at the first character that cannot continue the
 * address and reports it in *end. Windows' quirks kept: a last group written "0x..." (any length,
 * the low 16 bits of a value saturated at 0x7fffffff) completes the address and the scan stops at
 * its 'x'; a second "::" after a complete-enough address ends the scan there. */
static int ipv6_scan(const char *s, int ex, const char **end, uint8_t out[16], uint32_t *scope, uint16_t *port)
{
    const char *p = s, *start, *e;
    int n = 0, gap = -1, dotted = 0, bracket = 0, hex_last = 0;
    uint32_t v, sc = 0;
    uint16_t pt = 0;

    if (!s) return -1;
    if (*p == '[')
    {
        if (!ex) goto fail;
        bracket = 1;
        p++;
    }
    if (*p == ':')
    {
        if (p[1] != ':') goto fail;
        p++;
        put_group(out, 0, 0);
    }
    for (;;)
    {
        if (!dotted && *p == ':')
        {
            /* the second colon of "::" (single colons are consumed after each group) */
            if (gap >= 0) goto fail;
            p++;
            gap = n;
            if (n == 14 || ipv6_number(p, 16, &e, &v) < 0) break;
        }
        start = p;
        if (!dotted && n <= (gap >= 0 ? 10 : 12) && !ipv6_number(p, 10, &e, &v) && *e == '.') dotted = 1;
        if (dotted)
        {
            if (ipv6_number(p, 10, &e, &v) < 0) goto fail;
            p = e;
            if (p - start > 3 || v > 255) goto fail;
            if (*p != '.' && (dotted < 4 || (n < 15 && gap < 0))) goto fail;
            out[n++] = (uint8_t)v;
            if (dotted == 4 || *p != '.') break;
            dotted++;
        }
        else
        {
            if (ipv6_number(p, 16, &e, &v) < 0) goto fail;
            p = e;
            if (start[0] == '0' && (start[1] == 'x' || start[1] == 'X'))
            {
                p = start + 1;
                if (n < 14 && gap < 0) goto fail;
                put_group(out, n, v);
                n += 2;
                hex_last = 1;
                goto complete;
            }
            if (*p != ':' && n < 14 && gap < 0) goto fail;
            if (p - start > 4) goto fail;
            put_group(out, n, v);
            n += 2;
            if (*p != ':' || (gap >= 0 && p[1] == ':')) break;
        }
        if (n == (gap >= 0 ? 14 : 16)) break;
        p++;
    }
complete:
    if (gap < 0)
    {
        if (n < 16) goto fail;
    }
    else
    {
        memmove(out + 16 - (n - gap), out + gap, (size_t)(n - gap));
        memset(out + gap, 0, (size_t)(16 - n));
    }
    if (ex)
    {
        if (hex_last) goto fail;
        if (*p == '%')
        {
            p++;
            if (!is_dec(*p) || (p[0] == '0' && (is_dec(p[1]) || p[1] == 'x' || p[1] == 'X'))) goto fail;
            for (v = 0; is_dec(*p); p++)
            {
                if (v > (0xffffffffu - (uint32_t)(*p - '0')) / 10) goto fail;
                v = v * 10 + (uint32_t)(*p - '0');
            }
            sc = v;
        }
        if (bracket)
        {
            if (*p != ']') goto fail;
            p++;
            if (*p == ':')
            {
                if (parse_port(p + 1, &pt) < 0) goto fail;
                p += strlen(p);
            }
        }
        if (*p) goto fail;
        *scope = sc;
        *port = pt;
    }
    if (end) *end = p;
    return 0;
fail:
    if (end) *end = p;
    return -1;
}

int addr_parse_ipv6(const char *s, const char **end, uint8_t out[16])
{
    return ipv6_scan(s, 0, end, out, NULL, NULL);
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
    *scope = 0;
    *port = 0;
    return ipv6_scan(s, 1, NULL, out, scope, port);
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

void addr_wide_to_ascii_stop(const uint16_t *w, size_t len, char *out)
{
    size_t i;

    for (i = 0; i < len; i++) out[i] = w[i] > 0x7e ? (char)0x7f : (char)w[i];
    out[len] = 0;
}

void addr_ascii_to_wide(const char *s, size_t len, uint16_t *out)
{
    size_t i;

    for (i = 0; i < len; i++) out[i] = (uint8_t)s[i];
    out[len] = 0;
}
