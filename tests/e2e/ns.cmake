# Namespace catalog end-to-end tests (engineer "nscatalog"), run under Wine in the run's prefix (whose
# NameSpace_Catalog5 `ws2catalog reset` wrote):
#   ns_wsc_e2e     WSCInstallNameSpace(Ex, Ex2, 32) / WSCUnInstallNameSpace* / WSCEnableNSProvider /
#                  WSCWriteNameSpaceOrder against the registry (Windows' values, restored byte for
#                  byte), WSAEnumNameSpaceProvidersA/W/ExA/ExW and WSCEnumNameSpaceProviders(Ex)32
#   ns_lookup_e2e  the recording test NSP (tests/providers/tp_nsp.c) installed and reached through
#                  WSALookupServiceBegin/Next/End (A and W, short buffers, routing by namespace,
#                  provider id and NS_ALL in catalog order, disabled providers skipped), WSANSPIoctl,
#                  WSASetService, the service-class functions, the NSP loader's failure modes,
#                  threads, a provider installed by another process, an NSPv2 provider advertised
#                  with WSAAdvertiseProvider, and NSPCleanup/NSPv2Cleanup at the last WSACleanup
# SPDX-License-Identifier: LGPL-2.1-or-later
foreach(t ns_wsc_e2e ns_lookup_e2e)
  add_executable(${t} ${CMAKE_CURRENT_LIST_DIR}/${t}.c)
  target_link_libraries(${t} PRIVATE ws2_32 advapi32)
  target_link_options(${t} PRIVATE ${OPENWS2_LINK_FLAGS})
  add_dependencies(${t} tp_nsp)
  openws2_e2e_stage(${t})
  openws2_wine_test(NAME ${t} COMMAND ${t} TIMEOUT 180)
endforeach()
# They change the shared prefix's namespace catalog: never alongside other tests.
set_tests_properties(ns_wsc_e2e ns_lookup_e2e PROPERTIES RUN_SERIAL TRUE)
