# tp_fault.dll - a hostile provider for the reliability tests (tests/e2e/reliability.cmake): what it
# does wrong is chosen per call by the environment variable TP_FAULT (see tests/providers/tp_fault.c).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_library(tp_fault SHARED ${CMAKE_CURRENT_LIST_DIR}/tp_fault.c)
set_target_properties(tp_fault PROPERTIES PREFIX "")
target_link_libraries(tp_fault PRIVATE kernel32)
target_link_options(tp_fault PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(tp_fault)
