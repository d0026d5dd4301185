/* trace.c - the trace library's portable core (see trace.h): which channels are on at which level,
 * and the formatting of a line; the output goes to trace_sink_write.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "trace.h"

int trace_on;
int trace_thread_ids;
unsigned char trace_levels[TRACE_NCHANNELS];
static enum trace_route trace_route_used = TRACE_ROUTE_STDERR;

static const char *const channel_names[TRACE_NCHANNELS] = {"api", "spi", "catalog", "nsp", "afd", "lsp"};
/* What a line on standard error starts with after "openws2: " (the base provider's lines have always
 * read "openws2: spi afd ...") */
static const char *const channel_prefixes[TRACE_NCHANNELS] = {"api", "spi", "catalog", "nsp", "spi afd", "lsp"};

const char *trace_channel_name(enum trace_channel ch)
{
    return (unsigned)ch < TRACE_NCHANNELS ? channel_names[ch] : NULL;
}

static int name_is(const char *s, size_t len, const char *name)
{
    return strlen(name) == len && !strncmp(s, name, len);
}

/* One item of the spec: [-]NAME[:LEVEL]. Returns 0 when understood. */
static int parse_item(const char *s, size_t len, unsigned char levels[TRACE_NCHANNELS])
{
    const char *colon = memchr(s, ':', len);
    size_t name_len = colon ? (size_t)(colon - s) : len;
    unsigned char level = TRACE_LEVEL_TRACE;
    int off = 0, i, hit = 0;

    if (name_len && s[0] == '-')
    {
        off = 1;
        s++;
        name_len--;
        len--;
    }
    if (colon)
    {
        const char *lv = colon + 1;
        size_t lv_len = len - name_len - 1;
        if (name_is(lv, lv_len, "warn")) level = TRACE_LEVEL_WARN;
        else if (!name_is(lv, lv_len, "trace")) return -1;
    }
    if (off) level = TRACE_LEVEL_OFF;
    if (!name_len) return -1;
    if (name_is(s, name_len, "tid") && !colon)
    {
        trace_thread_ids = !off;
        return 0;
    }
    for (i = 0; i < TRACE_NCHANNELS; i++)
    {
        if (name_is(s, name_len, "all") || name_is(s, name_len, "1") || name_is(s, name_len, channel_names[i]))
        {
            levels[i] = level;
            hit = 1;
        }
    }
    return hit ? 0 : -1;
}

int trace_spec_parse(const char *spec, unsigned char levels[TRACE_NCHANNELS])
{
    int bad = 0;

    memset(levels, TRACE_LEVEL_OFF, TRACE_NCHANNELS);
    trace_thread_ids = 0;
    if (!spec) return 0;
    /* "0" or empty: off, as OPENWS2_TRACE=0 always was */
    if (!spec[0] || !strcmp(spec, "0")) return 0;
    while (*spec)
    {
        size_t len = strcspn(spec, ",; ");
        if (len && parse_item(spec, len, levels)) bad++;
        spec += len;
        if (*spec) spec++;
    }
    return bad;
}

void trace_init(void)
{
    char spec[256], path[520];
    enum trace_level wine;
    int i;

    if (trace_sink_getenv("OPENWS2_TRACE", spec, sizeof(spec))) trace_spec_parse(spec, trace_levels);
    else memset(trace_levels, TRACE_LEVEL_OFF, sizeof(trace_levels));
    /* WINEDEBUG=+openws2 (warn+openws2): every channel at that level, through Wine's output */
    wine = trace_sink_wine_level();
    trace_route_used = TRACE_ROUTE_STDERR;
    if (wine != TRACE_LEVEL_OFF)
    {
        for (i = 0; i < TRACE_NCHANNELS; i++)
            if (trace_levels[i] < wine) trace_levels[i] = (unsigned char)wine;
        trace_route_used = TRACE_ROUTE_WINE;
    }
    if (trace_sink_getenv("OPENWS2_TRACE_FILE", path, sizeof(path)) && trace_sink_open_file(path))
        trace_route_used = TRACE_ROUTE_FILE;
    trace_on = 0;
    for (i = 0; i < TRACE_NCHANNELS; i++)
        if (trace_levels[i] != TRACE_LEVEL_OFF) trace_on = 1;
}

void trace_log(enum trace_channel ch, enum trace_level level, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    int n = 0, m;

    if ((unsigned)ch >= TRACE_NCHANNELS) return;
    /* The file and Wine's output carry the thread id in their own header; standard error on request
     * ("tid" in OPENWS2_TRACE), as "TID:openws2: ..." so that lines still read "openws2: CHANNEL ...". */
    if (trace_route_used == TRACE_ROUTE_STDERR && trace_thread_ids)
        n = snprintf(buf, sizeof(buf), "%04lx:", trace_sink_thread_id());
    if (trace_route_used != TRACE_ROUTE_WINE && n >= 0)
        n += snprintf(buf + n, sizeof(buf) - (size_t)n, "openws2: %s %s", channel_prefixes[ch],
                      level == TRACE_LEVEL_WARN ? "warn: " : "");
    if (n < 0) return;
    va_start(ap, fmt);
    m = vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0) return;
    n += m;
    if ((size_t)n > sizeof(buf) - 2) n = (int)sizeof(buf) - 2; /* cut: the line still ends */
    buf[n++] = '\n';
    buf[n] = 0;
    trace_sink_write(trace_route_used, channel_names[ch], level, buf, (size_t)n);
}
