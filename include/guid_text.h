/* guid_text.h - a GUID as the text "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" for traces and tool output
 * (src/shared/guid_text.c, in the openws2_trace library that ws2_32, the provider DLLs and the tools link).
 * Copyright (C) 2026 the openws2 authors
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_GUID_TEXT_H
#define OPENWS2_GUID_TEXT_H

#include <windows.h>

/* Room for the braced text and its terminator (38 + 1, rounded up). */
#define GUID_TEXT_SIZE 40

/* Writes g in lower-case hex (upper-case with guid_text_upper) to buf and returns buf; a NULL g is
 * written as "(null)". */
const char *guid_text(const GUID *g, char buf[GUID_TEXT_SIZE]);
const char *guid_text_upper(const GUID *g, char buf[GUID_TEXT_SIZE]);

#endif
