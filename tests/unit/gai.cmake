# Unit tests of the portable getaddrinfo rules (src/resolve/gai_build.c). SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(gai_build_test gai_build_test.c ${OPENWS2_ROOT}/src/resolve/gai_build.c ${OPENWS2_ROOT}/src/addr/addr_parse.c)
