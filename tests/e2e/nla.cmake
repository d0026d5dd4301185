# Network Location Awareness name space end-to-end test (issue 8), under Wine in the run's prefix
# (whose NameSpace_Catalog5 `ws2catalog reset` wrote, NLA's entry included):
#   nsp_nla_e2e  Wine's network list query (NS_ALL, no class), NLA_SERVICE_CLASS_GUID by NS_NLA and
#                by provider id, the NLA_BLOB chains against GetAdaptersAddresses, LUP_RETURN_*,
#                short buffers, LUP_FLUSHPREVIOUS, names, the ANSI form, unserved queries unchanged
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
add_executable(nsp_nla_e2e ${CMAKE_CURRENT_LIST_DIR}/nsp_nla_e2e.c)
target_link_libraries(nsp_nla_e2e PRIVATE ws2_32 iphlpapi)
target_link_options(nsp_nla_e2e PRIVATE ${OPENWS2_LINK_FLAGS})
add_dependencies(nsp_nla_e2e openws2nsp)
openws2_e2e_stage(nsp_nla_e2e)
openws2_wine_test(NAME nsp_nla_e2e COMMAND nsp_nla_e2e TIMEOUT 120)
