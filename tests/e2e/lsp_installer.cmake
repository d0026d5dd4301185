# lsp_installer.cmake - an LSP installer's calls (Microsoft's sample's two install paths, its way of
# finding and removing its entries) and a layered provider whose WSPStartup fails, under Wine
# (tests/e2e/lsp_installer_e2e.c):
#   lsp_installer_chains(_ifs)  WSCInstallProviderAndChains64_32, non-IFS and IFS
#   lsp_installer_legacy(_ifs)  WSCInstallProvider64_32 + WSCWriteProviderOrder(32)
#   lsp_failstartup             300 failed socket() calls through tp_lsp with a failing WSPStartup
#   lsp_failnext                the same through the tracing LSP over a base provider without WSPStartup
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(lsp_installer_e2e ${CMAKE_CURRENT_LIST_DIR}/lsp_installer_e2e.c)
target_link_libraries(lsp_installer_e2e PRIVATE ws2_32 advapi32 user32)
target_link_options(lsp_installer_e2e PRIVATE -static-libgcc)
add_dependencies(lsp_installer_e2e openws2_lsp_trace tp_lsp tp_nostartup)
openws2_e2e_stage(lsp_installer_e2e)
openws2_wine_test(NAME e2e_lsp_installer_chains COMMAND lsp_installer_e2e chains TIMEOUT 120)
openws2_wine_test(NAME e2e_lsp_installer_chains_ifs COMMAND lsp_installer_e2e chains-ifs TIMEOUT 120)
openws2_wine_test(NAME e2e_lsp_installer_legacy COMMAND lsp_installer_e2e legacy TIMEOUT 120)
openws2_wine_test(NAME e2e_lsp_installer_legacy_ifs COMMAND lsp_installer_e2e legacy-ifs TIMEOUT 120)
openws2_wine_test(NAME e2e_lsp_failstartup COMMAND lsp_installer_e2e failstartup TIMEOUT 120)
openws2_wine_test(NAME e2e_lsp_failnext COMMAND lsp_installer_e2e failnext TIMEOUT 120)
set_tests_properties(e2e_lsp_installer_chains e2e_lsp_installer_chains_ifs e2e_lsp_installer_legacy
  e2e_lsp_installer_legacy_ifs e2e_lsp_failstartup e2e_lsp_failnext PROPERTIES RESOURCE_LOCK openws2_test_providers)
