# Socket option / interface-list rules of Windows through our ws2_32 and openws2afd, under Wine.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
if(NOT TARGET stage_openws2afd)
  openws2_e2e_stage(openws2afd)
endif()
add_executable(sockopt_ws2 ${CMAKE_CURRENT_LIST_DIR}/sockopt_ws2.c)
target_link_libraries(sockopt_ws2 PRIVATE ws2_32)
target_link_options(sockopt_ws2 PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(sockopt_ws2)
openws2_wine_test(NAME sockopt_ws2 COMMAND sockopt_ws2)
