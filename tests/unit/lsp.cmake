# Unit tests of the layered service providers' portable parts: the SOCKS5 client messages of
# dlls/lsp_socks (RFC 1928 / RFC 1929). SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(lsp_socks5_test lsp_socks5_test.c ${OPENWS2_ROOT}/dlls/lsp_socks/socks5_proto.c)
target_include_directories(lsp_socks5_test PRIVATE ${OPENWS2_ROOT}/dlls/lsp_socks)
# The LSP category rule of socket creation (src/core/app_category_rule.c).
openws2_unit_test(lsp_app_category_test lsp_app_category_test.c ${OPENWS2_ROOT}/src/core/app_category_rule.c)
