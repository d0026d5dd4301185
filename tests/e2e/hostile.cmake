# Hostile input (docs/RELIABILITY.md "Hostile input"): corrupt protocol and namespace catalogs in a
# fresh prefix of the test's own (tests/e2e/hostile_catalog.sh with hostile_catalog_probe.exe).
# Both builds: the probe damages its own bitness' view (i686: in a WoW64 prefix with the x86_64
# build beside it, or a win32 prefix; exit code 77, skipped, when the WoW64 case lacks x86_64).
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(hostile_catalog_probe ${CMAKE_CURRENT_LIST_DIR}/hostile_catalog_probe.c)
target_link_libraries(hostile_catalog_probe PRIVATE ws2_32 advapi32)
target_link_options(hostile_catalog_probe PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(hostile_catalog_probe ws2catalog)
add_test(NAME hostile_catalog COMMAND ${CMAKE_CURRENT_LIST_DIR}/hostile_catalog.sh ${CMAKE_BINARY_DIR} ${OPENWS2_ARCH})
set_tests_properties(hostile_catalog PROPERTIES TIMEOUT 600 LABELS e2e SKIP_RETURN_CODE 77)
