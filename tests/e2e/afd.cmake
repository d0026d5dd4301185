# openws2afd.dll (dlls/afd) end-to-end tests, run under Wine.
# afd_direct: loads the provider itself (no ws2_32 import) and drives its WSP* functions over loopback.
# SPDX-License-Identifier: LGPL-2.1-or-later
if(NOT TARGET stage_openws2afd)
  openws2_e2e_stage(openws2afd)
endif()
add_executable(afd_direct ${CMAKE_CURRENT_LIST_DIR}/afd_direct.c)
target_link_libraries(afd_direct PRIVATE user32)
target_link_options(afd_direct PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(afd_direct)
openws2_wine_test(NAME afd_direct COMMAND afd_direct)

# afd_ws2: a plain Winsock program through our ws2_32 -> catalog -> openws2afd (real networking).
add_executable(afd_ws2 ${CMAKE_CURRENT_LIST_DIR}/afd_ws2.c)
target_link_libraries(afd_ws2 PRIVATE ws2_32)
target_link_options(afd_ws2 PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(afd_ws2)
openws2_wine_test(NAME afd_ws2 COMMAND afd_ws2)

# afd_keepalive: TCP_KEEPALIVE/KEEPCNT/KEEPINTVL through ws2_32 -> openws2afd: working where Wine's AFD
# has their ioctls (Wine 10.0 on), WSAENOPROTOOPT on Wine 8.0 (the program checks the Wine version).
add_executable(afd_keepalive ${CMAKE_CURRENT_LIST_DIR}/afd_keepalive.c)
target_link_libraries(afd_keepalive PRIVATE ws2_32)
target_link_options(afd_keepalive PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(afd_keepalive)
openws2_wine_test(NAME afd_keepalive COMMAND afd_keepalive)
