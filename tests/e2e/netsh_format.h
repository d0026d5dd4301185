/* netsh_format.h - checks that text is laid out exactly as `netsh winsock show catalog` prints the
 * catalog (the layout documented in tools/ws2catalog/ws2catalog_show.c, from real netsh dumps):
 * blocks separated by an empty line, header, 54 dashes, the fields in Windows' order, each label
 * padded to column 36, values in netsh's formats, nothing else.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NETSH_FORMAT_H
#define OPENWS2_NETSH_FORMAT_H

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NETSH_DASHES "------------------------------------------------------"
#define NETSH_COLUMN 36

enum netsh_value { NV_TEXT, NV_DEC, NV_HEX, NV_GUID, NV_TYPE, NV_BOOL };

struct netsh_field
{
    const char *label;
    enum netsh_value kind;
};

static const struct netsh_field netsh_protocol_fields[] = {
    {"Entry Type:", NV_TYPE},       {"Description:", NV_TEXT},        {"Provider ID:", NV_GUID},
    {"Provider Path:", NV_TEXT},    {"Catalog Entry ID:", NV_DEC},    {"Version:", NV_DEC},
    {"Address Family:", NV_DEC},    {"Max Address Length:", NV_DEC}, {"Min Address Length:", NV_DEC},
    {"Socket Type:", NV_DEC},       {"Protocol:", NV_DEC},            {"Service Flags:", NV_HEX},
    {"Protocol Chain Length:", NV_DEC},
};

static const struct netsh_field netsh_namespace_fields[] = {
    {"Description:", NV_TEXT}, {"Provider ID:", NV_GUID}, {"Name Space:", NV_DEC},
    {"Active:", NV_BOOL},      {"Version:", NV_DEC},
};

static int netsh_value_ok(const char *v, enum netsh_value kind)
{
    static const char *const types[] = {"Base Service Provider", "Layered Service Provider", "Layered Chain Entry"};
    size_t i, n = strlen(v);

    if (!n || isspace((unsigned char)v[0])) return 0;
    switch (kind)
    {
    case NV_TEXT: return 1;
    case NV_BOOL: return !strcmp(v, "0") || !strcmp(v, "1");
    case NV_DEC:
        if (*v == '-') v++;
        if (!*v) return 0;
        for (; *v; v++)
            if (!isdigit((unsigned char)*v)) return 0;
        return 1;
    case NV_HEX:
        if (strncmp(v, "0x", 2) || !v[2]) return 0;
        for (v += 2; *v; v++)
            if (!isdigit((unsigned char)*v) && !(*v >= 'a' && *v <= 'f')) return 0;
        return 1;
    case NV_GUID: /* {8-4-4-4-12}, upper-case hex */
        if (n != 38 || v[0] != '{' || v[37] != '}') return 0;
        for (i = 1; i < 37; i++)
        {
            if (i == 9 || i == 14 || i == 19 || i == 24)
            {
                if (v[i] != '-') return 0;
            }
            else if (!isdigit((unsigned char)v[i]) && !(v[i] >= 'A' && v[i] <= 'F'))
                return 0;
        }
        return 1;
    case NV_TYPE:
        for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        {
            size_t t = strlen(types[i]);
            if (!strncmp(v, types[i], t) && (!v[t] || !strcmp(v + t, " (32)"))) return 1;
        }
        return 0;
    }
    return 0;
}

/* One field line: LABEL, spaces up to column 36, a value of the kind. */
static int netsh_field_ok(const char *line, const struct netsh_field *f)
{
    size_t l = strlen(f->label), i;

    if (strncmp(line, f->label, l) || strlen(line) <= NETSH_COLUMN) return 0;
    for (i = l; i < NETSH_COLUMN; i++)
        if (line[i] != ' ') return 0;
    return netsh_value_ok(line + NETSH_COLUMN, f->kind);
}

/* "Protocol Chain: A : B ..." with exactly len decimal ids. */
static int netsh_chain_ok(const char *line, long len)
{
    const char *p = line + strlen("Protocol Chain: ");
    long k;

    if (strncmp(line, "Protocol Chain: ", strlen("Protocol Chain: "))) return 0;
    for (k = 0; k < len; k++)
    {
        if (k && strncmp(p, " : ", 3)) return 0;
        if (k) p += 3;
        if (!isdigit((unsigned char)*p)) return 0;
        while (isdigit((unsigned char)*p)) p++;
    }
    return !*p;
}

/* Checks out (CRLF or LF line ends). Returns 1 when every line is where netsh puts it, with the
 * block counts in *protocols / *namespaces; else 0 with the reason and the line in why. */
static int netsh_format_check(const char *out, int *protocols, int *namespaces, char *why, size_t why_size)
{
    char *text = _strdup(out), *lines[8192], *p;
    int n = 0, i = 0, ok = 1;

    *protocols = *namespaces = 0;
    why[0] = 0;
    if (!text) return 0;
    for (p = text; *p && n < 8192;)
    {
        char *e = strchr(p, '\n');
        lines[n++] = p;
        if (!e) break;
        if (e > p && e[-1] == '\r') e[-1] = 0;
        *e = 0;
        p = e + 1;
    }
#define NETSH_FAIL(...) do { snprintf(why, why_size, __VA_ARGS__); ok = 0; goto done; } while (0)
    while (i < n)
    {
        const struct netsh_field *fields;
        size_t count, f;
        int is_protocol;

        if (!lines[i][0]) { i++; continue; }
        is_protocol = !strcmp(lines[i], "Winsock Catalog Provider Entry");
        if (!is_protocol && strcmp(lines[i], "Winsock Namespace Provider Entry"))
            NETSH_FAIL("line %d is no block header: \"%.80s\"", i + 1, lines[i]);
        if (i == 0 || lines[i - 1][0]) NETSH_FAIL("line %d: header without an empty line before it", i + 1);
        if (is_protocol && *namespaces) NETSH_FAIL("line %d: a protocol block after a namespace block", i + 1);
        if (i + 1 >= n || strcmp(lines[i + 1], NETSH_DASHES)) NETSH_FAIL("line %d: not the 54 dashes", i + 2);
        fields = is_protocol ? netsh_protocol_fields : netsh_namespace_fields;
        count = is_protocol ? sizeof(netsh_protocol_fields) / sizeof(netsh_protocol_fields[0])
                            : sizeof(netsh_namespace_fields) / sizeof(netsh_namespace_fields[0]);
        i += 2;
        for (f = 0; f < count; f++, i++)
            if (i >= n || !netsh_field_ok(lines[i], &fields[f]))
                NETSH_FAIL("line %d: expected \"%s\" at column 0 and its value at column %d, got \"%.80s\"", i + 1,
                           fields[f].label, NETSH_COLUMN, i < n ? lines[i] : "(end)");
        if (is_protocol)
        {
            long len = strtol(lines[i - 1] + NETSH_COLUMN, NULL, 10);
            if (len > 1)
            {
                if (i >= n || !netsh_chain_ok(lines[i], len))
                    NETSH_FAIL("line %d: expected \"Protocol Chain: \" with %ld ids joined by \" : \", got \"%.80s\"",
                               i + 1, len, i < n ? lines[i] : "(end)");
                i++;
            }
            (*protocols)++;
        }
        else
            (*namespaces)++;
        if (i < n && lines[i][0]) NETSH_FAIL("line %d: block not ended by an empty line: \"%.80s\"", i + 1, lines[i]);
    }
#undef NETSH_FAIL
done:
    free(text);
    return ok;
}

#endif
