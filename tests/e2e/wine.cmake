# Wine's own DLLs over openws2's ws2_32 (run under Wine with our app-local ws2_32.dll, ws2_32=n,b):
#   wine_mswsock  - Wine's builtin mswsock: AcceptEx, GetAcceptExSockaddrs, TransmitFile
#   wine_wsock32  - a Winsock 1.1 program importing only Wine's builtin wsock32
#   wine_winhttp  - Wine's builtin winhttp: HTTP GET to a server the test runs on 127.0.0.1
# Each program re-runs itself with OPENWS2_TRACE=1 and checks our ws2_32's and provider's trace.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(wine_mswsock ${CMAKE_CURRENT_LIST_DIR}/wine_mswsock.c)
target_link_libraries(wine_mswsock PRIVATE ws2_32 mswsock)
target_link_options(wine_mswsock PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(wine_mswsock)
openws2_wine_test(NAME wine_mswsock COMMAND wine_mswsock)

# wsock32 only: the program must not import ws2_32 itself
add_executable(wine_wsock32 ${CMAKE_CURRENT_LIST_DIR}/wine_wsock32.c)
target_link_libraries(wine_wsock32 PRIVATE wsock32)
target_link_options(wine_wsock32 PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(wine_wsock32)
openws2_wine_test(NAME wine_wsock32 COMMAND wine_wsock32)

add_executable(wine_winhttp ${CMAKE_CURRENT_LIST_DIR}/wine_winhttp.c)
target_link_libraries(wine_winhttp PRIVATE ws2_32 winhttp)
target_link_options(wine_winhttp PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(wine_winhttp)
openws2_wine_test(NAME wine_winhttp COMMAND wine_winhttp)

# ws2_probe: run by the wineprefix fixture (not a test of its own): the e2e programs get our ws2_32.
add_executable(ws2_probe ${CMAKE_CURRENT_LIST_DIR}/ws2_probe.c)
target_link_libraries(ws2_probe PRIVATE ws2_32)
target_link_options(ws2_probe PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(ws2_probe)
