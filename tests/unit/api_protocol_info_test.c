/* api_protocol_info_test.c - unit tests of ws2_32's one ANSI/Unicode WSAPROTOCOL_INFO conversion
 * (src/shared/protocol_info.c): the fixed fields copied, szProtocol converted, and a name whose ANSI
 * form does not fit cut at its last whole character, always terminated. The ANSI code page here is
 * a double-byte one of the test's own: characters below 0x80 take one byte, the others two.
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "protocol_info.h"

static int dbcs_len(WCHAR c)
{
    return c < 0x80 ? 1 : 2;
}

INT WINAPI WideCharToMultiByte(UINT cp, DWORD flags, LPCWSTR src, INT srclen, LPSTR dst, INT dstlen, LPCSTR defchar,
                               LPBOOL used)
{
    INT i, n = 0;
    (void)cp;
    (void)flags;
    (void)defchar;
    (void)used;
    if (srclen < 0)
        for (srclen = 0; src[srclen++];) {}
    for (i = 0; i < srclen; i++) n += dbcs_len(src[i]);
    if (!dstlen) return n;
    if (n > dstlen)
    {
        /* as Windows: ERROR_INSUFFICIENT_BUFFER, with part of the output written */
        memset(dst, '#', (size_t)dstlen);
        return 0;
    }
    for (i = 0, n = 0; i < srclen; i++)
    {
        if (src[i] < 0x80) dst[n++] = (char)src[i];
        else
        {
            dst[n++] = (char)(0x80 | (src[i] >> 8));
            dst[n++] = (char)(src[i] & 0xff ? src[i] & 0xff : 1);
        }
    }
    return n;
}

INT WINAPI MultiByteToWideChar(UINT cp, DWORD flags, LPCSTR src, INT srclen, LPWSTR dst, INT dstlen)
{
    INT i, n;
    (void)cp;
    (void)flags;
    n = srclen < 0 ? (INT)strlen(src) + 1 : srclen;
    if (!dstlen) return n;
    if (n > dstlen) return 0;
    for (i = 0; i < n; i++) dst[i] = (unsigned char)src[i];
    return n;
}

static void fill(WSAPROTOCOL_INFOW *w, const WCHAR *name, size_t len)
{
    memset(w, 0x5a, sizeof(*w));
    w->dwCatalogEntryId = 1234;
    w->iAddressFamily = 2;
    w->iProtocol = 6;
    if (len) memcpy(w->szProtocol, name, len * sizeof(WCHAR));
    if (len <= WSAPROTOCOL_LEN) w->szProtocol[len] = 0;
}

static void expect_fixed_fields(const WSAPROTOCOL_INFOA *a)
{
    assert_int_equal(a->dwCatalogEntryId, 1234);
    assert_int_equal(a->iAddressFamily, 2);
    assert_int_equal(a->iProtocol, 6);
}

static void test_short_name(void **state)
{
    static const WCHAR name[] = {'M', 'S', 'A', 'F', 'D', ' ', 'T', 'c', 'p', 'i', 'p'};
    WSAPROTOCOL_INFOW w, back;
    WSAPROTOCOL_INFOA a;
    (void)state;
    fill(&w, name, 11);
    memset(&a, 0x77, sizeof(a));
    protocol_info_w_to_a(&w, &a);
    expect_fixed_fields(&a);
    assert_string_equal(a.szProtocol, "MSAFD Tcpip");
    assert_int_equal(a.szProtocol[WSAPROTOCOL_LEN], 0);
    protocol_info_a_to_w(&a, &back);
    assert_int_equal(back.dwCatalogEntryId, 1234);
    assert_memory_equal(back.szProtocol, name, sizeof(name));
    assert_int_equal(back.szProtocol[11], 0);
}

/* 255 one-byte characters: all of them, terminated in the last byte */
static void test_full_length(void **state)
{
    WCHAR name[WSAPROTOCOL_LEN];
    WSAPROTOCOL_INFOW w;
    WSAPROTOCOL_INFOA a;
    size_t i;
    (void)state;
    for (i = 0; i < WSAPROTOCOL_LEN; i++) name[i] = (WCHAR)('a' + i % 26);
    fill(&w, name, WSAPROTOCOL_LEN);
    protocol_info_w_to_a(&w, &a);
    assert_int_equal(strlen(a.szProtocol), WSAPROTOCOL_LEN);
    assert_int_equal(a.szProtocol[WSAPROTOCOL_LEN - 1], 'a' + (WSAPROTOCOL_LEN - 1) % 26);
}

/* 200 one-byte and 55 two-byte characters need 310 bytes: the first 200 + 27 fit in 254 bytes, the
 * 28th two-byte character would split at the 255th byte, so it goes; the rest is zeros. */
static void test_cut_at_whole_character(void **state)
{
    WCHAR name[WSAPROTOCOL_LEN];
    WSAPROTOCOL_INFOW w;
    WSAPROTOCOL_INFOA a;
    size_t i;
    (void)state;
    for (i = 0; i < 200; i++) name[i] = 'x';
    for (; i < WSAPROTOCOL_LEN; i++) name[i] = 0x3042;
    fill(&w, name, WSAPROTOCOL_LEN);
    memset(&a, 0x77, sizeof(a));
    protocol_info_w_to_a(&w, &a);
    expect_fixed_fields(&a);
    assert_int_equal(strlen(a.szProtocol), 200 + 27 * 2);
    assert_int_equal((unsigned char)a.szProtocol[200], 0x80 | 0x30);
    assert_int_equal((unsigned char)a.szProtocol[253], 0x42);
    for (i = 254; i < sizeof(a.szProtocol); i++) assert_int_equal(a.szProtocol[i], 0);
}

/* A provider's name without a terminator (all 256 characters set): at most 255 taken. */
static void test_unterminated(void **state)
{
    WSAPROTOCOL_INFOW w;
    WSAPROTOCOL_INFOA a;
    size_t i;
    (void)state;
    fill(&w, NULL, 0);
    for (i = 0; i < WSAPROTOCOL_LEN + 1; i++) w.szProtocol[i] = 'q';
    protocol_info_w_to_a(&w, &a);
    assert_int_equal(strlen(a.szProtocol), WSAPROTOCOL_LEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_name),
        cmocka_unit_test(test_full_length),
        cmocka_unit_test(test_cut_at_whole_character),
        cmocka_unit_test(test_unterminated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
