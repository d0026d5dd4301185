/* socks5_server.c - socks5_server.exe, a small SOCKS5 server (RFC 1928 CONNECT, BIND and UDP
 * ASSOCIATE, RFC 1929 username/password) on loopback for the SOCKS LSP's end-to-end test. It writes
 * its port to a file, logs one line per handshake step to a log file ("AUTH user=<u> ok|bad",
 * "CONNECT <target> atyp=<n> -> ok|fail", "BIND ...", "UDP ..."), and relays bytes both ways. Domain
 * names resolve only through --map. UDP ASSOCIATE relays datagrams between the client's port and
 * the targets (127.0.0.1 / ::1 sockets only); before each datagram it relays back to the client it
 * sends a fragment (FRAG 1, payload "FRAGMENT") that a client must drop (RFC 1928 section 7). The
 * association ends with its TCP connection ("UDP ASSOCIATE end"). BIND listens on 127.0.0.1, sends
 * both replies (the listening address, then the connecting host's) and relays. A CONNECT to a target
 * outside loopback is refused (reply 2, "not allowed by ruleset").
 *   socks5_server.exe PORTFILE LOGFILE [--auth USER PASSWORD] [--map NAME=IPV4]... [--hostile]
 *                     [--hostile-seq KIND,KIND,...]
 * --hostile: a CONNECT to a domain name ending in ".hostile" gets a broken reply instead (logged as
 * "HOSTILE <name>"): short.hostile (3 bytes, then close), silent.hostile (close, no reply),
 * badver.hostile (version 4), badatyp.hostile (address type 9), rsv.hostile (reserved byte set),
 * longname.hostile (a domain reply announcing 255 bytes, 20 sent, then close).
 * --hostile-seq: the n-th connection accepted (in order, handled one at a time) gets the n-th broken
 * method negotiation or RFC 1929 exchange of the list (logged as "HOSTILE-SEQ <kind>"), later ones
 * the ordinary service. Method replies: m_refused (0xFF, no acceptable method), m_badver (version 4),
 * m_short (1 byte, then close), m_gssapi (method 1, not offered), m_userpass (method 2 although the
 * client offered no authentication), m_silent (close after the greeting, no reply), m_stall (no
 * reply, the connection kept open until the client closes it, at most 60 s). RFC 1929 (the
 * client must offer method 2; it is chosen, the request read): a_status (status 0x80), a_badver
 * (version 5), a_short (1 byte, then close), a_silent (close, no reply).
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
static char *seq_kinds[32];
static int seq_count;
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

static void addr_str(const struct sockaddr *sa, char *out, size_t size)
{
    char a[64] = "?";
    if (sa->sa_family == AF_INET)
    {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, a, sizeof(a));
        snprintf(out, size, "%s:%u", a, ntohs(((const struct sockaddr_in *)sa)->sin_port));
    }
    else
    {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, a, sizeof(a));
        snprintf(out, size, "[%s]:%u", a, ntohs(((const struct sockaddr_in6 *)sa)->sin6_port));
    }
}

static SOCKET udp_on(int af)
{
    struct sockaddr_storage a;
    SOCKET u = socket(af, SOCK_DGRAM, IPPROTO_UDP);
    memset(&a, 0, sizeof(a));
    a.ss_family = (ADDRESS_FAMILY)af;
    if (af == AF_INET) ((struct sockaddr_in *)&a)->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    else ((struct sockaddr_in6 *)&a)->sin6_addr.s6_addr[15] = 1;
    if (u != INVALID_SOCKET &&
        bind(u, (struct sockaddr *)&a, af == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6)))
    {
        closesocket(u);
        u = INVALID_SOCKET;
    }
    return u;
}

/* UDP ASSOCIATE: the client sends from 127.0.0.1:cport (any port of 127.0.0.1 when 0). */
static void udp_associate(SOCKET c, unsigned short cport)
{
    SOCKET u = udp_on(AF_INET), u6 = udp_on(AF_INET6);
    struct sockaddr_in ua, client;
    unsigned char reply[10] = { 5, 0, 0, 1 }, buf[65536 + 300];
    int len = sizeof(ua), relayed = 0;
    char text[80];

    if (u == INVALID_SOCKET || getsockname(u, (struct sockaddr *)&ua, &len))
    {
        reply[1] = 1;
        put(c, reply, sizeof(reply));
        goto done;
    }
    memcpy(reply + 4, &ua.sin_addr, 4);
    memcpy(reply + 8, &ua.sin_port, 2);
    memset(&client, 0, sizeof(client));
    client.sin_family = AF_INET;
    client.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    client.sin_port = htons(cport);
    log_line("UDP ASSOCIATE client port %u -> relay 127.0.0.1:%u", cport, ntohs(ua.sin_port));
    if (!put(c, reply, sizeof(reply))) goto done;
    for (;;)
    {
        fd_set set;
        struct sockaddr_storage src, dst;
        int slen = sizeof(src), n, dlen = 0;

        FD_ZERO(&set);
        FD_SET(c, &set);
        FD_SET(u, &set);
        if (u6 != INVALID_SOCKET) FD_SET(u6, &set);
        if (select(0, &set, NULL, NULL, NULL) <= 0) break;
        if (FD_ISSET(c, &set) && recv(c, (char *)buf, sizeof(buf), 0) <= 0) break;
        if (FD_ISSET(u, &set) && (n = recvfrom(u, (char *)buf, sizeof(buf), 0, (struct sockaddr *)&src, &slen)) >= 0)
        {
            struct sockaddr_in *s4 = (struct sockaddr_in *)&src;
            BOOL from_client = src.ss_family == AF_INET && s4->sin_addr.s_addr == htonl(INADDR_LOOPBACK) &&
                               (!client.sin_port || s4->sin_port == client.sin_port);
            if (from_client && !relayed && !client.sin_port) client.sin_port = s4->sin_port;
            if (from_client)
            {
                /* RSV RSV FRAG ATYP DST.ADDR DST.PORT DATA */
                int hdr = n >= 4 && buf[3] == 1 ? 10 : n >= 4 && buf[3] == 4 ? 22 : 0;
                memset(&dst, 0, sizeof(dst));
                if (!hdr || n < hdr || buf[0] || buf[1])
                {
                    log_line("UDP bad datagram from the client (%d bytes)", n);
                    continue;
                }
                if (buf[3] == 1)
                {
                    struct sockaddr_in *d = (struct sockaddr_in *)&dst;
                    d->sin_family = AF_INET;
                    memcpy(&d->sin_addr, buf + 4, 4);
                    memcpy(&d->sin_port, buf + 8, 2);
                    dlen = sizeof(*d);
                }
                else
                {
                    struct sockaddr_in6 *d = (struct sockaddr_in6 *)&dst;
                    d->sin6_family = AF_INET6;
                    memcpy(&d->sin6_addr, buf + 4, 16);
                    memcpy(&d->sin6_port, buf + 20, 2);
                    dlen = sizeof(*d);
                }
                addr_str((struct sockaddr *)&dst, text, sizeof(text));
                if (buf[2])
                {
                    log_line("UDP %s len=%d frag=%u -> dropped", text, n - hdr, buf[2]);
                    continue;
                }
                relayed++;
                sendto(dst.ss_family == AF_INET ? u : u6, (char *)buf + hdr, n - hdr, 0, (struct sockaddr *)&dst, dlen);
                log_line("UDP %s len=%d atyp=%u -> sent", text, n - hdr, buf[3]);
                continue;
            }
        }
        else if (u6 != INVALID_SOCKET && FD_ISSET(u6, &set))
            n = recvfrom(u6, (char *)buf, sizeof(buf), 0, (struct sockaddr *)&src, &slen);
        else continue;
        if (n < 0 || !client.sin_port) continue;
        /* a datagram from a target: to the client with its source in the header; first a fragment */
        {
            static unsigned char frag[] = { 0, 0, 1, 1, 127, 0, 0, 1, 0, 9, 'F', 'R', 'A', 'G', 'M', 'E', 'N', 'T' };
            unsigned char *out = malloc((size_t)n + 22);
            int hdr;
            if (!out) continue;
            sendto(u, (char *)frag, sizeof(frag), 0, (struct sockaddr *)&client, sizeof(client));
            out[0] = out[1] = out[2] = 0;
            if (src.ss_family == AF_INET)
            {
                out[3] = 1;
                memcpy(out + 4, &((struct sockaddr_in *)&src)->sin_addr, 4);
                memcpy(out + 8, &((struct sockaddr_in *)&src)->sin_port, 2);
                hdr = 10;
            }
            else
            {
                out[3] = 4;
                memcpy(out + 4, &((struct sockaddr_in6 *)&src)->sin6_addr, 16);
                memcpy(out + 20, &((struct sockaddr_in6 *)&src)->sin6_port, 2);
                hdr = 22;
            }
            memcpy(out + hdr, buf, n);
            sendto(u, (char *)out, n + hdr, 0, (struct sockaddr *)&client, sizeof(client));
            free(out);
            addr_str((struct sockaddr *)&src, text, sizeof(text));
            log_line("UDP REPLY %s len=%d -> client (after a fragment)", text, n);
        }
    }
    log_line("UDP ASSOCIATE end (client port %u)", ntohs(client.sin_port));
done:
    if (u != INVALID_SOCKET) closesocket(u);
    if (u6 != INVALID_SOCKET) closesocket(u6);
}

/* BIND: listens on 127.0.0.1 for one connection (30 s), replies twice, relays. */
static void bind_request(SOCKET c, const char *expected)
{
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP), t = INVALID_SOCKET;
    struct sockaddr_in a;
    struct sockaddr_storage peer;
    int len = sizeof(a), plen = sizeof(peer);
    unsigned char reply[22] = { 5, 0, 0, 1 };
    fd_set set;
    struct timeval tv = { 30, 0 };
    char text[80];

    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l == INVALID_SOCKET || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
        getsockname(l, (struct sockaddr *)&a, &len))
    {
        reply[1] = 1;
        put(c, reply, 10);
        goto done;
    }
    memcpy(reply + 4, &a.sin_addr, 4);
    memcpy(reply + 8, &a.sin_port, 2);
    log_line("BIND for %s -> listening 127.0.0.1:%u", expected, ntohs(a.sin_port));
    if (!put(c, reply, 10)) goto done;
    FD_ZERO(&set);
    FD_SET(l, &set);
    if (select(0, &set, NULL, NULL, &tv) != 1 || (t = accept(l, (struct sockaddr *)&peer, &plen)) == INVALID_SOCKET)
    {
        log_line("BIND no connection");
        reply[1] = 6;
        put(c, reply, 10);
        goto done;
    }
    addr_str((struct sockaddr *)&peer, text, sizeof(text));
    if (peer.ss_family == AF_INET)
    {
        memcpy(reply + 4, &((struct sockaddr_in *)&peer)->sin_addr, 4);
        memcpy(reply + 8, &((struct sockaddr_in *)&peer)->sin_port, 2);
        len = 10;
    }
    else
    {
        reply[3] = 4;
        memcpy(reply + 4, &((struct sockaddr_in6 *)&peer)->sin6_addr, 16);
        memcpy(reply + 20, &((struct sockaddr_in6 *)&peer)->sin6_port, 2);
        len = 22;
    }
    log_line("BIND accepted %s", text);
    if (put(c, reply, len)) relay(c, t);
done:
    if (t != INVALID_SOCKET) closesocket(t);
    if (l != INVALID_SOCKET) closesocket(l);
}

static BOOL is_loopback(const struct sockaddr_storage *a)
{
    static const unsigned char v6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    if (a->ss_family == AF_INET) return ((const unsigned char *)&((const struct sockaddr_in *)a)->sin_addr)[0] == 127;
    return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr, v6, 16);
}

/* One broken negotiation of --hostile-seq on connection c (closed by the caller). */
static void hostile_seq(SOCKET c, const char *kind)
{
    unsigned char h[2], methods[255], user[256], plen, pass[256];
    BOOL offers_auth = FALSE;
    DWORD timeout = 10000;
    int i;

    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    if (!get(c, h, 2) || h[0] != 5 || !get(c, methods, h[1]))
    {
        log_line("HOSTILE-SEQ %s: no greeting", kind);
        return;
    }
    for (i = 0; i < h[1]; i++)
        if (methods[i] == 2) offers_auth = TRUE;
    if (kind[0] == 'a')
    {
        static const unsigned char choose[] = { 5, 2 };
        if (!offers_auth)
        {
            log_line("HOSTILE-SEQ %s: username/password not offered", kind);
            return;
        }
        if (!put(c, choose, 2) || !get(c, h, 2) || h[0] != 1 || !get(c, user, h[1]) || !get(c, &plen, 1) ||
            !get(c, pass, plen))
        {
            log_line("HOSTILE-SEQ %s: no authentication request", kind);
            return;
        }
    }
    log_line("HOSTILE-SEQ %s", kind);
    if (!strcmp(kind, "m_refused")) put(c, "\x05\xff", 2);
    else if (!strcmp(kind, "m_badver")) put(c, "\x04\x00", 2);
    else if (!strcmp(kind, "m_short")) put(c, "\x05", 1);
    else if (!strcmp(kind, "m_gssapi")) put(c, "\x05\x01", 2);
    else if (!strcmp(kind, "m_userpass")) put(c, "\x05\x02", 2);
    else if (!strcmp(kind, "a_status")) put(c, "\x01\x80", 2);
    else if (!strcmp(kind, "a_badver")) put(c, "\x05\x00", 2);
    else if (!strcmp(kind, "a_short")) put(c, "\x01", 1);
    /* m_silent, a_silent, m_stall: no reply at all */
    /* let the client read the reply before the close (m_stall: wait for the client to give up) */
    if (strcmp(kind, "m_stall")) shutdown(c, SD_SEND);
    timeout = strcmp(kind, "m_stall") ? 2000 : 60000;
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, (const char *)&timeout, sizeof(timeout));
    recv(c, (char *)h, 1, 0);
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
    if (!get(c, h, 4) || h[0] != 5 || h[1] < 1 || h[1] > 3) goto done;
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
    if (h[1] == 3)
    {
        udp_associate(c, port);
        goto done;
    }
    if (h[1] == 2)
    {
        char expected[320];
        snprintf(expected, sizeof(expected), "%s:%u", target, port);
        bind_request(c, expected);
        goto done;
    }
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
        else if (!strcmp(argv[i], "--hostile-seq") && i + 1 < argc)
        {
            char *k = strtok(argv[++i], ",");
            for (; k && seq_count < 32; k = strtok(NULL, ",")) seq_kinds[seq_count++] = k;
        }
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
    for (i = 0;; i++)
    {
        SOCKET c = accept(l, NULL, NULL);
        HANDLE th;
        if (c == INVALID_SOCKET) break;
        if (i < seq_count)
        {
            hostile_seq(c, seq_kinds[i]);
            closesocket(c);
            continue;
        }
        if ((th = CreateThread(NULL, 0, client, (void *)(ULONG_PTR)c, 0, NULL))) CloseHandle(th);
        else closesocket(c);
    }
    return 0;
}
