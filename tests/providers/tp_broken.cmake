# tp_broken.dll - a deliberately non-conforming provider (wrong version answer, incomplete procedure
# table, sockets made without an upcall, WSPCleanup without a count): ws2conform must FAIL it
# (tests/e2e/conform.cmake).
# SPDX-License-Identifier: LGPL-2.1-or-later
add_library(tp_broken SHARED ${CMAKE_CURRENT_LIST_DIR}/tp_broken.c)
set_target_properties(tp_broken PROPERTIES PREFIX "")
target_link_libraries(tp_broken PRIVATE kernel32)
target_link_options(tp_broken PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(tp_broken)
