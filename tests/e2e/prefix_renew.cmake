# scripts/install.sh --new-prefix over a prefix whose wineserver still runs (tests/e2e/prefix_renew.sh):
# the old server is stopped before the prefix is removed and made anew.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_test(NAME prefix_renew
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/prefix_renew.sh ${CMAKE_BINARY_DIR} ${OPENWS2_ARCH})
set_tests_properties(prefix_renew PROPERTIES TIMEOUT 300 LABELS e2e)
