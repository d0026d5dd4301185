/* api_check.h - the check helpers of the API layer's end-to-end programs (tests/e2e/api_*.c): one
 * output line per check, a failure count for the exit code.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_API_CHECK_H
#define OPENWS2_API_CHECK_H

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdio.h>
#include <string.h>

static int api_failures, api_checks;

#define CHECK(cond, ...) do { \
        int ok_ = (cond) ? 1 : 0; \
        api_checks++; \
        if (!ok_) api_failures++; \
        printf("%s: %s:%d: ", ok_ ? "ok" : "FAIL", __FILE__, __LINE__); \
        printf(__VA_ARGS__); \
        printf("\n"); \
        fflush(stdout); \
    } while (0)

/* A call that must fail with SOCKET_ERROR (or the given failure value) and the WSA error. */
#define CHECK_FAIL(expr, failval, experr) do { \
        long long r_; int e_; \
        WSASetLastError(0xdead); \
        r_ = (long long)(expr); \
        e_ = WSAGetLastError(); \
        CHECK(r_ == (long long)(failval) && e_ == (experr), "%s -> %lld error %d (expected %lld error %d)", \
              #expr, r_, e_, (long long)(failval), (int)(experr)); \
    } while (0)

static inline int api_done(const char *name)
{
    printf("%s: %d checks, %d failures\n", name, api_checks, api_failures);
    return api_failures ? 1 : 0;
}

#endif
