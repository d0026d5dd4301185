# Unit tests of the handle-context table (src/core/handle_table.c); calloc is wrapped to inject
# allocation failures. SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(handle_table_test handle_table_test.c ${OPENWS2_ROOT}/src/core/handle_table.c)
target_link_options(handle_table_test PRIVATE -Wl,--wrap=calloc)
