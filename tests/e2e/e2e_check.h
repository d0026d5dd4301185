/* e2e_check.h - the check machinery every end-to-end program shares (the one CHECK): one output line
 * per check, a check and failure count for the exit code.
 *   CHECK(cond, fmt, ...)               "ok: file:line: message" / "FAIL: file:line: message"
 *   CHECK_FAIL(expr, failval, experr)   expr must return failval and leave WSAGetLastError() == experr
 *   e2e_done(name)                      "name: N checks, M failures"; returns the exit code (0 or 1)
 *   e2e_check(ok, fmt, ...)             "ok   message" / "FAIL message" (no location)
 *   e2e_summary()                       "N checks, M failures"; returns the exit code (0 or 1)
 * A program's own line format, defined before the include:
 *   E2E_CHECK_PLAIN                     CHECK lines without the location: "ok: message"
 *   E2E_CHECK_FAIL_WORD "FAILED"        the word of a failed CHECK ("FAIL" unless defined)
 * The condition is evaluated before the message's arguments (which often print its results).
 * Main thread only (the counters are plain ints).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_E2E_CHECK_H
#define OPENWS2_E2E_CHECK_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int e2e_failures, e2e_checks;

#ifndef E2E_CHECK_FAIL_WORD
# define E2E_CHECK_FAIL_WORD "FAIL"
#endif
#ifdef E2E_CHECK_PLAIN
# define E2E_CHECK_PREFIX(ok) printf("%s: ", (ok) ? "ok" : E2E_CHECK_FAIL_WORD)
#else
# define E2E_CHECK_PREFIX(ok) printf("%s: %s:%d: ", (ok) ? "ok" : E2E_CHECK_FAIL_WORD, __FILE__, __LINE__)
#endif

#define CHECK(cond, ...) do { \
        int ok_ = (cond) ? 1 : 0; \
        e2e_checks++; \
        if (!ok_) e2e_failures++; \
        E2E_CHECK_PREFIX(ok_); \
        printf(__VA_ARGS__); \
        printf("\n"); \
        fflush(stdout); \
    } while (0)

/* A call that must fail with failval (e.g. SOCKET_ERROR) and leave WSAGetLastError() == experr.
 * Results and failval go through intptr_t: pointers convert on i686 too, and INVALID_SOCKET reads
 * as -1 in both builds. */
#define CHECK_FAIL(expr, failval, experr) do { \
        long long r_; int e_; \
        WSASetLastError(0xdead); \
        r_ = (long long)(intptr_t)(expr); \
        e_ = WSAGetLastError(); \
        CHECK(r_ == (long long)(intptr_t)(failval) && e_ == (experr), "%s -> %lld error %d (expected %lld error %d)", \
              #expr, r_, e_, (long long)(intptr_t)(failval), (int)(experr)); \
    } while (0)

static inline int e2e_done(const char *name)
{
    printf("%s: %d checks, %d failures\n", name, e2e_checks, e2e_failures);
    return e2e_failures ? 1 : 0;
}

static inline void e2e_check(int ok, const char *fmt, ...)
{
    va_list ap;
    e2e_checks++;
    if (!ok) e2e_failures++;
    printf("%s ", ok ? "ok  " : "FAIL");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static inline int e2e_summary(void)
{
    printf("%d checks, %d failures\n", e2e_checks, e2e_failures);
    return e2e_failures ? 1 : 0;
}

#endif
