# sockio_e2e: socket calls checked against Windows' behaviour as Wine's conformance tests record it
# (last error 0 on success, WSASocket with a changed protocol info, WSAGetOverlappedResult,
# non-overlapped sockets, WSAPoll on a closed socket ...), through ws2_32 and openws2afd.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(sockio_e2e ${CMAKE_CURRENT_LIST_DIR}/sockio_e2e.c)
target_link_libraries(sockio_e2e PRIVATE ws2_32)
target_link_options(sockio_e2e PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(sockio_e2e)
openws2_wine_test(NAME e2e_sockio COMMAND sockio_e2e)
