# Namespace catalog unit tests (engineer "nscatalog"): NameSpace_Catalog5's registry format against
# the in-memory registry (fake_registry.c), the embedded default, corrupt and hostile entries, the
# WSC* edits and change detection.
# SPDX-License-Identifier: LGPL-2.1-or-later
set(OPENWS2_NS_CATALOG_SOURCES
  ${OPENWS2_ROOT}/src/namespace/ns_catalog.c ${OPENWS2_ROOT}/src/namespace/ns_catalog_default.c ${OPENWS2_ROOT}/src/namespace/ns_catalog_registry.c
  ${OPENWS2_ROOT}/src/namespace/ns_catalog_current.c ${OPENWS2_ROOT}/src/catalog/registry_watch.c ${OPENWS2_ROOT}/src/shared/trace.c
  ${CMAKE_CURRENT_SOURCE_DIR}/ns_reg_wstr_host.c ${CMAKE_CURRENT_SOURCE_DIR}/fake_registry.c)
openws2_unit_test(ns_catalog_test ns_catalog_test.c ${OPENWS2_NS_CATALOG_SOURCES})
