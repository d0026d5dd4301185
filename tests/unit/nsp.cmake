# Unit tests of openws2nsp's portable modules (dlls/nsp): host model and hosts matching, DNS server
# list parsing, result/blob packing. SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(nsp_host_test nsp_host_test.c ${OPENWS2_ROOT}/dlls/nsp/nsp_hostdb.c
                  ${OPENWS2_ROOT}/src/addr/netdb_parse.c ${OPENWS2_ROOT}/src/addr/addr_parse.c)
openws2_unit_test(nsp_servers_test nsp_servers_test.c ${OPENWS2_ROOT}/dlls/nsp/nsp_servers.c
                  ${OPENWS2_ROOT}/src/addr/addr_parse.c)
openws2_unit_test(nsp_pack_test nsp_pack_test.c ${OPENWS2_ROOT}/dlls/nsp/nsp_pack.c
                  ${OPENWS2_ROOT}/dlls/nsp/nsp_hostdb.c ${OPENWS2_ROOT}/src/addr/netdb_parse.c
                  ${OPENWS2_ROOT}/src/addr/addr_parse.c)
# nsp_nla_test: the NLA name space's networks, NLA_BLOB chain and result packing (nsp_nla_net.c)
openws2_unit_test(nsp_nla_test nsp_nla_test.c ${OPENWS2_ROOT}/dlls/nsp/nsp_nla_net.c
                  ${OPENWS2_ROOT}/src/addr/addr_parse.c)
foreach(t nsp_host_test nsp_servers_test nsp_pack_test nsp_nla_test)
  target_include_directories(${t} PRIVATE ${OPENWS2_ROOT}/dlls/nsp)
endforeach()
