# trace_routes: the trace library's channel selection and its three outputs (stderr, Wine's debug
# output through WINEDEBUG=+openws2, a file per process), checked on a child of the program.
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(trace_routes ${CMAKE_CURRENT_LIST_DIR}/trace_routes.c)
target_link_libraries(trace_routes PRIVATE ws2_32)
target_link_options(trace_routes PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(trace_routes)
openws2_wine_test(NAME trace_routes COMMAND trace_routes)
add_test(NAME trace_wine COMMAND ${CMAKE_CURRENT_LIST_DIR}/trace_wine.sh ${OPENWS2_WINEPREFIX} ${OPENWS2_E2E_DIR})
set_tests_properties(trace_wine PROPERTIES FIXTURES_REQUIRED wineprefix TIMEOUT 120 LABELS e2e)
