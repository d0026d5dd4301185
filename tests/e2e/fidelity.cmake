# What real programs rely on (Windows' behaviour), each under Wine with our app-local ws2_32:
#   fid_select_mixed - select and WSAPoll over sets mixing IPv4 and IPv6 sockets
#   fid_udp_unspec   - connect(AF_UNSPEC) dissolves a UDP socket's association
#   fid_startup      - what WSAStartup writes; WSAStartup(1.1) after 2.2 (pseudo-blocking calls)
#   fid_many_bufs    - WSASend/WSASendTo/WSARecv/WSARecvFrom with more than 1,024 buffers
#   fid_recv_edges   - WSARecv without buffers, empty receives, recvfrom on TCP, pending results, reset FD_CLOSE,
#                      abortive closes by SO_LINGER or SO_DONTLINGER (traced child)
#   fid_sync_sockets - sockets without WSA_FLAG_OVERLAPPED: NtReadFile blocks, SO_RCVTIMEO/SO_SNDTIMEO, closesocket
#                      wakes; no thread of Winsock's stays waiting in a plain process
#   fid_system32_wineboot - Wine's own programs with our ws2_32 in system32 (below)
#   fid_dns_escape   - DNS lookup of a name with escaped characters: NXDOMAIN at once (below)
# SPDX-License-Identifier: LGPL-2.1-or-later
foreach(t fid_select_mixed fid_udp_unspec fid_startup fid_many_bufs fid_recv_edges fid_sync_sockets)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE ws2_32)
  target_link_options(${t} PRIVATE ${OPENWS2_LINK_FLAGS})
  openws2_e2e_stage(${t})
  openws2_wine_test(NAME ${t} COMMAND ${t})
endforeach()

# Wine's own programs with our ws2_32 installed prefix-wide (install.sh --system): wineboot writes the
# computer name, hostname.exe and GetComputerNameW work, applications still get WSANOTINITIALISED
# (tests/e2e/fid_system32_wineboot.sh; needs system32_probe from system32.cmake; i686: a win32 prefix,
# or a WoW64 one with the x86_64 build beside it, else skipped with exit code 77).
add_executable(fid_computername ${CMAKE_CURRENT_LIST_DIR}/fid_computername.c)
target_link_libraries(fid_computername PRIVATE ws2_32)
target_link_options(fid_computername PRIVATE ${OPENWS2_LINK_FLAGS})
add_test(NAME fid_system32_wineboot
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/fid_system32_wineboot.sh ${CMAKE_BINARY_DIR} ${OPENWS2_ARCH})
set_tests_properties(fid_system32_wineboot PROPERTIES TIMEOUT 600 LABELS e2e RESOURCE_LOCK system32_prefix
  SKIP_RETURN_CODE 77)

# fid_dns_escape: a lookup of a name with characters outside letters, digits, '-' and '_' gets the
# loopback DNS test server's NXDOMAIN at once (tests/dnsserver, started by with-dnsserver.sh).
include(${OPENWS2_ROOT}/tests/dnsserver/dnsserver.cmake)
add_executable(fid_dns_escape ${CMAKE_CURRENT_LIST_DIR}/fid_dns_escape.c)
target_link_libraries(fid_dns_escape PRIVATE ws2_32 advapi32)
target_link_options(fid_dns_escape PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(fid_dns_escape openws2nsp openws2_dnsserver)
openws2_e2e_stage(fid_dns_escape)
add_test(NAME fid_dns_escape
  COMMAND ${OPENWS2_WITH_DNSSERVER} ${OPENWS2_DNSSERVER} 180 --
          ${OPENWS2_ROOT}/tests/wine/run.sh ${OPENWS2_WINEPREFIX} ${OPENWS2_E2E_DIR} fid_dns_escape.exe
          @DNS_PORT@ @DNS_BLACKHOLE@ @DNS_DEAD@ @DNS_LOG@)
set_tests_properties(fid_dns_escape PROPERTIES FIXTURES_REQUIRED wineprefix TIMEOUT 180 LABELS e2e
  RESOURCE_LOCK "openws2_database_path;openws2_nsp_config")
