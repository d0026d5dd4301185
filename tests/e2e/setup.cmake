# The setup command (scripts/openws2-setup) end to end in a fresh prefix of its own:
# install -> status -> loopback echo through openws2 from system32 -> install again (idempotent) ->
# uninstall (DLLs, overrides, catalog back byte for byte); then --app with --symlink the same way
# (tests/e2e/setup_command.sh). x86_64 builds (the host's Wine); the i686 sides are system32_install's.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
if(OPENWS2_ARCH STREQUAL "x86_64")
  add_test(NAME setup_command
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/setup_command.sh ${CMAKE_BINARY_DIR})
  set_tests_properties(setup_command PROPERTIES TIMEOUT 600 LABELS e2e)
endif()
