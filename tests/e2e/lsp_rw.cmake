# lsp_rw.cmake - ReadFile/WriteFile on the sockets of a non-IFS layered provider (the tracing LSP
# installed without XP1_IFS_HANDLES): synchronous, overlapped with an event and a completion port,
# the C runtime's _read/_write, mixed in order with send/recv, 1 MiB each way byte for byte,
# closesocket during a pending ReadFile, and the layer's trace proving its WSPRecv/WSPSend served them.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(lsp_rw_e2e ${CMAKE_CURRENT_LIST_DIR}/lsp_rw_e2e.c)
target_link_libraries(lsp_rw_e2e PRIVATE ws2_32 advapi32 user32)
target_link_options(lsp_rw_e2e PRIVATE -static-libgcc)
add_dependencies(lsp_rw_e2e openws2_lsp_trace)
openws2_e2e_stage(lsp_rw_e2e)
openws2_wine_test(NAME e2e_lsp_rw COMMAND lsp_rw_e2e TIMEOUT 180)
set_tests_properties(e2e_lsp_rw PROPERTIES RESOURCE_LOCK openws2_test_providers)
