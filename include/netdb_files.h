/* netdb_files.h - the database files of the resolver-style exports: services, protocol and hosts
 * in the database directory (the DataBasePath value of Tcpip\Parameters, else
 * %SystemRoot%\system32\drivers\etc), read whole into memory (at most NETDB_FILE_MAX bytes), with
 * embedded defaults (the well-known IANA services and protocols) when a file is absent. DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_NETDB_FILES_H
#define OPENWS2_NETDB_FILES_H

#include "ws2_common.h"

#define NETDB_FILE_MAX (16u * 1024 * 1024) /* larger files are read up to this size */

enum netdb_file { NETDB_SERVICES, NETDB_PROTOCOLS, NETDB_HOSTS };

struct netdb_text
{
    const char *data;
    size_t len;
    BOOL allocated;       /* data is a heap copy of the file (else the embedded default) */
};

/* Loads a database. Returns 0, or WSAENOBUFS when memory runs out. A missing or unreadable file
 * yields the embedded default (hosts: an empty text). */
int netdb_file_load(enum netdb_file which, struct netdb_text *out);
void netdb_file_free(struct netdb_text *text);

/* Reads the file at path whole (at most NETDB_FILE_MAX bytes) into one HeapAlloc'd block, the data
 * starting offset bytes in (room for the caller's header). Returns 0 (*block, *len set; free with
 * HeapFree), -1 when the file cannot be opened or its size read, or WSAENOBUFS. The one file reader
 * of ws2_32 and openws2nsp (nsp_files.c). */
int netdb_read_file(const WCHAR *path, size_t offset, void **block, size_t *len);

#endif
