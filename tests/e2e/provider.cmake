# provider.cmake - end-to-end tests of the provider architecture (loader, upcalls, dispatch to
# providers, completion of overlapped requests) with the recording test providers of
# tests/providers. Each program installs the test providers into the prefix's catalog and removes
# them at the end.
# SPDX-License-Identifier: LGPL-2.1-or-later
foreach(prog provider_loader provider_upcalls provider_dispatch provider_layered)
  add_executable(${prog} ${CMAKE_CURRENT_LIST_DIR}/${prog}.c ${CMAKE_CURRENT_LIST_DIR}/provider_common.c)
  target_link_libraries(${prog} PRIVATE ws2_32 advapi32 user32)
  target_link_options(${prog} PRIVATE -static-libgcc)
  add_dependencies(${prog} tp_ifs tp_nifs tp_lsp tp_nostartup)
  openws2_e2e_stage(${prog})
  openws2_wine_test(NAME e2e_${prog} COMMAND ${prog} TIMEOUT 180)
  # They all edit the same catalog entries: never two at once (other tests installing the test
  # providers should take the same lock).
  set_tests_properties(e2e_${prog} PROPERTIES RESOURCE_LOCK openws2_test_providers)
endforeach()
