# End-to-end tests of the namespace provider openws2nsp.dll under Wine, against the loopback DNS
# test server (tests/dnsserver, started around each test by with-dnsserver.sh):
#   nsp_direct  the provider loaded directly (NSPStartup + NSP_ROUTINE)
#   nsp_ws2     the provider reached through ws2_32's WSALookupService* and the namespace catalog
#   nsp_cache   its configuration caches: no per-lookup work (Openws2NspCounters), changes seen
# They replace the prefix's hosts file and HKLM\Software\openws2\Nsp for their duration.
# SPDX-License-Identifier: LGPL-2.1-or-later
include(${OPENWS2_ROOT}/tests/dnsserver/dnsserver.cmake)

# openws2_nsp_test(NAME name COMMAND exe args...): like openws2_wine_test, with the DNS test server
# running (@DNS_PORT@, @DNS_BLACKHOLE@, @DNS_DEAD@, @DNS_LOG@ in args).
function(openws2_nsp_test)
  cmake_parse_arguments(T "" "NAME;TIMEOUT" "COMMAND" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 180)
  endif()
  list(POP_FRONT T_COMMAND exe)
  add_test(NAME ${T_NAME}
    COMMAND ${OPENWS2_WITH_DNSSERVER} ${OPENWS2_DNSSERVER} ${T_TIMEOUT} --
            ${OPENWS2_ROOT}/tests/wine/run.sh ${OPENWS2_WINEPREFIX} ${OPENWS2_E2E_DIR} ${exe}.exe ${T_COMMAND})
  set_tests_properties(${T_NAME} PROPERTIES FIXTURES_REQUIRED wineprefix TIMEOUT ${T_TIMEOUT} LABELS e2e
    RESOURCE_LOCK "openws2_database_path;openws2_nsp_config")
endfunction()

add_executable(nsp_direct ${CMAKE_CURRENT_LIST_DIR}/nsp_direct.c)
target_link_libraries(nsp_direct PRIVATE ws2_32 advapi32)
target_link_options(nsp_direct PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(nsp_direct openws2nsp openws2_dnsserver)
openws2_e2e_stage(nsp_direct)
openws2_nsp_test(NAME nsp_direct COMMAND nsp_direct @DNS_PORT@ @DNS_BLACKHOLE@ @DNS_DEAD@ @DNS_LOG@)

add_executable(nsp_ws2 ${CMAKE_CURRENT_LIST_DIR}/nsp_ws2.c)
target_link_libraries(nsp_ws2 PRIVATE ws2_32 advapi32)
target_link_options(nsp_ws2 PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(nsp_ws2 openws2nsp openws2_dnsserver)
openws2_e2e_stage(nsp_ws2)
openws2_nsp_test(NAME nsp_ws2 COMMAND nsp_ws2 @DNS_PORT@ @DNS_BLACKHOLE@ @DNS_DEAD@ @DNS_LOG@)

# nsp_cache: the provider's configuration caches through ws2_32 (no per-lookup work, changes seen)
add_executable(nsp_cache ${CMAKE_CURRENT_LIST_DIR}/nsp_cache.c)
target_link_libraries(nsp_cache PRIVATE ws2_32 advapi32)
target_link_options(nsp_cache PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(nsp_cache openws2nsp openws2_dnsserver)
openws2_e2e_stage(nsp_cache)
openws2_nsp_test(NAME nsp_cache COMMAND nsp_cache @DNS_PORT@ @DNS_BLACKHOLE@ @DNS_DEAD@ @DNS_LOG@)
