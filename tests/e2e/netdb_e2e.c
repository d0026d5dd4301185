/* netdb_e2e.c - end-to-end checks of getservbyname, getservbyport, getprotobyname and
 * getprotobynumber under Wine: the prefix's database files, Windows' error codes, per-thread
 * result buffers, a custom database directory (DataBasePath) with hostile content, and the
 * embedded defaults when the files are absent; gethostbyname of the computer's own name. One line
 * per check; exit code 1 on failure.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "e2e_check.h"

#include <winsock2.h>
#include <iphlpapi.h>
#include <windows.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>


static const char *s(const char *p) { return p ? p : "(null)"; }

static void test_services(void)
{
    struct servent *se, *se2;

    se = getservbyname("http", "tcp");
    e2e_check(se && ntohs((u_short)se->s_port) == 80 && !strcmp(se->s_name, "http") && !strcmp(se->s_proto, "tcp"),
          "getservbyname(http, tcp) = %s %d/%s", se ? s(se->s_name) : "NULL", se ? ntohs(se->s_port) : -1,
          se ? s(se->s_proto) : "");
    se = getservbyname("domain", NULL);
    e2e_check(se && ntohs((u_short)se->s_port) == 53, "getservbyname(domain, NULL): any protocol");
    se = getservbyname("domain", "udp");
    e2e_check(se && !strcmp(se->s_proto, "udp") && ntohs((u_short)se->s_port) == 53, "getservbyname(domain, udp)");
    se = getservbyname("sink", "udp");
    e2e_check(se && !strcmp(se->s_name, "discard") && ntohs((u_short)se->s_port) == 9, "getservbyname by alias (sink -> discard)");
    if (se)
    {
        int n = 0;
        while (se->s_aliases[n]) n++;
        e2e_check(n >= 1, "discard has %d aliases, NULL-terminated", n);
    }
    WSASetLastError(0);
    se = getservbyname("no-such-service-here", NULL);
    e2e_check(!se && WSAGetLastError() == WSANO_DATA, "unknown service: NULL, WSANO_DATA (%d)", WSAGetLastError());
    WSASetLastError(0);
    se = getservbyname(NULL, "tcp");
    e2e_check(!se && WSAGetLastError() == WSAEFAULT, "getservbyname(NULL): WSAEFAULT (%d)", WSAGetLastError());
    se = getservbyname("http", "sctp-not");
    e2e_check(!se && WSAGetLastError() == WSANO_DATA, "known service, other protocol: WSANO_DATA");

    se = getservbyport(htons(25), "tcp");
    e2e_check(se && !strcmp(se->s_name, "smtp"), "getservbyport(25, tcp) = %s", se ? s(se->s_name) : "NULL");
    se = getservbyport(htons(23), NULL);
    e2e_check(se && !strcmp(se->s_name, "telnet"), "getservbyport(23, NULL) = %s", se ? s(se->s_name) : "NULL");
    WSASetLastError(0);
    se = getservbyport(htons(65001), NULL);
    e2e_check(!se && WSAGetLastError() == WSANO_DATA, "getservbyport(65001): WSANO_DATA");
    se = getservbyport(80, "tcp");   /* 80 in host order is port 20480: not http */
    e2e_check(!se || strcmp(se->s_name, "http"), "getservbyport takes the port in network byte order");

    /* the result stays valid until the thread's next call */
    se = getservbyname("telnet", "tcp");
    se2 = getservbyname("domain", "udp");
    e2e_check(se2 && ntohs((u_short)se2->s_port) == 53, "second call's result");
}

static DWORD WINAPI serv_thread(void *arg)
{
    struct servent *se = getservbyname("ftp", "tcp");
    (void)arg;
    return se && ntohs((u_short)se->s_port) == 21 ? 0 : 1;
}

static void test_per_thread(void)
{
    struct servent *se = getservbyname("telnet", "tcp");
    HANDLE t;
    DWORD code = 1;

    t = CreateThread(NULL, 0, serv_thread, NULL, 0, NULL);
    WaitForSingleObject(t, 10000);
    GetExitCodeThread(t, &code);
    CloseHandle(t);
    e2e_check(code == 0, "getservbyname in another thread");
    e2e_check(se && ntohs((u_short)se->s_port) == 23 && !strcmp(se->s_name, "telnet"),
          "this thread's result untouched by the other thread's call");
}

static void test_protocols(void)
{
    static const struct { const char *name; const char *alias; int number; } protos[] =
    {
        { "ip", "IP", 0 }, { "icmp", "ICMP", 1 }, { "tcp", "TCP", 6 }, { "udp", "UDP", 17 },
        { "ipv6", "IPv6", 41 }, { "ipv6-icmp", "IPv6-ICMP", 58 }, { "rvd", "RVD", 66 },
    };
    struct protoent *pe;
    size_t i;

    for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
    {
        pe = getprotobyname(protos[i].name);
        e2e_check(pe && pe->p_proto == protos[i].number, "getprotobyname(%s) = %d", protos[i].name, pe ? pe->p_proto : -1);
        pe = getprotobyname(protos[i].alias);
        e2e_check(pe && pe->p_proto == protos[i].number, "getprotobyname(%s)", protos[i].alias);
        pe = getprotobynumber(protos[i].number);
        e2e_check(pe && !strcmp(pe->p_name, protos[i].name) && pe->p_aliases[0] && !strcmp(pe->p_aliases[0], protos[i].alias),
              "getprotobynumber(%d) = %s alias %s", protos[i].number, pe ? s(pe->p_name) : "NULL",
              pe && pe->p_aliases[0] ? pe->p_aliases[0] : "-");
    }
    pe = getprotobyname("IPV6-NONXT");
    e2e_check(pe && pe->p_proto == 59, "getprotobyname is case-insensitive");
    WSASetLastError(0);
    e2e_check(!getprotobynumber(250) && WSAGetLastError() == WSANO_DATA, "getprotobynumber(250): WSANO_DATA");
    e2e_check(!getprotobynumber(-1) && WSAGetLastError() == WSANO_DATA, "getprotobynumber(-1): WSANO_DATA");
    WSASetLastError(0);
    e2e_check(!getprotobyname(NULL) && WSAGetLastError() == WSAEFAULT, "getprotobyname(NULL): WSAEFAULT");
    e2e_check(!getprotobyname("nope") && WSAGetLastError() == WSANO_DATA, "getprotobyname(nope): WSANO_DATA");
}

#define TCPIP_KEY "System\\CurrentControlSet\\Services\\Tcpip\\Parameters"

static int write_file(const char *path, const char *data, size_t len)
{
    HANDLE f = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    DWORD n = 0;
    if (f == INVALID_HANDLE_VALUE) return 0;
    WriteFile(f, data, (DWORD)len, &n, NULL);
    CloseHandle(f);
    return n == len;
}

/* A custom database directory: CRLF, tabs, NULs, comments, no final newline; then an empty one. */
static void test_database_path(void)
{
    static const char services[] = "# custom\r\nmysvc\t4321/tcp my-alias\0junk\r\nbad 99999/tcp\r\nlast 7/xyz";
    static const char protocol[] = "myproto 200 MYPROTO # comment\n";
    char old[MAX_PATH * 2], dir[MAX_PATH], empty[MAX_PATH], path[MAX_PATH + 32];
    DWORD type = 0, len = sizeof(old);
    HKEY key;
    LONG err;
    int had_old;
    struct servent *se;
    struct protoent *pe;

    if (RegOpenKeyExA(HKEY_LOCAL_MACHINE, TCPIP_KEY, 0, KEY_QUERY_VALUE | KEY_SET_VALUE, &key))
    {
        e2e_check(0, "open the Tcpip\\Parameters key");
        return;
    }
    had_old = !RegQueryValueExA(key, "DataBasePath", NULL, &type, (BYTE *)old, &len);

    GetTempPathA(MAX_PATH, dir);
    strcat(dir, "openws2-netdb");
    CreateDirectoryA(dir, NULL);
    snprintf(path, sizeof(path), "%s\\services", dir);
    e2e_check(write_file(path, services, sizeof(services) - 1), "write a custom services file");
    snprintf(path, sizeof(path), "%s\\protocol", dir);
    e2e_check(write_file(path, protocol, sizeof(protocol) - 1), "write a custom protocol file");
    GetTempPathA(MAX_PATH, empty);
    strcat(empty, "openws2-netdb-empty");
    CreateDirectoryA(empty, NULL);

    err = RegSetValueExA(key, "DataBasePath", 0, REG_SZ, (const BYTE *)dir, (DWORD)strlen(dir) + 1);
    e2e_check(!err, "set DataBasePath to %s", dir);
    se = getservbyname("my-alias", "tcp");
    e2e_check(se && ntohs((u_short)se->s_port) == 4321 && !strcmp(se->s_name, "mysvc"), "custom services file is read");
    se = getservbyname("junk", NULL);
    e2e_check(se && ntohs((u_short)se->s_port) == 4321, "a NUL separates fields (junk is an alias)");
    e2e_check(!getservbyname("bad", NULL), "an out-of-range port is skipped");
    se = getservbyname("last", "xyz");
    e2e_check(se && ntohs((u_short)se->s_port) == 7, "last line without newline");
    e2e_check(!getservbyname("http", NULL) && WSAGetLastError() == WSANO_DATA, "only the custom file is used");
    pe = getprotobyname("myproto");
    e2e_check(pe && pe->p_proto == 200, "custom protocol file is read");

    err = RegSetValueExA(key, "DataBasePath", 0, REG_SZ, (const BYTE *)empty, (DWORD)strlen(empty) + 1);
    se = getservbyname("http", "tcp");
    e2e_check(se && ntohs((u_short)se->s_port) == 80, "embedded default services without a file");
    se = getservbyport(htons(3389), "tcp");
    e2e_check(se && !strcmp(se->s_name, "ms-wbt-server"), "embedded default: port 3389 = %s", se ? s(se->s_name) : "NULL");
    pe = getprotobynumber(17);
    e2e_check(pe && !strcmp(pe->p_name, "udp"), "embedded default protocols without a file");

    if (had_old) RegSetValueExA(key, "DataBasePath", 0, type, (const BYTE *)old, len);
    else RegDeleteValueA(key, "DataBasePath");
    RegCloseKey(key);
    snprintf(path, sizeof(path), "%s\\services", dir);
    DeleteFileA(path);
    snprintf(path, sizeof(path), "%s\\protocol", dir);
    DeleteFileA(path);
    RemoveDirectoryA(dir);
    RemoveDirectoryA(empty);
}

/* Windows answers its own name with its interface addresses before looking at the hosts file:
 * with a non-loopback IPv4 interface up, gethostbyname(gethostname()) has no 127.x address, even
 * when the Linux host's /etc/hosts maps the machine name to 127.0.x.1 (Wine's protocol.c
 * test_gethostbyname_hack). */
static void test_own_name(void)
{
    IP_ADAPTER_ADDRESSES *list, *a;
    IP_ADAPTER_UNICAST_ADDRESS *u;
    ULONG size = 64 * 1024;
    struct hostent *he;
    char name[256];
    int have_v4 = 0, i;

    e2e_check(gethostname(name, sizeof(name)) == 0, "gethostname");
    list = malloc(size);
    if (list && GetAdaptersAddresses(AF_INET, GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER,
                                     NULL, list, &size) == NO_ERROR)
        for (a = list; a; a = a->Next)
            if (a->OperStatus == IfOperStatusUp && a->IfType != IF_TYPE_SOFTWARE_LOOPBACK)
                for (u = a->FirstUnicastAddress; u; u = u->Next)
                    if (((SOCKADDR_IN *)u->Address.lpSockaddr)->sin_addr.s_net != 127) have_v4 = 1;
    free(list);
    he = gethostbyname(name);
    e2e_check(he && he->h_addrtype == AF_INET && he->h_addr_list[0], "gethostbyname(own name \"%s\")", name);
    if (!he || !have_v4) return;
    for (i = 0; he->h_addr_list[i]; i++)
        e2e_check((unsigned char)he->h_addr_list[i][0] != 127, "gethostbyname(\"%s\") address %d is %u.%u.%u.%u, not loopback",
                  name, i, (unsigned char)he->h_addr_list[i][0], (unsigned char)he->h_addr_list[i][1],
                  (unsigned char)he->h_addr_list[i][2], (unsigned char)he->h_addr_list[i][3]);
}

int main(void)
{
    WSADATA data;

    setvbuf(stdout, NULL, _IONBF, 0);
    WSASetLastError(0);
    e2e_check(!getservbyname("http", "tcp") && WSAGetLastError() == WSANOTINITIALISED,
          "getservbyname before WSAStartup: WSANOTINITIALISED");
    e2e_check(!getprotobynumber(6) && WSAGetLastError() == WSANOTINITIALISED,
          "getprotobynumber before WSAStartup: WSANOTINITIALISED");
    e2e_check(WSAStartup(MAKEWORD(2, 2), &data) == 0, "WSAStartup");
    test_services();
    test_per_thread();
    test_protocols();
    test_database_path();
    test_own_name();
    WSACleanup();
    return e2e_summary();
}
