# Protocol catalog end-to-end tests (engineer "catalog"), run under Wine in the run's prefix (whose
# catalog `ws2catalog reset` wrote):
#   catalog_enum_e2e    WSAEnumProtocolsW/A, WSCEnumProtocols(32), WSCGetProviderPath, WSCGetProviderInfo
#   catalog_wsc_e2e     WSC* install/order/update/deinstall (registry checked byte for byte), both views,
#                       LSP chains, provider info, application categories, corrupt entries skipped
#   catalog_change_e2e  a change by another process seen by a running process; WSAProviderConfigChange
#   catalog_tool_e2e    the ws2catalog tool: show, show --json, reset, usage errors
# SPDX-License-Identifier: LGPL-2.1-or-later
foreach(t catalog_enum_e2e catalog_wsc_e2e catalog_change_e2e catalog_tool_e2e)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE ws2_32 advapi32)
  target_link_options(${t} PRIVATE ${OPENWS2_LINK_FLAGS})
  openws2_e2e_stage(${t})
  openws2_wine_test(NAME ${t} COMMAND ${t})
endforeach()
if(TARGET ws2catalog AND NOT TARGET stage_ws2catalog)
  openws2_e2e_stage(ws2catalog)
endif()
add_dependencies(catalog_tool_e2e ws2catalog)
# They change the shared prefix's catalog (test entries on unused address families, a reset): never
# alongside other tests.
set_tests_properties(catalog_wsc_e2e catalog_change_e2e catalog_tool_e2e PROPERTIES RUN_SERIAL TRUE)
# catalog_enum_e2e checks the default catalog's order: never while a test provider or LSP is installed.
set_tests_properties(catalog_enum_e2e PROPERTIES RESOURCE_LOCK openws2_test_providers)
