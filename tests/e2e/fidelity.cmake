# What real programs rely on (Windows' behaviour), each under Wine with our app-local ws2_32:
#   fid_select_mixed - select and WSAPoll over sets mixing IPv4 and IPv6 sockets
#   fid_udp_unspec   - connect(AF_UNSPEC) dissolves a UDP socket's association
#   fid_startup      - what WSAStartup writes; WSAStartup(1.1) after 2.2 (pseudo-blocking calls)
# SPDX-License-Identifier: LGPL-2.1-or-later
foreach(t fid_select_mixed fid_udp_unspec fid_startup)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE ws2_32)
  target_link_options(${t} PRIVATE ${OPENWS2_LINK_FLAGS})
  openws2_e2e_stage(${t})
  openws2_wine_test(NAME ${t} COMMAND ${t})
endforeach()
