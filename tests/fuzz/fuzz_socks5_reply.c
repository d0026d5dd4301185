/* fuzz_socks5_reply.c - libFuzzer target for the SOCKS5 LSP's reply parsing
 * (dlls/lsp_socks/socks5_proto.c): arbitrary bytes as the method choice, the RFC 1929 status and the
 * CONNECT reply, fed the way the LSP reads them (the first 5 bytes, then the length asked for); and
 * the same bytes as the user name, password and target name of the requests (exact-size buffers).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>
#include "socks5_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* parse with a copy of exactly len bytes, so ASan sees any read past them */
static int connect_reply(const uint8_t *data, size_t len, size_t *need, uint8_t *code)
{
    uint8_t *copy = malloc(len ? len : 1);
    int r;
    if (!copy) abort();
    memcpy(copy, data, len);
    r = socks5_parse_connect_reply(copy, len, need, code);
    free(copy);
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t method = 0, code = 0;
    size_t need = 0, len;
    int r;
    char *text, *pass;
    uint8_t *msg;

    /* the requests, from the input as text: never longer than their documented maxima */
    if (!(text = malloc(size + 1)) || !(msg = malloc(SOCKS5_MAX_AUTH_MSG))) abort();
    memcpy(text, data, size);
    text[size] = 0;
    pass = text + strlen(text) / 2;
    if (socks5_connect_name(msg, text, 80) > SOCKS5_MAX_MSG) abort();
    if (socks5_auth_request(msg, pass, text) > SOCKS5_MAX_AUTH_MSG) abort();
    free(msg);
    free(text);

    for (len = 0; len <= size && len <= 3; len++)
    {
        r = socks5_parse_method(data, len, 0, &method);
        if (r == SOCKS5_OK && (len < 2 || method != SOCKS5_AUTH_NONE)) abort();
        r = socks5_parse_method(data, len, 1, &method);
        if (r == SOCKS5_OK && (len < 2 || (method != SOCKS5_AUTH_NONE && method != SOCKS5_AUTH_USERPASS))) abort();
        r = socks5_parse_auth_reply(data, len);
        if (r == SOCKS5_OK && len < 2) abort();
    }
    /* the LSP: 5 bytes first, then what the parser asks for */
    len = size < 5 ? size : 5;
    r = connect_reply(data, len, &need, &code);
    if (r == SOCKS5_NEED_MORE)
    {
        if (need <= len || need > SOCKS5_MAX_MSG) abort();
        if (need <= size)
        {
            r = connect_reply(data, need, &need, &code);
            if (r == SOCKS5_NEED_MORE) abort(); /* the whole reply was given */
        }
    }
    /* and every other length, in one go */
    for (len = 0; len <= size && len <= SOCKS5_MAX_MSG + 2; len++)
    {
        r = connect_reply(data, len, &need, &code);
        if (r == SOCKS5_OK && len < 7) abort(); /* the shortest reply: an empty domain name, 7 bytes */
        if (r == SOCKS5_NEED_MORE && (need <= len || need > SOCKS5_MAX_MSG)) abort();
    }
    return 0;
}
