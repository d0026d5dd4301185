# providers.cmake - openws2's recording test providers (tests/providers/tp_*.c), built into the e2e
# directory next to the test programs that install them:
#   tp_ifs.dll       IFS provider (named-pipe sockets registered with WPUModifyIFSHandle)
#   tp_nifs.dll      non-IFS provider (WPUCreateSocketHandle sockets, in-memory loopback,
#                    completion through WPUCompleteOverlappedRequest / WPUQueueApc)
#   tp_lsp.dll       layered provider (non-IFS layer over the next entry of its protocol chain)
#   tp_nostartup.dll a "provider" without WSPStartup (loader failure test)
# Log format and knobs: tests/providers/tp_common.h and the header of each provider; the socket state
# tp_ifs and tp_nifs share: tp_sock.h.
# SPDX-License-Identifier: LGPL-2.1-or-later
foreach(tp tp_ifs tp_nifs tp_lsp)
  add_library(${tp} SHARED ${CMAKE_CURRENT_LIST_DIR}/${tp}.c ${CMAKE_CURRENT_LIST_DIR}/tp_common.c)
  if(NOT tp STREQUAL "tp_lsp")
    target_sources(${tp} PRIVATE ${CMAKE_CURRENT_LIST_DIR}/tp_sock.c)  # the transports' socket state
  endif()
  set_target_properties(${tp} PROPERTIES PREFIX "")
  target_link_libraries(${tp} PRIVATE kernel32)
  target_link_options(${tp} PRIVATE ${OPENWS2_LINK_FLAGS})
  openws2_e2e_stage(${tp})
endforeach()
add_library(tp_nostartup SHARED ${CMAKE_CURRENT_LIST_DIR}/tp_nostartup.c)
set_target_properties(tp_nostartup PROPERTIES PREFIX "")
target_link_options(tp_nostartup PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(tp_nostartup)
