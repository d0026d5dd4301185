/* netdb_files.c - reads the services, protocol and hosts databases from the database directory
 * (Tcpip\Parameters\DataBasePath, else %SystemRoot%\system32\drivers\etc) with a size cap, and
 * owns the embedded defaults used when a file is absent (see netdb_files.h). DLL only.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include "netdb_files.h"
#include "trace.h"

/* Well-known services (IANA assignments), in the services file format. */
static const char default_services[] =
    "# openws2 embedded default services database\n"
    "echo 7/tcp\n" "echo 7/udp\n"
    "discard 9/tcp sink null\n" "discard 9/udp sink null\n"
    "systat 11/tcp users\n" "systat 11/udp users\n"
    "daytime 13/tcp\n" "daytime 13/udp\n"
    "qotd 17/tcp quote\n" "qotd 17/udp quote\n"
    "chargen 19/tcp ttytst source\n" "chargen 19/udp ttytst source\n"
    "ftp-data 20/tcp\n" "ftp 21/tcp\n" "ssh 22/tcp\n" "telnet 23/tcp\n"
    "smtp 25/tcp mail\n"
    "time 37/tcp timserver\n" "time 37/udp timserver\n"
    "rlp 39/udp resource\n"
    "nameserver 42/tcp name\n" "nameserver 42/udp name\n"
    "nicname 43/tcp whois\n"
    "domain 53/tcp\n" "domain 53/udp\n"
    "bootps 67/udp dhcps\n" "bootpc 68/udp dhcpc\n"
    "tftp 69/udp\n" "gopher 70/tcp\n" "finger 79/tcp\n"
    "http 80/tcp www www-http\n"
    "kerberos 88/tcp krb5 kerberos-sec\n" "kerberos 88/udp krb5 kerberos-sec\n"
    "hostname 101/tcp hostnames\n"
    "iso-tsap 102/tcp\n" "rtelnet 107/tcp\n"
    "pop2 109/tcp postoffice\n" "pop3 110/tcp\n"
    "sunrpc 111/tcp rpcbind portmap\n" "sunrpc 111/udp rpcbind portmap\n"
    "auth 113/tcp ident tap\n" "uucp-path 117/tcp\n"
    "sqlserv 118/tcp\n" "nntp 119/tcp usenet\n"
    "ntp 123/udp\n"
    "epmap 135/tcp loc-srv\n" "epmap 135/udp loc-srv\n"
    "netbios-ns 137/tcp nbname\n" "netbios-ns 137/udp nbname\n"
    "netbios-dgm 138/udp nbdatagram\n" "netbios-ssn 139/tcp nbsession\n"
    "imap 143/tcp imap4\n" "sql-net 150/tcp\n" "sqlsrv 156/tcp\n" "pcmail-srv 158/tcp\n"
    "snmp 161/udp\n" "snmptrap 162/udp snmp-trap\n"
    "print-srv 170/tcp\n" "bgp 179/tcp\n" "irc 194/tcp\n" "ipx 213/udp\n"
    "rtsps 322/tcp\n" "rtsps 322/udp\n" "mftp 349/tcp\n" "mftp 349/udp\n"
    "ldap 389/tcp\n" "https 443/tcp MCom\n" "https 443/udp MCom\n"
    "microsoft-ds 445/tcp\n" "microsoft-ds 445/udp\n"
    "kpasswd 464/tcp\n" "kpasswd 464/udp\n"
    "isakmp 500/udp ike\n" "crs 507/tcp\n" "crs 507/udp\n"
    "exec 512/tcp\n" "biff 512/udp comsat\n"
    "login 513/tcp\n" "who 513/udp whod\n"
    "cmd 514/tcp shell\n" "syslog 514/udp\n"
    "printer 515/tcp spooler\n" "talk 517/udp\n" "ntalk 518/udp\n"
    "efs 520/tcp\n" "router 520/udp route routed\n"
    "ulp 522/tcp\n" "ulp 522/udp\n"
    "timed 525/udp timeserver\n" "tempo 526/tcp newdate\n"
    "irc-serv 529/tcp\n" "irc-serv 529/udp\n"
    "courier 530/tcp rpc\n" "conference 531/tcp chat\n" "netnews 532/tcp readnews\n"
    "netwall 533/udp\n" "uucp 540/tcp uucpd\n" "klogin 543/tcp\n" "kshell 544/tcp krcmd\n"
    "dhcpv6-client 546/tcp\n" "dhcpv6-client 546/udp\n"
    "dhcpv6-server 547/tcp\n" "dhcpv6-server 547/udp\n"
    "afpovertcp 548/tcp\n" "afpovertcp 548/udp\n"
    "new-rwho 550/udp new-who\n" "rtsp 554/tcp\n" "rtsp 554/udp\n"
    "remotefs 556/tcp rfs rfs_server\n" "rmonitor 560/udp rmonitord\n" "monitor 561/udp\n"
    "nntps 563/tcp snntp\n" "nntps 563/udp snntp\n"
    "whoami 565/tcp\n" "whoami 565/udp\n"
    "ms-shuttle 568/tcp\n" "ms-shuttle 568/udp\n" "ms-rome 569/tcp\n" "ms-rome 569/udp\n"
    "http-rpc-epmap 593/tcp\n" "http-rpc-epmap 593/udp\n"
    "hmmp-ind 612/tcp\n" "hmmp-ind 612/udp\n" "hmmp-op 613/tcp\n" "hmmp-op 613/udp\n"
    "ldaps 636/tcp sldap\n" "doom 666/tcp\n" "doom 666/udp\n"
    "msexch-routing 691/tcp\n" "msexch-routing 691/udp\n"
    "kerberos-adm 749/tcp\n" "kerberos-adm 749/udp\n" "kerberos-iv 750/udp\n"
    "mdbs_daemon 800/tcp\n" "mdbs_daemon 800/udp\n" "ftps-data 989/tcp\n" "ftps 990/tcp\n"
    "telnets 992/tcp\n" "imaps 993/tcp\n" "ircs 994/tcp\n" "pop3s 995/tcp spop3\n" "pop3s 995/udp spop3\n"
    "kpop 1109/tcp\n" "nfsd-status 1110/tcp\n" "nfsd-keepalive 1110/udp\n" "nfa 1155/tcp\n" "nfa 1155/udp\n"
    "activesync 1034/tcp\n" "opsmgr 1270/tcp\n" "opsmgr 1270/udp\n"
    "ms-sql-s 1433/tcp\n" "ms-sql-s 1433/udp\n" "ms-sql-m 1434/tcp\n" "ms-sql-m 1434/udp\n"
    "ms-sna-server 1477/tcp\n" "ms-sna-server 1477/udp\n" "ms-sna-base 1478/tcp\n" "ms-sna-base 1478/udp\n"
    "wins 1512/tcp\n" "wins 1512/udp\n" "ingreslock 1524/tcp ingres\n"
    "stt 1607/tcp\n" "stt 1607/udp\n" "l2tp 1701/udp\n" "pptconference 1711/tcp\n" "pptconference 1711/udp\n"
    "pptp 1723/tcp\n" "msiccp 1731/tcp\n" "msiccp 1731/udp\n" "remote-winsock 1745/tcp\n" "remote-winsock 1745/udp\n"
    "ms-streaming 1755/tcp\n" "ms-streaming 1755/udp\n" "msmq 1801/tcp\n" "msmq 1801/udp\n"
    "radius 1812/udp\n" "radacct 1813/udp\n" "msnp 1863/tcp\n" "msnp 1863/udp\n"
    "ssdp 1900/tcp\n" "ssdp 1900/udp\n" "close-combat 1944/tcp\n" "close-combat 1944/udp\n"
    "nfsd 2049/udp nfs\n" "knetd 2053/tcp\n" "mzap 2106/tcp\n" "mzap 2106/udp\n"
    "qwave 2177/tcp\n" "qwave 2177/udp\n" "directplay 2234/tcp\n" "directplay 2234/udp\n"
    "ms-olap3 2382/tcp\n" "ms-olap3 2382/udp\n" "ms-olap4 2383/tcp\n" "ms-olap4 2383/udp\n"
    "ms-olap1 2393/tcp\n" "ms-olap1 2393/udp\n" "ms-olap2 2394/tcp\n" "ms-olap2 2394/udp\n"
    "ms-theater 2460/tcp\n" "ms-theater 2460/udp\n" "wlbs 2504/tcp\n" "wlbs 2504/udp\n"
    "ms-v-worlds 2525/tcp\n" "ms-v-worlds 2525/udp\n" "sms-rcinfo 2701/tcp\n" "sms-rcinfo 2701/udp\n"
    "sms-xfer 2702/tcp\n" "sms-xfer 2702/udp\n" "sms-chat 2703/tcp\n" "sms-chat 2703/udp\n"
    "sms-remctrl 2704/tcp\n" "sms-remctrl 2704/udp\n"
    "msolap-ptp2 2725/tcp\n" "icslap 2869/tcp\n" "icslap 2869/udp\n"
    "ms-cluster-net 3343/tcp\n" "ms-cluster-net 3343/udp\n"
    "ms-wbt-server 3389/tcp\n" "ms-la 3535/tcp\n" "ms-la 3535/udp\n"
    "pnrp-port 3540/tcp\n" "pnrp-port 3540/udp\n" "teredo 3544/tcp\n" "teredo 3544/udp\n"
    "p2pgroup 3587/tcp\n" "p2pgroup 3587/udp\n" "ws-discovery 3702/udp\n" "ws-discovery 3702/tcp\n"
    "dvcprov-port 3776/tcp\n" "dvcprov-port 3776/udp\n" "msfw-control 3847/tcp\n"
    "msdts1 3882/tcp\n" "sdp-portmapper 3935/tcp\n" "sdp-portmapper 3935/udp\n"
    "net-device 4350/tcp\n" "net-device 4350/udp\n" "ipsec-msft 4500/tcp\n" "ipsec-msft 4500/udp\n"
    "llmnr 5355/tcp\n" "llmnr 5355/udp\n" "rrac 5678/tcp\n" "rrac 5678/udp\n"
    "dccm 5679/tcp\n" "dccm 5679/udp\n" "ms-licensing 5720/tcp\n" "ms-licensing 5720/udp\n"
    "directplay8 6073/tcp\n" "directplay8 6073/udp\n" "man 9535/tcp\n"
    "rasadv 9753/tcp\n" "rasadv 9753/udp\n" "imip-channels 11320/tcp\n" "imip-channels 11320/udp\n"
    "directplaysrvr 47624/tcp\n" "directplaysrvr 47624/udp\n";

/* Internet protocol numbers (IANA), in the protocol file format. */
static const char default_protocols[] =
    "# openws2 embedded default protocol database\n"
    "ip 0 IP\n" "icmp 1 ICMP\n" "ggp 3 GGP\n" "tcp 6 TCP\n" "egp 8 EGP\n" "pup 12 PUP\n"
    "udp 17 UDP\n" "hmp 20 HMP\n" "xns-idp 22 XNS-IDP\n" "rdp 27 RDP\n" "ipv6 41 IPv6\n"
    "ipv6-route 43 IPv6-Route\n" "ipv6-frag 44 IPv6-Frag\n" "esp 50 ESP\n" "ah 51 AH\n"
    "ipv6-icmp 58 IPv6-ICMP\n" "ipv6-nonxt 59 IPv6-NoNxt\n" "ipv6-opts 60 IPv6-Opts\n" "rvd 66 RVD\n";

static const WCHAR *file_name(enum netdb_file which)
{
    switch (which)
    {
    case NETDB_SERVICES: return L"services";
    case NETDB_PROTOCOLS: return L"protocol";
    default: return L"hosts";
    }
}

/* The database directory into dir (MAX_PATH WCHARs): 0 or -1. */
static int database_dir(WCHAR *dir, DWORD size)
{
    WCHAR raw[MAX_PATH];
    DWORD type, len = sizeof(raw) - sizeof(WCHAR), n;
    HKEY key;

    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"System\\CurrentControlSet\\Services\\Tcpip\\Parameters", 0,
                       KEY_QUERY_VALUE, &key))
    {
        LONG err = RegQueryValueExW(key, L"DataBasePath", NULL, &type, (BYTE *)raw, &len);
        RegCloseKey(key);
        if (!err && (type == REG_SZ || type == REG_EXPAND_SZ) && len >= 2 * sizeof(WCHAR))
        {
            raw[len / sizeof(WCHAR)] = 0;
            n = ExpandEnvironmentStringsW(raw, dir, size);
            if (n && n <= size && dir[0]) return 0;
        }
    }
    n = GetSystemDirectoryW(dir, size);
    if (!n || n >= size || n + 16 >= size) return -1;
    lstrcatW(dir, L"\\drivers\\etc");
    return 0;
}

int netdb_read_file(const WCHAR *path, size_t offset, void **block, size_t *len)
{
    HANDLE file;
    LARGE_INTEGER size;
    DWORD want, got = 0, n;
    char *data;

    file = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) return -1;
    if (!GetFileSizeEx(file, &size) || size.QuadPart < 0)
    {
        CloseHandle(file);
        return -1;
    }
    want = size.QuadPart > NETDB_FILE_MAX ? NETDB_FILE_MAX : (DWORD)size.QuadPart;
    if (!(data = HeapAlloc(GetProcessHeap(), 0, offset + (want ? want : 1))))
    {
        CloseHandle(file);
        return WSAENOBUFS;
    }
    while (got < want && ReadFile(file, data + offset + got, want - got, &n, NULL) && n) got += n;
    CloseHandle(file);
    *block = data;
    *len = got;
    return 0;
}

static int read_file(const WCHAR *path, struct netdb_text *out)
{
    void *block;
    size_t len;
    int ret = netdb_read_file(path, 0, &block, &len);

    if (ret) return ret;
    out->data = block;
    out->len = len;
    out->allocated = TRUE;
    return 0;
}

int netdb_file_load(enum netdb_file which, struct netdb_text *out)
{
    DWORD saved = GetLastError();
    WCHAR path[MAX_PATH + 32];
    int ret = -1;

    out->data = NULL;
    out->len = 0;
    out->allocated = FALSE;
    if (!database_dir(path, MAX_PATH) && lstrlenW(path) + 12 < (int)OPENWS2_ARRAY_SIZE(path))
    {
        lstrcatW(path, L"\\");
        lstrcatW(path, file_name(which));
        ret = read_file(path, out);
    }
    SetLastError(saved);
    if (ret == WSAENOBUFS) return ret;
    if (ret)
    {
        TRACE_API("netdb: %s file not readable, using the embedded default",
                  which == NETDB_SERVICES ? "services" : which == NETDB_PROTOCOLS ? "protocol" : "hosts");
        if (which == NETDB_SERVICES) { out->data = default_services; out->len = sizeof(default_services) - 1; }
        else if (which == NETDB_PROTOCOLS) { out->data = default_protocols; out->len = sizeof(default_protocols) - 1; }
        else { out->data = ""; out->len = 0; }
    }
    return 0;
}

void netdb_file_free(struct netdb_text *text)
{
    if (text->allocated && text->data) HeapFree(GetProcessHeap(), 0, (void *)text->data);
    text->data = NULL;
    text->len = 0;
    text->allocated = FALSE;
}
