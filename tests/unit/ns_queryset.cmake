# WSAQUERYSET / WSASERVICECLASSINFO packing (src/namespace/ns_queryset.c) with host code-page conversions
# (codepage_host.c; the same pair builds tests/fuzz/fuzz_queryset.c).
# SPDX-License-Identifier: LGPL-2.1-or-later
openws2_unit_test(ns_queryset_test ns_queryset_test.c ${OPENWS2_ROOT}/src/namespace/ns_queryset.c
                  ${CMAKE_CURRENT_SOURCE_DIR}/codepage_host.c)
