/* gai_e2e.h - shared setup of the resolver API's end-to-end programs (gai_*_e2e.c): the namespace
 * provider pointed at the loopback DNS test server and a test hosts file (nsp_e2e.h helpers), and
 * small address formatting helpers for the check messages.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef OPENWS2_GAI_E2E_H
#define OPENWS2_GAI_E2E_H
#include "nsp_e2e.h"

static const char gai_hosts[] =
    "# openws2 gai test hosts file\n"
    "192.0.2.50 gaihost.test.example gaialias\n"
    "2001:db8::50 gaihost.test.example\n"
    "192.0.2.51 gaiv4.test.example\n"
    "2001:db8::51 gaiv6.test.example\n"
    "192.0.2.52 gaimulti.test.example\n"
    "192.0.2.53 gaimulti.test.example\n"
    "127.0.0.1 gailoop.test.example\n";

/* Installs the configuration (argv: PORT BLACKHOLE DEAD LOG); 0 or -1. */
static inline int gai_setup(int argc, char **argv)
{
    char line[64];
    if (argc < 5) return -1;
    nsp_set_log(argv[4]);
    snprintf(line, sizeof(line), "127.0.0.1:%s", argv[1]);
    nsp_set_config(line, 300, 1);
    nsp_set_cache_ttl(0);
    nsp_set_search_list("");
    return nsp_install_hosts(gai_hosts);
}

static inline void gai_teardown(void)
{
    nsp_restore_hosts();
    nsp_clear_config();
}

/* "a.b.c.d:port" / "[v6]:port" of a sockaddr. */
static inline const char *gai_sa_text(const struct sockaddr *sa, char *buf, size_t size)
{
    if (!sa) snprintf(buf, size, "(null)");
    else if (sa->sa_family == AF_INET)
    {
        const SOCKADDR_IN *in = (const SOCKADDR_IN *)sa;
        const unsigned char *a = (const unsigned char *)&in->sin_addr;
        snprintf(buf, size, "%u.%u.%u.%u:%u", a[0], a[1], a[2], a[3], ntohs(in->sin_port));
    }
    else if (sa->sa_family == AF_INET6)
    {
        const SOCKADDR_IN6 *in6 = (const SOCKADDR_IN6 *)sa;
        const unsigned char *a = (const unsigned char *)&in6->sin6_addr;
        int k, m = snprintf(buf, size, "[");
        for (k = 0; k < 16; k += 2) m += snprintf(buf + m, size - m, "%s%x", k ? ":" : "", a[k] << 8 | a[k + 1]);
        snprintf(buf + m, size - m, "]:%u", ntohs(in6->sin6_port));
    }
    else snprintf(buf, size, "family %d", sa->sa_family);
    return buf;
}
#endif
