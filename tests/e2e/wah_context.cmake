# End-to-end test of the Wah* handle-context exports (src/core/wah_context.c) through GetProcAddress on
# our ws2_32, under Wine: semantics, argument errors, 100,000 handles, 8 threads.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(wah_context_e2e ${CMAKE_CURRENT_LIST_DIR}/wah_context.c)
target_link_libraries(wah_context_e2e PRIVATE ws2_32)
target_link_options(wah_context_e2e PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(wah_context_e2e)
openws2_wine_test(NAME wah_context COMMAND wah_context_e2e)
