/* nsp_cache.c - end-to-end checks of openws2nsp's configuration caches, through ws2_32
 * (getaddrinfo, WSALookupService*) with the loopback DNS test server: runs of lookups without a
 * change do no per-lookup work (the provider's Openws2NspCounters: no settings read, no hosts file
 * read, no adapter query, file attribute and registry checks bounded by the elapsed time / the
 * recheck interval, not by the number of lookups), and changes are seen: a rewritten hosts file
 * (same size, so only the write time tells), a rewrite within the same timestamp tick
 * (LUP_FLUSHCACHE at once), a registry setting (SearchList), the Nsp key deleted and created again,
 * and another database directory (DataBasePath).
 * usage: nsp_cache PORT BLACKHOLE DEAD QUERY_LOG
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "nsp_e2e.h"

typedef DWORD (WINAPI *counters_fn)(LONG *values, DWORD count);

static const GUID g_byname = SVCID_INET_HOSTADDRBYNAME;
static counters_fn get_counters;

/* Two files of the same size that differ only in the address. */
static const char hosts_a[] = "# nsp_cache\r\n192.0.2.61 cachehost.test.example\r\n";
static const char hosts_b[] = "# nsp_cache\r\n192.0.2.62 cachehost.test.example\r\n";
static const char hosts_c[] = "# nsp_cache\r\n192.0.2.63 cachehost.test.example\r\n";
static const char hosts_d[] = "# nsp_cache\r\n192.0.2.64 cachehost.test.example\r\n";

static void snap(LONG *c)
{
    memset(c, 0, NSP_COUNTER_COUNT * sizeof(LONG));
    if (get_counters) get_counters(c, NSP_COUNTER_COUNT);
}

/* getaddrinfo(name) as "a.b.c.d", or "error N". */
static const char *gai_text(const char *name, char *buf, size_t size)
{
    struct addrinfo hints, *res = NULL;
    int err;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    if ((err = getaddrinfo(name, "80", &hints, &res)) || !res)
    {
        snprintf(buf, size, "error %d", err);
        return buf;
    }
    {
        const unsigned char *a = (const unsigned char *)&((const SOCKADDR_IN *)res->ai_addr)->sin_addr;
        snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    }
    freeaddrinfo(res);
    return buf;
}

/* WSALookupService* of name with flags: its first address as text, or "error N". */
static const char *lookup_text(const char *name, DWORD flags, char *buf, size_t size)
{
    union { WSAQUERYSETW qs; char raw[4096]; } res;
    WSAQUERYSETW qs;
    WCHAR wname[256];
    HANDLE h;
    DWORD len = sizeof(res);
    size_t i;
    int err;

    for (i = 0; name[i] && i + 1 < sizeof(wname) / sizeof(wname[0]); i++) wname[i] = (WCHAR)(unsigned char)name[i];
    wname[i] = 0;
    memset(&qs, 0, sizeof(qs));
    qs.dwSize = sizeof(qs);
    qs.lpServiceClassId = (GUID *)&g_byname;
    qs.dwNameSpace = NS_DNS;
    qs.lpszServiceInstanceName = wname;
    if (WSALookupServiceBeginW(&qs, LUP_RETURN_ADDR | flags, &h))
    {
        snprintf(buf, size, "error %d", WSAGetLastError());
        return buf;
    }
    err = WSALookupServiceNextW(h, 0, &len, &res.qs) ? WSAGetLastError() : 0;
    WSALookupServiceEnd(h);
    if (err) snprintf(buf, size, "error %d", err);
    else nsp_csaddr_text(&res.qs, buf, size);
    return buf;
}

/* Sets the hosts file's last write time one hour back: a file nobody wrote recently. */
static int age_hosts(void)
{
    HANDLE f = CreateFileA(nsp_hosts_path, FILE_WRITE_ATTRIBUTES, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
                           OPEN_EXISTING, 0, NULL);
    ULARGE_INTEGER t;
    FILETIME ft;
    BOOL ok;

    if (f == INVALID_HANDLE_VALUE) return -1;
    GetSystemTimeAsFileTime(&ft);
    t.LowPart = ft.dwLowDateTime;
    t.HighPart = ft.dwHighDateTime;
    t.QuadPart -= 3600ull * 10000000;
    ft.dwLowDateTime = t.LowPart;
    ft.dwHighDateTime = t.HighPart;
    ok = SetFileTime(f, NULL, NULL, &ft);
    CloseHandle(f);
    return ok ? 0 : -1;
}

static void test_no_per_lookup_work(void)
{
    LONG before[NSP_COUNTER_COUNT], after[NSP_COUNTER_COUNT];
    char buf[128], host[256];
    DWORD t0, elapsed;
    LONG bound;
    int i, wrong = 0;

    /* hosts-file, /etc/hosts or local, and numeric names: the fast loop */
    CHECK(!strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.61"), "warm-up: hosts name -> %s", buf);
    CHECK(!strcmp(gai_text("localhost", buf, sizeof(buf)), "127.0.0.1"), "warm-up: localhost -> %s", buf);
    snap(before);
    t0 = GetTickCount();
    for (i = 0; i < 300; i++)
    {
        if (strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.61")) wrong++;
        if (strcmp(gai_text("localhost", buf, sizeof(buf)), "127.0.0.1")) wrong++;
        if (strcmp(gai_text("192.0.2.99", buf, sizeof(buf)), "192.0.2.99")) wrong++;
    }
    elapsed = GetTickCount() - t0;
    snap(after);
    CHECK(!wrong, "900 lookups (hosts name, localhost, numeric) answered right (%d wrong) in %lu ms", wrong,
          (unsigned long)elapsed);
    CHECK(after[NSP_COUNTER_SETTINGS_LOADS] == before[NSP_COUNTER_SETTINGS_LOADS],
          "no settings read during the run (%ld)", (long)(after[NSP_COUNTER_SETTINGS_LOADS] - before[NSP_COUNTER_SETTINGS_LOADS]));
    CHECK(after[NSP_COUNTER_HOSTS_READS] == before[NSP_COUNTER_HOSTS_READS] &&
          after[NSP_COUNTER_UNIX_HOSTS_READS] == before[NSP_COUNTER_UNIX_HOSTS_READS],
          "no hosts file read during the run (%ld, %ld)",
          (long)(after[NSP_COUNTER_HOSTS_READS] - before[NSP_COUNTER_HOSTS_READS]),
          (long)(after[NSP_COUNTER_UNIX_HOSTS_READS] - before[NSP_COUNTER_UNIX_HOSTS_READS]));
    CHECK(after[NSP_COUNTER_ADAPTER_QUERIES] == before[NSP_COUNTER_ADAPTER_QUERIES],
          "no adapter query for hosts and numeric names (%ld)",
          (long)(after[NSP_COUNTER_ADAPTER_QUERIES] - before[NSP_COUNTER_ADAPTER_QUERIES]));
    /* at most one look per file (prefix hosts, /etc/hosts) and one registry check per interval */
    bound = (LONG)(elapsed / NSP_RECHECK_MS + 2);
    CHECK(after[NSP_COUNTER_FILE_CHECKS] - before[NSP_COUNTER_FILE_CHECKS] <= 2 * bound,
          "file attribute checks bounded by time, not lookups: %ld in %lu ms (at most %ld)",
          (long)(after[NSP_COUNTER_FILE_CHECKS] - before[NSP_COUNTER_FILE_CHECKS]), (unsigned long)elapsed, (long)(2 * bound));
    CHECK(after[NSP_COUNTER_REGISTRY_CHECKS] - before[NSP_COUNTER_REGISTRY_CHECKS] <= bound,
          "registry change checks bounded by time, not lookups: %ld in %lu ms (at most %ld)",
          (long)(after[NSP_COUNTER_REGISTRY_CHECKS] - before[NSP_COUNTER_REGISTRY_CHECKS]), (unsigned long)elapsed, (long)bound);

    /* DNS names and the machine's own name: the system information is kept, not queried per lookup */
    CHECK(!gethostname(host, sizeof(host)), "gethostname: %s", host);
    gai_text(host, buf, sizeof(buf));
    CHECK(!strcmp(gai_text("www.test.example", buf, sizeof(buf)), "192.0.2.10"), "warm-up: DNS name -> %s", buf);
    snap(before);
    t0 = GetTickCount();
    wrong = 0;
    for (i = 0; i < 100; i++)
    {
        if (strcmp(gai_text("www.test.example", buf, sizeof(buf)), "192.0.2.10")) wrong++;
        if (!strncmp(gai_text(host, buf, sizeof(buf)), "error", 5)) wrong++;
    }
    elapsed = GetTickCount() - t0;
    snap(after);
    CHECK(!wrong, "200 lookups (DNS name, own host name) answered (%d wrong) in %lu ms", wrong, (unsigned long)elapsed);
    bound = (LONG)(elapsed / 5000 + 1);
    CHECK(after[NSP_COUNTER_ADAPTER_QUERIES] - before[NSP_COUNTER_ADAPTER_QUERIES] <= bound &&
          after[NSP_COUNTER_NAME_QUERIES] - before[NSP_COUNTER_NAME_QUERIES] <= bound,
          "adapters and computer names queried at most every 5 s (%ld, %ld, at most %ld)",
          (long)(after[NSP_COUNTER_ADAPTER_QUERIES] - before[NSP_COUNTER_ADAPTER_QUERIES]),
          (long)(after[NSP_COUNTER_NAME_QUERIES] - before[NSP_COUNTER_NAME_QUERIES]), (long)bound);
    CHECK(after[NSP_COUNTER_SETTINGS_LOADS] == before[NSP_COUNTER_SETTINGS_LOADS],
          "no settings read during the DNS run (%ld)", (long)(after[NSP_COUNTER_SETTINGS_LOADS] - before[NSP_COUNTER_SETTINGS_LOADS]));
}

static void test_hosts_changes(void)
{
    LONG before[NSP_COUNTER_COUNT], after[NSP_COUNTER_COUNT];
    char buf[128];

    /* same size, newer write time: seen after the recheck interval */
    snap(before);
    CHECK(!nsp_write_file(nsp_hosts_path, hosts_b, sizeof(hosts_b) - 1), "hosts file rewritten (same size)");
    nsp_settle();
    CHECK(!strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.62"),
          "the rewritten hosts file is seen by getaddrinfo: %s", buf);
    snap(after);
    CHECK(after[NSP_COUNTER_HOSTS_READS] > before[NSP_COUNTER_HOSTS_READS], "the hosts file was read again (%ld)",
          (long)(after[NSP_COUNTER_HOSTS_READS] - before[NSP_COUNTER_HOSTS_READS]));

    /* LUP_FLUSHCACHE looks at once; two rewrites in a row (likely the same timestamp tick and the
     * same size) are both seen */
    CHECK(!nsp_write_file(nsp_hosts_path, hosts_c, sizeof(hosts_c) - 1), "hosts file rewritten again");
    CHECK(!strcmp(lookup_text("cachehost.test.example", LUP_FLUSHCACHE, buf, sizeof(buf)), "192.0.2.63"),
          "LUP_FLUSHCACHE right after the write sees it: %s", buf);
    CHECK(!nsp_write_file(nsp_hosts_path, hosts_d, sizeof(hosts_d) - 1), "and once more at once");
    CHECK(!strcmp(lookup_text("cachehost.test.example", LUP_FLUSHCACHE, buf, sizeof(buf)), "192.0.2.64"),
          "a second rewrite within the same tick is seen too: %s", buf);

    /* removed: the name is gone */
    CHECK(DeleteFileA(nsp_hosts_path), "hosts file deleted");
    nsp_settle();
    CHECK(strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.64") != 0,
          "the deleted hosts file's entry is gone: %s", buf);
    CHECK(!nsp_write_file(nsp_hosts_path, hosts_a, sizeof(hosts_a) - 1), "hosts file written back");
    nsp_settle();
    CHECK(!strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.61"), "and seen again: %s", buf);
}

static void test_registry_changes(const char *servers)
{
    LONG before[NSP_COUNTER_COUNT], after[NSP_COUNTER_COUNT];
    char buf[128];

    nsp_set_search_list("test.example");
    CHECK(!strcmp(gai_text("www", buf, sizeof(buf)), "192.0.2.10"), "SearchList set: www -> %s", buf);
    nsp_set_search_list("");
    CHECK(!strcmp(gai_text("www", buf, sizeof(buf)), "error 11001"), "SearchList emptied: www -> %s", buf);

    /* the whole key deleted, then created again */
    snap(before);
    nsp_clear_config();
    gai_text("localhost", buf, sizeof(buf));
    snap(after);
    CHECK(after[NSP_COUNTER_SETTINGS_LOADS] > before[NSP_COUNTER_SETTINGS_LOADS], "deleting the Nsp key is seen (%ld)",
          (long)(after[NSP_COUNTER_SETTINGS_LOADS] - before[NSP_COUNTER_SETTINGS_LOADS]));
    nsp_set_config(servers, 500, 1);
    nsp_set_cache_ttl(0);
    nsp_set_search_list("test.example");
    CHECK(!strcmp(gai_text("www", buf, sizeof(buf)), "192.0.2.10"), "the Nsp key created again is seen: www -> %s", buf);
    nsp_set_search_list("");
}

static void test_database_path(void)
{
    static const char hosts[] = "192.0.2.70 dbpath.test.example\n";
    char old[MAX_PATH * 2], dir[MAX_PATH], path[MAX_PATH + 32], buf[128];
    DWORD type = 0, len = sizeof(old) - 1;
    HKEY key;
    BOOL had_old;

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, "System\\CurrentControlSet\\Services\\Tcpip\\Parameters", 0,
                      KEY_QUERY_VALUE | KEY_SET_VALUE, &key))
    {
        CHECK(0, "open Tcpip\\Parameters");
        return;
    }
    had_old = !RegQueryValueExA(key, "DataBasePath", NULL, &type, (BYTE *)old, &len);
    GetTempPathA(MAX_PATH, dir);
    strcat(dir, "openws2-nsp-cache");
    CreateDirectoryA(dir, NULL);
    snprintf(path, sizeof(path), "%s\\hosts", dir);
    CHECK(!nsp_write_file(path, hosts, sizeof(hosts) - 1), "hosts file in %s", dir);
    CHECK(strcmp(gai_text("dbpath.test.example", buf, sizeof(buf)), "192.0.2.70") != 0,
          "before DataBasePath points there: %s", buf);
    CHECK(!RegSetValueExA(key, "DataBasePath", 0, REG_SZ, (const BYTE *)dir, (DWORD)strlen(dir) + 1), "DataBasePath set");
    nsp_settle();
    CHECK(!strcmp(gai_text("dbpath.test.example", buf, sizeof(buf)), "192.0.2.70"), "DataBasePath change seen: %s", buf);
    CHECK(strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.61") != 0,
          "the default directory's hosts file is no longer read: %s", buf);
    if (had_old) RegSetValueExA(key, "DataBasePath", 0, type, (const BYTE *)old, len);
    else RegDeleteValueA(key, "DataBasePath");
    RegCloseKey(key);
    nsp_settle();
    CHECK(!strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.61"), "DataBasePath restored: %s", buf);
    DeleteFileA(path);
    RemoveDirectoryA(dir);
}

int main(int argc, char **argv)
{
    LONG c[NSP_COUNTER_COUNT];
    WSADATA wsa;
    char servers[64], buf[128];

    if (argc < 5)
    {
        printf("usage: nsp_cache PORT BLACKHOLE DEAD QUERY_LOG\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    nsp_set_log(argv[4]);
    snprintf(servers, sizeof(servers), "127.0.0.1:%s", argv[1]);
    nsp_set_config(servers, 500, 1);
    nsp_set_cache_ttl(0);
    nsp_set_search_list("");
    CHECK(!nsp_install_hosts(hosts_a), "test hosts file installed");
    CHECK(!age_hosts(), "its last write time set an hour back");
    CHECK(!WSAStartup(MAKEWORD(2, 2), &wsa), "WSAStartup");

    CHECK(!strcmp(gai_text("cachehost.test.example", buf, sizeof(buf)), "192.0.2.61"), "hosts name -> %s", buf);
    get_counters = (counters_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("openws2nsp.dll"), "Openws2NspCounters");
    CHECK(get_counters != NULL, "openws2nsp.dll is loaded and exports Openws2NspCounters");
    CHECK(get_counters && get_counters(NULL, 0) == NSP_COUNTER_COUNT && get_counters(c, NSP_COUNTER_COUNT) &&
          c[NSP_COUNTER_SETTINGS_LOADS] >= 1 && c[NSP_COUNTER_HOSTS_READS] >= 1,
          "counters: %d of them, settings read and hosts file read once", NSP_COUNTER_COUNT);
    if (get_counters)
    {
        test_no_per_lookup_work();
        test_hosts_changes();
        test_registry_changes(servers);
        test_database_path();
    }

    WSACleanup();
    nsp_restore_hosts();
    nsp_clear_config();
    return nsp_done("nsp_cache");
}
