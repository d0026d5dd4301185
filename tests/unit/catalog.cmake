# Protocol catalog unit tests (engineer "catalog"): registry format, load/store against the in-memory
# registry (fake_registry.c), selection, edits.
# SPDX-License-Identifier: LGPL-2.1-or-later
set(OPENWS2_CATALOG_SOURCES
  ${OPENWS2_ROOT}/src/catalog/catalog_format.c ${OPENWS2_ROOT}/src/catalog/catalog_default.c ${OPENWS2_ROOT}/src/catalog/catalog.c
  ${OPENWS2_ROOT}/src/catalog/catalog_select.c ${OPENWS2_ROOT}/src/catalog/catalog_edit.c ${OPENWS2_ROOT}/src/catalog/registry_watch.c
  ${OPENWS2_ROOT}/src/shared/trace.c
  ${CMAKE_CURRENT_SOURCE_DIR}/fake_registry.c)
openws2_unit_test(catalog_format_test catalog_format_test.c ${OPENWS2_CATALOG_SOURCES})
openws2_unit_test(catalog_registry_test catalog_registry_test.c ${OPENWS2_CATALOG_SOURCES})
openws2_unit_test(catalog_select_test catalog_select_test.c ${OPENWS2_CATALOG_SOURCES})
openws2_unit_test(catalog_edit_test catalog_edit_test.c ${OPENWS2_CATALOG_SOURCES})
