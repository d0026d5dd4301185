# Unit tests of the portable address conversion (src/addr/addr_parse.c). SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(addr_parse_test addr_parse_test.c ${OPENWS2_ROOT}/src/addr/addr_parse.c)
