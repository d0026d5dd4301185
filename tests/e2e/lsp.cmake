# lsp.cmake - end-to-end tests of the layered service providers openws2 ships (dlls/lsp_trace,
# dlls/lsp_socks) under Wine: each program installs its LSP into the prefix's catalog, runs traffic
# through it and removes it again (the catalog's registry bytes are compared before/after).
#   lsp_trace      catalog (TCP/IPv4, TCP/IPv6, UDP/IPv4 chains; the 64_32 variant), blocking,
#                  duplicate, UDP, select/poll/event/async select (also mixed with base sockets),
#                  overlapped (event, IOCP, routine), AcceptEx/ConnectEx/TransmitFile/TransmitPackets/DisconnectEx/
#                  WSARecvMsg/WSASendMsg, SIO_BASE_HANDLE, WSAProviderConfigChange, the trace file,
#                  application categories (uncategorised and categorised LSP, environment strings in
#                  paths; each child checks its socket's chain and its WSAEnumProtocols list)
#   lsp_trace_bulk 1 GiB through the tracing LSP, checked byte by byte and by checksum
#   lsp_trace_ifs  the same traffic with the tracing LSP installed as an IFS layer (the trace shows
#                  the extension functions and the completions seen by event, routine and
#                  WSAGetOverlappedResult, with their byte counts)
#   lsp_trace_tool installed and removed with `ws2catalog install-lsp` / `remove-lsp`
#   lsp_socks      TCP/IPv4 and IPv6 through a loopback SOCKS5 server (tests/socks5), with and without
#                  RFC 1929 authentication, ConnectEx, domain-name targets, unreachable targets,
#                  unconfigured processes, non-blocking connects (background handshake: select, WSAPoll,
#                  WSAEventSelect, failures), ProxyAddress as a host name, UDP through UDP ASSOCIATE
#                  (IPv4/IPv6, connected, non-blocking, overlapped, fragments dropped), listening through
#                  BIND, the tracing LSP stacked over the SOCKS LSP (both layers see the traffic; removal
#                  restores the catalog), then TCP and UDP again with the LSP installed as IFS chains
# SPDX-License-Identifier: LGPL-2.1-or-later
openws2_e2e_stage(openws2_lsp_trace)
add_executable(lsp_trace_e2e ${CMAKE_CURRENT_LIST_DIR}/lsp_trace_e2e.c)
target_link_libraries(lsp_trace_e2e PRIVATE ws2_32 advapi32 user32)
target_link_options(lsp_trace_e2e PRIVATE -static-libgcc)
add_dependencies(lsp_trace_e2e openws2_lsp_trace)
openws2_e2e_stage(lsp_trace_e2e)
openws2_wine_test(NAME e2e_lsp_trace COMMAND lsp_trace_e2e TIMEOUT 180)
openws2_wine_test(NAME e2e_lsp_trace_bulk COMMAND lsp_trace_e2e bulk TIMEOUT 900)
openws2_wine_test(NAME e2e_lsp_trace_ifs COMMAND lsp_trace_e2e ifs TIMEOUT 180)
openws2_wine_test(NAME e2e_lsp_trace_tool COMMAND lsp_trace_e2e tool TIMEOUT 180)
add_dependencies(lsp_trace_e2e ws2catalog)
# They edit the catalog: never at the same time as each other or the provider tests.
set_tests_properties(e2e_lsp_trace e2e_lsp_trace_bulk e2e_lsp_trace_ifs e2e_lsp_trace_tool PROPERTIES RESOURCE_LOCK openws2_test_providers)

include(${OPENWS2_ROOT}/tests/socks5/socks5.cmake)
openws2_e2e_stage(openws2_lsp_socks)
add_executable(lsp_socks_e2e ${CMAKE_CURRENT_LIST_DIR}/lsp_socks_e2e.c)
target_link_libraries(lsp_socks_e2e PRIVATE ws2_32 advapi32 user32)
target_link_options(lsp_socks_e2e PRIVATE -static-libgcc)
add_dependencies(lsp_socks_e2e openws2_lsp_socks openws2_lsp_trace socks5_server)
openws2_e2e_stage(lsp_socks_e2e)
openws2_wine_test(NAME e2e_lsp_socks COMMAND lsp_socks_e2e TIMEOUT 240)
set_tests_properties(e2e_lsp_socks PROPERTIES RESOURCE_LOCK openws2_test_providers)
