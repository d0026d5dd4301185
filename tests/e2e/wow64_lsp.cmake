# wow64_lsp: an LSP installed once with WSCInstallProviderAndChains64_32 serves the 64-bit and the
# 32-bit programs of one WoW64 prefix (tests/e2e/wow64_lsp.sh). i686 build only (it needs the
# x86_64 build beside it and skips with exit code 77 without it or in a win32 prefix).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
if(OPENWS2_ARCH STREQUAL "i686")
  add_test(NAME wow64_lsp COMMAND ${CMAKE_CURRENT_LIST_DIR}/wow64_lsp.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(wow64_lsp PROPERTIES TIMEOUT 600 LABELS e2e SKIP_RETURN_CODE 77)
endif()
