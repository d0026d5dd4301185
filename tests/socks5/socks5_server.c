/* socks5_server.c - socks5_server.exe, a small SOCKS5 server (RFC 1928 CONNECT, RFC 1929
 * username/password) on loopback for the SOCKS LSP's end-to-end test. It writes its port to a file,
 * logs one line per handshake step to a log file ("AUTH user=<u> ok|bad", "CONNECT <target>
 * atyp=<n> -> ok|fail"), and relays bytes both ways. Domain names resolve only through --map.
 *   socks5_server.exe PORTFILE LOGFILE [--auth USER PASSWORD] [--map NAME=IPV4]... [--hostile]
 * --hostile: a CONNECT to a domain name ending in ".hostile" gets a broken reply instead (logged as
 * "HOSTILE <name>"): short.hostile (3 bytes, then close), silent.hostile (close, no reply),
 * badver.hostile (version 4), badatyp.hostile (address type 9), rsv.hostile (reserved byte set),
 * longname.hostile (a domain reply announcing 255 bytes, 20 sent, then close).
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *auth_user, *auth_pass;
static const char *map_names[16], *map_addrs[16];
static int map_count;
static BOOL hostile;
static HANDLE log_file;
static CRITICAL_SECTION log_cs;

static void log_line(const char *fmt, ...)
{
    char line[512];
    va_list ap;
    DWORD written;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int)sizeof(line) - 2) n = sizeof(line) - 2;
    line[n++] = '\n';
    EnterCriticalSection(&log_cs);
    WriteFile(log_file, line, (DWORD)n, &written, NULL);
    LeaveCriticalSection(&log_cs);
}

static BOOL get(SOCKET s, void *buf, int len)
{
    char *p = buf;
    while (len > 0)
    {
        int n = recv(s, p, len, 0);
        if (n <= 0) return FALSE;
        p += n;
        len -= n;
    }
    return TRUE;
}

static BOOL put(SOCKET s, const void *buf, int len)
{
    const char *p = buf;
    while (len > 0)
    {
        int n = send(s, p, len, 0);
        if (n <= 0) return FALSE;
        p += n;
        len -= n;
    }
    return TRUE;
}

static void relay(SOCKET a, SOCKET b)
{
    char buf[65536];
    BOOL a_open = TRUE, b_open = TRUE;

    while (a_open || b_open)
    {
        fd_set set;
        int n;
        FD_ZERO(&set);
        if (a_open) FD_SET(a, &set);
        if (b_open) FD_SET(b, &set);
        if (select(0, &set, NULL, NULL, NULL) <= 0) break;
        if (a_open && FD_ISSET(a, &set))
        {
            if ((n = recv(a, buf, sizeof(buf), 0)) <= 0 || !put(b, buf, n))
            {
                a_open = FALSE;
                shutdown(b, SD_SEND);
            }
        }
        if (b_open && FD_ISSET(b, &set))
        {
            if ((n = recv(b, buf, sizeof(buf), 0)) <= 0 || !put(a, buf, n))
            {
                b_open = FALSE;
                shutdown(a, SD_SEND);
            }
        }
    }
}

static BOOL is_loopback(const struct sockaddr_storage *a)
{
    static const unsigned char v6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    if (a->ss_family == AF_INET) return ((const unsigned char *)&((const struct sockaddr_in *)a)->sin_addr)[0] == 127;
    return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, v6, 16);
}

static DWORD WINAPI client(void *param)
{
    SOCKET c = (SOCKET)(ULONG_PTR)param, t = INVALID_SOCKET;
    unsigned char h[4], methods[255], ulen, plen, alen, reply[10] = { 5, 0, 0, 1 };
    char user[256] = "", pass[256] = "", name[256] = "", target[300];
    struct sockaddr_storage to;
    int to_len = 0, i;
    unsigned short port;
    BOOL want_auth = auth_user != NULL, offered = FALSE;

    memset(&to, 0, sizeof(to));
    if (!get(c, h, 2) || h[0] != 5 || !get(c, methods, h[1])) goto done;
    for (i = 0; i < h[1]; i++)
        if (methods[i] == (want_auth ? 2 : 0)) offered = TRUE;
    h[0] = 5;
    h[1] = offered ? (want_auth ? 2 : 0) : 0xff;
    if (!put(c, h, 2) || !offered) goto done;
    if (want_auth)
    {
        BOOL good;
        if (!get(c, h, 2) || h[0] != 1 || !get(c, user, h[1])) goto done;
        ulen = h[1];
        user[ulen] = 0;
        if (!get(c, &plen, 1) || !get(c, pass, plen)) goto done;
        pass[plen] = 0;
        good = !strcmp(user, auth_user) && !strcmp(pass, auth_pass);
        log_line("AUTH user=%s %s", user, good ? "ok" : "bad");
        h[0] = 1;
        h[1] = good ? 0 : 1;
        if (!put(c, h, 2) || !good) goto done;
    }
    if (!get(c, h, 4) || h[0] != 5 || h[1] != 1) goto done;
    if (h[3] == 1)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)&to;
        in->sin_family = AF_INET;
        if (!get(c, &in->sin_addr, 4) || !get(c, &in->sin_port, 2)) goto done;
        to_len = sizeof(*in);
        port = ntohs(in->sin_port);
        inet_ntop(AF_INET, &in->sin_addr, target, sizeof(target));
    }
    else if (h[3] == 4)
    {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&to;
        char a[64];
        in6->sin6_family = AF_INET6;
        if (!get(c, &in6->sin6_addr, 16) || !get(c, &in6->sin6_port, 2)) goto done;
        to_len = sizeof(*in6);
        port = ntohs(in6->sin6_port);
        inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
        snprintf(target, sizeof(target), "[%s]", a);
    }
    else if (h[3] == 3)
    {
        struct sockaddr_in *in = (struct sockaddr_in *)&to;
        if (!get(c, &alen, 1) || !get(c, name, alen) || !get(c, &port, 2)) goto done;
        name[alen] = 0;
        port = ntohs(port);
        snprintf(target, sizeof(target), "%s", name);
        if (hostile && alen > 8 && !_stricmp(name + alen - 8, ".hostile"))
        {
            static const unsigned char shortr[] = { 5, 0, 0 }, badver[] = { 4, 0, 0, 1, 127, 0, 0, 1, 0, 80 },
                badatyp[] = { 5, 0, 0, 9, 0, 0, 0, 0, 0, 0 }, rsv[] = { 5, 0, 7, 1, 127, 0, 0, 1, 0, 80 },
                longname[] = { 5, 0, 0, 3, 255, 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
                               'a', 'a', 'a', 'a', 'a', 'a' };
            log_line("HOSTILE %s", name);
            if (!_stricmp(name, "short.hostile")) put(c, shortr, sizeof(shortr));
            else if (!_stricmp(name, "badver.hostile")) put(c, badver, sizeof(badver));
            else if (!_stricmp(name, "badatyp.hostile")) put(c, badatyp, sizeof(badatyp));
            else if (!_stricmp(name, "rsv.hostile")) put(c, rsv, sizeof(rsv));
            else if (!_stricmp(name, "longname.hostile")) put(c, longname, sizeof(longname));
            goto done; /* silent.hostile: no reply at all */
        }
        for (i = 0; i < map_count; i++)
            if (!_stricmp(map_names[i], name))
            {
                in->sin_family = AF_INET;
                in->sin_port = htons(port);
                inet_pton(AF_INET, map_addrs[i], &in->sin_addr);
                to_len = sizeof(*in);
            }
    }
    else goto done;
    /* never any traffic beyond loopback: other targets are "not allowed by ruleset" */
    if (to_len && !is_loopback(&to))
    {
        log_line("CONNECT %s:%u atyp=%u -> not loopback, refused", target, port, h[3]);
        reply[1] = 2;
        put(c, reply, sizeof(reply));
        goto done;
    }
    if (to_len && (t = socket(to.ss_family, SOCK_STREAM, IPPROTO_TCP)) != INVALID_SOCKET &&
        !connect(t, (struct sockaddr *)&to, to_len))
    {
        log_line("CONNECT %s:%u atyp=%u -> ok", target, port, h[3]);
        if (put(c, reply, sizeof(reply))) relay(c, t);
    }
    else
    {
        log_line("CONNECT %s:%u atyp=%u -> fail", target, port, h[3]);
        reply[1] = to_len ? 5 : 4; /* connection refused / host unreachable */
        put(c, reply, sizeof(reply));
    }
done:
    if (t != INVALID_SOCKET) closesocket(t);
    closesocket(c);
    return 0;
}

int main(int argc, char **argv)
{
    WSADATA wsa;
    SOCKET l;
    struct sockaddr_in a;
    int len = sizeof(a), i;
    FILE *pf;

    if (argc < 3) return 2;
    for (i = 3; i < argc; i++)
    {
        if (!strcmp(argv[i], "--auth") && i + 2 < argc)
        {
            auth_user = argv[++i];
            auth_pass = argv[++i];
        }
        else if (!strcmp(argv[i], "--map") && i + 1 < argc && map_count < 16)
        {
            char *eq = strchr(argv[++i], '=');
            if (!eq) return 2;
            *eq = 0;
            map_names[map_count] = argv[i];
            map_addrs[map_count++] = eq + 1;
        }
        else if (!strcmp(argv[i], "--hostile")) hostile = TRUE;
        else return 2;
    }
    InitializeCriticalSection(&log_cs);
    log_file = CreateFileA(argv[2], FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_ALWAYS, 0, NULL);
    if (log_file == INVALID_HANDLE_VALUE || WSAStartup(MAKEWORD(2, 2), &wsa)) return 3;
    l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 16) ||
        getsockname(l, (struct sockaddr *)&a, &len))
        return 4;
    if (!(pf = fopen(argv[1], "w"))) return 5;
    fprintf(pf, "%u\n", ntohs(a.sin_port));
    fclose(pf);
    log_line("LISTEN 127.0.0.1:%u%s", ntohs(a.sin_port), auth_user ? " auth" : "");
    for (;;)
    {
        SOCKET c = accept(l, NULL, NULL);
        HANDLE th;
        if (c == INVALID_SOCKET) break;
        if ((th = CreateThread(NULL, 0, client, (void *)(ULONG_PTR)c, 0, NULL))) CloseHandle(th);
        else closesocket(c);
    }
    return 0;
}
