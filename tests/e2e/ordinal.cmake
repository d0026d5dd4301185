# Programs that import ws2_32 by ordinal only (as MSVC-built programs import the classic Winsock
# functions): the import library is made with dlltool from ordinal_ws2_32.def (NONAME ordinals).
#   ordinal_ws2 - TCP and UDP over loopback through ordinal imports; checks its own import table
#                 holds no ws2_32 name, and our ws2_32's trace of the calls.
# i686 callers reference decorated stdcall names (_accept@12): ordinal_ws2_32_i686.def has them and
# dlltool --kill-at keeps them as the symbols.
# SPDX-License-Identifier: LGPL-2.1-or-later
find_program(OPENWS2_DLLTOOL NAMES ${OPENWS2_TRIPLE}-dlltool dlltool REQUIRED)
set(OPENWS2_ORDINAL_LIB ${CMAKE_CURRENT_BINARY_DIR}/libws2_32_ordinal.a)
if(OPENWS2_ARCH STREQUAL "i686")
  set(OPENWS2_ORDINAL_DEF ${CMAKE_CURRENT_LIST_DIR}/ordinal_ws2_32_i686.def)
  set(OPENWS2_ORDINAL_KILLAT --kill-at)
else()
  set(OPENWS2_ORDINAL_DEF ${CMAKE_CURRENT_LIST_DIR}/ordinal_ws2_32.def)
  set(OPENWS2_ORDINAL_KILLAT)
endif()
add_custom_command(OUTPUT ${OPENWS2_ORDINAL_LIB}
  COMMAND ${OPENWS2_DLLTOOL} ${OPENWS2_ORDINAL_KILLAT} -d ${OPENWS2_ORDINAL_DEF} -l ${OPENWS2_ORDINAL_LIB}
  DEPENDS ${OPENWS2_ORDINAL_DEF} VERBATIM)
add_custom_target(ws2_32_ordinal_implib DEPENDS ${OPENWS2_ORDINAL_LIB})

add_executable(ordinal_ws2 ${CMAKE_CURRENT_LIST_DIR}/ordinal_ws2.c)
add_dependencies(ordinal_ws2 ws2_32_ordinal_implib ws2_32)
target_link_libraries(ordinal_ws2 PRIVATE ${OPENWS2_ORDINAL_LIB})
target_link_options(ordinal_ws2 PRIVATE ${OPENWS2_LINK_FLAGS})
openws2_e2e_stage(ordinal_ws2)
openws2_wine_test(NAME ordinal_ws2 COMMAND ordinal_ws2)
