/* lsp_config.c - the layer's configuration helpers (registry, HKLM, untrusted: every value is
 * length-checked and terminated) and its trace lines (to the LSP's trace hook when it enabled
 * tracing, and through the trace library's channel lsp: OPENWS2_TRACE=lsp (or 1), WINEDEBUG=+openws2,
 * OPENWS2_TRACE_FILE; on standard error "openws2: lsp <lsp> pid=... tid=... ...").
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "lsp_internal.h"
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MULTI_SZ_MAX (64 * 1024)

BOOL lsp_config_string(const char *key, const char *value, WCHAR *out, DWORD chars)
{
    WCHAR raw[1024], name[128];
    DWORD type = 0, len = sizeof(raw) - sizeof(WCHAR);
    HKEY k;
    LONG r;

    if (!out || !chars) return FALSE;
    out[0] = 0;
    if (!MultiByteToWideChar(CP_ACP, 0, value, -1, name, OPENWS2_ARRAY_SIZE(name))) return FALSE;
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, key, 0, KEY_READ, &k) != ERROR_SUCCESS) return FALSE;
    r = RegQueryValueExW(k, name, NULL, &type, (BYTE *)raw, &len);
    RegCloseKey(k);
    if (r != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ)) return FALSE;
    raw[len / sizeof(WCHAR)] = 0;
    if (type == REG_EXPAND_SZ)
    {
        DWORD n = ExpandEnvironmentStringsW(raw, out, chars);
        if (!n || n > chars)
        {
            out[0] = 0;
            return FALSE;
        }
        return TRUE;
    }
    if (wcslen(raw) >= chars) return FALSE;
    wcscpy(out, raw);
    return TRUE;
}

BOOL lsp_config_dword(const char *key, const char *value, DWORD *out)
{
    DWORD type = 0, v = 0, len = sizeof(v);
    HKEY k;
    LONG r;

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, key, 0, KEY_READ, &k) != ERROR_SUCCESS) return FALSE;
    r = RegQueryValueExA(k, value, NULL, &type, (BYTE *)&v, &len);
    RegCloseKey(k);
    if (r != ERROR_SUCCESS || type != REG_DWORD || len != sizeof(v)) return FALSE;
    *out = v;
    return TRUE;
}

BOOL lsp_config_process_listed(const char *key)
{
    WCHAR exe[MAX_PATH], *base, *list, *p;
    DWORD type = 0, len = 0, n;
    BOOL found = FALSE;
    HKEY k;

    n = GetModuleFileNameW(NULL, exe, MAX_PATH);
    if (!n || n >= MAX_PATH) return FALSE;
    base = wcsrchr(exe, L'\\');
    base = base ? base + 1 : exe;
    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, key, 0, KEY_READ, &k) != ERROR_SUCCESS) return FALSE;
    if (RegQueryValueExW(k, L"Processes", NULL, &type, NULL, &len) != ERROR_SUCCESS || type != REG_MULTI_SZ ||
        len > MULTI_SZ_MAX || !(list = calloc(1, len + 2 * sizeof(WCHAR))))
    {
        RegCloseKey(k);
        return FALSE;
    }
    if (RegQueryValueExW(k, L"Processes", NULL, &type, (BYTE *)list, &len) == ERROR_SUCCESS)
    {
        /* Terminated twice whatever the data says (calloc'd two extra characters). */
        for (p = list; *p && !found; p += wcslen(p) + 1)
            found = !wcscmp(p, L"*") || CompareStringOrdinal(p, -1, base, -1, TRUE) == CSTR_EQUAL ||
                    CompareStringOrdinal(p, -1, exe, -1, TRUE) == CSTR_EQUAL;
    }
    RegCloseKey(k);
    free(list);
    return found;
}

const char *lsp_addr_str(const struct sockaddr *sa, int len, char *buf, size_t size)
{
    return trace_sockaddr_text(sa, len, buf, size);   /* the trace library's one address formatter */
}

/* The trace library's settings of this DLL (its own copy of the library), read once. */
static BOOL CALLBACK trace_init_once(PINIT_ONCE once, void *param, void **context)
{
    (void)once; (void)param; (void)context;
    trace_init();
    return TRUE;
}

static BOOL channel_on(void)
{
    static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
    InitOnceExecuteOnce(&once, trace_init_once, NULL, NULL);
    return TRACE_ENABLED(TRACE_CH_LSP, TRACE_LEVEL_TRACE);
}

BOOL lsp_tracing(void)
{
    return (lsp_trace_enabled && lsp_hooks.trace) || channel_on();
}

void lsp_trace(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n, m;
    BOOL to_hook = lsp_trace_enabled && lsp_hooks.trace, to_channel = channel_on();

    if (!to_hook && !to_channel) return;
    n = snprintf(line, sizeof(line), "%s pid=%lu tid=%lu ", lsp_hooks.name ? lsp_hooks.name : "lsp",
                 GetCurrentProcessId(), GetCurrentThreadId());
    if (n < 0 || n >= (int)sizeof(line) - 2) return;
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
    va_end(ap);
    if (m < 0) return;
    n += m;
    if (n > (int)sizeof(line) - 2) n = sizeof(line) - 2;
    if (to_channel) trace_log(TRACE_CH_LSP, TRACE_LEVEL_TRACE, "%.*s", n, line);
    line[n++] = '\n';
    line[n] = 0;
    if (to_hook) lsp_hooks.trace(line, (size_t)n);
}
