# socks5.cmake - socks5_server.exe, the loopback SOCKS5 test server of the SOCKS LSP's end-to-end
# test (tests/e2e/lsp_socks_e2e.c starts and stops it). Included by tests/e2e/lsp.cmake.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(socks5_server ${CMAKE_CURRENT_LIST_DIR}/socks5_server.c)
target_link_libraries(socks5_server PRIVATE ws2_32)
target_link_options(socks5_server PRIVATE -static-libgcc)
openws2_e2e_stage(socks5_server)
