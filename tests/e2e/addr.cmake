# End-to-end checks of the address conversion and byte-order exports under Wine.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(addr_convert_e2e ${CMAKE_CURRENT_LIST_DIR}/addr_convert_e2e.c)
target_link_libraries(addr_convert_e2e PRIVATE ws2_32)
target_link_options(addr_convert_e2e PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(addr_convert_e2e)
openws2_wine_test(NAME addr_convert_e2e COMMAND addr_convert_e2e)
