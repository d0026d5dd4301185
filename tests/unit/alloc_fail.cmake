# Allocation-failure tests (docs/RELIABILITY.md "Allocation failure"): the portable modules that
# allocate, compiled with alloc_fail.h force-included (their malloc/calloc/realloc/free/strdup go
# through the counting allocator alloc_fail.c), driven by alloc_fail_test.c.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_library(alloc_fail_modules OBJECT
  ${OPENWS2_ROOT}/src/catalog/catalog_format.c ${OPENWS2_ROOT}/src/catalog/catalog_default.c ${OPENWS2_ROOT}/src/catalog/catalog.c
  ${OPENWS2_ROOT}/src/catalog/catalog_select.c ${OPENWS2_ROOT}/src/catalog/catalog_edit.c ${OPENWS2_ROOT}/src/catalog/registry_watch.c
  ${OPENWS2_ROOT}/src/namespace/ns_catalog.c ${OPENWS2_ROOT}/src/namespace/ns_catalog_default.c ${OPENWS2_ROOT}/src/namespace/ns_catalog_registry.c
  ${OPENWS2_ROOT}/src/namespace/ns_catalog_current.c
  ${OPENWS2_ROOT}/src/core/handle_table.c ${OPENWS2_ROOT}/src/core/socket_table.c
  ${OPENWS2_ROOT}/dlls/nsp/nsp_hostdb.c ${OPENWS2_ROOT}/src/addr/netdb_parse.c ${OPENWS2_ROOT}/src/addr/addr_parse.c
  ${OPENWS2_ROOT}/src/api/fdset_util.c ${OPENWS2_ROOT}/src/namespace/ns_queryset.c ${OPENWS2_ROOT}/dlls/nsp/nsp_cache.c
  ${OPENWS2_ROOT}/dlls/nsp/nsp_dns.c ${OPENWS2_ROOT}/src/resolve/dns_message.c
  ${OPENWS2_ROOT}/src/core/app_category.c ${OPENWS2_ROOT}/src/core/app_category_rule.c)
target_link_libraries(alloc_fail_modules PRIVATE openws2_host_os)
target_include_directories(alloc_fail_modules PRIVATE ${OPENWS2_ROOT}/dlls/nsp)
target_compile_options(alloc_fail_modules PRIVATE -include ${CMAKE_CURRENT_SOURCE_DIR}/alloc_fail.h)
# nsp_private.h names SPI types that the host's (Wine's) headers lack: nsp_private_host.h
set_source_files_properties(${OPENWS2_ROOT}/dlls/nsp/nsp_cache.c PROPERTIES COMPILE_OPTIONS
                            "-include;${CMAKE_CURRENT_SOURCE_DIR}/nsp_private_host.h")
# app_category.c: the SPI declarations Wine's headers lack; its wide literals as WCHAR (2 bytes)
set_source_files_properties(${OPENWS2_ROOT}/src/core/app_category.c PROPERTIES COMPILE_OPTIONS
                            "-fshort-wchar;-include;${CMAKE_CURRENT_SOURCE_DIR}/app_category_host.h")
# nsp_dns.c's Winsock calls go to the in-process fake DNS server of nsp_dns_host.c
set_source_files_properties(${OPENWS2_ROOT}/dlls/nsp/nsp_dns.c PROPERTIES COMPILE_OPTIONS
                            "-include;${CMAKE_CURRENT_SOURCE_DIR}/nsp_private_host.h;-include;${CMAKE_CURRENT_SOURCE_DIR}/nsp_dns_host.h")
openws2_unit_test(alloc_fail_test alloc_fail_test.c alloc_fail.c $<TARGET_OBJECTS:alloc_fail_modules>
                  ${OPENWS2_ROOT}/src/shared/trace.c ${CMAKE_CURRENT_SOURCE_DIR}/ns_reg_wstr_host.c
                  ${CMAKE_CURRENT_SOURCE_DIR}/fake_registry.c ${CMAKE_CURRENT_SOURCE_DIR}/codepage_host.c
                  ${CMAKE_CURRENT_SOURCE_DIR}/alloc_fail_win_host.c ${CMAKE_CURRENT_SOURCE_DIR}/nsp_dns_host.c
                  ${CMAKE_CURRENT_SOURCE_DIR}/app_category_host.c)
target_include_directories(alloc_fail_test PRIVATE ${OPENWS2_ROOT}/dlls/nsp)
