# catalog_tool_lsp: the ws2catalog tool's install-lsp / order / remove-lsp / reset round trip, the
# registry (Protocol_Catalog9 and NameSpace_Catalog5, both views) compared byte for byte with the
# state before; argument errors; show of both catalogs.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(catalog_tool_lsp ${CMAKE_CURRENT_LIST_DIR}/catalog_tool_lsp.c)
target_link_libraries(catalog_tool_lsp PRIVATE ws2_32 advapi32)
target_link_options(catalog_tool_lsp PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(catalog_tool_lsp ws2catalog tp_lsp)
openws2_e2e_stage(catalog_tool_lsp)
openws2_wine_test(NAME catalog_tool_lsp COMMAND catalog_tool_lsp TIMEOUT 300)
# It rewrites the shared prefix's catalog.
set_tests_properties(catalog_tool_lsp PROPERTIES RUN_SERIAL TRUE)
