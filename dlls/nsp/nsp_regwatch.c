/* nsp_regwatch.c - change detection of the registry keys openws2nsp's settings come from
 * (HKLM\Software\openws2\Nsp and the Tcpip\Parameters key of DataBasePath), so the settings are
 * read once and again only after a change. One manual-reset event receives every notification:
 * each key that exists is watched for its values (RegNotifyChangeKeyValue, LAST_SET | NAME) and its
 * parent for subkeys created or deleted (so deleting the key is seen); a key that does not exist is
 * covered by a subtree watch on its closest existing ancestor (so creating it is seen). The
 * notification is set while the writer's registry call runs, so a change is visible to the next
 * lookup of any thread. The check queries the event's state with NtQueryEvent (one server call
 * under Wine): a zero-timeout wait would do the same but Wine yields the processor after each
 * unsatisfied wait, which costs milliseconds on a loaded machine. When a key cannot be watched the
 * check always reports a change (the settings are then read for every lookup, as before).
 * Callers serialise nsp_regwatch_rearm against nsp_regwatch_changed (nsp_config.c's lock).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "trace.h"
#include "nsp_private.h"

#ifndef REG_NOTIFY_THREAD_AGNOSTIC
#define REG_NOTIFY_THREAD_AGNOSTIC 0x10000000L
#endif

#define WATCH_PATH_MAX 128
#define WATCH_KEYS_MAX 4

static const WCHAR *const watched_paths[] = {
    NSP_SETTINGS_KEY_W,
    NSP_TCPIP_PARAMETERS_KEY_W,
};

typedef LONG (WINAPI *query_event_fn)(HANDLE, int, void *, ULONG, ULONG *);
struct event_basic_info
{
    int type;
    LONG state;
};

static HANDLE event;
static HKEY keys[OPENWS2_ARRAY_SIZE(watched_paths) * 2];
static size_t key_count;
static BOOL armed;
static query_event_fn query_event;
static BOOL query_event_resolved;

static BOOL arm(HKEY key, BOOL subtree, DWORD filter)
{
    LONG r = RegNotifyChangeKeyValue(key, subtree, filter | REG_NOTIFY_THREAD_AGNOSTIC, event, TRUE);
    /* REG_NOTIFY_THREAD_AGNOSTIC is Windows 8's; older systems reject it (the notification then
     * also fires when the registering thread exits: one extra reload) */
    if (r == ERROR_INVALID_PARAMETER) r = RegNotifyChangeKeyValue(key, subtree, filter, event, TRUE);
    return r == ERROR_SUCCESS;
}

/* Opens path (relative to HKLM) for notification and arms it; FALSE when it cannot be opened or
 * armed (*opened tells which). */
static BOOL watch(const WCHAR *path, BOOL subtree, DWORD filter, BOOL *opened)
{
    HKEY key;

    *opened = FALSE;
    if (key_count >= OPENWS2_ARRAY_SIZE(keys)) return FALSE;
    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_NOTIFY, &key)) return FALSE;
    *opened = TRUE;
    keys[key_count++] = key;
    return arm(key, subtree, filter);
}

/* path without its last component into out; FALSE when path has a single component. */
static BOOL parent_path(const WCHAR *path, WCHAR *out, size_t size)
{
    size_t len = 0, last = 0;

    while (path[len]) len++;
    if (len >= size) return FALSE;
    for (size_t i = 0; i < len; i++)
        if (path[i] == '\\') last = i;
    if (!last) return FALSE;
    memcpy(out, path, last * sizeof(WCHAR));
    out[last] = 0;
    return TRUE;
}

static BOOL watch_one(const WCHAR *path)
{
    WCHAR up[WATCH_PATH_MAX], tmp[WATCH_PATH_MAX];
    BOOL opened;

    if (watch(path, FALSE, REG_NOTIFY_CHANGE_LAST_SET | REG_NOTIFY_CHANGE_NAME, &opened))
    {
        /* the key exists: its parent tells when it is deleted */
        if (!parent_path(path, up, OPENWS2_ARRAY_SIZE(up))) return TRUE;
        return watch(up, FALSE, REG_NOTIFY_CHANGE_NAME, &opened);
    }
    if (opened) return FALSE;
    /* it does not exist: a subtree watch on the closest existing ancestor tells when it appears */
    if (!parent_path(path, up, OPENWS2_ARRAY_SIZE(up))) return FALSE;
    for (;;)
    {
        if (watch(up, TRUE, REG_NOTIFY_CHANGE_LAST_SET | REG_NOTIFY_CHANGE_NAME, &opened)) return TRUE;
        if (opened || !parent_path(up, tmp, OPENWS2_ARRAY_SIZE(tmp))) return FALSE;
        memcpy(up, tmp, sizeof(tmp));
    }
}

static void close_keys(void)
{
    while (key_count) RegCloseKey(keys[--key_count]);
}

void nsp_regwatch_rearm(void)
{
    DWORD saved = GetLastError();
    BOOL ok = TRUE;
    size_t i;

    /* closing a watched key completes its notification (sets the event): close first, then reset */
    close_keys();
    armed = FALSE;
    if (!event && !(event = CreateEventW(NULL, TRUE, FALSE, NULL)))
    {
        SetLastError(saved);
        return;
    }
    if (!query_event_resolved)
    {
        HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
        query_event = ntdll ? (query_event_fn)(void (*)(void))GetProcAddress(ntdll, "NtQueryEvent") : NULL;
        query_event_resolved = TRUE;
    }
    ResetEvent(event);
    for (i = 0; i < OPENWS2_ARRAY_SIZE(watched_paths); i++)
        if (!watch_one(watched_paths[i])) ok = FALSE;
    armed = ok;
    if (!ok) TRACE_NSP("regwatch: a settings key cannot be watched; settings are read for every lookup");
    SetLastError(saved);
}

BOOL nsp_regwatch_changed(void)
{
    struct event_basic_info info;
    DWORD saved;
    BOOL changed;

    if (!armed) return TRUE;
    nsp_count(NSP_COUNTER_REGISTRY_CHECKS);
    saved = GetLastError();
    if (query_event && query_event(event, 0 /* EventBasicInformation */, &info, sizeof(info), NULL) >= 0)
        changed = info.state != 0;
    else changed = WaitForSingleObject(event, 0) != WAIT_TIMEOUT;
    SetLastError(saved);
    return changed;
}

void nsp_regwatch_close(void)
{
    DWORD saved = GetLastError();

    close_keys();
    armed = FALSE;
    if (event) CloseHandle(event);
    event = NULL;
    SetLastError(saved);
}
