# Unit tests of the socket table (src/core/socket_table.c over src/core/handle_table.c), with a provider
# test double; calloc/realloc are wrapped to inject allocation failures.
# SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(socket_table_test socket_table_test.c ${OPENWS2_ROOT}/src/core/socket_table.c
                  ${OPENWS2_ROOT}/src/core/handle_table.c)
target_link_options(socket_table_test PRIVATE -Wl,--wrap=calloc -Wl,--wrap=realloc)
