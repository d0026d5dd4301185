# Provider conformance runner (tools/conformance, ws2conform.exe) end-to-end tests, run under Wine:
#   conform_providers  the runner passes against openws2afd (catalog entries and DLL path), openws2's
#                      LSPs (installed with ws2catalog install-lsp, run via their chain entry), and
#                      the test providers (tp_nifs, tp_ifs, tp_lsp: exactly their known FAIL lines)
#   conform_broken     the runner fails tests/providers/tp_broken.dll with the right FAIL lines, its
#                      watchdog stops a provider call that blocks, usage errors exit 2
# SPDX-License-Identifier: LGPL-2.1-or-later
if(NOT TARGET stage_ws2conform)
  openws2_e2e_stage(ws2conform)
endif()
if(TARGET ws2catalog AND NOT TARGET stage_ws2catalog)
  openws2_e2e_stage(ws2catalog)
endif()
foreach(t conform_providers conform_broken)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE ws2_32 advapi32)
  target_link_options(${t} PRIVATE ${OPENWS2_LINK_FLAGS})
  add_dependencies(${t} ws2conform ws2catalog tp_broken tp_ifs tp_nifs tp_lsp)
  openws2_e2e_stage(${t})
  openws2_wine_test(NAME ${t} COMMAND ${t} TIMEOUT 600)
endforeach()
# conform_providers installs catalog entries (layered chains over TCP/IPv4, a test entry).
set_tests_properties(conform_providers PROPERTIES RUN_SERIAL TRUE)
