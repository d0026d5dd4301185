# Programs that load ws2_32 only from system32: scripts/install.sh --system (per-application and
# prefix-wide overrides; i686: both sides of a WoW64 prefix, or a win32 prefix) and --uninstall in a
# fresh prefix of the test's own, system32_probe run with no app-local ws2_32.dll and no
# WINEDLLOVERRIDES (tests/e2e/system32_install.sh; exit code 77, skipped, for the WoW64 step when
# there is no x86_64 build beside the i686 one).
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(system32_probe ${CMAKE_CURRENT_LIST_DIR}/system32_probe.c)
target_link_libraries(system32_probe PRIVATE ws2_32)
target_link_options(system32_probe PRIVATE ${OPENWS2_LINK_FLAGS})
add_test(NAME system32_install
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/system32_install.sh ${CMAKE_BINARY_DIR} ${OPENWS2_ARCH})
set_tests_properties(system32_install PROPERTIES TIMEOUT 600 LABELS e2e RESOURCE_LOCK system32_prefix
  SKIP_RETURN_CODE 77)
