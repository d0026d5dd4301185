# tp_nsp.cmake - tp_nsp.dll, the recording test namespace provider (engineer "nscatalog"): NSPStartup
# with knobs, lookups answering per provider GUID, one service-class slot, NSPIoctl echo, the call log
# of tp_common.c. Built into the e2e directory next to the ns_* test programs that install it.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_library(tp_nsp SHARED ${CMAKE_CURRENT_LIST_DIR}/tp_nsp.c ${CMAKE_CURRENT_LIST_DIR}/tp_common.c)
set_target_properties(tp_nsp PROPERTIES PREFIX "")
target_link_libraries(tp_nsp PRIVATE kernel32)
target_link_options(tp_nsp PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(tp_nsp)
