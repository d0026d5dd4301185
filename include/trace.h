/* trace.h - openws2's one trace library, shared by ws2_32.dll, the provider DLLs and the tools:
 * channels (api, spi, catalog, nsp, afd, lsp) with levels, selected by
 *   OPENWS2_TRACE=1 | all | CHANNEL[:LEVEL][,...] | -CHANNEL   (LEVEL: warn or trace, default trace)
 *                  [,tid]                                      "tid": standard error's lines start with
 *                                                              the thread id ("0024:openws2: api ...";
 *                                                              the file and Wine's output always have it)
 *   WINEDEBUG=+openws2 (or warn+openws2)                           under Wine: every channel, output
 *                                                                  through Wine's debug output
 *   OPENWS2_TRACE_FILE=PATH                                        output into PATH instead, "%p" in
 *                                                                  it replaced by the process id
 * Off, a trace point costs one test of trace_on. The output side lives behind trace_sink_* (Windows:
 * src/shared/trace_sink_win32.c; host unit tests: tests/unit/os_host.c). docs/USAGE.md, "Tracing".
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_TRACE_H
#define OPENWS2_TRACE_H

#include <stddef.h>

enum trace_channel
{
    TRACE_CH_API,     /* the Winsock API of ws2_32 */
    TRACE_CH_SPI,     /* ws2_32's calls into providers */
    TRACE_CH_CATALOG, /* protocol and namespace catalogs */
    TRACE_CH_NSP,     /* namespace providers and lookups */
    TRACE_CH_AFD,     /* the base provider openws2afd */
    TRACE_CH_LSP,     /* the layered providers */
    TRACE_NCHANNELS
};

enum trace_level
{
    TRACE_LEVEL_OFF,
    TRACE_LEVEL_WARN,
    TRACE_LEVEL_TRACE
};

/* Where the lines go (trace_init decides). */
enum trace_route
{
    TRACE_ROUTE_STDERR, /* "openws2: api ..." on the process' standard error */
    TRACE_ROUTE_WINE,   /* Wine's debug output: "0024:trace:openws2:api ..." (+timestamp, +pid as Wine) */
    TRACE_ROUTE_FILE    /* OPENWS2_TRACE_FILE, one line per call, with process and thread ids */
};

extern int trace_on;                                   /* nonzero when any channel is on */
extern unsigned char trace_levels[TRACE_NCHANNELS];    /* enum trace_level per channel */
extern int trace_thread_ids;                           /* "tid" in OPENWS2_TRACE (trace_spec_parse) */

/* Reads the environment once (DLL load). */
void trace_init(void);

/* Parses an OPENWS2_TRACE value into levels (all TRACE_LEVEL_OFF first) and trace_thread_ids.
 * Returns the number of items that were not understood (they are ignored). */
int trace_spec_parse(const char *spec, unsigned char levels[TRACE_NCHANNELS]);

/* The channel's name ("api", ...), NULL for an unknown channel. */
const char *trace_channel_name(enum trace_channel ch);

/* One line (the newline is added) on channel ch at level; use the macros below. */
void trace_log(enum trace_channel ch, enum trace_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define TRACE_ENABLED(ch, lvl) (trace_on && trace_levels[ch] >= (lvl))
#define TRACE_CH(ch, fmt, ...) \
    do { if (TRACE_ENABLED(ch, TRACE_LEVEL_TRACE)) trace_log(ch, TRACE_LEVEL_TRACE, fmt, ##__VA_ARGS__); } while (0)
#define WARN_CH(ch, fmt, ...) \
    do { if (TRACE_ENABLED(ch, TRACE_LEVEL_WARN)) trace_log(ch, TRACE_LEVEL_WARN, fmt, ##__VA_ARGS__); } while (0)

/* ---- argument decoders for trace lines (src/shared/trace_decode.c), portable; each writes into
 * buf (size bytes, TRACE_TEXT_LEN is enough) and returns buf. Call them only when the channel is on
 * (TRACE_ENABLED), so that tracing off costs nothing. Numbers are Windows' (winsock2.h ...). ---- */
#define TRACE_TEXT_LEN 80
/* A socket address in Windows' layout (family as a 16-bit little-endian number): "127.0.0.1:80",
 * "[::1]:80", "[fe80::1%2]:80"; "(null)", "(short)" or "(family F, N bytes)" otherwise. */
const char *trace_sockaddr_text(const void *addr, int len, char *buf, size_t size);
/* A socket option: "SOL_SOCKET/SO_RCVBUF", "IPPROTO_TCP/TCP_NODELAY", "IPPROTO_IP/0x63" (unknown
 * option), "0x84/0x1" (unknown level). */
const char *trace_sockopt_name(int level, int optname, char *buf, size_t size);
/* A control code: "FIONBIO", "SIO_GET_EXTENSION_FUNCTION_POINTER", "0x12345678" when unknown. */
const char *trace_ioctl_name(unsigned long code, char *buf, size_t size);
/* A WSA error: "WSAEWOULDBLOCK", "WSA_IO_PENDING", the number when unknown. */
const char *trace_error_name(int err, char *buf, size_t size);

#define TRACE_API(fmt, ...) TRACE_CH(TRACE_CH_API, fmt, ##__VA_ARGS__)
#define TRACE_SPI(fmt, ...) TRACE_CH(TRACE_CH_SPI, fmt, ##__VA_ARGS__)
#define TRACE_CAT(fmt, ...) TRACE_CH(TRACE_CH_CATALOG, fmt, ##__VA_ARGS__)
#define TRACE_NSP(fmt, ...) TRACE_CH(TRACE_CH_NSP, fmt, ##__VA_ARGS__)

/* ---- the output side (one implementation per platform) ---- */
/* Environment variable into buf; the length, 0 when unset or too long. Keeps the last error. */
size_t trace_sink_getenv(const char *name, char *buf, size_t size);
/* Under Wine: the level WINEDEBUG gives the channel "openws2" (TRACE_LEVEL_OFF elsewhere). */
enum trace_level trace_sink_wine_level(void);
/* Opens the per-process file of a path template ("%p": process id); nonzero on success. */
int trace_sink_open_file(const char *path_template);
/* The calling thread's id (GetCurrentThreadId on Windows). */
unsigned long trace_sink_thread_id(void);
/* Writes one finished line (text ends with a newline) for channel name chan at level. */
void trace_sink_write(enum trace_route route, const char *chan, enum trace_level level, const char *text,
                      size_t len);

#endif
