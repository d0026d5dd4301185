# End-to-end tests of bad caller pointers in the address conversion, services database, namespace,
# WSC* and WSAProviderConfigChange exports (engineer "harden2"):
#   harden2_ptrs  each export gets pointers into a decommitted page, a PAGE_NOACCESS page and (for
#                 out-parameters) a read-only page: Windows' documented result (WSAEFAULT, INADDR_NONE
#                 for inet_addr, ERROR_INVALID_PARAMETER for inet_ntop), no crash, and the calls still
#                 work afterwards with strings / buffers that end exactly at a page end; re-run traced.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(harden2_ptrs ${CMAKE_CURRENT_LIST_DIR}/harden2_ptrs.c)
target_link_libraries(harden2_ptrs PRIVATE ws2_32)
target_link_options(harden2_ptrs PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(harden2_ptrs)
openws2_wine_test(NAME e2e_harden2_ptrs COMMAND harden2_ptrs TIMEOUT 180)
# It reads the shared prefix's catalogs (and tries, and must fail, to change them): not alongside the
# tests that edit them.
set_tests_properties(e2e_harden2_ptrs PROPERTIES RUN_SERIAL TRUE)
