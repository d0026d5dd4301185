# The loopback DNS test server (tests/dnsserver/dnsserver.c) is a native Linux program: it is built
# with the host's C compiler inside the MinGW build and started around a test by with-dnsserver.sh.
# Several test areas include this file: it defines the server once.
# SPDX-License-Identifier: LGPL-2.1-or-later
include_guard(GLOBAL)
find_program(OPENWS2_HOST_CC NAMES gcc cc REQUIRED NO_CMAKE_FIND_ROOT_PATH)
set(OPENWS2_DNSSERVER ${CMAKE_BINARY_DIR}/dnsserver/openws2-dnsserver)
set(OPENWS2_WITH_DNSSERVER ${OPENWS2_ROOT}/tests/dnsserver/with-dnsserver.sh)
add_custom_command(OUTPUT ${OPENWS2_DNSSERVER}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/dnsserver
  COMMAND ${OPENWS2_HOST_CC} -std=c11 -Wall -Wextra -Werror -O2 -o ${OPENWS2_DNSSERVER}
          ${OPENWS2_ROOT}/tests/dnsserver/dnsserver.c
  DEPENDS ${OPENWS2_ROOT}/tests/dnsserver/dnsserver.c
  COMMENT "Building the loopback DNS test server (host compiler)" VERBATIM)
add_custom_target(openws2_dnsserver ALL DEPENDS ${OPENWS2_DNSSERVER})
