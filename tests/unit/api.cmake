# Unit tests of the API layer's portable logic: WSAStartup's version negotiation table and the
# fd_set helpers used by select/WSAPoll.
openws2_unit_test(api_startup_version_test api_startup_version_test.c ${OPENWS2_ROOT}/src/core/startup_version.c)
target_include_directories(api_startup_version_test PRIVATE ${OPENWS2_ROOT}/include)
openws2_unit_test(api_fdset_test api_fdset_test.c ${OPENWS2_ROOT}/src/api/fdset_util.c)
target_include_directories(api_fdset_test PRIVATE ${OPENWS2_ROOT}/include)
# ws2_32's one ANSI/Unicode protocol-info conversion (src/shared/protocol_info.c), with a double-byte
# ANSI code page of the test's own.
openws2_unit_test(api_protocol_info_test api_protocol_info_test.c ${OPENWS2_ROOT}/src/shared/protocol_info.c)
target_include_directories(api_protocol_info_test PRIVATE ${OPENWS2_ROOT}/include)
