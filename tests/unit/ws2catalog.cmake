# Unit tests of the catalog tool's and the conformance runner's portable parts (engineer
# "conformance"): ws2catalog's GUID / id-list parsers, ws2conform's WSPStartup version verdict.
# SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(ws2catalog_parse_test ws2catalog_parse_test.c ${OPENWS2_ROOT}/tools/ws2catalog/ws2catalog_parse.c)
target_include_directories(ws2catalog_parse_test PRIVATE ${OPENWS2_ROOT}/tools/ws2catalog)
openws2_unit_test(conform_version_test conform_version_test.c ${OPENWS2_ROOT}/tools/conformance/conform_version.c)
target_include_directories(conform_version_test PRIVATE ${OPENWS2_ROOT}/tools/conformance)
