# install.cmake: `cmake --install` rules, a Wine-style layout of what a user needs (no test programs):
#   <libdir>/openws2/x86_64-windows/ or i386-windows/  ws2_32.dll, the provider and LSP DLLs of dlls/,
#                                                      ws2catalog.exe, ws2conform.exe (this build's arch)
#   <bindir>/openws2-setup                             the setup command (scripts/openws2-setup)
#   <datadir>/openws2/install-undo.sh                  its undo record functions
#   <docdir>/                                          README.md, USAGE.md, STATUS.md, LICENSE, copyright
# One build installs one architecture: install the x86_64 and the i686 build into the same prefix
# (DESTDIR) to get both (scripts/package.sh does, and makes the Debian package of it).
# Copyright (C) 2026 the openws2 authors
# SPDX-License-Identifier: LGPL-2.1-or-later
include(GNUInstallDirs)
if(OPENWS2_ARCH STREQUAL "i686")
  set(OPENWS2_INSTALL_ARCHDIR ${CMAKE_INSTALL_LIBDIR}/openws2/i386-windows)
else()
  set(OPENWS2_INSTALL_ARCHDIR ${CMAKE_INSTALL_LIBDIR}/openws2/x86_64-windows)
endif()

# The DLLs alone (install(FILES): no import libraries).
set(OPENWS2_INSTALL_FILES $<TARGET_FILE:ws2_32> $<TARGET_FILE:ws2catalog> $<TARGET_FILE:ws2conform>)
# Every DLL target of dlls/ (the providers and the LSPs, as scripts/openws2-setup installs them
# from a build tree).
file(GLOB OPENWS2_INSTALL_DLL_DIRS LIST_DIRECTORIES true ${OPENWS2_ROOT}/dlls/*)
foreach(dir ${OPENWS2_INSTALL_DLL_DIRS})
  if(IS_DIRECTORY ${dir} AND EXISTS ${dir}/CMakeLists.txt)
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(t ${targets})
      get_target_property(type ${t} TYPE)
      if(type STREQUAL "SHARED_LIBRARY")
        list(APPEND OPENWS2_INSTALL_FILES $<TARGET_FILE:${t}>)
      endif()
    endforeach()
  endif()
endforeach()
install(FILES ${OPENWS2_INSTALL_FILES} DESTINATION ${OPENWS2_INSTALL_ARCHDIR})

# The setup command finds the DLLs and its undo functions relative to itself: the paths written into
# the installed copy follow CMAKE_INSTALL_BINDIR / LIBDIR / DATADIR.
file(RELATIVE_PATH OPENWS2_SETUP_LIBREL /${CMAKE_INSTALL_BINDIR} /${CMAKE_INSTALL_LIBDIR}/openws2)
file(RELATIVE_PATH OPENWS2_SETUP_DATAREL /${CMAKE_INSTALL_BINDIR} /${CMAKE_INSTALL_DATADIR}/openws2)
file(READ ${OPENWS2_ROOT}/scripts/openws2-setup OPENWS2_SETUP_TEXT)
string(REPLACE "$here/../lib/openws2" "$here/${OPENWS2_SETUP_LIBREL}" OPENWS2_SETUP_TEXT "${OPENWS2_SETUP_TEXT}")
string(REPLACE "$here/../share/openws2" "$here/${OPENWS2_SETUP_DATAREL}" OPENWS2_SETUP_TEXT "${OPENWS2_SETUP_TEXT}")
file(CONFIGURE OUTPUT ${CMAKE_BINARY_DIR}/install/openws2-setup CONTENT "${OPENWS2_SETUP_TEXT}" @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${OPENWS2_ROOT}/scripts/openws2-setup)
install(PROGRAMS ${CMAKE_BINARY_DIR}/install/openws2-setup DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${OPENWS2_ROOT}/scripts/install-undo.sh DESTINATION ${CMAKE_INSTALL_DATADIR}/openws2)
install(FILES ${OPENWS2_ROOT}/README.md ${OPENWS2_ROOT}/docs/USAGE.md ${OPENWS2_ROOT}/docs/STATUS.md
              ${OPENWS2_ROOT}/LICENSE ${OPENWS2_ROOT}/packaging/copyright
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# `cmake --build DIR --target openws2-dist`: only what `cmake --install` installs (scripts/package.sh).
add_custom_target(openws2-dist)
add_dependencies(openws2-dist ws2_32 ws2catalog ws2conform)
foreach(f ${OPENWS2_INSTALL_FILES})
  if(f MATCHES "^\\$<TARGET_FILE:(.*)>$")
    add_dependencies(openws2-dist ${CMAKE_MATCH_1})
  endif()
endforeach()
