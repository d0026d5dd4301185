# End-to-end tests of the resolver API (getaddrinfo family, getnameinfo, gethostby*, gethostname,
# WSAAsyncGet*, GetAddrInfoEx async) under Wine, names answered by openws2nsp.dll through the
# namespace catalog from a test hosts file and the loopback DNS test server (tests/dnsserver).
# SPDX-License-Identifier: LGPL-2.1-or-later
include(${OPENWS2_ROOT}/tests/dnsserver/dnsserver.cmake)

function(openws2_gai_test name)
  add_executable(${name} ${CMAKE_CURRENT_LIST_DIR}/${name}.c)
  target_link_libraries(${name} PRIVATE ws2_32 advapi32 user32 iphlpapi)
  target_link_options(${name} PRIVATE ${OPENWS2_LINK_FLAGS})
  add_dependencies(${name} openws2nsp openws2_dnsserver)
  openws2_e2e_stage(${name})
  add_test(NAME ${name}
    COMMAND ${OPENWS2_WITH_DNSSERVER} ${OPENWS2_DNSSERVER} 180 --
            ${OPENWS2_ROOT}/tests/wine/run.sh ${OPENWS2_WINEPREFIX} ${OPENWS2_E2E_DIR} ${name}.exe
            @DNS_PORT@ @DNS_BLACKHOLE@ @DNS_DEAD@ @DNS_LOG@)
  set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED wineprefix TIMEOUT 180 LABELS e2e
    RESOURCE_LOCK "openws2_database_path;openws2_nsp_config")
endfunction()

openws2_gai_test(gai_addrinfo_e2e)
openws2_gai_test(gai_hostent_e2e)
openws2_gai_test(gai_ex_e2e)
openws2_gai_test(gai_async_e2e)
openws2_gai_test(gai_connect_e2e)
