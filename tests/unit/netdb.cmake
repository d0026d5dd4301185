# Unit tests of the hosts/services/protocol parsers (src/addr/netdb_parse.c). SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(netdb_parse_test netdb_parse_test.c ${OPENWS2_ROOT}/src/addr/netdb_parse.c ${OPENWS2_ROOT}/src/addr/addr_parse.c)
