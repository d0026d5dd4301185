/* netdb_parse_test.c - CMocka tests of src/addr/netdb_parse.c: services, protocol and hosts files with
 * comments, tabs, CRLF, NULs, missing final newline, over-long lines and fields, and huge inputs.
 * SPDX-License-Identifier: LGPL-2.1-or-later */
#include "ws2_common.h"
#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include "netdb_parse.h"

static struct netdb_service serv;
static struct netdb_protocol prot;
static struct netdb_host host;

static const char services[] =
    "# services\r\n"
    "echo            7/tcp\r\n"
    "echo\t\t7/udp\r\n"
    "discard         9/tcp     sink null   # a comment\r\n"
    "\r\n"
    "   \t  \n"
    "http 80/tcp www www-http #World Wide Web\n"
    "bad 70000/tcp\n"            /* port out of range */
    "bad2 12x/tcp\n"             /* not a number */
    "bad3 12\n"                  /* no protocol */
    "bad4 12/\n"                 /* empty protocol */
    "nameonly\n"
    "kerberos 88/udp krb5\n"
    "last 65535/ddp lastalias";  /* no newline at EOF */

static void test_services(void **state)
{
    struct netdb_cursor c;
    int n = 0;
    (void)state;

    netdb_cursor_init(&c, services, sizeof(services) - 1);
    while (netdb_next_service(&c, &serv)) n++;
    assert_int_equal(n, 6);

    assert_true(netdb_find_service_by_name(services, sizeof(services) - 1, "echo", NULL, &serv));
    assert_string_equal(serv.proto, "tcp");
    assert_int_equal(serv.port, 7);
    assert_true(netdb_find_service_by_name(services, sizeof(services) - 1, "ECHO", "UDP", &serv));
    assert_string_equal(serv.proto, "udp");
    assert_true(netdb_find_service_by_name(services, sizeof(services) - 1, "null", "tcp", &serv));
    assert_string_equal(serv.name, "discard");
    assert_int_equal(serv.alias_count, 2);
    assert_string_equal(serv.aliases[0], "sink");
    assert_string_equal(serv.aliases[1], "null");
    assert_false(netdb_find_service_by_name(services, sizeof(services) - 1, "discard", "udp", &serv));
    assert_true(netdb_find_service_by_name(services, sizeof(services) - 1, "www", NULL, &serv));
    assert_int_equal(serv.port, 80);
    assert_int_equal(serv.alias_count, 2);   /* the comment is not an alias */
    assert_false(netdb_find_service_by_name(services, sizeof(services) - 1, "bad", NULL, &serv));
    assert_false(netdb_find_service_by_name(services, sizeof(services) - 1, "bad4", NULL, &serv));
    assert_false(netdb_find_service_by_name(services, sizeof(services) - 1, "nameonly", NULL, &serv));
    assert_false(netdb_find_service_by_name(services, sizeof(services) - 1, NULL, NULL, &serv));
    assert_true(netdb_find_service_by_name(services, sizeof(services) - 1, "lastalias", "ddp", &serv));
    assert_int_equal(serv.port, 65535);

    assert_true(netdb_find_service_by_port(services, sizeof(services) - 1, 88, NULL, &serv));
    assert_string_equal(serv.name, "kerberos");
    assert_false(netdb_find_service_by_port(services, sizeof(services) - 1, 88, "tcp", &serv));
    assert_true(netdb_find_service_by_port(services, sizeof(services) - 1, 7, "udp", &serv));
    assert_string_equal(serv.proto, "udp");
    assert_false(netdb_find_service_by_port(services, sizeof(services) - 1, 12, NULL, &serv));
}

static void test_services_nul_and_garbage(void **state)
{
    static const char data[] = "ftp\0 21/tcp\nssh 22/tcp\0alias\n\0\0\0\nx\xff\xfe 5/tcp\n\x01\x02\x03";
    (void)state;

    /* NULs are separators, never terminators */
    assert_true(netdb_find_service_by_name(data, sizeof(data) - 1, "ftp", NULL, &serv));
    assert_int_equal(serv.port, 21);
    assert_true(netdb_find_service_by_name(data, sizeof(data) - 1, "alias", NULL, &serv));
    assert_string_equal(serv.name, "ssh");
    assert_true(netdb_find_service_by_name(data, sizeof(data) - 1, "x\xff\xfe", NULL, &serv));
    /* a length cut in the middle of a line */
    assert_false(netdb_find_service_by_name(data, 6, "ftp", NULL, &serv));
    assert_false(netdb_find_service_by_name(NULL, 100, "ftp", NULL, &serv));
}

static void test_long_lines_and_fields(void **state)
{
    size_t size = NETDB_LINE_MAX * 3, n;
    char *data = malloc(size);
    int i;
    (void)state;

    assert_non_null(data);
    /* an over-long line, then a good one */
    memset(data, 'a', NETDB_LINE_MAX + 10);
    n = NETDB_LINE_MAX + 10;
    n += (size_t)sprintf(data + n, "\ngood 1/tcp\n");
    assert_true(netdb_find_service_by_name(data, n, "good", NULL, &serv));
    assert_false(netdb_find_service_by_port(data, n, 0, NULL, &serv));

    /* a name longer than NETDB_NAME_MAX - 1: skipped; an alias that long: dropped */
    memset(data, 'b', NETDB_NAME_MAX);
    n = NETDB_NAME_MAX;
    n += (size_t)sprintf(data + n, " 5/tcp\nok 6/tcp ");
    memset(data + n, 'c', NETDB_NAME_MAX);
    n += NETDB_NAME_MAX;
    n += (size_t)sprintf(data + n, " short\n");
    assert_false(netdb_find_service_by_port(data, n, 5, NULL, &serv));
    assert_true(netdb_find_service_by_port(data, n, 6, NULL, &serv));
    assert_int_equal(serv.alias_count, 1);
    assert_string_equal(serv.aliases[0], "short");

    /* more aliases than kept */
    n = (size_t)sprintf(data, "many 9/tcp");
    for (i = 0; i < NETDB_MAX_ALIASES + 20; i++) n += (size_t)sprintf(data + n, " a%d", i);
    assert_true(netdb_find_service_by_name(data, n, "many", NULL, &serv));
    assert_int_equal(serv.alias_count, NETDB_MAX_ALIASES);
    assert_string_equal(serv.aliases[NETDB_MAX_ALIASES - 1], "a34");
    free(data);
}

static void test_huge_file(void **state)
{
    size_t lines = 200000, i, n = 0;
    char *data = malloc(lines * 24 + 64);
    (void)state;

    assert_non_null(data);
    for (i = 0; i < lines; i++) n += (size_t)sprintf(data + n, "s%zu %zu/tcp\n", i, i % 65536);
    n += (size_t)sprintf(data + n, "needle 4242/sctp");
    assert_true(netdb_find_service_by_name(data, n, "needle", "sctp", &serv));
    assert_int_equal(serv.port, 4242);
    assert_true(netdb_find_service_by_name(data, n, "s199999", NULL, &serv));
    assert_int_equal(serv.port, 199999 % 65536);
    free(data);
}

static const char protocols[] =
    "# Internet protocols\n"
    "ip           0   IP\n"
    "icmp         1   ICMP\n"
    "tcp          6   TCP\n"
    "udp          17  UDP # user datagram\n"
    "bad 256 BAD\n"
    "bad2 -1\n"
    "ipv6-icmp\t58\tIPv6-ICMP\r\n";

static void test_protocols(void **state)
{
    (void)state;

    assert_true(netdb_find_protocol_by_name(protocols, sizeof(protocols) - 1, "tcp", &prot));
    assert_int_equal(prot.number, 6);
    assert_int_equal(prot.alias_count, 1);
    assert_string_equal(prot.aliases[0], "TCP");
    assert_true(netdb_find_protocol_by_name(protocols, sizeof(protocols) - 1, "Udp", &prot));
    assert_int_equal(prot.number, 17);
    assert_int_equal(prot.alias_count, 1);
    assert_true(netdb_find_protocol_by_number(protocols, sizeof(protocols) - 1, 58, &prot));
    assert_string_equal(prot.name, "ipv6-icmp");
    assert_string_equal(prot.aliases[0], "IPv6-ICMP");
    assert_true(netdb_find_protocol_by_number(protocols, sizeof(protocols) - 1, 0, &prot));
    assert_string_equal(prot.name, "ip");
    assert_false(netdb_find_protocol_by_name(protocols, sizeof(protocols) - 1, "bad", &prot));
    assert_false(netdb_find_protocol_by_name(protocols, sizeof(protocols) - 1, "bad2", &prot));
    assert_false(netdb_find_protocol_by_number(protocols, sizeof(protocols) - 1, 256, &prot));
    assert_false(netdb_find_protocol_by_number(protocols, sizeof(protocols) - 1, 2, &prot));
}

static const char hosts[] =
    "# hosts\r\n"
    "127.0.0.1       localhost loopback\r\n"
    "::1             localhost6 localhost\r\n"
    "10.1.2.3\tserver.example.com server # main\n"
    "fe80::1%4 linklocal\n"            /* scope ids are not host addresses */
    "999.1.1.1 broken\n"
    "1.2.3.4\n"                         /* no name */
    "0x7f000002 hexhost\n"
    "2001:db8::5 v6host";

static void test_hosts(void **state)
{
    static const uint8_t lo4[4] = { 127, 0, 0, 1 }, srv[4] = { 10, 1, 2, 3 };
    static const uint8_t lo6[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
    (void)state;

    assert_true(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "localhost", 0, &host));
    assert_int_equal(host.family, AF_INET);
    assert_memory_equal(host.addr, lo4, 4);
    assert_true(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "LOCALHOST", AF_INET6, &host));
    assert_int_equal(host.family, AF_INET6);
    assert_memory_equal(host.addr, lo6, 16);
    assert_string_equal(host.name, "localhost6");
    assert_true(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "server", 0, &host));
    assert_string_equal(host.name, "server.example.com");
    assert_memory_equal(host.addr, srv, 4);
    assert_int_equal(host.alias_count, 1);
    assert_false(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "linklocal", 0, &host));
    assert_false(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "broken", 0, &host));
    assert_true(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "hexhost", 0, &host));
    assert_int_equal(host.addr[3], 2);
    assert_true(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "v6host", AF_INET6, &host));
    assert_false(netdb_find_host_by_name(hosts, sizeof(hosts) - 1, "v6host", AF_INET, &host));

    {
        /* every address of localhost, in file order */
        struct netdb_cursor c;
        int n = 0, fam[4] = { 0 };
        netdb_cursor_init(&c, hosts, sizeof(hosts) - 1);
        while (n < 4 && netdb_next_host_by_name(&c, "localhost", 0, &host)) fam[n++] = host.family;
        assert_int_equal(n, 2);
        assert_int_equal(fam[0], AF_INET);
        assert_int_equal(fam[1], AF_INET6);
        netdb_cursor_init(&c, hosts, sizeof(hosts) - 1);
        assert_false(netdb_next_host_by_name(&c, NULL, 0, &host));
    }
    assert_true(netdb_find_host_by_addr(hosts, sizeof(hosts) - 1, srv, 4, &host));
    assert_string_equal(host.name, "server.example.com");
    assert_true(netdb_find_host_by_addr(hosts, sizeof(hosts) - 1, lo6, 16, &host));
    assert_string_equal(host.name, "localhost6");
    assert_false(netdb_find_host_by_addr(hosts, sizeof(hosts) - 1, lo6, 8, &host));
    assert_false(netdb_find_host_by_addr(hosts, sizeof(hosts) - 1, (const uint8_t[4]){ 1, 2, 3, 4 }, 4, &host));
}

static void test_name_equal(void **state)
{
    (void)state;
    assert_true(netdb_name_equal("Echo", "eCHO"));
    assert_false(netdb_name_equal("echo", "echo2"));
    assert_false(netdb_name_equal("echo2", "echo"));
    assert_true(netdb_name_equal("", ""));
}

int main(void)
{
    const struct CMUnitTest tests[] =
    {
        cmocka_unit_test(test_services),
        cmocka_unit_test(test_services_nul_and_garbage),
        cmocka_unit_test(test_long_lines_and_fields),
        cmocka_unit_test(test_huge_file),
        cmocka_unit_test(test_protocols),
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_name_equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
