# Hostile input (docs/RELIABILITY.md "Hostile input"): corrupt protocol and namespace catalogs in a
# fresh prefix of the test's own (tests/e2e/hostile_catalog.sh with hostile_catalog_probe.exe).
# x86_64 only (the probe writes the native view; the i686 lanes run in shared chroot prefixes).
# SPDX-License-Identifier: LGPL-2.1-or-later
if(OPENWS2_ARCH STREQUAL "x86_64")
  add_executable(hostile_catalog_probe ${CMAKE_CURRENT_LIST_DIR}/hostile_catalog_probe.c)
  target_link_libraries(hostile_catalog_probe PRIVATE ws2_32 advapi32)
  target_link_options(hostile_catalog_probe PRIVATE ${OPENWS2_LINK_FLAGS})
  add_dependencies(hostile_catalog_probe ws2catalog)
  add_test(NAME hostile_catalog COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile_catalog.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(hostile_catalog PROPERTIES TIMEOUT 600 LABELS e2e)
endif()
