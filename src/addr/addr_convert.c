/* addr_convert.c - the address conversion exports: inet_addr, inet_ntoa, inet_pton, InetPtonW,
 * inet_ntop, InetNtopW, WSAAddressToStringA/W, WSAStringToAddressA/W. IPv4 and IPv6 are converted
 * here with Windows' rules (src/addr/addr_parse.c); a call naming a provider (lpProtocolInfo), and any
 * other address family, goes to that provider / the catalog's first provider of the family through
 * WSPAddressToString / WSPStringToAddress. Caller pointers are probed (include/user_ptr.h) before
 * they are read or written: a bad one is WSAEFAULT (for inet_ntop/InetNtopW the NTSTATUS
 * STATUS_INVALID_PARAMETER, which Windows 10 sets as their last error), never a crash. DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdio.h>
#include "addr_parse.h"
#include "api_internal.h"
#include "app_category.h"
#include "catalog.h"
#include "provider.h"
#include "resolve_thread.h"
#include "startup.h"
#include "trace.h"
#include "user_ptr.h"

/* Longest text form of an IP address string we accept as input (anything longer is invalid). */
#define ADDR_INPUT_MAX 128

static const char *debugstr_a(const char *s, char *buf, size_t size)
{
    size_t i, n = 0;

    if (!s) return "(null)";
    if (!user_str_readable(s))
    {
        snprintf(buf, size, "%p (bad pointer)", (const void *)s);
        return buf;
    }
    buf[n++] = '"';
    for (i = 0; s[i] && n + 5 < size; i++)
        buf[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (s[i]) { buf[n++] = '.'; buf[n++] = '.'; }
    buf[n++] = '"';
    buf[n] = 0;
    return buf;
}

static const char *debugstr_w(const WCHAR *s, char *buf, size_t size)
{
    size_t i, n = 0;

    if (!s) return "(null)";
    if (!user_wstr_readable(s))
    {
        snprintf(buf, size, "%p (bad pointer)", (const void *)s);
        return buf;
    }
    buf[n++] = 'L';
    buf[n++] = '"';
    for (i = 0; s[i] && n + 5 < size; i++)
        buf[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';
    if (s[i]) { buf[n++] = '.'; buf[n++] = '.'; }
    buf[n++] = '"';
    buf[n] = 0;
    return buf;
}

/* ---------------------------------------------------------------- inet_addr / inet_ntoa */

ULONG WSAAPI inet_addr(const char *cp)
{
    char dbg[80];
    uint8_t a[4];
    ULONG ret = INADDR_NONE;

    if (!cp || !user_str_readable(cp))
        SetLastError(WSAEFAULT);
    else if (!addr_inet_addr(cp, a))
        memcpy(&ret, a, 4);
    TRACE_API("inet_addr(%s) -> 0x%08lx", debugstr_a(cp, dbg, sizeof(dbg)), (unsigned long)ret);
    return ret;
}

char *WSAAPI inet_ntoa(struct in_addr in)
{
    struct resolve_thread *data = resolve_thread_get();
    char *ret = NULL;

    if (data)
    {
        addr_format_ipv4((const uint8_t *)&in, data->ntoa);
        ret = data->ntoa;
    }
    else SetLastError(WSAENOBUFS);
    TRACE_API("inet_ntoa(0x%08lx) -> %s", (unsigned long)in.s_addr, ret ? ret : "NULL");
    return ret;
}

/* ---------------------------------------------------------------- inet_pton / InetPtonW */

/* 1, 0 or -1 with *err set (0 for "not an address"). */
static int pton(INT family, const char *s, void *out, int *err)
{
    uint8_t a[16];
    const char *end;

    *err = 0;
    if ((family == AF_INET || family == AF_INET6) && !user_writable(out, family == AF_INET ? 4 : 16))
    {
        *err = WSAEFAULT;
        return -1;
    }
    /* Windows writes the address it read even when text follows it ("1.2.3.4:5" leaves 1.2.3.4),
     * and an IPv6 scan writes the groups read before a failure; other bytes keep their value. */
    if (family == AF_INET)
    {
        if (addr_parse_ipv4(s, 1, &end, a) < 0) return 0;
        memcpy(out, a, 4);
        return *end ? 0 : 1;
    }
    if (family == AF_INET6)
    {
        int ret;

        memcpy(a, out, 16);
        ret = addr_parse_ipv6(s, &end, a);
        memcpy(out, a, 16);
        return ret < 0 || *end ? 0 : 1;
    }
    *err = WSAEAFNOSUPPORT;
    return -1;
}

INT WSAAPI inet_pton(INT Family, LPCSTR pszAddrString, PVOID pAddrBuf)
{
    char dbg[80];
    int ret, err;

    /* Windows: a NULL or bad pointer comes before the family check */
    if (!pszAddrString || !pAddrBuf || !user_str_readable(pszAddrString))
    {
        ret = -1;
        err = WSAEFAULT;
    }
    else ret = pton(Family, pszAddrString, pAddrBuf, &err);
    TRACE_API("inet_pton(%d, %s, %p) -> %d (error %d)", Family,
              debugstr_a(pszAddrString, dbg, sizeof(dbg)), pAddrBuf, ret, err);
    if (err) SetLastError(err);
    return ret;
}

INT WSAAPI InetPtonW(INT Family, LPCWSTR pszAddrString, PVOID pAddrBuf)
{
    char dbg[80], stack[ADDR_INPUT_MAX], *s = stack;
    size_t n = 0;
    int ret, err;

    if (!pszAddrString || !pAddrBuf || !user_wstr_readable(pszAddrString))
    {
        ret = -1;
        err = WSAEFAULT;
    }
    else if (Family != AF_INET && Family != AF_INET6)
    {
        ret = -1;
        err = WSAEAFNOSUPPORT;
    }
    else
    {
        /* the whole string, read as Windows' wide parser reads it (a non-ASCII character stops
         * the parse; the address read before it is still written); long ones get a heap copy */
        while (n < 65536 && pszAddrString[n]) n++;
        if (n >= sizeof(stack) && !(s = HeapAlloc(GetProcessHeap(), 0, n + 1)))
        {
            ret = -1;
            err = WSA_NOT_ENOUGH_MEMORY;
        }
        else
        {
            addr_wide_to_ascii_stop((const uint16_t *)pszAddrString, n, s);
            ret = pton(Family, s, pAddrBuf, &err);
            if (!ret) err = WSAEINVAL; /* unlike inet_pton, InetPtonW sets WSAEINVAL for a bad string */
            if (s != stack) HeapFree(GetProcessHeap(), 0, s);
        }
    }
    TRACE_API("InetPtonW(%d, %s, %p) -> %d (error %d)", Family,
              debugstr_w(pszAddrString, dbg, sizeof(dbg)), pAddrBuf, ret, err);
    if (err) SetLastError(err);
    return ret;
}

/* ---------------------------------------------------------------- inet_ntop / InetNtopW */

/* The last error inet_ntop/InetNtopW set for a bad or short buffer or address: documented as
 * ERROR_INVALID_PARAMETER, but Windows 10 sets the NTSTATUS STATUS_INVALID_PARAMETER (0xC000000D;
 * Windows 7 set WSAEINVAL), and programs tested against Windows see that value. */
#define NTOP_INVALID_PARAMETER ((int)0xC000000Du)

/* Formats into text; 0 or the error (NTOP_INVALID_PARAMETER, WSAEAFNOSUPPORT). */
static int ntop(INT family, const void *addr, char text[ADDR_IPV6_STRLEN], size_t *len)
{
    if (family != AF_INET && family != AF_INET6) return WSAEAFNOSUPPORT;
    if (!addr || !user_readable(addr, family == AF_INET ? 4 : 16)) return NTOP_INVALID_PARAMETER;
    if (family == AF_INET) *len = addr_format_ipv4(addr, text);
    else *len = addr_format_ipv6(addr, text);
    return 0;
}

PCSTR WSAAPI inet_ntop(INT Family, LPCVOID pAddr, PSTR pStringBuf, size_t StringBufSize)
{
    char text[ADDR_IPV6_STRLEN];
    size_t len = 0;
    int err = ntop(Family, pAddr, text, &len);
    PCSTR ret = NULL;

    if (!err && (!pStringBuf || StringBufSize <= len || !user_writable(pStringBuf, len + 1)))
        err = NTOP_INVALID_PARAMETER;
    if (!err)
    {
        memcpy(pStringBuf, text, len + 1);
        ret = pStringBuf;
    }
    TRACE_API("inet_ntop(%d, %p, %p, %lu) -> %s (error %d)", Family, pAddr, (void *)pStringBuf,
              (unsigned long)StringBufSize, ret ? ret : "NULL", err);
    if (err) SetLastError(err);
    return ret;
}

PCWSTR WSAAPI InetNtopW(INT Family, LPCVOID pAddr, PWSTR pStringBuf, size_t StringBufSize)
{
    char text[ADDR_IPV6_STRLEN];
    size_t len = 0;
    int err = ntop(Family, pAddr, text, &len);
    PCWSTR ret = NULL;

    if (!err && (!pStringBuf || StringBufSize <= len || !user_array_writable(pStringBuf, len + 1, sizeof(WCHAR))))
        err = NTOP_INVALID_PARAMETER;
    if (!err)
    {
        addr_ascii_to_wide(text, len, (uint16_t *)pStringBuf);
        ret = pStringBuf;
    }
    TRACE_API("InetNtopW(%d, %p, %p, %lu) -> %s (error %d)", Family, pAddr, (void *)pStringBuf,
              (unsigned long)StringBufSize, ret ? text : "NULL", err);
    if (err) SetLastError(err);
    return ret;
}

/* ---------------------------------------------------------------- provider dispatch */

/* Finds and loads the provider for family (or the one info names). 0 or a WSA error. */
static int find_provider(int family, const WSAPROTOCOL_INFOW *info, struct provider **prov,
                         WSAPROTOCOL_INFOW *entry_info)
{
    struct catalog *cat = app_category_filter(catalog_current()); /* the process' view (src/core/app_category.c) */
    const struct catalog_entry *entry = NULL;
    int err;

    err = catalog_select(cat, family, 0, 0, info, &entry);
    if (err) err = WSAEINVAL; /* documented: no transport provider supports the address family */
    else
    {
        *entry_info = entry->info;
        err = provider_get(entry, prov);
    }
    catalog_release(cat);
    return err;
}

/* WSPAddressToString of the family's provider into a wide buffer. 0 or a WSA error. */
static int provider_address_to_string(const SOCKADDR *addr, DWORD addr_len, const WSAPROTOCOL_INFOW *info,
                                      WCHAR *buf, DWORD *len)
{
    WSAPROTOCOL_INFOW entry_info;
    struct provider *prov;
    int err, ret, perr = 0;

    if ((err = find_provider(addr->sa_family, info, &prov, &entry_info))) return err;
    TRACE_SPI("WSPAddressToString(%p, %lu, %p, %p, %lu) provider %lu", (void *)addr, (unsigned long)addr_len,
              (void *)&entry_info, (void *)buf, (unsigned long)*len, (unsigned long)prov->catalog_id);
    ret = prov->procs.lpWSPAddressToString((SOCKADDR *)addr, addr_len, &entry_info, buf, len, &perr);
    TRACE_SPI("WSPAddressToString -> %d (error %d, len %lu)", ret, perr, (unsigned long)*len);
    provider_release(prov);
    if (ret == SOCKET_ERROR) return perr ? perr : WSAEINVAL;
    return 0;
}

static int provider_string_to_address(const WCHAR *string, int family, const WSAPROTOCOL_INFOW *info,
                                      SOCKADDR *addr, int *len)
{
    WSAPROTOCOL_INFOW entry_info;
    struct provider *prov;
    int err, ret, perr = 0;

    if (*len > 0 && !user_writable(addr, (size_t)*len)) return WSAEFAULT; /* the provider writes up to *len */
    if ((err = find_provider(family, info, &prov, &entry_info))) return err;
    TRACE_SPI("WSPStringToAddress(%p, %d, %p, %p, %d) provider %lu", (void *)string, family,
              (void *)&entry_info, (void *)addr, *len, (unsigned long)prov->catalog_id);
    ret = prov->procs.lpWSPStringToAddress((WCHAR *)string, family, &entry_info, addr, len, &perr);
    TRACE_SPI("WSPStringToAddress -> %d (error %d, len %d)", ret, perr, *len);
    provider_release(prov);
    if (ret == SOCKET_ERROR) return perr ? perr : WSAEINVAL;
    return 0;
}

/* the wide text of an address fits this stack buffer (IPv6 with scope and port: under 64); longer
 * texts of other families go to the heap */
#define ADDR_TEXT_STACK_CHARS 128

/* WSPAddressToString into a wide buffer, then the ANSI text into the caller's buffer (*len in and
 * out in bytes, WSAEFAULT with the needed size when short). 0 or a WSA error. */
static int provider_address_to_ansi(const SOCKADDR *addr, DWORD addr_len, const WSAPROTOCOL_INFOW *info,
                                    char *out, DWORD *len)
{
    WCHAR stack[ADDR_TEXT_STACK_CHARS], *wide = stack;
    DWORD wlen = OPENWS2_ARRAY_SIZE(stack);
    int err, alen;

    err = provider_address_to_string(addr, addr_len, info, wide, &wlen);
    if (err == WSAEFAULT && wlen > OPENWS2_ARRAY_SIZE(stack) && wlen <= 65536)
    {
        /* the provider's text is longer than any IP form: retry with the size it asked for */
        if (!(wide = HeapAlloc(GetProcessHeap(), 0, wlen * sizeof(WCHAR)))) return WSAENOBUFS;
        err = provider_address_to_string(addr, addr_len, info, wide, &wlen);
    }
    if (!err)
    {
        alen = WideCharToMultiByte(CP_ACP, 0, wide, -1, NULL, 0, NULL, NULL);
        if (alen <= 0) err = WSAEINVAL;
        else if (!out || *len < (DWORD)alen || !user_writable(out, (size_t)alen))
        {
            *len = (DWORD)alen;
            err = WSAEFAULT;
        }
        else
        {
            WideCharToMultiByte(CP_ACP, 0, wide, -1, out, alen, NULL, NULL);
            *len = (DWORD)alen;
        }
    }
    if (wide != stack) HeapFree(GetProcessHeap(), 0, wide);
    return err;
}

/* ---------------------------------------------------------------- WSAAddressToString */

/* IPv4/IPv6 to text: 0, WSAEINVAL, or -1 for "another family". */
static int ip_address_to_text(const SOCKADDR *addr, DWORD addr_len, char text[ADDR_IPV6_FULL_STRLEN],
                              size_t *len)
{
    if (addr->sa_family == AF_INET)
    {
        const SOCKADDR_IN *sin = (const SOCKADDR_IN *)addr;
        if (addr_len < sizeof(SOCKADDR_IN)) return WSAEINVAL;
        *len = addr_format_ipv4_ex((const uint8_t *)&sin->sin_addr, addr_port_from_net(sin->sin_port), text);
        return 0;
    }
    if (addr->sa_family == AF_INET6)
    {
        const SOCKADDR_IN6 *sin6 = (const SOCKADDR_IN6 *)addr;
        ULONG scope = 0;
        /* 24 bytes: the pre-scope-id SOCKADDR_IN6 layout Windows still accepts */
        if (addr_len < offsetof(SOCKADDR_IN6, sin6_scope_id)) return WSAEINVAL;
        if (addr_len >= sizeof(SOCKADDR_IN6)) scope = sin6->sin6_scope_id;
        *len = addr_format_ipv6_ex((const uint8_t *)&sin6->sin6_addr, scope, addr_port_from_net(sin6->sin6_port), text);
        return 0;
    }
    return -1;
}

/* Windows' order: not started, NULL or too short (WSAEINVAL), then bad pointers (WSAEFAULT): the
 * address, the provider's description and the length (the text buffer is probed when written). */
static int address_to_string_checks(const SOCKADDR *addr, DWORD addr_len, const void *info, size_t info_size,
                                    DWORD *len)
{
    int err;

    if ((err = startup_check())) return err;
    if (!addr || !addr_len || !len) return WSAEINVAL;
    if (addr_len < sizeof(addr->sa_family)) return WSAEINVAL;
    if (!user_readable(addr, addr_len) || (info && !user_readable(info, info_size)) ||
        !user_writable(len, sizeof(*len)))
        return WSAEFAULT;
    return 0;
}

INT WSAAPI WSAAddressToStringA(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                               LPSTR lpszAddressString, LPDWORD lpdwAddressStringLength)
{
    char text[ADDR_IPV6_FULL_STRLEN];
    size_t len = 0;
    int err = address_to_string_checks(lpsaAddress, dwAddressLength, lpProtocolInfo, sizeof(*lpProtocolInfo),
                                       lpdwAddressStringLength);

    if (!err)
    {
        /* a named provider converts even IP addresses (as Windows); else IP is done here */
        err = lpProtocolInfo ? -1 : ip_address_to_text(lpsaAddress, dwAddressLength, text, &len);
        if (err < 0)
        {
            WSAPROTOCOL_INFOW infoW;
            if (lpProtocolInfo) protocol_info_a_to_w(lpProtocolInfo, &infoW);
            err = provider_address_to_ansi(lpsaAddress, dwAddressLength, lpProtocolInfo ? &infoW : NULL,
                                           lpszAddressString, lpdwAddressStringLength);
        }
        else if (!err)
        {
            if (!lpszAddressString || *lpdwAddressStringLength < len + 1 || !user_writable(lpszAddressString, len + 1))
                err = WSAEFAULT;
            else memcpy(lpszAddressString, text, len + 1);
            *lpdwAddressStringLength = (DWORD)(len + 1);
        }
    }
    TRACE_API("WSAAddressToStringA(%p, %lu, %p, %p, %p) -> %d (error %d) %s", (void *)lpsaAddress,
              (unsigned long)dwAddressLength, (void *)lpProtocolInfo, (void *)lpszAddressString,
              (void *)lpdwAddressStringLength, err ? SOCKET_ERROR : 0, err, err ? "" : lpszAddressString);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAAddressToStringW(LPSOCKADDR lpsaAddress, DWORD dwAddressLength, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                               LPWSTR lpszAddressString, LPDWORD lpdwAddressStringLength)
{
    char text[ADDR_IPV6_FULL_STRLEN], dbg[80];
    size_t len = 0;
    int err = address_to_string_checks(lpsaAddress, dwAddressLength, lpProtocolInfo, sizeof(*lpProtocolInfo),
                                       lpdwAddressStringLength);

    if (!err)
    {
        err = lpProtocolInfo ? -1 : ip_address_to_text(lpsaAddress, dwAddressLength, text, &len);
        if (err < 0)
        {
            WCHAR dummy[1];
            /* a NULL buffer is the caller's way of asking for the length */
            DWORD wlen = lpszAddressString ? *lpdwAddressStringLength : 0;
            if (lpszAddressString && !user_array_writable(lpszAddressString, wlen, sizeof(WCHAR))) err = WSAEFAULT;
            else err = provider_address_to_string(lpsaAddress, dwAddressLength, lpProtocolInfo,
                                             lpszAddressString ? lpszAddressString : dummy, &wlen);
            if (!err || err == WSAEFAULT) *lpdwAddressStringLength = wlen;
        }
        else if (!err)
        {
            if (!lpszAddressString || *lpdwAddressStringLength < len + 1 ||
                !user_array_writable(lpszAddressString, len + 1, sizeof(WCHAR)))
                err = WSAEFAULT;
            else addr_ascii_to_wide(text, len, (uint16_t *)lpszAddressString);
            *lpdwAddressStringLength = (DWORD)(len + 1);
        }
    }
    TRACE_API("WSAAddressToStringW(%p, %lu, %p, %p, %p) -> %d (error %d) %s", (void *)lpsaAddress,
              (unsigned long)dwAddressLength, (void *)lpProtocolInfo, (void *)lpszAddressString,
              (void *)lpdwAddressStringLength, err ? SOCKET_ERROR : 0, err,
              err ? "" : debugstr_w(lpszAddressString, dbg, sizeof(dbg)));
    return err ? ws_fail(err) : 0;
}

/* ---------------------------------------------------------------- WSAStringToAddress */

/* IPv4/IPv6 text to sockaddr: 0, a WSA error, or -1 for "another family". */
static int ip_text_to_address(const char *s, int family, SOCKADDR *addr, int *len)
{
    if (family == AF_INET)
    {
        SOCKADDR_IN *sin = (SOCKADDR_IN *)addr;
        uint8_t a[4];
        uint16_t port;
        int addr_ok;

        if (*len < (int)sizeof(SOCKADDR_IN))
        {
            *len = sizeof(SOCKADDR_IN);
            return WSAEFAULT;
        }
        if (!user_writable(sin, sizeof(*sin))) return WSAEFAULT;
        memset(sin, 0, sizeof(*sin));
        if (!s) return WSAEINVAL;
        if (addr_parse_ipv4_ex(s, a, &port, &addr_ok) < 0)
        {
            /* Windows leaves the address it read in the (otherwise zeroed) sockaddr */
            if (addr_ok) memcpy(&sin->sin_addr, a, 4);
            return WSAEINVAL;
        }
        sin->sin_family = AF_INET;
        sin->sin_port = addr_port_to_net(port);
        memcpy(&sin->sin_addr, a, 4);
        *len = sizeof(SOCKADDR_IN);
        return 0;
    }
    if (family == AF_INET6)
    {
        SOCKADDR_IN6 *sin6 = (SOCKADDR_IN6 *)addr;
        uint8_t a[16];
        uint32_t scope;
        uint16_t port;

        if (*len < (int)sizeof(SOCKADDR_IN6))
        {
            *len = sizeof(SOCKADDR_IN6);
            return WSAEFAULT;
        }
        if (!user_writable(sin6, sizeof(*sin6))) return WSAEFAULT;
        memset(sin6, 0, sizeof(*sin6));
        if (!s) return WSAEINVAL;
        memset(a, 0, sizeof(a));
        if (addr_parse_ipv6_ex(s, a, &scope, &port) < 0)
        {
            /* Windows leaves the part of the address it read in the (otherwise zeroed) sockaddr */
            memcpy(&sin6->sin6_addr, a, 16);
            return WSAEINVAL;
        }
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = addr_port_to_net(port);
        sin6->sin6_scope_id = scope;
        memcpy(&sin6->sin6_addr, a, 16);
        *len = sizeof(SOCKADDR_IN6);
        return 0;
    }
    return -1;
}

/* Not started, NULL length or address (WSAEFAULT), NULL string (WSAEINVAL), then bad pointers: the
 * length, the string, the provider's description (WSAEFAULT; the address is probed when written). */
static int string_to_address_checks(const void *string, BOOL wide, const void *info, size_t info_size, SOCKADDR *addr,
                                    INT *len)
{
    int err;

    if ((err = startup_check())) return err;
    if (!len || !addr) return WSAEFAULT;
    if (!string) return WSAEINVAL;
    if (!user_writable(len, sizeof(*len)) || !(wide ? user_wstr_readable(string) : user_str_readable(string)) ||
        (info && !user_readable(info, info_size)))
        return WSAEFAULT;
    return 0;
}

INT WSAAPI WSAStringToAddressA(LPSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOA lpProtocolInfo,
                               LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
    char dbg[80];
    int err = string_to_address_checks(AddressString, FALSE, lpProtocolInfo, sizeof(*lpProtocolInfo), lpAddress,
                                       lpAddressLength);

    if (!err)
    {
        err = lpProtocolInfo ? -1 : ip_text_to_address(AddressString, AddressFamily, lpAddress, lpAddressLength);
        if (err < 0)
        {
            WSAPROTOCOL_INFOW infoW;
            WCHAR *wide;
            int n = MultiByteToWideChar(CP_ACP, 0, AddressString, -1, NULL, 0);

            if (n <= 0) err = WSAEINVAL;
            else if (!(wide = HeapAlloc(GetProcessHeap(), 0, (size_t)n * sizeof(WCHAR))))
                err = WSA_NOT_ENOUGH_MEMORY; /* the documented out-of-memory error */
            else
            {
                MultiByteToWideChar(CP_ACP, 0, AddressString, -1, wide, n);
                if (lpProtocolInfo) protocol_info_a_to_w(lpProtocolInfo, &infoW);
                err = provider_string_to_address(wide, AddressFamily, lpProtocolInfo ? &infoW : NULL,
                                                 lpAddress, lpAddressLength);
                HeapFree(GetProcessHeap(), 0, wide);
            }
        }
    }
    TRACE_API("WSAStringToAddressA(%s, %d, %p, %p, %p) -> %d (error %d)",
              debugstr_a(AddressString, dbg, sizeof(dbg)), AddressFamily, (void *)lpProtocolInfo,
              (void *)lpAddress, (void *)lpAddressLength, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}

INT WSAAPI WSAStringToAddressW(LPWSTR AddressString, INT AddressFamily, LPWSAPROTOCOL_INFOW lpProtocolInfo,
                               LPSOCKADDR lpAddress, LPINT lpAddressLength)
{
    char dbg[80], stack[ADDR_INPUT_MAX], *s = stack;
    int err = string_to_address_checks(AddressString, TRUE, lpProtocolInfo, sizeof(*lpProtocolInfo), lpAddress,
                                       lpAddressLength);

    if (!err)
    {
        if (!lpProtocolInfo && (AddressFamily == AF_INET || AddressFamily == AF_INET6))
        {
            /* leading zeros make valid strings of any length: long ones get a heap copy (up to
             * 64K characters); a non-ASCII character stops the parse there (what was read before
             * it is left in the sockaddr, as Windows) */
            size_t n = 0;
            while (n <= 65536 && AddressString[n]) n++;
            if (n >= sizeof(stack) && n <= 65536 && !(s = HeapAlloc(GetProcessHeap(), 0, n + 1)))
                err = WSA_NOT_ENOUGH_MEMORY;
            else
            {
                if (n > 65536) s[0] = 0;
                else addr_wide_to_ascii_stop((const uint16_t *)AddressString, n, s);
                err = ip_text_to_address(s, AddressFamily, lpAddress, lpAddressLength);
            }
            if (s && s != stack) HeapFree(GetProcessHeap(), 0, s);
        }
        else
            err = provider_string_to_address(AddressString, AddressFamily, lpProtocolInfo, lpAddress,
                                             lpAddressLength);
    }
    TRACE_API("WSAStringToAddressW(%s, %d, %p, %p, %p) -> %d (error %d)",
              debugstr_w(AddressString, dbg, sizeof(dbg)), AddressFamily, (void *)lpProtocolInfo,
              (void *)lpAddress, (void *)lpAddressLength, err ? SOCKET_ERROR : 0, err);
    return err ? ws_fail(err) : 0;
}
