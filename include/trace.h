/* trace.h - openws2's one tracing switch: OPENWS2_TRACE=1 in the environment logs every API call
 * ("openws2: api ...") and every provider call ("openws2: spi ...") with arguments and results to
 * stderr. Portable (output through os_trace_write).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_TRACE_H
#define OPENWS2_TRACE_H

#include "ws2_common.h"

extern int trace_on;          /* read once from OPENWS2_TRACE at load (trace_init) */
void trace_init(void);
void trace_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define TRACE_API(fmt, ...) do { if (trace_on) trace_printf("openws2: api " fmt "\n", ##__VA_ARGS__); } while (0)
#define TRACE_SPI(fmt, ...) do { if (trace_on) trace_printf("openws2: spi " fmt "\n", ##__VA_ARGS__); } while (0)
#define TRACE_CAT(fmt, ...) do { if (trace_on) trace_printf("openws2: catalog " fmt "\n", ##__VA_ARGS__); } while (0)
#define TRACE_NSP(fmt, ...) do { if (trace_on) trace_printf("openws2: nsp " fmt "\n", ##__VA_ARGS__); } while (0)

#endif
