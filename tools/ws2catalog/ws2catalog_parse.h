/* ws2catalog_parse.h - ws2catalog's portable command-line value parsers (ws2catalog_parse.c).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_WS2CATALOG_PARSE_H
#define OPENWS2_WS2CATALOG_PARSE_H

#include "ws2_common.h"

/* Parses "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (braces optional, hex digits in either case). */
BOOL ws2c_parse_guid(const WCHAR *s, GUID *out);
/* Parses "ID[,ID...]": decimal catalog entry ids, each 1..0xFFFFFFFF, at most max of them; *count
 * set. FALSE on bad syntax, a zero or too large id, or more than max ids. */
BOOL ws2c_parse_ids(const WCHAR *s, DWORD *ids, size_t max, size_t *count);

#endif
