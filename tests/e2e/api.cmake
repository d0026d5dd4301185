# End-to-end tests of ws2_32's startup code and socket API dispatch layer (engineer "api"):
#   api_startup   WSAStartup/WSACleanup negotiation table, WSADATA, nesting, WSANOTINITIALISED,
#                 per-thread error state and SO_OPENTYPE, Winsock 1.1 blocking hooks, WEP
#   api_args      every dispatcher's argument validation (WSAENOTSOCK, WSAEFAULT, WSAEINVAL ...),
#                 select/WSAPoll errors, the event-object wrappers
#   api_dispatch  sockets made through the recording test provider tp_nifs: each dispatcher reaches
#                 the provider with the right arguments, errors come back, WSACleanup closes all
#   api_dispatch_ifs  the same with the IFS test provider tp_ifs (WPUModifyIFSHandle sockets)
#   api_base      the same layer over the base provider (openws2afd): TCP/UDP loopback, select,
#                 WSAPoll, WSASendMsg, WSADuplicateSocketA into a child process
foreach(t api_startup api_args api_dispatch api_dispatch_ifs api_base)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE ws2_32)
  target_link_options(${t} PRIVATE ${OPENWS2_LINK_FLAGS})
  openws2_e2e_stage(${t})
  openws2_wine_test(NAME e2e_${t} COMMAND ${t})
endforeach()
add_dependencies(api_dispatch tp_nifs)
add_dependencies(api_dispatch_ifs tp_ifs)
# They install test providers into the run's catalog: not beside the tests that check its bytes.
set_tests_properties(e2e_api_dispatch e2e_api_dispatch_ifs PROPERTIES RESOURCE_LOCK openws2_test_providers)
