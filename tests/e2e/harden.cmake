# End-to-end tests of ws2_32's robustness against bad caller pointers (engineer "harden"):
#   harden_probe  the pointer probes of src/core/user_ptr.c (linked in directly): released, no-access,
#                 read-only and guard pages, strings, concurrent writers, cost per probe
#                 (`harden_probe --bench` for a longer measurement)
#   harden_ptrs   every API that takes small structures gets pointers into a released page, a
#                 PAGE_NOACCESS page and (out-parameters) a read-only page: WSAEFAULT as on Windows,
#                 no crash, and the socket still works afterwards
add_executable(harden_probe ${CMAKE_CURRENT_LIST_DIR}/harden_probe.c ${OPENWS2_ROOT}/src/core/user_ptr.c)
target_link_libraries(harden_probe PRIVATE openws2_trace)
target_link_options(harden_probe PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(harden_probe)
openws2_wine_test(NAME e2e_harden_probe COMMAND harden_probe)
add_executable(harden_ptrs ${CMAKE_CURRENT_LIST_DIR}/harden_ptrs.c)
target_link_libraries(harden_ptrs PRIVATE ws2_32)
target_link_options(harden_ptrs PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(harden_ptrs)
openws2_wine_test(NAME e2e_harden_ptrs COMMAND harden_ptrs)

# def_complete: ws2_32.def holds exactly the names of MinGW-w64's ws2_32 import library (Windows'
# 197 exports) and Windows' ordinals for the classic ones (issue 2, item 2). Checked in the x86_64
# build only: the .def serves both, and MinGW-w64's i686 import library lacks names (181 of them).
find_program(OPENWS2_NM NAMES ${OPENWS2_TRIPLE}-nm nm REQUIRED)
find_file(OPENWS2_MINGW_WS2_IMPLIB_X64 libws2_32.a PATHS /usr/${OPENWS2_TRIPLE}/lib NO_DEFAULT_PATH)
if(OPENWS2_MINGW_WS2_IMPLIB_X64 AND OPENWS2_ARCH STREQUAL "x86_64")
  add_test(NAME def_complete
    COMMAND sh ${OPENWS2_ROOT}/tests/check-def.sh ${OPENWS2_NM} ${OPENWS2_MINGW_WS2_IMPLIB_X64} ${OPENWS2_ROOT}/ws2_32.def)
endif()
