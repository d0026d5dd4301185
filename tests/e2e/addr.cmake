# End-to-end checks of the address conversion and byte-order exports under Wine.
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(addr_convert_e2e ${CMAKE_CURRENT_LIST_DIR}/addr_convert_e2e.c)
target_link_libraries(addr_convert_e2e PRIVATE ws2_32)
target_link_options(addr_convert_e2e PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(addr_convert_e2e)
openws2_wine_test(NAME addr_convert_e2e COMMAND addr_convert_e2e)

# Dispatch of WSAAddressToString*/WSAStringToAddress* to the provider named by lpProtocolInfo, with
# the recording test providers (installed into the prefix's catalog: the providers' lock).
add_executable(addr_provider_e2e ${CMAKE_CURRENT_LIST_DIR}/addr_provider_e2e.c ${CMAKE_CURRENT_LIST_DIR}/provider_common.c)
target_link_libraries(addr_provider_e2e PRIVATE ws2_32 advapi32 user32)
target_link_options(addr_provider_e2e PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(addr_provider_e2e tp_ifs tp_nifs tp_nostartup)
openws2_e2e_stage(addr_provider_e2e)
openws2_wine_test(NAME addr_provider_e2e COMMAND addr_provider_e2e TIMEOUT 180)
set_tests_properties(addr_provider_e2e PROPERTIES RESOURCE_LOCK openws2_test_providers)
