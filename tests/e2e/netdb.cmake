# End-to-end checks of getservby*/getprotoby* (database files, defaults, per-thread results) and
# gethostbyname of the own name under Wine.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(netdb_e2e ${CMAKE_CURRENT_LIST_DIR}/netdb_e2e.c)
target_link_libraries(netdb_e2e PRIVATE ws2_32 advapi32 iphlpapi)
target_link_options(netdb_e2e PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(netdb_e2e)
openws2_wine_test(NAME netdb_e2e COMMAND netdb_e2e)
# It points Tcpip\Parameters\DataBasePath elsewhere for a moment: no other test reading the
# database files at the same time.
set_tests_properties(netdb_e2e PROPERTIES RESOURCE_LOCK openws2_database_path)
