# reliability.cmake - the reliability tests of docs/RELIABILITY.md (issue 12 items 1, 5, 6) under Wine:
#   e2e_rel_soak      2,000 socket create/close, TCP connect/accept/send/recv/close (bytes checked)
#                     and getaddrinfo cycles: handle count and private bytes bounded after a warm-up
#   e2e_rel_soak_lsp  the same with the tracing LSP installed over TCP/IPv4
#   e2e_rel_conc      I/O threads on sockets the main thread closes (also through the tracing LSP),
#                     LSP install/remove while threads make sockets, a provider call stuck forever
#                     (tp_fault) beside openws2afd traffic
#   e2e_rel_fault     tp_fault.dll's garbage (error codes, handles, table holes, cleared members)
# The long soak (N=100,000) is run by hand: rel_e2e soak 100000 [lsp] (see docs/RELIABILITY.md).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(rel_e2e ${CMAKE_CURRENT_LIST_DIR}/rel_e2e.c)
target_link_libraries(rel_e2e PRIVATE ws2_32 advapi32 user32 kernel32)
target_link_options(rel_e2e PRIVATE -static-libgcc)
add_dependencies(rel_e2e openws2_lsp_trace tp_fault)
openws2_e2e_stage(rel_e2e)
openws2_wine_test(NAME e2e_rel_soak COMMAND rel_e2e soak 2000 TIMEOUT 180)
openws2_wine_test(NAME e2e_rel_soak_lsp COMMAND rel_e2e soak 2000 lsp TIMEOUT 180)
openws2_wine_test(NAME e2e_rel_conc COMMAND rel_e2e conc TIMEOUT 180)
openws2_wine_test(NAME e2e_rel_fault COMMAND rel_e2e fault TIMEOUT 120)
# They edit the catalog and the prefix's hosts file: never beside the provider, LSP or resolver tests.
set_tests_properties(e2e_rel_soak e2e_rel_soak_lsp e2e_rel_conc e2e_rel_fault PROPERTIES
  RESOURCE_LOCK "openws2_test_providers;openws2_database_path;openws2_nsp_config")
